// Rows for COPY ... FROM STDIN (FORMAT binary), built in memory and sent in one piece: the server
// parses no text, and nothing needs escaping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stella::host {

/// Ownership: owns its buffer. Thread-safety: one thread.
class BinaryCopyRows {
 public:
  BinaryCopyRows();
  /// Starts a tuple of `fields` fields.
  void begin_tuple(std::int16_t fields);
  /// A text, varchar or bytea field: its bytes as they are.
  void text(std::string_view bytes);
  /// An integer (int4) field.
  void int32(std::int32_t value);
  /// Tuples added so far.
  std::int64_t tuples() const { return tuples_; }
  /// The whole COPY data, trailer included; the object must not be used afterwards.
  std::string finish();

 private:
  void append_be(std::uint64_t value, int bytes);
  std::string buffer_;
  std::int64_t tuples_ = 0;
};

}  // namespace stella::host
