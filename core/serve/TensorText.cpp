#include "serve/TensorText.h"

#include <charconv>
#include <cstdint>
#include <system_error>

namespace nc::serve {

namespace {
// Reads the JSON number starting at `i`: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, into `v`,
// returning where it ends, or npos when the text breaks that grammar (stricter than from_chars: no
// "1.", no "01"). A number with at most 15 significant digits and a decimal exponent within ±22 is
// exact as a double mantissa times an exact power of ten, so one multiplication or division gives
// the correctly rounded double (Clinger's fast path) and equals from_chars; every other number
// goes to from_chars. Most pixels arrive as such short decimals (b/255 printed by Python or JS).
std::size_t readJsonNumber(const std::string& t, std::size_t i, double& v) {
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const std::size_t n = t.size(), first = i;
    auto digit = [&](std::size_t k) { return k < n && t[k] >= '0' && t[k] <= '9'; };
    std::uint64_t mantissa = 0;
    int significant = 0, exp10 = 0;
    auto take = [&](char c, bool fraction) {
        if (significant == 0 && c == '0') { // leading zeros are not significant
            exp10 -= fraction;
            return;
        }
        if (++significant <= 15) { // more: from_chars reads the text again below
            mantissa = mantissa * 10 + std::uint64_t(c - '0');
            exp10 -= fraction;
        }
    };
    const bool negative = i < n && t[i] == '-';
    if (negative)
        ++i;
    if (!digit(i))
        return std::string::npos;
    if (t[i] == '0')
        ++i;
    else
        while (digit(i))
            take(t[i++], false);
    if (i < n && t[i] == '.') {
        if (!digit(++i))
            return std::string::npos;
        while (digit(i))
            take(t[i++], true);
    }
    bool fast = significant <= 15;
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        const bool minus = i < n && t[i] == '-';
        if (i < n && (t[i] == '+' || t[i] == '-'))
            ++i;
        if (!digit(i))
            return std::string::npos;
        int e = 0;
        while (digit(i)) {
            if (e < 100000)
                e = e * 10 + (t[i] - '0');
            ++i;
        }
        exp10 += minus ? -e : e;
        fast = fast && e < 100000;
    }
    if (fast && exp10 >= -22 && exp10 <= 22) {
        const double m = double(mantissa); // exact: below 10^15 < 2^53
        v = exp10 >= 0 ? m * kPow10[exp10] : m / kPow10[-exp10];
        if (negative)
            v = -v;
        return i;
    }
    const auto [stop, ec] = std::from_chars(t.data() + first, t.data() + i, v);
    if (ec != std::errc() || stop != t.data() + i)
        return std::string::npos;
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
                        double v = 0;
                        const std::size_t end = expectValue ? readJsonNumber(text, j, v) : std::string::npos;
                        if (end == std::string::npos)
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
