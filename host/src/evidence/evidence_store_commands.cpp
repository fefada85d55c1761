// The evidence store verbs: init, seed, stats, roots-export, verify-all.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cli/command_registrars.hpp"
#include "evidence/progress_meter.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/date_argument.hpp"
#include "stella/host/audit/verification_record.hpp"
#include "stella/host/cli/counted_noun.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/evidence/atomic_file.hpp"
#include "stella/host/evidence/evidence_write_lock.hpp"
#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/host/evidence/roots_export.hpp"
#include "stella/host/evidence/store_init.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/evidence/store_seeder.hpp"
#include "stella/host/evidence/store_stats.hpp"
#include "stella/host/evidence/store_verifier.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/evidence/verify_report_output.hpp"
#include "stella/host/migration/evidence_write_guard.hpp"
#include "stella/host/reindex/generation_choice.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/lost_connection.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/printable_text.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

constexpr const char* kGroup = "evidence";
constexpr std::int64_t kMicrosPerDay = std::int64_t{86400} * 1000000;

enum class OutputFormat { json = 1, text = 2 };

/// --format for verbs that print data: json or text, `fallback` when not given.
OutputFormat output_format(const Invocation& call, OutputFormat fallback, const char* verb) {
  const std::string& format = call.globals.format;
  if (format.empty()) {
    return fallback;
  }
  if (format == "json") {
    return OutputFormat::json;
  }
  if (format == "text") {
    return OutputFormat::text;
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "--format " + format + " is not supported by `stella evidence " + verb +
                       "`; expected json or text",
                   "use --format json or --format text");
}

std::unique_ptr<PgConnection> connect(const Invocation& call, std::string* conninfo = nullptr) {
  const std::string target = resolve_database(call.globals);
  if (conninfo != nullptr) {
    *conninfo = target;
  }
  return PgConnection::connect(target);
}

std::int64_t unix_micros_now() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string json_object(const std::vector<std::pair<std::string, std::string>>& texts,
                        const std::vector<std::pair<std::string, std::int64_t>>& numbers) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  for (const auto& [key, value] : texts) {
    w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(value);
  }
  for (const auto& [key, value] : numbers) {
    w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
    w.Int64(value);
  }
  w.EndObject();
  return buffer.GetString();
}

// ---- init ----------------------------------------------------------------------------------

int run_init(Invocation& call) {
  std::string version = call.options["schema-version"].as<std::string>();
  if (schema_sql_files(version).empty()) {
    std::string available;
    for (const auto& known : available_schema_versions()) {
      available += (available.empty() ? "" : ", ") + known;
    }
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "unknown schema version '" + version + "'; available: " + available,
                     "run `stella evidence init` (schema " + std::string(kDefaultSchemaVersion) +
                         ") or name an available version with --schema-version");
  }
  auto connection = connect(call);
  // Without --schema-version, a store that exists at any version (a migrated 2.0 store too) is
  // reported as it is rather than refused for not being at the default version.
  if (call.options["schema-version"].defaulted()) {
    if (const auto existing = detect_store_version(*connection)) {
      version = *existing;
    }
  }
  const InitOutcome outcome = init_store(*connection, version, call.globals.operator_name);
  if (outcome.created) {
    call.out << "initialised evidence store at schema " << outcome.schema_version << " in database "
             << outcome.database << '\n';
  } else {
    call.out << "store already initialised at schema " << outcome.schema_version
             << "; nothing changed\n";
  }
  return kExitSuccess;
}

// ---- seed ----------------------------------------------------------------------------------

