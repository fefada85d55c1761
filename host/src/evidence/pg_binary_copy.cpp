// PGCOPY binary format: writer for bulk loads, reader for streaming reads.
#include "stella/host/evidence/pg_binary_copy.hpp"

#include <array>
#include <cstring>
#include <ctime>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// "PGCOPY\n\377\r\n\0": the 11-byte signature that opens every binary COPY stream.
constexpr std::array<char, 11> kSignature = {'P',  'G',    'C',  'O',  'P', 'Y',
                                             '\n', '\377', '\r', '\n', '\0'};
/// Signature, int32 flags, int32 header-extension length.
constexpr std::size_t kHeaderBytes = kSignature.size() + 4 + 4;
/// Bytes buffered before they go to the server: large enough to amortise the calls, small enough
/// to keep memory flat.
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
constexpr std::int16_t kTrailer = -1;
constexpr std::int32_t kNullLength = -1;
constexpr std::uint8_t kJsonbVersion = 1;
constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr int kBitsPerByte = 8;

template <typename Integer>
void append_be(std::string& out, Integer value) {
  using Unsigned = std::make_unsigned_t<Integer>;
  const auto bits = static_cast<Unsigned>(value);
  for (int shift = (sizeof(Integer) - 1) * kBitsPerByte; shift >= 0; shift -= kBitsPerByte) {
    out.push_back(static_cast<char>((bits >> shift) & 0xff));
  }
}

template <typename Integer>
Integer read_be(std::string_view bytes) {
  using Unsigned = std::make_unsigned_t<Integer>;
  Unsigned value = 0;
  for (std::size_t i = 0; i < sizeof(Integer); ++i) {
    value = static_cast<Unsigned>((value << kBitsPerByte) | static_cast<std::uint8_t>(bytes[i]));
  }
  return static_cast<Integer>(value);
}

[[noreturn]] void malformed(const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::internal, "malformed binary COPY data from the server: " + what,
                   "this is a bug or a server/client protocol mismatch; report it with the "
                   "server version (SELECT version())");
}

}  // namespace

std::int64_t read_be_int64(std::string_view bytes) {
  return read_be<std::int64_t>(bytes);
}
std::int32_t read_be_int32(std::string_view bytes) {
  return read_be<std::int32_t>(bytes);
}

std::string iso8601_from_unix_micros(std::int64_t unix_micros) {
  std::int64_t seconds = unix_micros / kMicrosPerSecond;
  std::int64_t micros = unix_micros % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    --seconds;
  }
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  std::array<char, 40> text{};
  const std::size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  std::array<char, 16> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%06lldZ", static_cast<long long>(micros));
  return std::string(text.data(), length) + fraction.data();
}

PgBinaryCopyWriter::PgBinaryCopyWriter(PgConnection& connection, std::string_view copy_sql)
    : connection_(connection) {
  connection_.copy_in_start(copy_sql);
  buffer_.reserve(kFlushBytes + kFlushBytes / 4);
  buffer_.append(kSignature.data(), kSignature.size());
  append_be<std::int32_t>(buffer_, 0);  // flags: no OIDs
  append_be<std::int32_t>(buffer_, 0);  // no header extension
}

PgBinaryCopyWriter::~PgBinaryCopyWriter() {
  if (!finished_) {
    connection_.copy_in_abort("the client stopped before the end of the data");
  }
}

void PgBinaryCopyWriter::begin_tuple(int field_count) {
  flush_if_full();
  append_be<std::int16_t>(buffer_, static_cast<std::int16_t>(field_count));
  ++tuples_;
}

void PgBinaryCopyWriter::add_bytes(std::string_view bytes) {
  append_be<std::int32_t>(buffer_, static_cast<std::int32_t>(bytes.size()));
  buffer_.append(bytes);
}

void PgBinaryCopyWriter::add_int64(std::int64_t value) {
  append_be<std::int32_t>(buffer_, sizeof(std::int64_t));
  append_be<std::int64_t>(buffer_, value);
}

