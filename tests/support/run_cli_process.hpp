// Runs the real `stella` binary (STELLA_BINARY) as a child process and captures what it printed.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace stella::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `stella args...` with the given extra environment (added to the inherited one), in
/// `working_directory` when not empty. stdin is /dev/null.
ProcessResult run_stella(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& environment = {},
                         const std::string& working_directory = {});

/// Runs `/bin/sh -c script` the same way (for the runbook's snippets, as written).
ProcessResult run_shell(const std::string& script,
                        const std::map<std::string, std::string>& environment = {},
                        const std::string& working_directory = {});

/// The value of a required environment variable set by ctest; fails the test when missing.
std::string required_env(const char* name);

}  // namespace stella::test
