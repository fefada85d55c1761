// The writer every evidence report uses: pretty JSON, two-space indent (the layout of
// json_to_string), with helpers for the members the reports repeat.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace stella::host {

class JsonOutput {
 public:
  JsonOutput();
  rapidjson::PrettyWriter<rapidjson::StringBuffer>& writer() { return writer_; }

  void key(std::string_view name);
  void text(std::string_view name, std::string_view value);
  /// Writes null for nullopt.
  void optional_text(std::string_view name, const std::optional<std::string>& value);
  void integer(std::string_view name, std::int64_t value);
  void boolean(std::string_view name, bool value);
  void number(std::string_view name, double value);
  /// The document, with a trailing newline.
  std::string finish();

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer_;
};

}  // namespace stella::host
