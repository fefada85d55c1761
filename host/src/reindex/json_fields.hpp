// Small helpers for building RapidJSON objects member by member (audit event data, reports).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <rapidjson/document.h>

namespace stella::host {

using JsonAllocator = rapidjson::Document::AllocatorType;

/// A string value copied into the allocator.
inline rapidjson::Value json_string(std::string_view text, JsonAllocator& allocator) {
  return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

/// Adds "name": "text" (the name is copied too).
inline void add_string(rapidjson::Value& object, std::string_view name, std::string_view text,
                       JsonAllocator& allocator) {
  object.AddMember(json_string(name, allocator), json_string(text, allocator), allocator);
}

/// Adds "name": "text", or "name": null.
inline void add_optional_string(rapidjson::Value& object, std::string_view name,
                                const std::optional<std::string_view>& text,
                                JsonAllocator& allocator) {
  rapidjson::Value value;
  if (text) {
    value = json_string(*text, allocator);
  }
  object.AddMember(json_string(name, allocator), value, allocator);
}

inline void add_int(rapidjson::Value& object, std::string_view name, std::int64_t number,
                    JsonAllocator& allocator) {
  object.AddMember(json_string(name, allocator), rapidjson::Value(number), allocator);
}

inline void add_double(rapidjson::Value& object, std::string_view name, double number,
                       JsonAllocator& allocator) {
  object.AddMember(json_string(name, allocator), rapidjson::Value(number), allocator);
}

inline void add_bool(rapidjson::Value& object, std::string_view name, bool flag,
                     JsonAllocator& allocator) {
  object.AddMember(json_string(name, allocator), rapidjson::Value(flag), allocator);
}

inline void add_value(rapidjson::Value& object, std::string_view name, rapidjson::Value& value,
                      JsonAllocator& allocator) {
  object.AddMember(json_string(name, allocator), value, allocator);
}

}  // namespace stella::host
