// Parses `stella [global options] <group> <verb> [options] [args]` against the command table and
// runs the verb. Global options may stand anywhere on the line.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>

#include "stella/host/audit/operator_name.hpp"
#include "stella/host/cli/command.hpp"
#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/packs/plugin_trust.hpp"
#include "stella/host/reindex/plugin_hasher_source.hpp"
#include "stella/host/store/external_server.hpp"
#include "stella/host/store/lost_connection.hpp"
#include "stella/sdk/error.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

constexpr const char* kPositionalName = "stella-positional";
constexpr std::size_t kHelpLineLength = 100;

/// Global options that take a value, so that their value is not mistaken for a group or verb.
const std::set<std::string> kGlobalValueOptions = {"--database",    "--home",   "--plugin-dir",
                                                   "--operator",    "--format", "--progress-format",
                                                   "--trusted-keys"};

po::options_description global_options_description(GlobalOptions& globals) {
  po::options_description desc("Global options", kHelpLineLength);
  desc.add_options()("database", po::value<std::string>(),
                     "libpq connection string or URI (env STELLA_DATABASE); default: the embedded "
                     "cluster under --home")("home", po::value<std::string>(),
                                             "the tool's state directory (env STELLA_HOME)")(
      "plugin-dir", po::value<std::vector<std::string>>()->composing(),
      "search DIR for plugins first (repeatable; then STELLA_PLUGIN_PATH, then the install "
      "directory)")("operator", po::value<std::string>(),
                    "operator name for the audit trail (default: login name)")(
      "format", po::value<std::string>(&globals.format),
      "output format: text or json (some verbs: html)")("quiet,q", po::bool_switch(&globals.quiet),
                                                        "no progress or informational messages")(
      "progress-format", po::value<std::string>(&globals.progress_format),
      "progress on stderr: auto, plain or json")(
      "trusted-keys", po::value<std::string>(),
      "directory of public keys trusted for plugin packs (env STELLA_TRUSTED_KEYS)")(
      "allow-unsigned", po::bool_switch(&globals.allow_unsigned),
      "load plugins that come from no signed pack (plugin development; env "
      "STELLA_ALLOW_UNSIGNED=1)")("help,h", "show help");
  return desc;
}

std::vector<std::string> split_path_list(const char* value) {
  std::vector<std::string> result;
  if (value == nullptr) {
    return result;
  }
  std::stringstream stream(value);
  std::string item;
  while (std::getline(stream, item, ':')) {
    if (!item.empty()) {
      result.push_back(item);
    }
  }
  return result;
}

void resolve_globals(const po::variables_map& vm, GlobalOptions& globals) {
  if (vm.count("database")) {
    globals.database = vm["database"].as<std::string>();
    // libpq takes "" as "every default": the local socket of whatever server runs there, not the
    // store the operator meant.
    if (globals.database->find_first_not_of(" \t") == std::string::npos) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--database is empty; expected a libpq connection string or URI",
                       "give the store's connection string, or leave --database out for the "
                       "embedded cluster under --home");
    }
  } else if (const char* env = std::getenv("STELLA_DATABASE"); env != nullptr && *env != '\0') {
    globals.database = env;
  }
  if (globals.database) {
    note_external_server();
  }
  globals.home = vm.count("home") ? vm["home"].as<std::string>() : default_home_directory();
  if (vm.count("plugin-dir")) {
    globals.plugin_dirs = vm["plugin-dir"].as<std::vector<std::string>>();
  }
  globals.plugin_path_env = split_path_list(std::getenv("STELLA_PLUGIN_PATH"));
  globals.operator_name = vm.count("operator") ? vm["operator"].as<std::string>() : login_name();
  if (const auto problem = operator_name_problem(globals.operator_name)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string(vm.count("operator") ? "--operator" : "the login name") +
                         " cannot name the operator in the audit trail: " + *problem,
                     "give --operator NAME: 1 to " + std::to_string(kMaxOperatorNameBytes) +
                         " bytes of UTF-8, no line breaks, tabs or other control characters, no "
                         "line separators and no bidirectional controls");
  }
  if (vm.count("trusted-keys")) {
    globals.trusted_keys = vm["trusted-keys"].as<std::string>();
  } else if (const char* env = std::getenv("STELLA_TRUSTED_KEYS"); env != nullptr && *env != '\0') {
    globals.trusted_keys = env;
  }
  // The environment twin of --allow-unsigned, for plugin development shells and test harnesses.
  if (const char* env = std::getenv("STELLA_ALLOW_UNSIGNED");
      env != nullptr && std::string(env) == "1") {
    globals.allow_unsigned = true;
  }
  set_command_line_plugin_trust(globals.trusted_keys, globals.allow_unsigned);
  const std::set<std::string> progress_formats = {"auto", "plain", "json"};
  if (!progress_formats.count(globals.progress_format)) {
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        "--progress-format is '" + globals.progress_format + "'; expected auto, plain or json");
  }
}

