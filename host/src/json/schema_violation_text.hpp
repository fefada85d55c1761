// Turns RapidJSON's terse validation result (a keyword, a schema location, a document location)
// into a sentence that says what was found and what was expected.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace stella::host {

/// Describes why `value` violates `keyword` of `schema_node`, e.g. "required property 'to'
/// missing" or "expected string, found number 5". `value` is null when the document location could
/// not be resolved. Never throws on unexpected schema shapes: it falls back to naming the keyword.
std::string describe_schema_violation(std::string_view keyword, const rapidjson::Value& schema_node,
                                      const rapidjson::Value* value);

/// "at /provides/edges/0" for a JSON pointer, "at the top level" for the empty pointer.
std::string describe_json_location(std::string_view json_pointer);

}  // namespace stella::host
