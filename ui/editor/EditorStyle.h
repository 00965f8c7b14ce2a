#pragma once
#include <QColor>
#include <QString>

namespace nc::ui {

// Geometry shared by node items, the layout and the scene (scene units = pixels at 100 %).
constexpr double kNodeWidth = 210;
constexpr double kNodeHeight = 66;
constexpr double kRowStep = 112;    // vertical distance between layout rows
constexpr double kColumnStep = 290; // horizontal distance between layout columns
constexpr double kGridSize = 16;
constexpr double kPortRadius = 6;

// The colour of a layer category on the canvas and in the palette.
QColor categoryColor(const QString& category);
QString layerAbbreviation(const QString& type); // "Cv" for Conv2d: the palette icon's text

} // namespace nc::ui
