// Pretty JSON output for the evidence reports.
#include "evidence/json_output.hpp"

namespace stella::host {
namespace {

constexpr unsigned kIndent = 2;

rapidjson::SizeType size_of(std::string_view text) {
  return static_cast<rapidjson::SizeType>(text.size());
}

}  // namespace

JsonOutput::JsonOutput() : writer_(buffer_) {
  writer_.SetIndent(' ', kIndent);
}

void JsonOutput::key(std::string_view name) {
  writer_.Key(name.data(), size_of(name));
}

void JsonOutput::text(std::string_view name, std::string_view value) {
  key(name);
  writer_.String(value.data(), size_of(value));
}

void JsonOutput::optional_text(std::string_view name, const std::optional<std::string>& value) {
  key(name);
  if (value) {
    writer_.String(value->data(), size_of(*value));
  } else {
    writer_.Null();
  }
}

void JsonOutput::integer(std::string_view name, std::int64_t value) {
  key(name);
  writer_.Int64(value);
}

void JsonOutput::boolean(std::string_view name, bool value) {
  key(name);
  writer_.Bool(value);
}

void JsonOutput::number(std::string_view name, double value) {
  key(name);
  writer_.Double(value);
}

std::string JsonOutput::finish() {
  return std::string(buffer_.GetString(), buffer_.GetSize()) + "\n";
}

}  // namespace stella::host
