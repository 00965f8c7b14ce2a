#include "io/Safetensors.h"

#include "util/Error.h"
#include "util/Files.h"
#include "util/Json.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>

namespace nc {
namespace {

constexpr std::uint64_t kMaxHeaderBytes = 100ull << 20;
constexpr std::uint64_t kMaxFileBytes = 64ull << 30;
// Our header is an object of objects holding arrays: depth 3. Anything deeper is not ours.
constexpr int kMaxJsonDepth = 4;

struct DTypeInfo {
    DType type;
    const char* name;
    std::size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::F32, "F32", 4}, {DType::F64, "F64", 8},   {DType::BF16, "BF16", 2}, {DType::F16, "F16", 2},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4},   {DType::I16, "I16", 2},   {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},   {DType::Bool, "BOOL", 1},
};

std::string shapeText(const Json& shape) {
    return shape.dump();
}

// nlohmann parses iteratively, but destroying a deeply nested value and our own checks should
// never face hostile nesting, so bound it before parsing.
void checkDepth(const char* p, std::size_t n, const std::string& what) {
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = p[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxJsonDepth)
                throw Error(what + ": the header JSON is nested deeper than " +
                            std::to_string(kMaxJsonDepth) + " levels, which no safetensors file needs");
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
}

std::uint64_t readLE64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

struct Entry {
    std::string name;
    DType dtype;
    std::vector<std::int64_t> shape;
    std::uint64_t begin, end;
};

Entry parseEntry(const std::string& name, const Json& v, std::uint64_t dataBytes, const std::string& what) {
    const std::string t = what + ": tensor " + name;
    if (name.empty())
        throw Error(what + ": a tensor has an empty name");
    if (!v.is_object())
        throw Error(t + " is not described by a JSON object");
    auto field = [&](const char* key) -> const Json& {
        auto it = v.find(key);
        if (it == v.end())
            throw Error(t + " has no \"" + key + "\"");
        return *it;
    };
    const Json& dt = field("dtype");
    const Json& shape = field("shape");
    const Json& offsets = field("data_offsets");

    Entry e{name, DType::F32, {}, 0, 0};
    if (!dt.is_string() || !dtypeFromName(dt.get<std::string>(), e.dtype))
        throw Error(t + " has unknown dtype " + dt.dump() +
                    " (known: F32, F64, BF16, F16, I64, I32, I16, I8, U8, BOOL)");
    if (!shape.is_array())
        throw Error(t + " has a shape that is not a list of sizes");
    // Overflow-checked element count: a hostile shape must not wrap around to a small number.
    std::uint64_t numel = 1;
    for (const Json& d : shape) {
        if (!d.is_number_unsigned())
            throw Error(t + " has shape " + shapeText(shape) + ": sizes must be whole numbers >= 0");
        const std::uint64_t s = d.get<std::uint64_t>();
        if (s > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
            (s != 0 && numel > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / s))
            throw Error(t + " has shape " + shapeText(shape) + ", which has too many elements");
        numel *= s;
        e.shape.push_back(static_cast<std::int64_t>(s));
    }
    const std::uint64_t elemSize = dtypeSize(e.dtype);
    if (numel > std::numeric_limits<std::uint64_t>::max() / elemSize)
        throw Error(t + " has shape " + shapeText(shape) + ", which has too many elements");
    const std::uint64_t bytes = numel * elemSize;

    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
        throw Error(t + " has data_offsets " + offsets.dump() + "; expected [begin, end] with whole numbers");
    e.begin = offsets[0].get<std::uint64_t>();
    e.end = offsets[1].get<std::uint64_t>();
    if (e.end < e.begin)
        throw Error(t + "'s data ends (byte " + std::to_string(e.end) + ") before it begins (byte " +
                    std::to_string(e.begin) + ")");
    if (e.end > dataBytes)
        throw Error(t + "'s data ends at byte " + std::to_string(e.end) + " but the file has only " +
                    std::to_string(dataBytes) + " bytes of data");
    if (e.end - e.begin != bytes)
        throw Error(t + " has shape " + shapeText(shape) + " of " + dt.get<std::string>() + ", which needs " +
                    std::to_string(bytes) + " bytes, but its data_offsets span " +
                    std::to_string(e.end - e.begin));
    return e;
}

} // namespace

std::size_t dtypeSize(DType t) {
    for (const auto& d : kDTypes)
        if (d.type == t)
            return d.size;
    return 0;
}

const char* dtypeName(DType t) {
    for (const auto& d : kDTypes)
        if (d.type == t)
            return d.name;
    return "?";
}

bool dtypeFromName(const std::string& name, DType& out) {
    for (const auto& d : kDTypes) {
        if (name == d.name) {
            out = d.type;
            return true;
        }
    }
    return false;
}

std::int64_t TensorRecord::numel() const {
    std::int64_t n = 1;
    for (auto s : shape)
        n *= s;
    return n;
}

