#include "json/schema_violation_text.hpp"

#include <set>
#include <sstream>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace stella::host {
namespace {

/// Long strings are cut so one bad value cannot flood a message.
constexpr std::size_t kMaxQuotedLength = 60;

std::string quoted(std::string_view text) {
  if (text.size() > kMaxQuotedLength) {
    return "'" + std::string(text.substr(0, kMaxQuotedLength)) + "...'";
  }
  return "'" + std::string(text) + "'";
}

std::string compact_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// The JSON type name of a value as JSON Schema spells it.
std::string type_name(const rapidjson::Value& value) {
  if (value.IsNull()) {
    return "null";
  }
  if (value.IsBool()) {
    return "boolean";
  }
  if (value.IsString()) {
    return "string";
  }
  if (value.IsArray()) {
    return "array";
  }
  if (value.IsObject()) {
    return "object";
  }
  return value.IsInt64() || value.IsUint64() ? "integer" : "number";
}

/// The value itself, short: strings quoted, numbers and literals as written, containers by type.
std::string describe_value(const rapidjson::Value& value) {
  if (value.IsString()) {
    return quoted(std::string_view(value.GetString(), value.GetStringLength()));
  }
  if (value.IsObject()) {
    return "an object";
  }
  if (value.IsArray()) {
    return "an array of " + std::to_string(value.Size()) + " items";
  }
  return compact_json(value);
}

std::string found_value(const rapidjson::Value* value) {
  if (value == nullptr) {
    return "an unresolvable value";
  }
  return type_name(*value) + " " + describe_value(*value);
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) {
    return nullptr;
  }
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string join_quoted(const std::vector<std::string>& items) {
  std::string result;
  for (const auto& item : items) {
    result += (result.empty() ? "" : ", ") + quoted(item);
  }
  return result;
}

/// " (a semantic version such as 1.2.3)" when the schema explains itself, else "".
std::string schema_description(const rapidjson::Value& schema_node) {
  const rapidjson::Value* description = member(schema_node, "description");
  if (description == nullptr || !description->IsString()) {
    return "";
  }
  return std::string(" (") + description->GetString() + ")";
}

std::string describe_required(const rapidjson::Value& schema_node, const rapidjson::Value* value) {
  const rapidjson::Value* required = member(schema_node, "required");
  std::vector<std::string> missing;
  if (required != nullptr && required->IsArray() && value != nullptr && value->IsObject()) {
    for (const auto& name : required->GetArray()) {
      if (name.IsString() && !value->HasMember(name)) {
        missing.emplace_back(name.GetString(), name.GetStringLength());
      }
    }
  }
  if (missing.empty()) {
    return "a required property is missing";
  }
  return (missing.size() == 1 ? "required property " : "required properties ") +
         join_quoted(missing) + " missing";
}

std::string describe_type(const rapidjson::Value& schema_node, const rapidjson::Value* value) {
  const rapidjson::Value* type = member(schema_node, "type");
  std::string expected;
  if (type != nullptr && type->IsString()) {
    expected = type->GetString();
  } else if (type != nullptr && type->IsArray()) {
    for (const auto& item : type->GetArray()) {
      if (item.IsString()) {
        expected += (expected.empty() ? "" : " or ") + std::string(item.GetString());
      }
    }
  }
  return "expected " + (expected.empty() ? std::string("another type") : expected) + ", found " +
         found_value(value);
}

std::string describe_enum(const rapidjson::Value& schema_node, const rapidjson::Value* value) {
  const rapidjson::Value* allowed = member(schema_node, "enum");
  std::string list;
  if (allowed != nullptr && allowed->IsArray()) {
    for (const auto& item : allowed->GetArray()) {
      list += (list.empty() ? "" : ", ") + describe_value(item);
    }
  }
  return "found " + found_value(value) + "; expected one of: " + list;
}

std::string describe_additional_property(const rapidjson::Value& schema_node) {
  std::vector<std::string> allowed;
  if (const rapidjson::Value* properties = member(schema_node, "properties");
      properties != nullptr && properties->IsObject()) {
    for (const auto& entry : properties->GetObject()) {
      allowed.emplace_back(entry.name.GetString(), entry.name.GetStringLength());
    }
  }
  return "property not allowed here; expected only: " + join_quoted(allowed);
}

std::string describe_bound(std::string_view keyword, const rapidjson::Value& schema_node,
                           const rapidjson::Value* value) {
  const rapidjson::Value* bound = member(schema_node, std::string(keyword).c_str());
  const std::string limit = bound != nullptr ? compact_json(*bound) : "?";
  if (value == nullptr) {
    return "violates " + std::string(keyword) + " " + limit;
  }
  if (keyword == "minItems" || keyword == "maxItems") {
    const std::string count = value->IsArray() ? std::to_string(value->Size()) : "?";
    return "has " + count + " items; expected " +
           (keyword == "minItems" ? "at least " : "at most ") + limit;
  }
  if (keyword == "minLength" || keyword == "maxLength") {
    const std::string length = value->IsString() ? std::to_string(value->GetStringLength()) : "?";
    return describe_value(*value) + " is " + length + " characters long; expected " +
           (keyword == "minLength" ? "at least " : "at most ") + limit;
  }
  if (keyword == "minProperties" || keyword == "maxProperties") {
    const std::string count = value->IsObject() ? std::to_string(value->MemberCount()) : "?";
    return "has " + count + " properties; expected " +
           (keyword == "minProperties" ? "at least " : "at most ") + limit;
  }
  if (keyword == "minimum" || keyword == "maximum") {
    const rapidjson::Value* exclusive =
        member(schema_node, keyword == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum");
    const bool strict = exclusive != nullptr && exclusive->IsBool() && exclusive->GetBool();
    const std::string relation = keyword == "minimum" ? (strict ? "more than " : "at least ")
                                                      : (strict ? "less than " : "at most ");
    return "found " + describe_value(*value) + "; expected " + relation + limit;
  }
  return "found " + describe_value(*value) + "; expected a multiple of " + limit;
}

/// RapidJSON points at the repeated item itself (".../1"), not at the array.
std::string describe_unique(const rapidjson::Value* value) {
  if (value != nullptr && !value->IsArray()) {
    return describe_value(*value) + " repeats an earlier item; expected unique items";
  }
  if (value != nullptr) {
    std::set<std::string> seen;
    for (const auto& item : value->GetArray()) {
      if (!seen.insert(compact_json(item)).second) {
        return "item " + describe_value(item) + " appears more than once; expected unique items";
      }
    }
  }
  return "items are not unique; expected each item once";
}

std::string describe_alternatives(std::string_view keyword, const rapidjson::Value& schema_node) {
  std::string text = keyword == "allOf" ? "does not satisfy all of the rules here"
                     : keyword == "not" ? "matches a shape that is not allowed here"
                                        : "matches none of the shapes allowed here";
  if (const rapidjson::Value* branches = member(schema_node, std::string(keyword).c_str());
      branches != nullptr && branches->IsArray()) {
    std::vector<std::string> descriptions;
    for (const auto& branch : branches->GetArray()) {
      if (const rapidjson::Value* d = member(branch, "description");
          d != nullptr && d->IsString()) {
        descriptions.emplace_back(d->GetString());
      }
    }
    if (!descriptions.empty()) {
      text += ": ";
      for (std::size_t i = 0; i < descriptions.size(); ++i) {
        text += (i == 0 ? "" : "; or ") + descriptions[i];
      }
    }
  }
  return text + schema_description(schema_node);
}

}  // namespace

std::string describe_json_location(std::string_view json_pointer) {
  if (json_pointer.empty()) {
    return "at the top level";
  }
  return "at " + std::string(json_pointer);
}

std::string describe_schema_violation(std::string_view keyword, const rapidjson::Value& schema_node,
                                      const rapidjson::Value* value) {
  if (keyword == "required") {
    return describe_required(schema_node, value);
  }
  if (keyword == "type") {
    return describe_type(schema_node, value);
  }
  if (keyword == "enum") {
    return describe_enum(schema_node, value);
  }
  if (keyword == "pattern") {
    const rapidjson::Value* pattern = member(schema_node, "pattern");
    return "found " + found_value(value) + "; expected a match of " +
           (pattern != nullptr && pattern->IsString() ? std::string(pattern->GetString()) : "?") +
           schema_description(schema_node);
  }
  if (keyword == "additionalProperties") {
    return describe_additional_property(schema_node);
  }
  if (keyword == "uniqueItems") {
    return describe_unique(value);
  }
  if (keyword == "anyOf" || keyword == "oneOf" || keyword == "allOf" || keyword == "not") {
    return describe_alternatives(keyword, schema_node);
  }
  static const std::set<std::string_view> kBoundKeywords = {
      "minItems",      "maxItems", "minLength", "maxLength", "minProperties",
      "maxProperties", "minimum",  "maximum",   "multipleOf"};
  if (kBoundKeywords.count(keyword)) {
    return describe_bound(keyword, schema_node, value);
  }
  if (keyword == "dependencies") {
    return "a property is present without the properties it depends on" +
           schema_description(schema_node);
  }
  return "violates the schema rule '" + std::string(keyword) + "'" +
         schema_description(schema_node);
}

}  // namespace stella::host
