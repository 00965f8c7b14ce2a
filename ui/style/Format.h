#pragma once
#include <QString>

#include <cstdint>

namespace nc::ui {

QString formatCount(std::int64_t n);  // "93,322" in the user's locale
QString formatFlops(std::int64_t n);  // "2.4 MFLOPs"
QString formatBytes(std::int64_t n);  // "1.2 MiB"

} // namespace nc::ui
