#include "Args.h"

#include "util/Error.h"

#include <algorithm>
#include <cstdlib>

namespace nc::cli {

Args::Args(int argc, char** argv, int first, const std::vector<std::string>& flags) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
            std::string name = a.substr(2), value;
            const auto eq = name.find('=');
            if (eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
            } else if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
                value = "true";
            } else {
                if (i + 1 >= argc)
                    throw Error("option --" + name + " needs a value");
                value = argv[++i];
            }
            m_options[name] = value;
        } else if (a == "-o") {
            if (i + 1 >= argc)
                throw Error("option -o needs a file name");
            m_options["output"] = argv[++i];
        } else if (a == "-n") { // a count (generate -n 64), the same as --n
            if (i + 1 >= argc)
                throw Error("option -n needs a number");
            m_options["n"] = argv[++i];
        } else {
            m_positional.push_back(a);
        }
    }
}

std::string Args::get(const std::string& name, const std::string& def) const {
    auto it = m_options.find(name);
    return it == m_options.end() ? def : it->second;
}

long long Args::getInt(const std::string& name, long long def) const {
    if (!has(name))
        return def;
    const std::string v = get(name);
    char* end = nullptr;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end)
        throw Error("--" + name + " must be a whole number, not '" + v + "'");
    return n;
}

double Args::getDouble(const std::string& name, double def) const {
    if (!has(name))
        return def;
    const std::string v = get(name);
    char* end = nullptr;
    const double n = std::strtod(v.c_str(), &end);
    if (v.empty() || *end)
        throw Error("--" + name + " must be a number, not '" + v + "'");
    return n;
}

void Args::allowOnly(const std::vector<std::string>& known) const {
    for (const auto& [name, value] : m_options)
        if (std::find(known.begin(), known.end(), name) == known.end())
            throw Error(name == "output" ? "this command takes no -o" : "unknown option --" + name);
}

} // namespace nc::cli
