// `stella evidence verify-continuity --old-root X --new-root Y [--output F] [--format ...]`.
#include <optional>
#include <sstream>

#include "cli/command_registrars.hpp"
#include "continuity/counted_text.hpp"
#include "continuity/no_verdict_report.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/continuity/continuity_checker.hpp"
#include "stella/host/continuity/continuity_report_output.hpp"
#include "stella/host/evidence/atomic_file.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/reindex/reindex_runner.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/lost_connection.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/printable_text.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

void add_options(po::options_description& options) {
  options.add_options()("old-root", po::value<std::string>()->value_name("ROOT"),
                        "the global root before the transition (alg:hex), e.g. captured with "
                        "`stella evidence roots-export --format json | jq -r .globalRoot`")(
      "new-root", po::value<std::string>()->value_name("ROOT"),
      "the global root after it (alg:hex)")(
      "output", po::value<std::string>()->value_name("FILE"),
      "write the report to FILE instead of stdout; without --format the format follows the "
      "extension (.html, .json, else text)");
}

constexpr const char* kHelpEpilog =
    "Proves, for the recorded transition from the old root to the new one: the old root still\n"
    "recomputes from the old digests; every old digest recomputes from the stored bytes; the new\n"
    "digests and the new root recompute the same way; both generations cover exactly the same\n"
    "records; and the transition (with its cross-references and audit event) is recorded. The\n"
    "stored tenant and global roots of both generations (what roots-export shows) must recompute.\n"
    "Equal roots claim no root change (a schema migration without a reindex): they must be the\n"
    "active generation's stored root, and it must recompute. The\n"
    "report lists each check per tenant and names every failing record. A passing report contains\n"
    "no \"FAIL\" anywhere; a failing one does. The result is recorded in the audit trail\n"
    "(verification).\n"
    "\n"
    "Formats: text (default on stdout), json (schemas/continuity-report.schema.json), html (one\n"
    "self-contained page).\n"
    "\n"
    "Example:\n"
    "  stella evidence verify-continuity --old-root \"${OLD_MERKLE_ROOT}\" \\\n"
    "    --new-root \"${NEW_MERKLE_ROOT}\" --output continuity-report.html --format html\n"
    "\n"
    "Exit codes: 0 every check passed; 1 a check failed (the report names what); 2 bad\n"
    "arguments (a root that is not alg:hex); 3 the store cannot be checked (none, schema 1.0).\n"
    "See docs/continuity-report.md.";

std::string required_root(const Invocation& invocation, const char* option) {
  if (!invocation.options.count(option)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string("'stella evidence verify-continuity' needs --") + option,
                     "for example: stella evidence verify-continuity --old-root sha256:<hex> "
                     "--new-root sha512:<hex>");
  }
  const std::string root = invocation.options[option].as<std::string>();
  if (root.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string("--") + option +
                         " is empty; expected a global root such as "
                         "sha256:<64 hex digits>",
                     "capture roots with `stella evidence roots-export --format json | jq -r "
                     "'.globalRoot'` (before and after the migration)");
  }
  try {
    parse_digest(root);
  } catch (const sdk::Error& error) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string("--") + option + ": " + error.what(),
                     "a root is written alg:lower-hex, as roots-export prints it");
  }
  return root;
}

ContinuityFormat chosen_format(const Invocation& invocation) {
  const std::string& format = invocation.globals.format;
  if (!format.empty()) {
    const auto parsed = parse_continuity_format(format);
    if (!parsed) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--format is '" + format + "'; verify-continuity writes text, json or html",
                       "use --format html for a page to hand to an auditor");
    }
    return *parsed;
  }
  if (invocation.options.count("output")) {
    const std::string path = invocation.options["output"].as<std::string>();
    const auto ends_with = [&](const std::string& suffix) {
      return path.size() >= suffix.size() &&
             path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with(".html") || ends_with(".htm")) {
      return ContinuityFormat::html;
    }
    if (ends_with(".json")) {
      return ContinuityFormat::json;
    }
  }
  return ContinuityFormat::text;
}

