#pragma once
#include <QColor>
#include <QObject>

namespace nc::ui {

enum class ThemeMode { System, Light, Dark };

// Colours the canvas paints with; they follow the active theme.
struct CanvasColors {
    QColor background, gridMinor, gridMajor;
    QColor nodeBody, nodeText, nodeSubText, nodeBorder;
    QColor edge, edgeLabelBackground, edgeLabelText;
    QColor selection, error, errorBody, accept;
};

// Light and dark application palettes (Fusion) that follow the system unless the user picks
// one; the choice is remembered in QSettings.
class Theme final : public QObject {
    Q_OBJECT
public:
    static Theme& instance();
    ThemeMode mode() const { return m_mode; }
    bool isDark() const { return m_dark; }
    const CanvasColors& canvas() const { return m_canvas; }
    void apply(ThemeMode mode); // sets the application palette and emits changed()
    void restore();             // applies the mode stored in settings

Q_SIGNALS:
    void changed();

private:
    Theme() = default;
    ThemeMode m_mode = ThemeMode::System;
    bool m_dark = false;
    CanvasColors m_canvas;
};

} // namespace nc::ui