int run_seed(Invocation& call) {
  SeedOptions options;
  options.tenants = call.options["tenants"].as<int>();
  options.bundles_per_tenant = call.options["bundles"].as<std::int64_t>();
  options.artifacts_per_bundle = call.options["artifacts-per-bundle"].as<int>();
  options.seed = call.options["seed"].as<std::uint64_t>();
  options.artifact_bytes = call.options["artifact-size"].as<std::size_t>();
  options.until_unix_us = unix_micros_now();
  const OutputFormat format = output_format(call, OutputFormat::text, "seed");

  auto connection = connect(call);
  if (call.options.count("since")) {
    const std::string since =
        parse_date_argument(call.options["since"].as<std::string>(), "--since");
    options.since_unix_us =
        connection->exec("SELECT (extract(epoch FROM $1::timestamptz) * 1000000)::bigint", {since})
            .get_int64(0, 0);
  } else {
    options.since_unix_us = options.until_unix_us - kDefaultSeedSpanDays * kMicrosPerDay;
  }

  PgTransaction transaction(*connection);
  take_evidence_write_lock(*connection, [&call](const std::string& line) {
    if (!call.globals.quiet) {
      call.err << "seed: " << line << '\n';
    }
  });
  refuse_evidence_writes_during_migration(*connection, "seed");
  const auto layout = open_store_layout(*connection);
  ProgressMeter meter(call.err, call.globals, "seed", "bundles",
                      static_cast<std::int64_t>(options.tenants) * options.bundles_per_tenant);
  const SeedSummary summary =
      seed_store(*connection, *layout, options, [&](std::int64_t done) { meter.update(done); });
  meter.finish();
  append_audit_event(*connection, audit_type::kSeed, call.globals.operator_name,
                     json_object({{"since", iso8601_from_unix_micros(options.since_unix_us)},
                                  {"until", iso8601_from_unix_micros(options.until_unix_us)},
                                  {"key_id", summary.key_id},
                                  {"global_root", summary.roots.global_root}},
                                 {{"seed", static_cast<std::int64_t>(options.seed)},
                                  {"tenants", summary.tenants},
                                  {"bundles_per_tenant", options.bundles_per_tenant},
                                  {"artifacts_per_bundle", options.artifacts_per_bundle},
                                  {"bundles_added", summary.bundles},
                                  {"artifacts_added", summary.artifacts},
                                  {"bytes_added", summary.bytes}}));
  transaction.commit();

  if (format == OutputFormat::json) {
    call.out << json_object({{"globalRoot", summary.roots.global_root},
                             {"algorithm", summary.roots.algorithm},
                             {"keyId", summary.key_id}},
                            {{"tenants", summary.tenants},
                             {"bundlesAdded", summary.bundles},
                             {"artifactsAdded", summary.artifacts},
                             {"bytesAdded", summary.bytes},
                             {"legalHoldsAdded", summary.legal_holds},
                             {"bundleCount", summary.roots.bundle_count},
                             {"artifactCount", summary.roots.artifact_count}})
             << '\n';
  } else {
    call.out << "seeded " << counted(summary.bundles, "bundle") << " ("
             << counted(summary.artifacts, "artifact") << ", " << summary.bytes << " bytes) into "
             << counted(summary.tenants, "tenant") << "; the store now holds "
             << counted(summary.roots.bundle_count, "bundle") << '\n'
             << "global root " << summary.roots.global_root << '\n';
  }
  return kExitSuccess;
}

// ---- stats ---------------------------------------------------------------------------------

int run_stats(Invocation& call) {
  const OutputFormat format = output_format(call, OutputFormat::json, "stats");
  StatsOptions options;
  options.detailed = call.options["detailed"].as<bool>();
  options.by_type = call.options["by-type"].as<bool>();
  auto connection = connect(call);
  const auto layout = open_store_layout(*connection);
  const StoreStats stats = collect_store_stats(*connection, *layout, options);
  call.out << (format == OutputFormat::json ? stats_to_json(stats) : stats_to_text(stats));
  return kExitSuccess;
}

// ---- roots-export --------------------------------------------------------------------------

