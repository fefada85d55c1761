#include "bundles/canonical_json.hpp"
#include "stella/sdk/json_nesting.hpp"

#include <algorithm>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace stella::host {
namespace {

void write_sorted(const rapidjson::Value& value, rapidjson::Writer<rapidjson::StringBuffer>& out) {
  if (value.IsObject()) {
    std::vector<const rapidjson::Value::Member*> members;
    for (const auto& member : value.GetObject()) {
      members.push_back(&member);
    }
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      return std::string_view(a->name.GetString(), a->name.GetStringLength()) <
             std::string_view(b->name.GetString(), b->name.GetStringLength());
    });
    out.StartObject();
    for (const auto* member : members) {
      out.Key(member->name.GetString(), member->name.GetStringLength());
      write_sorted(member->value, out);
    }
    out.EndObject();
  } else if (value.IsArray()) {
    out.StartArray();
    for (const auto& item : value.GetArray()) {
      write_sorted(item, out);
    }
    out.EndArray();
  } else {
    value.Accept(out);
  }
}

}  // namespace

std::optional<std::string> canonical_json(std::string_view json) {
  if (sdk::json_nesting_depth(json) > sdk::kMaxJsonNesting) {
    return std::nullopt;  // as for text that is not JSON: nothing a signature can be over
  }
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    return std::nullopt;
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  write_sorted(document, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace stella::host
