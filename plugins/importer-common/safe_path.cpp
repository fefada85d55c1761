#include "safe_path.hpp"

#include "stella/sdk/error.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella_importer {
namespace {

constexpr unsigned char kFirstPrintable = 0x20;
constexpr unsigned char kDelete = 0x7f;

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < kFirstPrintable || byte == kDelete;
}

}  // namespace

std::optional<std::string> unsafe_path_reason(std::string_view path) {
  if (path.empty()) {
    return "the path is empty";
  }
  if (path.size() > kMaxPathBytes) {
    return "the path is " + std::to_string(path.size()) + " bytes long; at most " +
           std::to_string(kMaxPathBytes) + " are accepted";
  }
  if (path.front() == '/') {
    return "it is absolute; expected a path relative to the source's top";
  }
  if (path.back() == '\r') {
    // The usual way a carriage return gets there: checksums.sha256 converted to Windows line
    // endings on its way (a text-mode copy), which GNU sha256sum -c still accepts.
    return "it ends with a carriage return, as when a list is converted to Windows (CRLF) line "
           "endings on its way; copy the bundle again in binary mode";
  }
  for (const char c : path) {
    if (c == '\\') {
      return "it contains a backslash; expected '/'-separated segments";
    }
    if (is_control(c)) {
      return "it contains a control character";
    }
  }
  for (const std::string_view segment : path_segments(path)) {
    if (segment.empty()) {
      return "it has an empty segment ('//' or a trailing '/')";
    }
    if (segment == "..") {
      return "it has a '..' segment, which would reach outside the source";
    }
    if (segment == ".") {
      return "it has a '.' segment; expected a canonical path";
    }
    if (segment.size() > kMaxSegmentBytes) {
      return "a segment is " + std::to_string(segment.size()) + " bytes long; at most " +
             std::to_string(kMaxSegmentBytes) + " are accepted";
    }
  }
  return std::nullopt;
}

void require_safe_path(std::string_view path, std::string_view source) {
  if (const auto reason = unsafe_path_reason(path)) {
    throw stella::sdk::Error(
        stella::sdk::ErrorCode::invalid_input,
        std::string(source) + ": unsafe path " + printable(path) + ": " + *reason,
        "nothing was imported; a source must hold only relative paths inside it (recreate it "
        "with `stella evidence export`)");
  }
}

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(start));
      return segments;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

std::string printable(std::string_view path) {
  return "'" + stella::sdk::printable_text(path) + "'";
}

}  // namespace stella_importer