int run_roots_export(Invocation& call) {
  const OutputFormat format = output_format(call, OutputFormat::json, "roots-export");
  std::vector<std::string> tenants;
  if (call.options.count("tenant")) {
    tenants = call.options["tenant"].as<std::vector<std::string>>();
  }
  if (call.options["all"].as<bool>() && !tenants.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--all and --tenant were both given; expected one of them",
                     "use --all (every tenant, the default) or --tenant T (repeatable)");
  }
  if (call.options.count("output")) {
    require_writable_output(call.options["output"].as<std::string>());
  }
  auto connection = connect(call);
  const auto layout =
      layout_for_chosen_generation(*connection, open_store_layout(*connection), call.options);
  const RootsExport exported = collect_roots_export(*connection, *layout, tenants);
  const std::string text = format == OutputFormat::json ? roots_export_to_json(exported)
                                                        : roots_export_to_text(exported);
  if (call.options.count("output")) {
    const std::string path = call.options["output"].as<std::string>();
    write_file_atomically(path, text);
    if (!call.globals.quiet) {
      call.err << "wrote the roots of " << exported.roots.tenants.size() << " tenants to "
               << sdk::printable_text(path) << '\n';
    }
  } else {
    call.out << text;
  }
  return kExitSuccess;
}

// ---- verify-all ----------------------------------------------------------------------------

int run_verify_all(Invocation& call) {
  const OutputFormat format = output_format(call, OutputFormat::text, "verify-all");
  if (call.options.count("output")) {
    require_writable_output(call.options["output"].as<std::string>());
  }
  std::string conninfo;
  auto connection = connect(call, &conninfo);
  const auto layout =
      layout_for_chosen_generation(*connection, open_store_layout(*connection), call.options);

  VerifyOptions options;
  options.attestation_workers = call.options["parallel"].as<unsigned>();
  ProgressMeter meter(call.err, call.globals, "verify-all", "artifacts", 0);
  options.progress = [&](std::int64_t done, std::int64_t total) {
    meter.set_total(total);
    meter.update(done);
  };
  VerifyReport report = check_said_on_lost_connection(
      "verify-all", [&] { return verify_store(conninfo, *layout, options); });
  meter.set_total(report.checked.artifacts);
  meter.update(report.checked.artifacts);
  meter.finish();

  std::string report_path;
  if (call.options.count("output")) {
    report_path = call.options["output"].as<std::string>();
    write_file_atomically(report_path, verify_report_to_json(report));
  }
  // The report first: when the role may not record the verification, the refusal that follows
  // says so, and the operator still has what was found.
  call.out << (format == OutputFormat::json ? verify_report_to_json(report)
                                            : verify_report_to_text(report));
  // The verification event is the only write, in its own short transaction after the read-only
  // walk, so that verify-all holds no lock while it reads.
  record_verification(*connection, call.globals.operator_name,
                      verify_audit_data(report, report_path),
                      std::string("verify-all: ") + (report.passed() ? "PASS" : "FAIL") + " (" +
                          std::to_string(report.checked.bundles) + " bundles, " +
                          std::to_string(report.anomaly_count) + " anomalies)");
  if (!report_path.empty() && !call.globals.quiet) {
    call.err << "wrote the verification report to " << sdk::printable_text(report_path) << '\n';
  }
  return report.passed() ? kExitSuccess : kExitVerificationFailed;
}

unsigned default_parallelism() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

}  // namespace

