// Runs the real `stella` binary (STELLA_BINARY) as a child process and captures what it printed.
#pragma once

#include <sys/types.h>

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

/// A started child whose stdout and stderr go to temporary files rather than pipes, so that a
/// chatty child can never block on a reader that is waiting for its exit.
struct StartedProcess {
  pid_t pid = -1;
  std::string out_path;
  std::string err_path;
};

/// Forks and executes `argv` (argv[0] a path) with stdin from /dev/null, the extra environment and,
/// when not empty, `working_directory`. The caller reaps it and removes its output files
/// (remove_output_files).
StartedProcess start_process(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environment = {},
                             const std::string& working_directory = {});

/// The exit code (128 + signal when killed) and output of a child reaped with `wait_status`.
ProcessResult finished_process(const StartedProcess& process, int wait_status);

/// The whole content of a file ("" when it cannot be read).
std::string read_text_file(const std::string& path);

/// Removes the child's output files.
void remove_output_files(const StartedProcess& process);

/// The value of a required environment variable set by ctest; fails the test when missing.
std::string required_env(const char* name);

}  // namespace stella::test
