#include "reindex/reindex_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include "stella/host/json/json_schema.hpp"

namespace stella::test {

rapidjson::Document valid_json(const std::string& text, const char* schema) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError(), "not JSON: " << text);
  for (const auto& violation : host::schema_violations(document, schema)) {
    BOOST_ERROR(schema << ": " << violation << "\n" << text);
  }
  return document;
}

}  // namespace stella::test
