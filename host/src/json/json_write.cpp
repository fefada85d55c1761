#include "stella/host/json/json_write.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace stella::host {

std::string json_to_string(const rapidjson::Value& value, JsonLayout layout) {
  rapidjson::StringBuffer buffer;
  if (layout == JsonLayout::pretty) {
    constexpr unsigned kIndentSpaces = 2;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', kIndentSpaces);
    value.Accept(writer);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
  }
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace stella::host
