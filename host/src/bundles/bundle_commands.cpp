// `stella evidence export | import | verify-bundle`: the CLI face of evidence bundles.
#include <atomic>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>

#include "bundles/bundle_reports.hpp"
#include "bundles/importer_context.hpp"
#include "cli/command_registrars.hpp"
#include "evidence/progress_meter.hpp"
#include "migration/cancellation.hpp"
#include "stella/host/bundles/bundle_export.hpp"
#include "stella/host/bundles/bundle_format.hpp"
#include "stella/host/bundles/bundle_import.hpp"
#include "stella/host/bundles/expected_global_root.hpp"
#include "stella/host/bundles/source_verification.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/evidence/atomic_file.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/lost_connection.hpp"
#include "stella/sdk/error.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

constexpr const char* kGroup = "evidence";

bool flag(const po::variables_map& options, const char* name) {
  return options.count(name) != 0 && options[name].as<bool>();
}

std::optional<std::string> text_option(const po::variables_map& options, const char* name) {
  if (options.count(name) == 0) {
    return std::nullopt;
  }
  return options[name].as<std::string>();
}

/// --format for these verbs: text (default) or json.
bool json_output(const Invocation& call, const char* verb) {
  const std::string& format = call.globals.format;
  if (format.empty() || format == "text") {
    return false;
  }
  if (format == "json") {
    return true;
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "--format " + format + " is not supported by `stella evidence " + verb +
                       "`; expected text or json",
                   "use --format text or --format json");
}

PluginRegistry discover_plugins(const Invocation& call) {
  return PluginRegistry::discover(
      plugin_search_path(call.globals.plugin_dirs, call.globals.plugin_path_env));
}

void add_limit_options(po::options_description& options) {
  const sdk::ImportLimits defaults = bundle_format::default_import_limits();
  // Read as signed numbers: an unsigned option takes "-3" and wraps it to a huge limit, which
  // switched the decompression-bomb check off.
  const auto limit = [](std::uint64_t value) {
    return po::value<std::int64_t>()->default_value(static_cast<std::int64_t>(value));
  };
  options.add_options()("max-bytes", limit(defaults.max_total_bytes),
                        "refuse a source whose files (decompressed) add up to more bytes")(
      "max-entries", limit(defaults.max_entries),
      "refuse a source of more files or archive entries")(
      "max-json-bytes", limit(defaults.max_json_bytes),
      "refuse a manifest (or other JSON document) larger than this, unread")(
      "max-artifact-bytes", limit(defaults.max_artifact_bytes),
      "refuse an artifact larger than this")(
      "max-ratio", limit(defaults.max_compression_ratio),
      "refuse an archive that expands more than N:1 (a decompression bomb), judged after the "
      "first 64 MiB");
}

sdk::ImportLimits limits_from(const po::variables_map& options) {
  const auto positive = [&options](const char* name) {
    const std::int64_t value = options[name].as<std::int64_t>();
    if (value < 1) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       std::string("--") + name + " is " + std::to_string(value) +
                           "; expected a positive number",
                       std::string("leave out --") + name +
                           " for its default, or give a larger "
                           "limit");
    }
    return static_cast<std::uint64_t>(value);
  };
  sdk::ImportLimits limits = bundle_format::default_import_limits();
  limits.max_total_bytes = positive("max-bytes");
  limits.max_entries = positive("max-entries");
  limits.max_json_bytes = positive("max-json-bytes");
  limits.max_artifact_bytes = positive("max-artifact-bytes");
  limits.max_compression_ratio = positive("max-ratio");
  return limits;
}

/// Without --output (the runbook's quick reference gives `stella evidence export --all` alone): a
/// new directory, or .tar.gz, in the current directory named for the moment, so that two exports
/// never meet and the name says when the evidence left.
std::string default_export_output(bool portable) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[sizeof "20260131T235959Z"];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return std::string("evidence-export-") + stamp + (portable ? ".tar.gz" : "");
}

