// `stella evidence audit list|verify|prune`: the CLI face of the audit trail.
#include <algorithm>
#include <iterator>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "audit/audit_output.hpp"
#include "cli/command_registrars.hpp"
#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/host/audit/audit_event_list.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/audit_prune.hpp"
#include "stella/host/audit/date_argument.hpp"
#include "stella/host/audit/state_schema.hpp"
#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

constexpr const char* kUsage = "list|verify|prune";
const std::vector<std::string> kActions = {"list", "verify", "prune"};

/// Which options belong to which action, so a misplaced one is named instead of ignored.
struct ActionOption {
  const char* option;
  const char* action;
};
const std::vector<ActionOption> kActionOptions = {
    {"since", "list"},   {"type", "list"},     {"limit", "list"},        {"data", "list"},
    {"before", "prune"}, {"dry-run", "prune"}, {"expect-head", "verify"}};

void add_audit_options(po::options_description& options) {
  options.add_options()(
      "since", po::value<std::string>()->value_name("DATE"),
      "list: only events at or after DATE (YYYY-MM-DD, midnight UTC, or RFC 3339)")(
      "type", po::value<std::string>()->value_name("T"),
      "list: only events of type T (e.g. verification, schema_change)")(
      "limit", po::value<std::int64_t>()->value_name("N"),
      "list: only the N most recent matching events (printed oldest first)")(
      "data", po::bool_switch(),
      "list: in the text table, each event's stored data (JSON) instead of its summary")(
      "before", po::value<std::string>()->value_name("DATE"),
      "prune: remove only events that occurred before DATE (required)")(
      "dry-run", po::bool_switch(), "prune: say what would be removed; change nothing")(
      "expect-head", po::value<std::string>()->value_name("HASH"),
      "verify: also require the chain to hold the event with this hash, a head recorded earlier "
      "outside the database (the `chain head:` line, or its sha256:... hash)");
}

constexpr const char* kHelpEpilog =
    "Actions:\n"
    "  list     print events, oldest first: a text table with a one-line summary of each\n"
    "           (--data: the stored data instead), or a JSON array with --format json\n"
    "  verify   recompute every hash of the chain; exit 1 naming the first broken event\n"
    "  prune    remove verification events past their 7-year retention that occurred before\n"
    "           --before, leaving tombstones so the chain still verifies; other events are\n"
    "           permanent and never removed. The prune itself is recorded (audit_prune).\n"
    "\n"
    "Examples:\n"
    "  stella evidence audit list --since 2026-01-01 --type verification\n"
    "  stella evidence audit verify --format json\n"
    "  stella evidence audit verify --expect-head sha256:<the head recorded before a migration>\n"
    "  stella evidence audit prune --before 2019-01-01 --dry-run\n"
    "\n"
    "Exit codes: 0 success; 1 verify found the chain broken; 2 bad arguments; 3 the store has no\n"
    "audit trail (run `stella evidence init`) or refused (prune on a broken chain).\n"
    "The hash recipe and the tables are documented in docs/audit-trail.md.";

bool given(const po::variables_map& options, const char* name) {
  if (!options.count(name)) {
    return false;
  }
  const po::variable_value& value = options[name];
  if (value.defaulted()) {
    // bool_switch options are always present; they count as given only when set.
    const bool* flag = boost::any_cast<bool>(&value.value());
    return flag != nullptr && *flag;
  }
  return true;
}

std::string chosen_action(const Invocation& invocation) {
  if (invocation.positional.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'stella evidence audit' needs an action: list, verify or prune",
                     "for example: stella evidence audit verify (see --help)");
  }
  const std::string& action = invocation.positional.front();
  if (std::find(kActions.begin(), kActions.end(), action) == kActions.end()) {
    const auto suggestion = closest_match(action, kActions);
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "unknown audit action '" + action + "'; expected list, verify or prune",
                     suggestion ? "did you mean 'stella evidence audit " + *suggestion + "'?"
                                : std::string("usage: stella evidence audit ") + kUsage);
  }
  for (const auto& entry : kActionOptions) {
    if (entry.action != action && given(invocation.options, entry.option)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       std::string("--") + entry.option + " applies to 'audit " + entry.action +
                           "', not to 'audit " + action + "'",
                       "see 'stella evidence audit --help'");
    }
  }
  return action;
}

bool json_format(const Invocation& invocation) {
  const std::string& format = invocation.globals.format;
  if (format.empty() || format == "text") {
    return false;
  }
  if (format == "json") {
    return true;
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "--format is '" + format + "'; 'stella evidence audit' prints text or json",
                   "use --format text or --format json");
}

