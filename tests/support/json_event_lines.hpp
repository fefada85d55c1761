// Reading a command's stderr under --progress-format json: one JSON event object per line.
#pragma once

#include <boost/test/unit_test.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace stella::test {

/// Every line of `stderr_text`, parsed; fails the test at the first line that is not a JSON object
/// with an "event" member, quoting it.
inline std::vector<rapidjson::Document> json_event_lines(const std::string& stderr_text) {
  std::vector<rapidjson::Document> events;
  std::istringstream lines(stderr_text);
  for (std::string line; std::getline(lines, line);) {
    rapidjson::Document event;
    event.Parse(line.c_str());
    BOOST_TEST_REQUIRE((!event.HasParseError() && event.IsObject() && event.HasMember("event")),
                       "not a JSON event: " << line);
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace stella::test