int run_export(Invocation& call) {
  const bool json = json_output(call, "export");
  const po::variables_map& o = call.options;
  ExportOptions options;
  options.all_tenants = flag(o, "all");
  if (o.count("tenant") != 0) {
    options.tenants = o["tenant"].as<std::vector<std::string>>();
  }
  if (flag(o, "include-attestations") && flag(o, "exclude-attestations")) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--include-attestations and --exclude-attestations exclude each other",
                     "give one of them (attestations are included unless excluded)");
  }
  options.include_attestations = !flag(o, "exclude-attestations");
  options.include_proofs = flag(o, "include-proofs");
  options.include_schemas = flag(o, "include-schemas");
  options.portable = flag(o, "portable");
  options.force = flag(o, "force");
  options.output = o.count("output") != 0 ? o["output"].as<std::string>()
                                          : default_export_output(options.portable);
  options.operator_name = call.globals.operator_name;
  // The total is known once the export has opened the store's snapshot: the meter starts then.
  std::unique_ptr<ProgressMeter> meter;
  options.progress = [&](std::int64_t done, std::int64_t total) {
    if (!meter) {
      meter = std::make_unique<ProgressMeter>(call.err, call.globals, "export", "bundles", total);
    }
    meter->update(done);
  };
  const ExportSummary summary = said_on_lost_connection(
      "export to " + options.output + " stopped",
      options.output + " is as it was and nothing was recorded: the partial export was removed",
      "run the export again",
      [&] { return export_evidence(resolve_database(call.globals), options); });
  if (meter) {
    meter->finish();
  }
  if (json) {
    call.out << export_summary_json(summary);
  } else {
    write_export_summary_text(call.out, summary);
  }
  return kExitSuccess;
}

/// Runs `work`. When it ends in sdk::Error(cancelled) because the operator interrupted it (the
/// importer saw `context` cancelled), the error becomes `what` (with the importer's words in
/// parentheses) and `hint`; every other outcome passes through unchanged.
template <typename Work>
auto stopped_by_operator_as(const ImporterContext& context, const std::string& what,
                            const std::string& hint, Work work) -> decltype(work()) {
  try {
    return work();
  } catch (const sdk::Error& error) {
    if (error.code() != sdk::ErrorCode::cancelled || !context.cancellation_seen()) {
      throw;
    }
    throw sdk::Error(sdk::ErrorCode::cancelled, what + " (" + error.what() + ")", hint);
  }
}

int run_import(Invocation& call) {
  const bool json = json_output(call, "import");
  const po::variables_map& o = call.options;
  ImportOptions options;
  options.locations = call.positional;
  if (options.locations.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, "import needs at least one PATH",
                     "for example: stella evidence import /backup/evidence-20260131/ or "
                     "stella evidence import --portable /media/airgap-evidence.tar.gz");
  }
  options.source_format = text_option(o, "source-format");
  if (flag(o, "portable")) {
    if (options.source_format && *options.source_format != bundle_format::kPortableFormat) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       "--portable reads " + std::string(bundle_format::kPortableFormat) +
                           " sources; --source-format says " + *options.source_format,
                       "give one of them");
    }
    options.source_format = bundle_format::kPortableFormat;
  }
  options.schema_version = text_option(o, "schema-version");
  options.limits = limits_from(o);
  options.expected_global_root = text_option(o, "expect-root");
  if (options.expected_global_root) {
    require_root_argument(*options.expected_global_root, "--expect-root");
  }
  options.operator_name = call.globals.operator_name;
  PluginRegistry registry = discover_plugins(call);
  // Ctrl-C or SIGTERM: the importer stops reading, and everything rolls back with the message
  // below instead of a silent death (which would roll back as well).
  std::atomic<bool> interrupted{false};
  const SignalFlagScope signals(interrupted, /*ignore_broken_pipe=*/true,
                                RepeatedSignal::ends_process);
  ImporterContext context(call.err, call.globals, &interrupted);
  context.set_task("import");
  options.note = [&context](const std::string& line) { context.note(line); };
  const ImportSummary summary = stopped_by_operator_as(
      context,
      "import interrupted (SIGINT or SIGTERM): nothing was imported, the store is as it was",
      "run the import again when it can finish", [&] {
        return said_on_lost_connection(
            "import stopped",
            "An import's load commits all or nothing, and PostgreSQL rolls back what a lost "
            "session had not committed; a store the import created for it before the load (as a "
            "role that is not a superuser) stays, empty",
            "run the import again: it adds what is missing and nothing twice (`stella evidence "
            "verify-all` shows the store as it is)",
            [&] {
              return import_evidence(resolve_database(call.globals), registry, options, context);
            });
      });
  if (json) {
    call.out << import_summary_json(summary);
  } else {
    write_import_summary_text(call.out, summary);
  }
  return kExitSuccess;
}

