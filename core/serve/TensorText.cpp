#include "serve/TensorText.h"

#include <charconv>
#include <system_error>

namespace nc::serve {

namespace {
// Where the JSON number starting at `i` ends: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, or npos.
std::size_t jsonNumberEnd(const std::string& t, std::size_t i) {
    const std::size_t n = t.size();
    auto digit = [&](std::size_t k) { return k < n && t[k] >= '0' && t[k] <= '9'; };
    if (i < n && t[i] == '-')
        ++i;
    if (!digit(i))
        return std::string::npos;
    if (t[i] == '0')
        ++i;
    else
        while (digit(i))
            ++i;
    if (i < n && t[i] == '.') {
        if (!digit(++i))
            return std::string::npos;
        while (digit(i))
            ++i;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            ++i;
        if (!digit(i))
            return std::string::npos;
        while (digit(i))
            ++i;
    }
    return i;
}
} // namespace

bool scanTensorData(const std::string& text, TensorData& out, int maxDepth) {
    struct Frame {
        bool object;
        std::string key; // objects: the current member's key
        int index = 0;   // arrays: the current element
    };
    std::vector<Frame> stack;
    std::string lastString;
    bool afterString = false;
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = text[i];
        if (c == '"') {
            const std::size_t start = ++i;
            while (i < n && text[i] != '"') {
                if (text[i] == '\\')
                    ++i;
                ++i;
            }
            if (i >= n)
                return false;
            lastString.assign(text, start, i - start);
            afterString = true;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == ':') {
            if (!afterString || stack.empty() || !stack.back().object)
                return false;
            stack.back().key = lastString;
            afterString = false;
            // root."inputs"[0]."data": the array to read.
            if (stack.size() == 3 && stack[0].object && stack[0].key == "inputs" && !stack[1].object &&
                stack[1].index == 0 && stack[2].key == "data") {
                std::size_t j = i + 1;
                while (j < n && (text[j] == ' ' || text[j] == '\n' || text[j] == '\r' || text[j] == '\t'))
                    ++j;
                if (j >= n || text[j] != '[')
                    return false;
                const std::size_t open = j;
                // JSON's array grammar: values separated by single commas, no trailing comma.
                int depth = 0;
                bool expectValue = true, allowClose = true;
                for (; j < n; ++j) {
                    const char d = text[j];
                    if (d == ' ' || d == '\n' || d == '\r' || d == '\t')
                        continue;
                    if (d == '[') {
                        if (!expectValue)
                            return false;
                        if (int(stack.size()) + ++depth > maxDepth)
                            return false;
                        allowClose = true;
                    } else if (d == ']') {
                        if (!allowClose)
                            return false;
                        expectValue = false;
                        if (--depth == 0)
                            break;
                    } else if (d == ',') {
                        if (expectValue)
                            return false;
                        expectValue = true;
                        allowClose = false;
                    } else if (d == '-' || (d >= '0' && d <= '9')) {
                        // JSON's number grammar (stricter than from_chars: no "1.", no "01").
                        const std::size_t end = jsonNumberEnd(text, j);
                        if (!expectValue || end == std::string::npos)
                            return false;
                        double v = 0;
                        const auto [stop, ec] = std::from_chars(text.data() + j, text.data() + end, v);
                        if (ec != std::errc() || stop != text.data() + end)
                            return false;
                        out.values.push_back(v);
                        j = end - 1;
                        expectValue = false;
                        allowClose = true;
                    } else {
                        return false; // strings, literals, objects: the general parser decides
                    }
                }
                if (j >= n)
                    return false;
                out.rest = text.substr(0, open) + "[]" + text.substr(j + 1);
                return true;
            }
            continue;
        }
        afterString = false;
        if (c == '{' || c == '[') {
            if (int(stack.size()) >= maxDepth)
                return false;
            stack.push_back({c == '{', {}, 0});
        } else if (c == '}' || c == ']') {
            if (stack.empty())
                return false;
            stack.pop_back();
        } else if (c == ',') {
            if (stack.empty())
                return false;
            ++stack.back().index;
        }
    }
    return false;
}

} // namespace nc::serve
