#include "line_splitter.hpp"

#include "stella/sdk/error.hpp"

namespace stella_importer {

LineSplitter::LineSplitter(std::string origin, std::size_t max_line_bytes, LineHandler on_line)
    : origin_(std::move(origin)), max_line_bytes_(max_line_bytes), on_line_(std::move(on_line)) {}

void LineSplitter::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    if (partial_.size() + piece.size() > max_line_bytes_) {
      throw stella::sdk::Error(stella::sdk::ErrorCode::invalid_input,
                               origin_ + ": a line is longer than " +
                                   std::to_string(max_line_bytes_) +
                                   " bytes; a checksum line is a digest and a path",
                               "nothing was imported; the checksum list is damaged or is not one");
    }
    if (newline == std::string_view::npos) {
      partial_.append(piece);
      return;
    }
    if (partial_.empty()) {
      on_line_(piece);
    } else {
      partial_.append(piece);
      on_line_(partial_);
      partial_.clear();
    }
    bytes.remove_prefix(newline + 1);
  }
}

void LineSplitter::finish() {
  if (!partial_.empty()) {
    on_line_(partial_);
    partial_.clear();
  }
}

}  // namespace stella_importer
