// ProgressMeter's JSON lines: one valid object per line whatever the task is called, since a task
// may name a path the operator gave.
#include <boost/test/unit_test.hpp>
#include <sstream>
#include <string>

#include <rapidjson/document.h>

#include "evidence/progress_meter.hpp"
#include "stella/host/cli/global_options.hpp"

using stella::host::GlobalOptions;
using stella::host::ProgressMeter;

BOOST_AUTO_TEST_CASE(json_progress_of_a_task_with_quotes_and_backslashes_is_valid_json) {
  GlobalOptions globals;
  globals.progress_format = "json";
  std::ostringstream err;
  const std::string task = "verify-bundle /media/\"evidence\"\\2026\n";
  {
    ProgressMeter meter(err, globals, task, "files", 4);
    meter.update(4);
    meter.finish();
  }
  std::istringstream lines(err.str());
  std::string line;
  int events = 0;
  while (std::getline(lines, line)) {
    rapidjson::Document event;
    event.Parse(line.c_str());
    BOOST_TEST_REQUIRE(!event.HasParseError(), line);
    BOOST_TEST(std::string(event["event"].GetString()) == "progress");
    BOOST_TEST(std::string(event["task"].GetString()) == task);
    BOOST_TEST(event["total"].GetInt64() == 4);
    BOOST_TEST(event["elapsedSeconds"].IsNumber());
    ++events;
  }
  BOOST_TEST(events >= 1);
}

BOOST_AUTO_TEST_CASE(work_done_before_the_meter_started_does_not_count_in_its_rate) {
  // A resumed migration step's first report carries every row committed before: counted as done
  // in no time it gave rates of hundreds of millions of rows a second.
  GlobalOptions globals;
  globals.progress_format = "plain";
  std::ostringstream err;
  {
    ProgressMeter meter(err, globals, "copy", "rows", 1'000'000);
    meter.start_from(900'000);
    meter.update(900'000);
    meter.finish();
  }
  BOOST_TEST(err.str().find("copy: 900000/1000000 rows (90.0%, 0 rows/s)") != std::string::npos,
             err.str());
}
