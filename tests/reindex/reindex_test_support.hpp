// Helpers shared by the reindex tests.
#pragma once

#include <string>

#include <rapidjson/document.h>

namespace stella::test {

inline bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Parses `text` and checks it against the embedded schema `schema`; fails the test otherwise.
rapidjson::Document valid_json(const std::string& text, const char* schema);

}  // namespace stella::test
