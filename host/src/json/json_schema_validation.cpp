// Validation against embedded JSON Schemas. Compiled schemas are cached for the life of the
// process: the same schema is used for every manifest or record of a run.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "json/schema_violation_text.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"
#include "stella/host/resources.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// A schema as written (kept for explaining violations) and compiled (for validating).
struct CompiledSchema {
  rapidjson::Document source;
  std::unique_ptr<rapidjson::SchemaDocument> compiled;
};

/// RapidJSON 1.1 loses the location of violations inside schemas of other files, so a schema that
/// references another file could only give useless messages: refuse it when it is first used.
void require_local_references(const rapidjson::Value& node, std::string_view resource) {
  if (node.IsObject()) {
    for (const auto& entry : node.GetObject()) {
      if (std::string_view(entry.name.GetString()) == "$ref" && entry.value.IsString() &&
          entry.value.GetString()[0] != '#') {
        throw sdk::Error(sdk::ErrorCode::internal,
                         "schemas/" + std::string(resource) + ": \"$ref\": \"" +
                             entry.value.GetString() +
                             "\" points to another file; expected a reference inside the same "
                             "file (\"#/definitions/...\")",
                         "copy the referenced definition into the schema's \"definitions\"");
      }
      require_local_references(entry.value, resource);
    }
  } else if (node.IsArray()) {
    for (const auto& item : node.GetArray()) {
      require_local_references(item, resource);
    }
  }
}

const CompiledSchema& compiled_schema(std::string_view resource) {
  static std::mutex mutex;
  // Never destroyed: validators may run during static destruction of other objects.
  static auto* cache = new std::map<std::string, std::unique_ptr<CompiledSchema>, std::less<>>();
  const std::lock_guard<std::mutex> lock(mutex);
  if (const auto it = cache->find(resource); it != cache->end()) {
    return *it->second;
  }
  const std::optional<std::string_view> text = find_resource(resource);
  if (!text) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "no embedded JSON Schema named '" + std::string(resource) +
                         "'; expected a file schemas/" + std::string(resource) +
                         " in the source tree when this binary was built",
                     "this is a bug: rebuild stella from a complete source tree");
  }
  auto schema = std::make_unique<CompiledSchema>();
  try {
    schema->source = parse_json(*text, "schemas/" + std::string(resource));
  } catch (const sdk::Error& e) {
    throw sdk::Error(sdk::ErrorCode::internal, e.what(), "this is a bug in the embedded schema");
  }
  require_local_references(schema->source, resource);
  schema->compiled = std::make_unique<rapidjson::SchemaDocument>(schema->source);
  const CompiledSchema& result = *schema;
  cache->emplace(std::string(resource), std::move(schema));
  return result;
}

std::string pointer_text(const rapidjson::Pointer& pointer) {
  rapidjson::StringBuffer buffer;
  pointer.Stringify(buffer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::vector<std::string> schema_violations(const rapidjson::Value& document,
                                           std::string_view schema_resource) {
  const CompiledSchema& schema = compiled_schema(schema_resource);
  rapidjson::SchemaValidator validator(*schema.compiled);
  if (document.Accept(validator)) {
    return {};
  }
  const rapidjson::Pointer schema_pointer = validator.GetInvalidSchemaPointer();
  const rapidjson::Pointer document_pointer = validator.GetInvalidDocumentPointer();
  const rapidjson::Value* schema_node = schema_pointer.Get(schema.source);
  const rapidjson::Value* value = document_pointer.Get(document);
  const std::string keyword = validator.GetInvalidSchemaKeyword();
  const std::string explanation = schema_node != nullptr
                                      ? describe_schema_violation(keyword, *schema_node, value)
                                      : "violates the schema rule '" + keyword + "'";
  return {describe_json_location(pointer_text(document_pointer)) + ": " + explanation};
}

void require_schema_valid(const rapidjson::Value& document, std::string_view schema_resource,
                          std::string_view origin) {
  const std::vector<std::string> violations = schema_violations(document, schema_resource);
  if (violations.empty()) {
    return;
  }
  std::string message =
      std::string(origin) + ": does not match schemas/" + std::string(schema_resource) + ": ";
  for (std::size_t i = 0; i < violations.size(); ++i) {
    message += (i == 0 ? "" : "; ") + violations[i];
  }
  throw sdk::Error(
      sdk::ErrorCode::invalid_input, message,
      "correct the document so that it follows schemas/" + std::string(schema_resource));
}

}  // namespace stella::host
