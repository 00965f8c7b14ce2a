#include "style/Format.h"

#include <QCoreApplication>
#include <QLocale>

namespace nc::ui {

QString formatCount(std::int64_t n) { return QLocale().toString(qlonglong(n)); }

QString formatFlops(std::int64_t n) {
    const double v = double(n);
    if (v >= 1e9)
        return QCoreApplication::translate("nc::ui::Format", "%1 GFLOPs").arg(v / 1e9, 0, 'f', 2);
    if (v >= 1e6)
        return QCoreApplication::translate("nc::ui::Format", "%1 MFLOPs").arg(v / 1e6, 0, 'f', 2);
    if (v >= 1e3)
        return QCoreApplication::translate("nc::ui::Format", "%1 kFLOPs").arg(v / 1e3, 0, 'f', 1);
    return QCoreApplication::translate("nc::ui::Format", "%1 FLOPs").arg(n);
}

QString formatBytes(std::int64_t n) { return QLocale().formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat); }

} // namespace nc::ui
