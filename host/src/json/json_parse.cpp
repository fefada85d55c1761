// Parsing JSON with errors that point at the exact place: offset, line and column.
#include "stella/host/json/json_parse.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include <rapidjson/error/en.h>

#include "stella/sdk/error.hpp"
#include "stella/sdk/json_nesting.hpp"

namespace stella::host {
namespace {

struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// Line and column (both from 1, column counted in bytes) of `offset` in `text`.
TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition position;
  const std::size_t end = offset < text.size() ? offset : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

}  // namespace

rapidjson::Document parse_json(std::string_view text, std::string_view origin) {
  sdk::require_json_nesting_within_limit(text, origin);
  rapidjson::Document document;
  // The length-taking Parse handles text that is not NUL-terminated and stops at the end.
  document.Parse(text.data(), text.size());
  if (document.HasParseError()) {
    const std::size_t offset = document.GetErrorOffset();
    const TextPosition position = position_of(text, offset);
    std::ostringstream message;
    message << origin << ": invalid JSON at offset " << offset << " (line " << position.line
            << ", column " << position.column
            << "): " << rapidjson::GetParseError_En(document.GetParseError());
    throw sdk::Error(sdk::ErrorCode::invalid_input, message.str(),
                     "correct the JSON at that position (`jq . FILE` reports the same place)");
  }
  return document;
}

rapidjson::Document parse_json_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     path.string() + ": cannot read: " + error.message(),
                     "check that the file exists and is readable");
  }
  if (size > max_bytes) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     path.string() + ": is " + std::to_string(size) +
                         " bytes; expected a JSON document of at most " +
                         std::to_string(max_bytes) + " bytes",
                     "check that this is the right file; JSON inputs of the tool are small");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, path.string() + ": cannot open for reading",
                     "check the file's permissions");
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (static_cast<std::size_t>(in.gcount()) != text.size()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     path.string() + ": read " + std::to_string(in.gcount()) + " of " +
                         std::to_string(text.size()) + " bytes",
                     "the file changed while it was read; try again");
  }
  return parse_json(text, path.string());
}

}  // namespace stella::host
