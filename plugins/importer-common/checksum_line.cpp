#include "checksum_line.hpp"

namespace stella_importer {
namespace {

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

std::optional<ChecksumLine> parse_checksum_line(std::string_view line, std::string& why) {
  constexpr std::size_t kSeparatorBytes = 2;
  if (!line.empty() && line.front() == '\\') {
    why = "an escaped line (a file name with a backslash or newline), which a bundle never has";
    return std::nullopt;
  }
  if (line.size() <= kSha256HexDigits + kSeparatorBytes) {
    why = "too short; expected 64 hex digits, two spaces and a path";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < kSha256HexDigits; ++i) {
    if (!is_lower_hex(line[i])) {
      why = "the digest is not 64 lower-case hex digits";
      return std::nullopt;
    }
  }
  const char separator = line[kSha256HexDigits + 1];
  if (line[kSha256HexDigits] != ' ' || (separator != ' ' && separator != '*')) {
    why = "expected two spaces (or \" *\") between the digest and the path";
    return std::nullopt;
  }
  return ChecksumLine{std::string(line.substr(0, kSha256HexDigits)),
                      std::string(line.substr(kSha256HexDigits + kSeparatorBytes))};
}

std::string checksum_line_text(std::string_view hex, std::string_view path) {
  std::string line;
  line.reserve(hex.size() + path.size() + 3);
  line.append(hex).append("  ").append(path).push_back('\n');
  return line;
}

}  // namespace stella_importer
