// Writing JSON output: one place that decides the layout of what the tool prints.
#pragma once

#include <string>

#include <rapidjson/document.h>

namespace stella::host {

/// How a JSON document is laid out.
enum class JsonLayout {
  /// Indented by two spaces, one member per line: for people and for files kept in git.
  pretty = 1,
  /// One line: for JSON-lines streams (progress events).
  compact = 2,
};

/// Serializes `value` as UTF-8 text (no trailing newline).
std::string json_to_string(const rapidjson::Value& value, JsonLayout layout = JsonLayout::pretty);

}  // namespace stella::host