/// Splits the line into (group, verb) and everything else.
struct SplitLine {
  std::vector<std::string> words;  // at most two: group, verb
  std::vector<std::string> rest;
  bool help = false;
};

SplitLine split_line(const std::vector<std::string>& args) {
  SplitLine line;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!options_ended && (arg == "--help" || arg == "-h")) {
      line.help = true;
      continue;
    }
    if (!options_ended && arg == "--") {
      options_ended = true;
      line.rest.push_back(arg);
      continue;
    }
    const bool is_option = !options_ended && arg.size() > 1 && arg[0] == '-';
    if (is_option) {
      line.rest.push_back(arg);
      if (kGlobalValueOptions.count(arg) && i + 1 < args.size()) {
        line.rest.push_back(args[++i]);
      }
      continue;
    }
    if (line.words.size() < 2 && !options_ended) {
      line.words.push_back(arg);
    } else {
      line.rest.push_back(arg);
    }
  }
  return line;
}

void print_overview(const CommandTable& table, std::ostream& out) {
  out << "Usage: stella [global options] <group> <verb> [options] [arguments]\n\n"
      << "Stella Evidence Migrate keeps an evidence store's chain of custody intact through "
         "schema\n"
      << "upgrades, hash-algorithm changes, exports, air-gapped transfers and restores.\n\n";
  for (const auto& group : table.groups()) {
    out << group << ":\n";
    for (const Command* command : table.verbs_of(group)) {
      out << "  stella " << group << ' ' << command->verb;
      const std::size_t width = group.size() + command->verb.size() + 8;
      constexpr std::size_t kColumn = 40;
      out << std::string(width < kColumn ? kColumn - width : 1, ' ') << command->summary << '\n';
    }
    out << '\n';
  }
  out << "Run `stella <group> <verb> --help` for a verb's options. Exit codes: 0 success, 1 a\n"
      << "verification found a problem, 2 usage or bad input, 3 refused by the store or a "
         "plugin.\n";
}

void print_command_help(const Command& command, const po::options_description& own,
                        const po::options_description& globals, std::ostream& out) {
  out << "Usage: stella " << command.group << ' ' << command.verb << " [options]";
  if (!command.positional_usage.empty()) {
    out << ' ' << command.positional_usage;
  }
  out << "\n\n" << command.summary << "\n\n";
  if (!own.options().empty()) {
    out << own << '\n';
  }
  out << globals << '\n';
  if (!command.help_epilog.empty()) {
    out << command.help_epilog << '\n';
  }
}

std::vector<std::string> option_names(const po::options_description& desc) {
  std::vector<std::string> names;
  for (const auto& option : desc.options()) {
    names.push_back("--" + option->long_name());
  }
  return names;
}

int usage_error(std::ostream& err, const std::string& message, const std::string& hint) {
  err << "stella: " << message << '\n';
  if (!hint.empty()) {
    err << hint << '\n';
  }
  return kExitBadInput;
}

int exit_code_for(sdk::ErrorCode code) {
  switch (code) {
    case sdk::ErrorCode::invalid_input:
      return kExitBadInput;
    case sdk::ErrorCode::verification_failed:
      return kExitVerificationFailed;
    case sdk::ErrorCode::refused:
    case sdk::ErrorCode::cancelled:
    case sdk::ErrorCode::internal:
      return kExitRefused;
  }
  return kExitRefused;
}

