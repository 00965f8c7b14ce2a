#pragma once
#include <stdexcept>
#include <string>

namespace nc {

// The one exception type core throws for bad input; its message is meant for the user.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace nc
