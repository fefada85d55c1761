#include "importer_json.hpp"

#include <map>
#include <memory>
#include <mutex>

#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "importer_schemas.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/json_nesting.hpp"

namespace stella_importer {
namespace {

namespace sdk = stella::sdk;

struct CompiledSchema {
  rapidjson::Document source;
  std::unique_ptr<rapidjson::SchemaDocument> compiled;
};

const rapidjson::SchemaDocument& compiled_schema(std::string_view name) {
  static std::mutex mutex;
  // Never destroyed: the plugin stays loaded for the life of the process.
  static auto* cache = new std::map<std::string, std::unique_ptr<CompiledSchema>, std::less<>>();
  const std::lock_guard<std::mutex> lock(mutex);
  if (const auto it = cache->find(name); it != cache->end()) {
    return *it->second->compiled;
  }
  const auto text = importer_schema(name);
  if (!text) {
    throw sdk::Error(
        sdk::ErrorCode::internal,
        "importer " STELLA_IMPORTER_PLUGIN_ID " embeds no JSON Schema named " + std::string(name),
        "this is a build mistake: list the schema in the plugin's CMakeLists.txt");
  }
  auto schema = std::make_unique<CompiledSchema>();
  schema->source.Parse(text->data(), text->size());
  if (schema->source.HasParseError()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "embedded schema " + std::string(name) + " is not valid JSON",
                     "this is a build mistake: fix schemas/" + std::string(name));
  }
  schema->compiled = std::make_unique<rapidjson::SchemaDocument>(schema->source);
  const rapidjson::SchemaDocument& result = *schema->compiled;
  cache->emplace(std::string(name), std::move(schema));
  return result;
}

std::string pointer_text(const rapidjson::Pointer& pointer) {
  rapidjson::StringBuffer buffer;
  pointer.Stringify(buffer);
  const std::string text = buffer.GetString();
  return text.empty() ? "/" : text;
}

}  // namespace

rapidjson::Document parse_json_text(std::string_view text, std::string_view origin) {
  sdk::require_json_nesting_within_limit(text, origin);
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  if (document.HasParseError()) {
    const std::size_t offset = document.GetErrorOffset();
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string(origin) + ": invalid JSON at offset " + std::to_string(offset) +
                         " (line " + std::to_string(line) + ", column " + std::to_string(column) +
                         "): " + rapidjson::GetParseError_En(document.GetParseError()),
                     "nothing was imported; the file is damaged or was edited by hand (`jq . FILE` "
                     "shows the same place)");
  }
  return document;
}

void require_schema(const rapidjson::Value& document, std::string_view schema_name,
                    std::string_view origin) {
  rapidjson::SchemaValidator validator(compiled_schema(schema_name));
  if (document.Accept(validator)) {
    return;
  }
  std::string where = pointer_text(validator.GetInvalidDocumentPointer());
  std::string keyword = validator.GetInvalidSchemaKeyword();
  std::string rule = pointer_text(validator.GetInvalidSchemaPointer());
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   std::string(origin) + ": does not match schemas/" + std::string(schema_name) +
                       ": at " + where + ": violates '" + keyword + "' (schema " + rule + ")",
                   "nothing was imported; the file does not follow docs/bundle-format.md");
}

std::string string_member(const rapidjson::Value& object, const char* name) {
  const auto& value = object[name];
  return std::string(value.GetString(), value.GetStringLength());
}

std::int64_t int_member(const rapidjson::Value& object, const char* name, std::string_view origin) {
  const auto& value = object[name];
  if (!value.IsInt64()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string(origin) + ": \"" + name + "\" is not an integer of 64 bits",
                     "nothing was imported; the file is damaged or was edited by hand");
  }
  return value.GetInt64();
}

bool bool_member(const rapidjson::Value& object, const char* name) {
  return object[name].GetBool();
}

}  // namespace stella_importer
