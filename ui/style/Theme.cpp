#include "style/Theme.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QProxyStyle>
#include <QStyleOptionMenuItem>

namespace nc::ui {

namespace {
// Qt 6.4 has no colour-scheme hint; a dark system palette is recognised by its window colour.
bool systemPrefersDark() {
    // Read once, before our own palette replaces the platform's.
    static const bool dark = qApp->palette().color(QPalette::Window).lightness() < 128;
    return dark;
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8f, 0x94));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x58, 0x9d, 0xf6));
    p.setColor(QPalette::Mid, QColor(0x45, 0x48, 0x4d));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x7a, 0x7d, 0x82));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x7a, 0x7d, 0x82));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7a, 0x7d, 0x82));
    return p;
}
} // namespace

namespace {
// Fusion sizes a menu item so that its shortcut ends right at the menu's border ("Ctrl+Shift+Z"
// of Edit › Redo touched it, and looked cut off): give shortcut columns a margin of their own.
class MenuMarginStyle final : public QProxyStyle {
  public:
    using QProxyStyle::QProxyStyle;
    QSize sizeFromContents(ContentsType type, const QStyleOption* option, const QSize& size,
                           const QWidget* widget) const override {
        QSize s = QProxyStyle::sizeFromContents(type, option, size, widget);
        if (type == CT_MenuItem)
            if (const auto* item = qstyleoption_cast<const QStyleOptionMenuItem*>(option);
                item && item->reservedShortcutWidth > 0)
                s.rwidth() += 2 * QFontMetrics(item->font).averageCharWidth();
        return s;
    }
    // The item is wider by that margin; the shortcut column starts that much further left.
    void drawControl(ControlElement element, const QStyleOption* option, QPainter* painter,
                     const QWidget* widget) const override {
        if (element == CE_MenuItem)
            if (const auto* item = qstyleoption_cast<const QStyleOptionMenuItem*>(option);
                item && item->reservedShortcutWidth > 0) {
                QStyleOptionMenuItem wider(*item);
                wider.reservedShortcutWidth += 2 * QFontMetrics(item->font).averageCharWidth();
                QProxyStyle::drawControl(element, &wider, painter, widget);
                return;
            }
        QProxyStyle::drawControl(element, option, painter, widget);
    }
};
} // namespace

Theme& Theme::instance() {
    static Theme theme;
    return theme;
}

void Theme::restore() {
    const int stored = QSettings().value("ui/theme", 0).toInt();
    apply(stored == 1 ? ThemeMode::Light : stored == 2 ? ThemeMode::Dark : ThemeMode::System);
}

void Theme::apply(ThemeMode mode) {
    m_mode = mode;
    QSettings().setValue("ui/theme", int(mode));
    m_dark = mode == ThemeMode::Dark || (mode == ThemeMode::System && systemPrefersDark());
    if (QStyle* fusion = QStyleFactory::create("Fusion"))
        QApplication::setStyle(new MenuMarginStyle(fusion));
    QApplication::setPalette(m_dark ? darkPalette() : QApplication::style()->standardPalette());
    if (m_dark) {
        m_canvas = {QColor(0x1b, 0x1c, 0x1f), QColor(0x25, 0x27, 0x2b), QColor(0x30, 0x33, 0x38),
                    QColor(0x2e, 0x31, 0x36), QColor(0xe8, 0xea, 0xed), QColor(0xa9, 0xad, 0xb4),
                    QColor(0x4a, 0x4e, 0x55), QColor(0x9a, 0xa0, 0xa8), QColor(0x2b, 0x2d, 0x30),
                    QColor(0xcf, 0xd3, 0xd8), QColor(0x58, 0x9d, 0xf6), QColor(0xff, 0x6b, 0x6b),
                    QColor(0x4a, 0x24, 0x26), QColor(0x4c, 0xc3, 0x6e)};
    } else {
        m_canvas = {QColor(0xf6, 0xf7, 0xf9), QColor(0xe9, 0xeb, 0xef), QColor(0xdc, 0xdf, 0xe4),
                    QColor(0xff, 0xff, 0xff), QColor(0x1f, 0x23, 0x28), QColor(0x5f, 0x66, 0x6d),
                    QColor(0xc4, 0xc9, 0xd0), QColor(0x6b, 0x72, 0x7b), QColor(0xff, 0xff, 0xff),
                    QColor(0x33, 0x3a, 0x42), QColor(0x1a, 0x73, 0xe8), QColor(0xd9, 0x30, 0x25),
                    QColor(0xfd, 0xec, 0xea), QColor(0x1e, 0x8e, 0x3e)};
    }
    Q_EMIT changed();
}

} // namespace nc::ui