void register_evidence_store_commands(CommandTable& table) {
  table.add(Command{
      kGroup, "init", "create the evidence store (schema evidence) and the tool's state schema", "",
      0,
      [](po::options_description& options) {
        options.add_options()("schema-version",
                              po::value<std::string>()->default_value(kDefaultSchemaVersion),
                              "schema version to create");
      },
      "On a database that already holds a store, init says so and changes nothing (exit 0).\n"
      "An unknown --schema-version exits 2 and lists the available versions.",
      run_init, true});

  table.add(Command{
      kGroup, "seed",
      "add deterministic, realistic, signed evidence bundles (trials, tests, benchmarks)", "", 0,
      [](po::options_description& options) {
        options.add_options()("tenants", po::value<int>()->required(),
                              "seed the first T tenants of the seed's tenant list (acme, globex, "
                              "initech, ...; created when missing)")(
            "bundles", po::value<std::int64_t>()->required(),
            "new bundles PER TENANT (the store gains T x N bundles)")(
            "artifacts-per-bundle", po::value<int>()->default_value(kDefaultArtifactsPerBundle),
            "artifacts in each bundle (SBOM, VEX, scan results, policy verdict, provenance, ...)")(
            "seed", po::value<std::uint64_t>()->default_value(1),
            "random seed: the same seed on the same store gives the same bundles and roots")(
            "since", po::value<std::string>(),
            "spread creation and seal times from DATE (YYYY-MM-DD or RFC 3339) until now; default "
            "180 days ago")("artifact-size",
                            po::value<std::size_t>()->default_value(kDefaultArtifactBytes),
                            "approximate artifact size in bytes (each varies by up to 25%)");
      },
      "Bundles are loaded with binary COPY in one transaction, then the tenant roots and the "
      "global\n"
      "root are recomputed and stored. Seeding a store again adds bundles with new ids. Contents,\n"
      "ids and roots depend only on the arguments (and what the store held); times follow the\n"
      "clock. Each bundle's DSSE attestation is signed with an Ed25519 key derived from --seed,\n"
      "whose public key is stored in evidence.signing_keys.\n\n"
      "Example: stella evidence seed --tenants 2 --bundles 5 --artifacts-per-bundle 4 --seed 7",
      run_seed});

  table.add(Command{
      kGroup, "stats", "counts of the store (JSON by default), per tenant and per type", "", 0,
      [](po::options_description& options) {
        options.add_options()(
            "detailed", po::bool_switch(),
            "per tenant: bundles, artifacts, bytes, root, oldest and newest, generations")(
            "by-type", po::bool_switch(),
            "count and bytes per bundle kind and per media type, per tenant");
      },
      "Prints JSON (schemas/stats.schema.json) unless --format text.\n"
      "Runbook: stella evidence stats --detailed > pre-migration-stats.json",
      run_stats});

  table.add(Command{kGroup, "roots-export",
                    "the stored Merkle roots: global root and per-tenant roots (JSON)", "", 0,
                    [](po::options_description& options) {
                      options.add_options()("all", po::bool_switch(), "every tenant (the default)")(
                          "tenant", po::value<std::vector<std::string>>()->composing(),
                          "only tenant T (repeatable); the global root stays the store's")(
                          "output", po::value<std::string>(),
                          "write to FILE (atomically) instead of stdout");
                      add_generation_options(options, true);
                    },
                    "Prints JSON (schemas/roots-export.schema.json) unless --format text.\n"
                    "Runbook: OLD_MERKLE_ROOT=$(stella evidence roots-export --format json | jq -r "
                    "'.globalRoot')",
                    run_roots_export});

  table.add(Command{
      kGroup, "verify-all", "recompute every digest and root and check every attestation signature",
      "", 0,
      [](po::options_description& options) {
        options.add_options()("output", po::value<std::string>(),
                              "write the JSON report (schemas/verify-report.schema.json) to FILE")(
            "parallel", po::value<unsigned>()->default_value(default_parallelism()),
            "threads checking attestation signatures beside the hashing thread (0: inline)");
        add_generation_options(options, false);
      },
      "Prints a summary on stdout (the JSON report with --format json). Records a verification\n"
      "event in the audit trail. Exit 0 when everything matches; exit 1 naming each problem\n"
      "(tenant, bundle, artifact, expected, found); exit 3 when there is no store.\n"
      "Runbook: stella evidence verify-all --output pre-migration-verify.json",
      run_verify_all});
}

}  // namespace stella::host
