// Validating JSON documents against the JSON Schemas embedded from schemas/ (RapidJSON's schema
// validator), with messages a person can act on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace stella::host {

/// Checks `document` against the embedded schema named `schema_resource` (a path relative to
/// schemas/, e.g. "plugin-manifest.schema.json"). Returns one readable line per problem found,
/// each naming where it is and what was expected:
///   "at /provides/edges/0: required property 'to' missing"
/// Empty when the document is valid. RapidJSON stops at the first violated keyword, so at most one
/// keyword is reported; a missing-property violation lists every missing property of that object.
///
/// Schemas must be self-contained: "$ref" may point only inside the same file ("#/definitions/x").
/// Throws stella::sdk::Error(internal) when no schema of that name is embedded, when it is not
/// valid JSON, or when it references another file. Thread-safe: compiled schemas are cached.
std::vector<std::string> schema_violations(const rapidjson::Value& document,
                                           std::string_view schema_resource);

/// Like schema_violations, but throws stella::sdk::Error(invalid_input) when there are any:
///   "<origin>: does not match schemas/<schema_resource>: at /id: ..."
/// with a hint to fix the document. `origin` names the file or input the document came from.
void require_schema_valid(const rapidjson::Value& document, std::string_view schema_resource,
                          std::string_view origin);

}  // namespace stella::host