int run_list(Invocation& invocation, PgConnection& connection, bool json) {
  AuditEventFilter filter;
  if (given(invocation.options, "since")) {
    filter.since = parse_date_argument(invocation.options["since"].as<std::string>(), "--since");
  }
  if (given(invocation.options, "type")) {
    filter.event_type = invocation.options["type"].as<std::string>();
    // A mistyped type would list nothing and look like an empty trail.
    const std::vector<std::string> known(std::begin(audit_type::kAll), std::end(audit_type::kAll));
    if (std::find(known.begin(), known.end(), *filter.event_type) == known.end()) {
      std::string list;
      for (const std::string& type : known) {
        list += (list.empty() ? "" : ", ") + type;
      }
      const auto suggestion = closest_match(*filter.event_type, known);
      throw sdk::Error(
          sdk::ErrorCode::invalid_input,
          "unknown event type '" + *filter.event_type + "'; the types are: " + list,
          suggestion ? "did you mean '" + *suggestion + "'?" : "give one of the types listed");
    }
  }
  if (given(invocation.options, "limit")) {
    const std::int64_t limit = invocation.options["limit"].as<std::int64_t>();
    if (limit <= 0) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--limit is " + std::to_string(limit) + "; expected a positive number",
                       "for example: --limit 20");
    }
    filter.limit = limit;
  }
  const EventColumn last_column =
      invocation.options["data"].as<bool>() ? EventColumn::stored_data : EventColumn::summary;
  std::ostream& out = invocation.out;
  if (json) {
    out << '[';
  } else {
    write_event_table_header(out, last_column);
  }
  bool first = true;
  const std::int64_t listed =
      for_each_audit_event(connection, filter, [&](const AuditEvent& event) {
        if (json) {
          // One event per line, written as it arrives: the array is never held in memory.
          out << (first ? "\n  " : ",\n  ") << audit_event_json(event);
          first = false;
        } else {
          write_event_table_row(out, event, last_column);
        }
      });
  if (json) {
    out << (first ? "]\n" : "\n]\n");
  }
  if (!invocation.globals.quiet) {
    invocation.err << listed << (listed == 1 ? " event" : " events") << " listed\n";
  }
  return kExitSuccess;
}

/// The sha256:<64 hex> in --expect-head, which may be the whole `chain head: event N sha256:...`
/// line as audit verify prints it.
std::string anchored_head(const std::string& given) {
  static const std::regex hash("sha256:[0-9a-f]{64}");
  std::smatch match;
  if (!std::regex_search(given, match, hash)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--expect-head '" + given + "' holds no sha256:<64 lower-case hex> hash",
                     "give the hash `stella evidence audit verify` printed on its `chain head:` "
                     "line, e.g. --expect-head sha256:7be23f5d...");
  }
  return match.str();
}

int run_verify(Invocation& invocation, PgConnection& connection, bool json) {
  AuditChainReport report = verify_audit_chain(connection);
  if (given(invocation.options, "expect-head")) {
    check_audit_anchor(connection, report,
                       anchored_head(invocation.options["expect-head"].as<std::string>()));
  }
  if (json) {
    invocation.out << audit_verify_json(report) << '\n';
  } else {
    write_verify_text(invocation.out, report);
  }
  if (report.intact()) {
    return kExitSuccess;
  }
  invocation.err << "what to do: the audit trail was changed outside stella; keep this report, "
                    "compare the store with your last backup, and restore the audit tables from "
                    "it\n";
  return kExitVerificationFailed;
}

int run_prune(Invocation& invocation, PgConnection& connection, bool json) {
  if (!given(invocation.options, "before")) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'stella evidence audit prune' needs --before DATE",
                     "for example: stella evidence audit prune --before 2019-01-01 --dry-run");
  }
  AuditPruneRequest request;
  request.before = parse_date_argument(invocation.options["before"].as<std::string>(), "--before");
  request.dry_run = given(invocation.options, "dry-run");
  request.operator_name = invocation.globals.operator_name;
  const AuditPruneResult result = prune_audit_events(connection, request);
  if (json) {
    invocation.out << audit_prune_json(result) << '\n';
  } else {
    write_prune_text(invocation.out, result);
  }
  return kExitSuccess;
}

int run_audit(Invocation& invocation) {
  const std::string action = chosen_action(invocation);
  const bool json = json_format(invocation);
  const auto connection = PgConnection::connect(resolve_database(invocation.globals));
  require_audit_trail(*connection);  // before any output, so a table header never precedes it
  if (action == "list") {
    return run_list(invocation, *connection, json);
  }
  if (action == "verify") {
    return run_verify(invocation, *connection, json);
  }
  return run_prune(invocation, *connection, json);
}

}  // namespace

void register_audit_commands(CommandTable& table) {
  Command audit;
  audit.group = "evidence";
  audit.verb = "audit";
  audit.summary = "list, verify or prune the hash-chained audit trail";
  audit.positional_usage = kUsage;
  audit.max_positional = 1;
  audit.add_options = add_audit_options;
  audit.help_epilog = kHelpEpilog;
  audit.run = run_audit;
  table.add(std::move(audit));
}

}  // namespace stella::host