/// The verb; `report_written` turns true once this run's report stands at --output.
int verify_continuity_verb(Invocation& invocation, bool& report_written) {
  ContinuityRequest request;
  request.old_root = required_root(invocation, "old-root");
  request.new_root = required_root(invocation, "new-root");
  const ContinuityFormat format = chosen_format(invocation);
  if (invocation.options.count("output")) {
    require_writable_output(invocation.options["output"].as<std::string>());
  }
  PluginRegistry registry = PluginRegistry::discover(
      plugin_search_path(invocation.globals.plugin_dirs, invocation.globals.plugin_path_env));
  const std::string conninfo = resolve_database(invocation.globals);
  const std::unique_ptr<ContinuityReport> report = check_said_on_lost_connection(
      "verify-continuity", [&] { return verify_continuity(conninfo, registry, request); });
  report->checked_by = invocation.globals.operator_name;
  report->tool_version = STELLA_VERSION;
  std::optional<WrittenReport> written;
  if (invocation.options.count("output")) {
    // Whole or not at all: an auditor never opens half a report.
    std::ostringstream text;
    write_continuity_report(text, *report, format);
    const std::string bytes = text.str();
    const ByteView view(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    written = WrittenReport{invocation.options["output"].as<std::string>(),
                            format_digest("sha256", make_evp_hasher("sha256")->digest(view))};
    write_file_atomically(written->path, bytes);
    report_written = true;
  } else {
    write_continuity_report(invocation.out, *report, format);
  }
  const auto connection = PgConnection::connect(conninfo);
  const std::int64_t event = record_continuity_verification(
      *connection, *report, invocation.globals.operator_name, written);
  const bool passed = report->passed();
  if (!invocation.globals.quiet) {
    const std::int64_t problems = report->store_findings.size() + report->tenant_findings.size();
    invocation.err << "verify-continuity: " << (passed ? "pass" : "fail") << " — "
                   << counted(report->tenant_count(), "tenant", "tenants") << ", "
                   << counted(report->bundle_count(), "bundle", "bundles") << ", "
                   << counted(report->artifact_count(), "artifact", "artifacts") << " checked";
    if (!passed) {
      invocation.err << ", " << counted(problems, "problem", "problems");
    }
    if (invocation.options.count("output")) {
      invocation.err << "; report written to "
                     << sdk::printable_text(invocation.options["output"].as<std::string>());
    }
    invocation.err << "; recorded as audit event " << event << '\n';
  }
  if (!passed) {
    invocation.err << "what to do: do not proceed; the report names every failing record. "
                      "Compare with your backup and run `stella evidence integrity-check --deep`\n";
    return kExitVerificationFailed;
  }
  return kExitSuccess;
}

/// After a refusal, --output says FAIL (no verdict) instead of keeping what stood there.
void replace_output_with_no_verdict(const Invocation& invocation, const sdk::Error& error) {
  if (!invocation.options.count("output")) {
    return;
  }
  const std::string path = invocation.options["output"].as<std::string>();
  try {
    require_writable_output(path);  // a device, a FIFO or a directory is never replaced
  } catch (const sdk::Error&) {
    return;
  }
  ContinuityFormat format = ContinuityFormat::text;
  try {
    format = chosen_format(invocation);
  } catch (const sdk::Error&) {
    // An unknown --format: the page is still written, as text.
  }
  try {
    write_file_atomically(path, no_verdict_report(format, error.what(), error.hint()));
  } catch (const std::exception&) {
    // The refusal itself is what the operator must see; a failed write changes nothing of it.
  }
}

int run_verify_continuity(Invocation& invocation) {
  bool report_written = false;
  try {
    return verify_continuity_verb(invocation, report_written);
  } catch (const sdk::Error& error) {
    // A report this run wrote has a verdict (a failure after it, recording the audit event, is
    // said on stderr); anything else at --output is older than this run.
    if (!report_written) {
      replace_output_with_no_verdict(invocation, error);
    }
    throw;
  }
}

}  // namespace

void register_continuity_commands(CommandTable& table) {
  Command command;
  command.group = "evidence";
  command.verb = "verify-continuity";
  command.summary = "prove the chain of custody from an old global root to a new one";
  command.add_options = add_options;
  command.help_epilog = kHelpEpilog;
  command.run = run_verify_continuity;
  table.add(std::move(command));
}

}  // namespace stella::host
