#pragma once
#include <map>
#include <string>
#include <vector>

namespace nc::cli {

// Parsed command line: positional arguments and --options (flags have the value "true").
class Args {
public:
    // `flags` lists the options that take no value (e.g. "json").
    Args(int argc, char** argv, int first, const std::vector<std::string>& flags);

    const std::vector<std::string>& positional() const { return m_positional; }
    bool has(const std::string& name) const { return m_options.count(name) > 0; }
    std::string get(const std::string& name, const std::string& def = {}) const;
    long long getInt(const std::string& name, long long def) const;         // throws nc::Error
    double getDouble(const std::string& name, double def) const;             // throws nc::Error
    // Every option given must be in `known`; throws nc::Error naming the first unknown one.
    void allowOnly(const std::vector<std::string>& known) const;

private:
    std::vector<std::string> m_positional;
    std::map<std::string, std::string> m_options;
};

} // namespace nc::cli
