// JSON inside importer plugins: parsing with errors that point at the place, validation against
// the embedded JSON Schemas, and typed member access for documents that already passed their
// schema.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace stella_importer {

/// Parses `text`. Throws stella::sdk::Error(invalid_input) "<origin>: invalid JSON at offset N
/// (line L, column C): <what the parser expected>".
rapidjson::Document parse_json_text(std::string_view text, std::string_view origin);

/// Throws stella::sdk::Error(invalid_input) "<origin>: does not match <schema>: at <pointer>:
/// <keyword> ..." when `document` breaks the embedded schema `schema_name`; stella::sdk::Error
/// (internal) when no such schema is embedded (a build mistake).
void require_schema(const rapidjson::Value& document, std::string_view schema_name,
                    std::string_view origin);

/// Members of a document that passed its schema (the schema guarantees presence and type).
std::string string_member(const rapidjson::Value& object, const char* name);
/// Throws stella::sdk::Error(invalid_input) naming `origin` when the integer does not fit 64 bits.
std::int64_t int_member(const rapidjson::Value& object, const char* name, std::string_view origin);
bool bool_member(const rapidjson::Value& object, const char* name);

}  // namespace stella_importer
