// PostgreSQL's binary COPY format ("COPY", "Binary Format"): an 11-byte signature, a 4-byte flags
// field and a 4-byte header-extension length; then per tuple a 2-byte field count and per field a
// 4-byte length and the bytes; then a 2-byte -1. Integers are big-endian.
#include "reindex/binary_copy_rows.hpp"

namespace stella::host {
namespace {

constexpr std::string_view kSignature("PGCOPY\n\377\r\n\0", 11);
constexpr int kInt16Bytes = 2;
constexpr int kInt32Bytes = 4;
constexpr int kByteBits = 8;
constexpr std::uint64_t kByteMask = 0xFF;
constexpr std::uint64_t kTrailer = 0xFFFF;

}  // namespace

BinaryCopyRows::BinaryCopyRows() {
  buffer_.append(kSignature);
  append_be(0, kInt32Bytes);  // flags
  append_be(0, kInt32Bytes);  // header extension length
}

void BinaryCopyRows::append_be(std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    buffer_.push_back(static_cast<char>((value >> (kByteBits * i)) & kByteMask));
  }
}

void BinaryCopyRows::begin_tuple(std::int16_t fields) {
  append_be(static_cast<std::uint16_t>(fields), kInt16Bytes);
  ++tuples_;
}

void BinaryCopyRows::text(std::string_view bytes) {
  append_be(static_cast<std::uint32_t>(bytes.size()), kInt32Bytes);
  buffer_.append(bytes);
}

void BinaryCopyRows::int32(std::int32_t value) {
  append_be(static_cast<std::uint32_t>(kInt32Bytes), kInt32Bytes);
  append_be(static_cast<std::uint32_t>(value), kInt32Bytes);
}

std::string BinaryCopyRows::finish() {
  append_be(kTrailer, kInt16Bytes);
  return std::move(buffer_);
}

}  // namespace stella::host
