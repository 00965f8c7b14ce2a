#pragma once
#include <QString>

#include <string>

namespace nc::ui {

// A built-in template's description (resources/templates) in the interface language; any other
// text (a user's own description) as written.
QString describeTemplate(const std::string& englishDescription);

} // namespace nc::ui
