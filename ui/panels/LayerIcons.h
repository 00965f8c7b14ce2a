#pragma once
#include <QIcon>
#include <QString>

namespace nc::ui {

// A layer's icon: its abbreviation on a rounded square of its category colour, drawn at any
// device pixel ratio so it stays sharp on high-DPI screens.
QIcon layerIcon(const QString& type);
// The palette tooltip: what the layer does and its parameters with defaults and ranges.
QString layerToolTip(const QString& type);

} // namespace nc::ui
