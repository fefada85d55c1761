// Runs the PostgreSQL programs (initdb, pg_ctl, pg_config) as child processes, as the server's
// account when stella is root, and captures what they print.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "store/server_account.hpp"

namespace stella::host {

struct ChildOutcome {
  /// The exit status, or 128 + signal number when a signal ended it.
  int exit_code = -1;
  /// stdout and stderr, interleaved as written.
  std::string output;
};

/// Runs argv (argv[0] absolute, or a name looked up in PATH) in `working_directory` with stdin
/// from /dev/null, as `account` when it must switch user (nullptr: as the caller), with no
/// descriptor inherited beyond stdin/stdout/stderr. Output goes to an anonymous in-memory file
/// rather than a pipe, so a daemon the child leaves behind can never keep us waiting for EOF.
/// Throws sdk::Error(internal) when the process cannot be created.
ChildOutcome run_child(const std::vector<std::string>& argv, const ServerAccount* account,
                       const std::filesystem::path& working_directory);

/// argv as one line for messages.
std::string command_line_text(const std::vector<std::string>& argv);

/// The last `count` lines of `text`.
std::string last_lines(const std::string& text, std::size_t count);

}  // namespace stella::host