int run_verify_bundle(Invocation& call) {
  const bool json = json_output(call, "verify-bundle");
  const po::variables_map& o = call.options;
  if (call.positional.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, "verify-bundle needs at least one PATH",
                     "for example: stella evidence verify-bundle /backup/evidence-*/");
  }
  const std::optional<std::string> format = text_option(o, "source-format");
  const sdk::ImportLimits limits = limits_from(o);
  const std::optional<std::string> expected_root = text_option(o, "expect-root");
  if (expected_root) {
    require_root_argument(*expected_root, "--expect-root");
  }
  if (const auto output = text_option(o, "output")) {
    require_writable_output(*output);
  }
  PluginRegistry registry = discover_plugins(call);
  std::atomic<bool> interrupted{false};
  const SignalFlagScope signals(interrupted, /*ignore_broken_pipe=*/true,
                                RepeatedSignal::ends_process);
  ImporterContext context(call.err, call.globals, &interrupted);
  std::vector<VerifiedSource> sources;
  for (const std::string& location : call.positional) {
    context.set_task("verify-bundle " + location);
    sources.push_back(stopped_by_operator_as(
        context,
        "verify-bundle interrupted (SIGINT or SIGTERM) while reading " + location + ": no verdict",
        "run it again when it can finish", [&] {
          return verify_source(registry, location, format, limits, context,
                               UnreadableSource::report);
        }));
    if (expected_root) {
      check_expected_global_root(sources.back().result, *expected_root);
    }
  }
  bool passed = true;
  for (const VerifiedSource& source : sources) {
    passed = passed && source.result.passed();
  }
  const std::string report = json ? verify_bundle_report_json(sources) : std::string();
  if (const auto output = text_option(o, "output")) {
    write_file_atomically(*output, json ? report : verify_bundle_report_json(sources));
  }
  if (json) {
    call.out << report;
  } else {
    write_verify_bundle_report_text(call.out, sources);
  }
  return passed ? kExitSuccess : kExitVerificationFailed;
}

}  // namespace