const TensorRecord* SafetensorsFile::find(const std::string& name) const {
    for (const auto& t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

SafetensorsFile parseSafetensors(const std::uint8_t* bytes, std::size_t size, const std::string& what) {
    if (size < 8)
        throw Error(what + ": the file is " + std::to_string(size) +
                    " bytes long, too short to be a safetensors file");
    const std::uint64_t headerLen = readLE64(bytes);
    if (headerLen > size - 8)
        throw Error(what + ": the header claims " + std::to_string(headerLen) +
                    " bytes but the file has only " + std::to_string(size - 8) +
                    " bytes after the length field (not a safetensors file, or cut short)");
    if (headerLen > kMaxHeaderBytes)
        throw Error(what + ": the header is " + std::to_string(headerLen) +
                    " bytes, more than the limit of " + std::to_string(kMaxHeaderBytes));
    const char* text = reinterpret_cast<const char*>(bytes + 8);
    checkDepth(text, headerLen, what);
    Json header;
    try {
        header = Json::parse(text, text + headerLen);
    } catch (const Json::exception& e) {
        throw Error(what + ": the header is not valid JSON (" + e.what() + ")");
    }
    if (!header.is_object())
        throw Error(what + ": the header is not a JSON object");

    const std::uint64_t dataBytes = size - 8 - headerLen;
    SafetensorsFile out;
    std::vector<Entry> entries;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it->is_object())
                throw Error(what + ": __metadata__ is not a JSON object");
            for (auto m = it->begin(); m != it->end(); ++m) {
                if (!m->is_string())
                    throw Error(what + ": metadata value for \"" + m.key() + "\" is not a string");
                out.metadata[m.key()] = m->get<std::string>();
            }
            continue;
        }
        entries.push_back(parseEntry(it.key(), *it, dataBytes, what));
    }

    // The spec wants the tensors to tile the data buffer exactly, in any order.
    std::vector<const Entry*> byOffset;
    for (const auto& e : entries)
        byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(), [](const Entry* a, const Entry* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    std::uint64_t covered = 0;
    const Entry* prev = nullptr;
    for (const Entry* e : byOffset) {
        if (e->begin < covered)
            throw Error(what + ": the data of tensors " + prev->name + " and " + e->name + " overlap");
        if (e->begin > covered)
            throw Error(what + ": bytes " + std::to_string(covered) + ".." + std::to_string(e->begin) +
                        " of the data belong to no tensor" +
                        (prev ? " (after " + prev->name + ")" : std::string()));
        covered = e->end;
        if (e->end > e->begin)
            prev = e;
    }
    if (covered != dataBytes)
        throw Error(what + ": the file has " + std::to_string(dataBytes - covered) +
                    " bytes of data after the last tensor");

    // Everything is consistent with the buffer: only now is tensor storage allocated.
    const std::uint8_t* data = bytes + 8 + headerLen;
    for (auto& e : entries) {
        TensorRecord t;
        t.name = e.name;
        t.dtype = e.dtype;
        t.shape = std::move(e.shape);
        t.data.assign(data + e.begin, data + e.end);
        out.tensors.push_back(std::move(t));
    }
    std::sort(out.tensors.begin(), out.tensors.end(),
              [](const TensorRecord& a, const TensorRecord& b) { return a.name < b.name; });
    return out;
}

SafetensorsFile readSafetensors(const std::string& path) {
    const auto bytes = readFileBytes(path, kMaxFileBytes);
    return parseSafetensors(bytes.data(), bytes.size(), std::filesystem::path(path).filename().string());
}

std::vector<std::uint8_t> serializeSafetensors(const SafetensorsFile& file) {
    std::vector<const TensorRecord*> sorted;
    for (const auto& t : file.tensors)
        sorted.push_back(&t);
    std::sort(sorted.begin(), sorted.end(),
              [](const TensorRecord* a, const TensorRecord* b) { return a->name < b->name; });

    Json header = Json::object();
    if (!file.metadata.empty()) {
        Json meta = Json::object();
        for (const auto& [k, v] : file.metadata)
            meta[k] = v;
        header["__metadata__"] = std::move(meta);
    }
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const TensorRecord& t = *sorted[i];
        if (t.name.empty() || t.name == "__metadata__")
            throw Error("cannot save a tensor named \"" + t.name + "\"");
        if (i > 0 && sorted[i - 1]->name == t.name)
            throw Error("cannot save two tensors named " + t.name);
        if (static_cast<std::uint64_t>(t.numel()) * dtypeSize(t.dtype) != t.data.size())
            throw Error("tensor " + t.name + " holds " + std::to_string(t.data.size()) +
                        " bytes, which does not match its shape and dtype");
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.data.size()}}};
        offset += t.data.size();
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const Json::exception& e) {
        throw Error(std::string("cannot save the model metadata: ") + e.what());
    }
    // Padding keeps the data 8-byte aligned for readers that map the file.
    text.append((8 - text.size() % 8) % 8, ' ');

    std::vector<std::uint8_t> out(8 + text.size() + offset);
    const std::uint64_t n = text.size();
    for (int i = 0; i < 8; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
    std::memcpy(out.data() + 8, text.data(), text.size());
    std::uint8_t* p = out.data() + 8 + text.size();
    for (const TensorRecord* t : sorted) {
        if (!t->data.empty())
            std::memcpy(p, t->data.data(), t->data.size());
        p += t->data.size();
    }
    return out;
}

void writeSafetensors(const std::string& path, const SafetensorsFile& file) {
    const auto bytes = serializeSafetensors(file);
    writeFileAtomic(path, bytes.data(), bytes.size());
}

} // namespace nc
