// The command table: every verb of the CLI as data, from which parsing, help and "did you mean"
// are derived.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "stella/host/cli/global_options.hpp"

namespace stella::host {

/// What a verb's handler receives.
struct Invocation {
  const GlobalOptions& globals;
  /// The verb's own options, parsed.
  const boost::program_options::variables_map& options;
  /// Positional arguments after the verb.
  const std::vector<std::string>& positional;
  /// Data goes to `out`; messages, progress and errors go to `err`.
  std::ostream& out;
  std::ostream& err;
};

/// One verb: `stella <group> <verb>`.
struct Command {
  std::string group;
  std::string verb;
  /// One line for the verb list.
  std::string summary;
  /// Usage of the positional arguments ("PATH...", "ID"); empty when it takes none.
  std::string positional_usage;
  /// Maximum positional arguments; -1 for any number.
  int max_positional = 0;
  /// Adds the verb's own options (may be empty).
  std::function<void(boost::program_options::options_description&)> add_options;
  /// Extra paragraphs printed after the options in --help (examples, exit codes).
  std::string help_epilog;
  /// Runs the verb and returns its exit code. Throws stella::sdk::Error for failures; the CLI maps
  /// them to exit codes and prints them.
  std::function<int(Invocation&)> run;
  /// True for a verb that writes text only: any --format but text is refused (exit 2) before it
  /// runs, so a script asking for JSON does not get text and exit 0. Verbs with JSON or HTML check
  /// --format themselves.
  bool text_only = false;
};

/// All verbs, in registration order.
class CommandTable {
 public:
  void add(Command command);
  const Command* find(const std::string& group, const std::string& verb) const;
  std::vector<std::string> groups() const;
  std::vector<const Command*> verbs_of(const std::string& group) const;
  const std::vector<Command>& all() const { return commands_; }

 private:
  std::vector<Command> commands_;
};

/// Every verb the product has. Each module registers its verbs in one function, called here.
CommandTable build_command_table();

/// Runs the CLI on `args` (without the program name). Never exits the process; returns the exit
/// code. Writes data to `out` and messages to `err`.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace stella::host