void register_bundle_commands(CommandTable& table) {
  table.add(Command{
      kGroup, "export",
      "write evidence as a bundle that proves itself offline: a directory, or one .tar.gz", "", 0,
      [](po::options_description& options) {
        options.add_options()("all", po::bool_switch(), "every tenant")(
            "tenant", po::value<std::vector<std::string>>()->composing(),
            "only tenant T (repeatable); the bundle then carries each tenant's proof in the "
            "global root")("include-attestations", po::bool_switch(),
                           "bundles' DSSE attestations and the public keys that verify them "
                           "(the default: attestations are part of the evidence)")(
            "exclude-attestations", po::bool_switch(),
            "leave attestations and keys out (a store importing the bundle then fails "
            "verify-all's attestation checks)")(
            "include-proofs", po::bool_switch(),
            "an RFC 9162 inclusion proof of every bundle in its tenant root and of every tenant "
            "root in the global root")(
            "include-schemas", po::bool_switch(),
            "the JSON Schemas and the SQL of the store's schema version, for the receiver")(
            "portable", po::bool_switch(),
            "write one deterministic .tar.gz (the same store gives a byte-identical file)")(
            "force", po::bool_switch(), "replace a non-empty --output")(
            "output", po::value<std::string>()->value_name("PATH"),
            "the directory (or with --portable the .tar.gz) to write; created, parents too "
            "(default: evidence-export-<UTC time>, .tar.gz with --portable, in the current "
            "directory)");
      },
      "The bundle format is docs/bundle-format.md. Before writing, export checks every artifact\n"
      "against its digest and every root; a store that does not verify is not exported (exit 1).\n"
      "Output is written beside --output and renamed into place when complete; the export is\n"
      "recorded in the audit trail.\n"
      "\n"
      "Examples (runbook):\n"
      "  stella evidence export --all --include-attestations --include-proofs \\\n"
      "      --output /backup/evidence-$(date +%Y%m%d)/\n"
      "  stella evidence export --all --portable --include-schemas \\\n"
      "      --output /media/airgap-evidence.tar.gz\n"
      "\n"
      "Exit codes: 0 exported; 1 the store does not verify; 2 bad options or a non-empty\n"
      "--output (see --force); 3 no store, or it cannot be read.",
      run_export});

  table.add(Command{
      kGroup, "import",
      "verify evidence bundles (directory, portable .tar.gz, object store) and load them",
      "PATH...", -1,
      [](po::options_description& options) {
        options.add_options()("portable", po::bool_switch(),
                              "PATH is a portable .tar.gz (same as --source-format "
                              "portable-tar-gz)")(
            "source-format", po::value<std::string>()->value_name("FORMAT"),
            "use the importer of FORMAT (bundle-dir, portable-tar-gz, object-store) instead of "
            "the one that recognizes PATH")(
            "schema-version", po::value<std::string>()->value_name("V"),
            "when the database holds no store, create it at V (default: the version the bundle "
            "was exported from)")("expect-root", po::value<std::string>()->value_name("ROOT"),
                                  "import nothing unless every source's evidence commits to the "
                                  "global root ROOT, obtained from the source by another channel "
                                  "(its roots-export, its audit trail)");
        add_limit_options(options);
      },
      "Every source is verified completely (checksums, digests, roots, proofs) before anything is\n"
      "written; then everything is loaded in one transaction with its audit event. A bundle the\n"
      "store already holds unchanged is skipped (a second import adds nothing and says so); one\n"
      "it holds with different content is refused and named. Into a database without a store,\n"
      "import first creates one at the bundle's schema version.\n"
      "\n"
      "Examples (runbook):\n"
      "  stella evidence import /backup/evidence-*/\n"
      "  stella evidence import --portable /media/airgap-evidence.tar.gz\n"
      "\n"
      "Exit codes: 0 imported (or nothing new); 1 a source does not verify; 2 an unsafe or\n"
      "malformed source (links, '..', a decompression bomb, bad JSON, unknown version) or bad\n"
      "options; 3 a conflict with the store, or no importer plugin for the format.",
      run_import});

  table.add(Command{
      kGroup, "verify-bundle",
      "check evidence bundles offline: every checksum, digest, root and proof", "PATH...", -1,
      [](po::options_description& options) {
        options.add_options()("source-format", po::value<std::string>()->value_name("FORMAT"),
                              "read PATH with the importer of FORMAT")(
            "expect-root", po::value<std::string>()->value_name("ROOT"),
            "also require the evidence to commit to the global root ROOT, obtained from the "
            "source by another channel: a bundle proves itself only up to its own root")(
            "output", po::value<std::string>()->value_name("FILE"),
            "also write the JSON report (schemas/verify-bundle-report.schema.json) to FILE");
        add_limit_options(options);
      },
      "Needs no database. Each PATH is a directory written by `stella evidence export`, a\n"
      "portable .tar.gz, or an object store; several may be given (a shell glob). Every failing\n"
      "value is named: the file, tenant, bundle or artifact, what was expected, what was found.\n"
      "\n"
      "Example (runbook): stella evidence verify-bundle /backup/evidence-*/\n"
      "A bundle altered and re-rooted end to end (digests, roots, proofs, checksums, signatures\n"
      "under a new key) verifies on its own; only the root the source recorded tells it apart:\n"
      "  stella evidence verify-bundle --expect-root sha256:… evidence.tar.gz\n"
      "\n"
      "Exit codes: 0 every bundle verifies; 1 a bundle does not (including one that is unsafe,\n"
      "malformed or truncated); 2 a PATH is missing or not a bundle at all; 3 no importer plugin\n"
      "reads its format.",
      run_verify_bundle});
}

}  // namespace stella::host