int run_command(const Command& command, const std::vector<std::string>& rest, bool help,
                std::ostream& out, std::ostream& err) {
  GlobalOptions globals;
  po::options_description global_desc = global_options_description(globals);
  po::options_description own(command.group + " " + command.verb + " options", kHelpLineLength);
  if (command.add_options) {
    command.add_options(own);
  }
  if (help) {
    print_command_help(command, own, global_desc, out);
    return kExitSuccess;
  }
  po::options_description hidden;
  hidden.add_options()(kPositionalName, po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(global_desc).add(own).add(hidden);
  po::positional_options_description positional_desc;
  positional_desc.add(kPositionalName, -1);

  po::variables_map vm;
  try {
    // No guessing: Boost would take `--quar` as `--quarantine`, so a typo could run a verb that
    // writes, and an option added later would change what an old abbreviation means.
    constexpr int kStyle =
        po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(
        po::command_line_parser(rest).options(all).positional(positional_desc).style(kStyle).run(),
        vm);
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    std::vector<std::string> names = option_names(own);
    for (const auto& name : option_names(global_desc)) {
      names.push_back(name);
    }
    const std::string typed = e.get_option_name();
    const auto suggestion = closest_match(typed, names);
    return usage_error(
        err,
        "unknown option '" + typed + "' for 'stella " + command.group + " " + command.verb + "'",
        suggestion
            ? "Did you mean '" + *suggestion + "'? See --help."
            : "See 'stella " + command.group + " " + command.verb + " --help' for its options.");
  } catch (const po::error& e) {
    return usage_error(err, std::string(e.what()),
                       "See 'stella " + command.group + " " + command.verb + " --help'.");
  }

  std::vector<std::string> positional;
  if (vm.count(kPositionalName)) {
    positional = vm[kPositionalName].as<std::vector<std::string>>();
  }
  if (command.max_positional >= 0 && positional.size() > std::size_t(command.max_positional)) {
    return usage_error(err,
                       "unexpected argument '" + positional[command.max_positional] +
                           "' for 'stella " + command.group + " " + command.verb + "'",
                       command.positional_usage.empty()
                           ? "This verb takes no arguments. See --help."
                           : "Usage: stella " + command.group + " " + command.verb + " [options] " +
                                 command.positional_usage);
  }

  resolve_globals(vm, globals);
  if (command.text_only && !globals.format.empty() && globals.format != "text") {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--format " + globals.format + " is not supported by `stella " +
                         command.group + " " + command.verb + "`; it writes text only",
                     "leave --format out (or use --format text)");
  }
  set_plugin_hasher_source(
      reindexer_plugin_hasher_source(globals.plugin_dirs, globals.plugin_path_env));
  Invocation invocation{globals, vm, positional, out, err};
  // A verb that says what a lost session leaves behind (migrate, reindex, export, import, the
  // checks) keeps its words; every other verb gets these rather than libpq's alone.
  return said_on_lost_connection("stella " + command.group + " " + command.verb + " did not finish",
                                 "PostgreSQL rolled back whatever it had not committed",
                                 "run the command again", [&] { return command.run(invocation); });
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const CommandTable table = build_command_table();
  try {
    const SplitLine line = split_line(args);
    if (line.words.empty()) {
      // Global options may stand anywhere: `stella --home X --version` too.
      if (std::find(line.rest.begin(), line.rest.end(), "--version") != line.rest.end()) {
        out << "stella " << STELLA_VERSION << '\n';
        return kExitSuccess;
      }
      print_overview(table, line.help ? out : err);
      return line.help ? kExitSuccess : kExitBadInput;
    }
    const std::string& group = line.words[0];
    const auto groups = table.groups();
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
      const auto suggestion = closest_match(group, groups);
      return usage_error(err, "unknown command group '" + group + "'",
                         suggestion ? "Did you mean 'stella " + *suggestion + "'?"
                                    : "Run 'stella --help' for the list of commands.");
    }
    std::vector<std::string> verbs;
    for (const Command* command : table.verbs_of(group)) {
      verbs.push_back(command->verb);
    }
    if (line.words.size() < 2) {
      std::ostream& stream = line.help ? out : err;
      stream << "Usage: stella " << group << " <verb> [options]\n\nVerbs:\n";
      for (const Command* command : table.verbs_of(group)) {
        stream << "  " << command->verb
               << std::string(command->verb.size() < 20 ? 20 - command->verb.size() : 1, ' ')
               << command->summary << '\n';
      }
      return line.help ? kExitSuccess : kExitBadInput;
    }
    const std::string& verb = line.words[1];
    const Command* command = table.find(group, verb);
    if (command == nullptr) {
      const auto suggestion = closest_match(verb, verbs);
      return usage_error(err, "unknown verb '" + verb + "' in 'stella " + group + "'",
                         suggestion ? "Did you mean 'stella " + group + " " + *suggestion + "'?"
                                    : "Run 'stella " + group + " --help' for its verbs.");
    }
    return run_command(*command, line.rest, line.help, out, err);
  } catch (const sdk::Error& e) {
    err << "stella: error: " << e.what() << '\n';
    if (!e.hint().empty()) {
      err << "what to do: " << e.hint() << '\n';
    }
    return exit_code_for(e.code());
  } catch (const std::exception& e) {
    err << "stella: internal error: " << e.what() << '\n'
        << "what to do: this is a bug; rerun with the same arguments and report the output.\n";
    return kExitRefused;
  }
}

}  // namespace stella::host
