// Splits a byte stream that arrives in chunks into lines, holding at most one line in memory, so a
// checksum list of a million lines is read in constant memory.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace stella_importer {

/// Thread-safety: one thread. Failure: throws stella::sdk::Error(invalid_input) naming `origin`
/// when a line is longer than `max_line_bytes` (a list that is not a checksum list at all).
class LineSplitter {
 public:
  using LineHandler = std::function<void(std::string_view line)>;

  LineSplitter(std::string origin, std::size_t max_line_bytes, LineHandler on_line);
  /// More bytes; calls the handler for every line they complete (without its '\n').
  void feed(std::string_view bytes);
  /// The end of the stream: a last line without '\n' is handled too.
  void finish();

 private:
  std::string origin_;
  std::size_t max_line_bytes_;
  LineHandler on_line_;
  std::string partial_;
};

}  // namespace stella_importer
