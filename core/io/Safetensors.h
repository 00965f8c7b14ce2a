#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nc {

enum class DType { F32, F64, BF16, F16, I64, I32, I16, I8, U8, Bool };
std::size_t dtypeSize(DType t);
const char* dtypeName(DType t); // "F32" as in the safetensors spec
bool dtypeFromName(const std::string& name, DType& out);

// One named tensor as raw little-endian bytes.
struct TensorRecord {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> data;
    std::int64_t numel() const;
};

// A safetensors file: tensors plus the string map in "__metadata__".
struct SafetensorsFile {
    std::vector<TensorRecord> tensors; // sorted by name when written
    std::map<std::string, std::string> metadata;
    const TensorRecord* find(const std::string& name) const;
};

// Parses and validates (header length, JSON, dtypes, shapes, offsets within the data, no
// overlaps, size = numel × dtype size) before allocating tensor storage. Throws nc::Error.
SafetensorsFile parseSafetensors(const std::uint8_t* bytes, std::size_t size, const std::string& what);
SafetensorsFile readSafetensors(const std::string& path);
std::vector<std::uint8_t> serializeSafetensors(const SafetensorsFile& file);
void writeSafetensors(const std::string& path, const SafetensorsFile& file); // atomic

} // namespace nc