void PgBinaryCopyWriter::add_timestamp(std::int64_t unix_micros) {
  add_int64(unix_micros - kPostgresEpochUnixMicros);
}

void PgBinaryCopyWriter::add_jsonb(std::string_view json_text) {
  append_be<std::int32_t>(buffer_, static_cast<std::int32_t>(json_text.size() + 1));
  buffer_.push_back(static_cast<char>(kJsonbVersion));
  buffer_.append(json_text);
}

void PgBinaryCopyWriter::add_null() {
  append_be<std::int32_t>(buffer_, kNullLength);
}

void PgBinaryCopyWriter::flush_if_full() {
  if (buffer_.size() >= kFlushBytes) {
    connection_.copy_in_put(buffer_);
    buffer_.clear();
  }
}

std::int64_t PgBinaryCopyWriter::finish() {
  append_be<std::int16_t>(buffer_, kTrailer);
  connection_.copy_in_put(buffer_);
  buffer_.clear();
  finished_ = true;
  connection_.copy_in_finish();
  return tuples_;
}

PgBinaryCopyReader::PgBinaryCopyReader(int expected_fields)
    : expected_fields_(expected_fields), fields_(static_cast<std::size_t>(expected_fields)) {}

bool PgBinaryCopyReader::feed(std::string_view message) {
  if (!header_seen_) {
    // The server sends the header in front of the first tuple (or of the trailer).
    if (message.size() < kHeaderBytes ||
        std::memcmp(message.data(), kSignature.data(), kSignature.size()) != 0) {
      malformed("the stream does not start with the PGCOPY signature");
    }
    const std::int32_t extension = read_be_int32(message.substr(kSignature.size() + 4));
    const std::size_t skip = kHeaderBytes + static_cast<std::size_t>(extension);
    if (extension < 0 || message.size() < skip) {
      malformed("truncated header extension");
    }
    message.remove_prefix(skip);
    header_seen_ = true;
  }
  if (message.size() < sizeof(std::int16_t)) {
    malformed("a tuple shorter than its field count");
  }
  const std::int16_t count = read_be<std::int16_t>(message);
  message.remove_prefix(sizeof(std::int16_t));
  if (count == kTrailer) {
    return false;
  }
  if (count != expected_fields_) {
    malformed("a tuple has " + std::to_string(count) + " fields; expected " +
              std::to_string(expected_fields_));
  }
  for (int index = 0; index < count; ++index) {
    if (message.size() < sizeof(std::int32_t)) {
      malformed("field " + std::to_string(index) + " has no length");
    }
    const std::int32_t length = read_be_int32(message);
    message.remove_prefix(sizeof(std::int32_t));
    if (length == kNullLength) {
      fields_[static_cast<std::size_t>(index)] = std::nullopt;
      continue;
    }
    if (length < 0 || message.size() < static_cast<std::size_t>(length)) {
      malformed("field " + std::to_string(index) + " is truncated");
    }
    fields_[static_cast<std::size_t>(index)] = message.substr(0, static_cast<std::size_t>(length));
    message.remove_prefix(static_cast<std::size_t>(length));
  }
  return true;
}

std::optional<std::string_view> PgBinaryCopyReader::field(int index) const {
  return fields_.at(static_cast<std::size_t>(index));
}

std::string_view PgBinaryCopyReader::required(int index, std::string_view what) const {
  const auto value = field(index);
  if (!value) {
    malformed(std::string(what) + " is NULL");
  }
  return *value;
}

std::int64_t PgBinaryCopyReader::int64_field(int index, std::string_view what) const {
  const std::string_view bytes = required(index, what);
  if (bytes.size() != sizeof(std::int64_t)) {
    malformed(std::string(what) + " is " + std::to_string(bytes.size()) +
              " bytes; expected an 8-byte bigint");
  }
  return read_be_int64(bytes);
}

std::int64_t PgBinaryCopyReader::timestamp_field(int index, std::string_view what) const {
  return int64_field(index, what) + kPostgresEpochUnixMicros;
}

}  // namespace stella::host
