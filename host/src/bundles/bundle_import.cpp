// `stella evidence import`: verify every source completely, compare it with the store, then load
// what is new in one transaction that also recomputes the roots and records the audit event. One
// source into a database without a store is verified and loaded in the same read, inside the one
// transaction that also creates the store: nothing is committed unless all of it verified.
#include "stella/host/bundles/bundle_import.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "bundles/bundle_documents.hpp"
#include "bundles/bundle_fingerprint.hpp"
#include "bundles/canonical_json.hpp"
#include "bundles/deferred_key_builds.hpp"
#include "bundles/deferred_reference_checks.hpp"
#include "bundles/importer_selection.hpp"
#include "bundles/loading_sink.hpp"
#include "bundles/new_store_load.hpp"
#include "bundles/rfc3339_time.hpp"
#include "bundles/sink_recording.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/bundles/expected_global_root.hpp"
#include "stella/host/bundles/source_verification.hpp"
#include "stella/host/evidence/evidence_write_lock.hpp"
#include "stella/host/evidence/store_init.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/hasher_for_algorithm.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/migration/evidence_write_guard.hpp"
#include "stella/host/reindex/reindex_runner.hpp"
#include "stella/host/reindex/store_config.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/host/store/sqlstate.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Bundle ids looked up in the store per query.
constexpr std::size_t kLookupBatch = 1000;
/// Problems or conflicts named in an error message; the rest are counted.
constexpr std::size_t kNamedInMessage = 5;

struct Source {
  VerifiedSource verified;
  /// The source's schema version from its manifest, when it has one.
  std::string schema_version;
  /// Its tenants as the loading pass saw them, with roots in the store's algorithm (empty when
  /// nothing was loaded).
  std::vector<VerifiedTenant> loaded_tenants = {};
  /// What the importer sent while it was verified, replayed to load it.
  std::unique_ptr<SinkRecording> recording = {};
};

std::string problems_text(const SourceVerification& result) {
  std::string text;
  for (std::size_t i = 0; i < result.problems.size() && i < kNamedInMessage; ++i) {
    const BundleProblem& p = result.problems[i];
    text += "\n  " + p.check + ": " + p.message;
    if (!p.file.empty()) {
      text += " [" + p.file + "]";
    } else if (!p.artifact.empty()) {
      text += " [" + p.tenant + "/" + p.bundle + "/" + p.artifact + "]";
    } else if (!p.bundle.empty()) {
      text += " [" + p.tenant + "/" + p.bundle + "]";
    }
  }
  if (result.problem_count > static_cast<std::int64_t>(kNamedInMessage)) {
    text += "\n  ... and " + std::to_string(result.problem_count - kNamedInMessage) + " more";
  }
  return text;
}

/// Nothing is imported from a source that does not verify, or that commits to another global
/// root than the one the operator expects.
void require_verified(VerifiedSource& source, const std::optional<std::string>& expected_root) {
  if (expected_root) {
    check_expected_global_root(source.result, *expected_root);
  }
  const SourceVerification& result = source.result;
  if (!result.passed()) {
    throw sdk::Error(
        sdk::ErrorCode::verification_failed,
        source.location + " does not verify (" + std::to_string(result.problem_count) + " problem" +
            (result.problem_count == 1 ? "" : "s") +
            "); nothing was imported:" + problems_text(result),
        // With the root the operator expects: without it verify-bundle passes a bundle that is
        // consistent with itself, which is what an altered and re-rooted one is.
        "see every problem with `stella evidence verify-bundle " +
            (expected_root ? "--expect-root " + *expected_root + " " : std::string()) +
            source.location + "`");
  }
}

/// A store at schema 1.0 keeps sha256 digests only.
void require_store_keeps(const std::string& version, const std::string& store_algorithm,
                         const std::string& algorithm) {
  if (store_algorithm != algorithm && version != kGenerationsSchemaVersion) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "a store at schema " + version + " holds " + store_algorithm +
                         " digests only; the source holds " + algorithm +
                         " digests; nothing was imported",
                     "import into a store at schema " + std::string(kGenerationsSchemaVersion) +
                         " (--schema-version " + kGenerationsSchemaVersion +
                         "), which keeps several digest algorithms");
  }
}

bool session_is_superuser(PgConnection& connection) {
  return connection.exec("SELECT current_setting('is_superuser') = 'on'").get(0, 0) == "t";
}

std::string stored_fingerprint(const StoredBundle& stored) {
  BundleIdentity identity;
  identity.tenant = stored.bundle.tenant_id;
  identity.bundle_id = stored.bundle.bundle_id;
  identity.kind = stored.bundle.kind;
  identity.status = stored.bundle.status;
  identity.subject = stored.bundle.subject;
  identity.created_at_unix_us = parse_rfc3339_utc_micros(stored.bundle.created_at).value_or(-1);
  identity.sealed_at_unix_us = parse_rfc3339_utc_micros(stored.bundle.sealed_at).value_or(-1);
  identity.root = stored.bundle.stored_root;
  if (stored.bundle.attestation) {
    identity.attestation = canonical_json(*stored.bundle.attestation);
  }
  for (const StoredArtifactRef& artifact : stored.artifacts) {
    identity.artifacts.push_back({artifact.path, artifact.media_type, artifact.digest});
  }
  return bundle_fingerprint(std::move(identity));
}

/// What the store already holds of the sources.
struct StoreComparison {
  std::unordered_set<std::string> identical;
  std::vector<std::string> conflicts;
  std::map<std::string, std::int64_t> tenant_bundles;
  std::set<std::string> keys_present;
  std::vector<std::string> key_conflicts;
  std::string global_root;
  std::int64_t store_bundles = 0;
};

StoreComparison compare_with_store(PgConnection& connection, const StoreLayout& layout,
                                   const std::vector<Source>& sources) {
  StoreComparison comparison;
  // Its own snapshot before the load; inside the load's transaction (which holds the writers'
  // locks, so nothing commits under it) it reads there.
  const bool own_snapshot = !connection.in_transaction();
  if (own_snapshot) {
    connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  try {
    for (const TenantTotals& totals : layout.tenant_totals(connection)) {
      comparison.tenant_bundles[totals.tenant_id] = totals.bundles;
      comparison.store_bundles += totals.bundles;
    }
    const StoredRoots roots = layout.stored_roots(connection);
    comparison.global_root = roots.global ? roots.global->root : std::string();
    std::map<std::string, const SigningKeyRecord*> stored_keys;
    const std::vector<SigningKeyRecord> keys = layout.signing_keys(connection);
    for (const SigningKeyRecord& key : keys) {
      stored_keys[key.key_id] = &key;
    }
    for (const Source& source : sources) {
      for (const SigningKeyRecord& key : source.verified.result.signing_keys) {
        const auto stored = stored_keys.find(key.key_id);
        if (stored == stored_keys.end()) {
          continue;
        }
        comparison.keys_present.insert(key.key_id);
        if (stored->second->public_key_pem != key.public_key_pem) {
          comparison.key_conflicts.push_back(key.key_id);
        }
      }
      std::unordered_map<std::string, const VerifiedBundle*> by_id;
      std::vector<std::string> ids;
      for (const VerifiedBundle& bundle : source.verified.bundles) {
        by_id[bundle.bundle_id] = &bundle;
        ids.push_back(bundle.bundle_id);
      }
      for (std::size_t start = 0; start < ids.size(); start += kLookupBatch) {
        const std::size_t count = std::min(kLookupBatch, ids.size() - start);
        for (const StoredBundle& stored :
             layout.find_bundles(connection, std::span(ids).subspan(start, count))) {
          const VerifiedBundle& incoming = *by_id.at(stored.bundle.bundle_id);
          if (stored_fingerprint(stored) == incoming.fingerprint_in_store()) {
            comparison.identical.insert(incoming.bundle_id);
          } else {
            comparison.conflicts.push_back(incoming.bundle_id + " (tenant " + incoming.tenant +
                                           ", from " + source.verified.location + ")");
          }
        }
      }
    }
  } catch (...) {
    if (own_snapshot) {
      connection.exec("ROLLBACK");
    }
    throw;
  }
  if (own_snapshot) {
    connection.exec("ROLLBACK");
  }
  return comparison;
}

std::string listed(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < kNamedInMessage; ++i) {
    text += (i == 0 ? "" : "; ") + items[i];
  }
  if (items.size() > kNamedInMessage) {
    text += "; ... and " + std::to_string(items.size() - kNamedInMessage) + " more";
  }
  return text;
}

/// The import event's data. `reindex_to` is the algorithm the new store is reindexed to right
/// after this commit (its own reindex and root_hash_change events follow), or empty.
std::string import_event_data(const ImportSummary& summary, const std::string& roots_compared_in,
                              const std::string& reindex_to) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("sources");
  w.StartArray();
  for (const ImportedSourceSummary& source : summary.sources) {
    w.StartObject();
    w.Key("path");
    w.String(source.location);
    w.Key("source_format");
    w.String(source.source_format);
    w.Key("plugin");
    w.String(source.plugin_id);
    w.Key("manifest_digest");
    w.String(source.manifest_digest);
    w.Key("declared_global_root");
    w.String(source.declared_global_root);
    w.Key("bundles");
    w.Int64(source.bundles);
    w.Key("artifacts");
    w.Int64(source.artifacts);
    w.EndObject();
  }
  w.EndArray();
  w.Key("store_created");
  w.Bool(summary.store_created);
  w.Key("schema_version");
  w.String(summary.schema_version);
  w.Key("algorithm");
  w.String(summary.algorithm);
  w.Key("global_root_before");
  w.String(summary.global_root_before);
  w.Key("global_root_after");
  w.String(summary.global_root_after);
  w.Key("roots_equal_declared");
  w.Bool(summary.roots_equal_declared);
  w.Key("roots_compared_in");
  w.String(roots_compared_in);
  if (!reindex_to.empty()) {
    w.Key("reindex_to");
    w.String(reindex_to);
  }
  w.Key("tenant_roots");
  w.StartArray();
  for (const StoredTenantRoot& tenant : summary.tenant_roots) {
    w.StartObject();
    w.Key("tenant");
    w.String(tenant.tenant_id);
    w.Key("root");
    w.String(tenant.root);
    w.Key("bundles");
    w.Int64(tenant.bundle_count);
    w.EndObject();
  }
  w.EndArray();
  w.Key("counts");
  w.StartObject();
  w.Key("bundles_imported");
  w.Int64(summary.bundles_imported);
  w.Key("bundles_already_present");
  w.Int64(summary.bundles_already_present);
  w.Key("artifacts_imported");
  w.Int64(summary.artifacts_imported);
  w.Key("attestations_imported");
  w.Int64(summary.attestations_imported);
  w.Key("tenants_created");
  w.Int64(summary.tenants_created);
  w.Key("signing_keys_added");
  w.Int64(summary.signing_keys_added);
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string active_algorithm(PgConnection& connection, const StoreLayout& layout) {
  for (const DigestGeneration& generation : layout.generations(connection)) {
    if (generation.active) {
      return generation.algorithm;
    }
  }
  throw sdk::Error(sdk::ErrorCode::refused,
                   "the store has no active digest generation; nothing was imported",
                   "check the store with `stella evidence verify-all`");
}

void note(const ImportOptions& options, const std::string& line) {
  if (options.note) {
    options.note(line);
  }
}

/// Records the import (in the caller's transaction) and fills the summary's roots.
void finish_summary_roots(PgConnection& connection, const StoreLayout& layout,
                          ImportSummary& summary, const std::set<std::string>& source_tenants) {
  const StoredRoots roots = layout.stored_roots(connection);
  summary.global_root_after = roots.global ? roots.global->root : std::string();
  summary.tenant_roots.clear();
  for (const StoredTenantRoot& tenant : roots.tenants) {
    if (source_tenants.count(tenant.tenant_id) != 0) {
      summary.tenant_roots.push_back(tenant);
    }
  }
}

std::string root_of(const std::vector<StoredTenantRoot>& roots, const std::string& tenant) {
  for (const StoredTenantRoot& root : roots) {
    if (root.tenant_id == tenant) {
      return root.root;
    }
  }
  return {};
}

/// Every tenant root a source declares is the store's, and when one complete source went into an
/// empty store, so is its global root. With `in_store_algorithm`, the source's roots recomputed in
/// the store's algorithm stand for the declared ones: before the new store is reindexed to the
/// source's algorithm, its roots can only equal those.
bool roots_equal_declared(const ImportSummary& summary, const std::vector<Source>& sources,
                          bool in_store_algorithm = false) {
  for (const Source& source : sources) {
    const SourceVerification& result = source.verified.result;
    if (in_store_algorithm) {
      for (const VerifiedTenant& tenant : source.loaded_tenants) {
        if (root_of(summary.tenant_roots, tenant.tenant) != tenant.store_root) {
          return false;
        }
      }
      continue;
    }
    for (const VerifiedTenant& tenant : result.tenants) {
      if (root_of(summary.tenant_roots, tenant.tenant) !=
          tenant.declared_root.value_or(tenant.computed_root)) {
        return false;
      }
    }
    if (sources.size() == 1 && result.global_root_recomputed && result.declared_global_root &&
        *result.declared_global_root != summary.global_root_after) {
      return false;
    }
  }
  return true;
}

/// The import; `version_seen` is the store's schema version when it began (nullopt: no store).
ImportSummary import_once(const std::string& conninfo, PluginRegistry& registry,
                          const ImportOptions& options, sdk::HostContext& ctx,
                          std::optional<std::string>& version_seen) {
  if (options.locations.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, "import needs at least one PATH",
                     "for example: stella evidence import /backup/evidence-20260131/");
  }
  ImportSummary summary;

  // Every path is a source an importer recognizes before anything else is done: a wrong path is
  // named as such even when the database is down, and before any note says it is being read.
  for (const std::string& location : options.locations) {
    select_importer(registry, location, options.source_format);
  }

  // 0. What the database holds decides in which algorithm bundles are compared and loaded.
  const auto connection = PgConnection::connect(conninfo);
  const std::optional<std::string> existing = detect_store_version(*connection);
  version_seen = existing;
  std::unique_ptr<StoreLayout> layout;
  std::string store_algorithm;
  if (existing) {
    layout = open_store_layout(*connection);
    // Stored bundles are compared in the active generation's algorithm.
    store_algorithm = active_algorithm(*connection, *layout);
  }

  // 1. Verify every source completely; nothing is written before all of them passed. Except: one
  // source into a database without a store is verified and loaded in the same read, inside the
  // transaction that also creates the store (new_store_load.hpp), and nothing is committed unless
  // all of it verified. Where the session may not defer reference checks, it is read twice.
  const bool one_read =
      !existing && options.locations.size() == 1 && session_is_superuser(*connection);
  // The load's transaction, holding the import lock: begun before the read into a new store, after
  // the verification otherwise.
  std::optional<PgTransaction> transaction;
  // "No store" was decided before any lock: an import that ran meanwhile may have created one.
  const auto refuse_if_store_created_meanwhile = [&] {
    if (existing) {
      return;
    }
    if (const auto created = detect_store_version(*connection)) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "another import created an evidence store (schema " + *created +
                           ") in this database while this one was under way; nothing was "
                           "imported",
                       "run the import again: it then compares the source with that store and "
                       "adds what is missing");
    }
  };
  const auto begin_load = [&] {
    transaction.emplace(*connection);
    // The lock of every writer that recomputes the stored roots (seed, quarantine), then the
    // imports' own, in the order a migration takes them too: a seed committing between this
    // import's roots and its commit would leave stored roots that miss one of the two.
    take_evidence_write_lock(*connection, [&](const std::string& line) { note(options, line); });
    connection->exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kImportLockKey)});
    if (!summary.store_created) {
      refuse_if_store_created_meanwhile();
    }
    refuse_evidence_writes_during_migration(*connection, "import");
  };
  std::optional<NewStoreLoad> one_read_load;
  std::vector<Source> sources;
  if (one_read) {
    const std::string& location = options.locations.front();
    note(options, "verifying " + location +
                      " and loading it into a new store in the same read (nothing is committed "
                      "unless all of it verifies)");
    begin_load();
    one_read_load =
        load_into_new_store(*connection, registry, location, options.source_format,
                            options.schema_version, options.limits, options.operator_name, ctx);
    require_verified(one_read_load->verified, options.expected_global_root);
    if (one_read_load->creation_failure) {
      std::rethrow_exception(one_read_load->creation_failure);
    }
    Source source{std::move(one_read_load->verified), ""};
    source.schema_version = manifest_schema_version(source.verified.result.manifest_json);
    // Loaded by the same read: its tenants' roots are in the new store's algorithm already.
    source.loaded_tenants = source.verified.result.tenants;
    sources.push_back(std::move(source));
  } else {
    for (const std::string& location : options.locations) {
      note(options, "verifying " + location);
      // A directory source is a file per artifact: reading it again costs far more than replaying
      // a recording. An archive is one sequential stream, cheaper to read again than to record.
      std::error_code not_a_directory;
      auto recording = std::filesystem::is_directory(location, not_a_directory)
                           ? std::make_unique<SinkRecording>()
                           : nullptr;
      Source source{verify_source(registry, location, options.source_format, options.limits, ctx,
                                  UnreadableSource::refuse, store_algorithm, recording.get()),
                    ""};
      source.recording = std::move(recording);
      require_verified(source.verified, options.expected_global_root);
      source.schema_version = manifest_schema_version(source.verified.result.manifest_json);
      sources.push_back(std::move(source));
    }
  }
  const std::string algorithm = sources.front().verified.result.algorithm;
  // bundle id -> (fingerprint, index of the source), to find a bundle two sources disagree about;
  // views into the sources' bundle records, which stay put. Only needed for several sources.
  std::unordered_map<std::string_view, std::pair<std::string_view, std::size_t>> seen;
  std::set<std::string> source_tenants;
  std::map<std::string, std::string> display_names;
  for (std::size_t index = 0; index < sources.size(); ++index) {
    const Source& source = sources[index];
    const SourceVerification& result = source.verified.result;
    if (result.algorithm != algorithm) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       source.verified.location + " holds " + result.algorithm + " digests, " +
                           sources.front().verified.location + " holds " + algorithm +
                           "; nothing was imported",
                       "import sources of one digest algorithm at a time");
    }
    for (const VerifiedBundle& bundle : source.verified.bundles) {
      if (sources.size() == 1) {
        break;
      }
      const auto [entry, inserted] = seen.emplace(
          bundle.bundle_id, std::make_pair(std::string_view(bundle.fingerprint), index));
      if (!inserted && entry->second.first != bundle.fingerprint) {
        throw sdk::Error(sdk::ErrorCode::invalid_input,
                         "bundle " + bundle.bundle_id + " differs between " +
                             sources[entry->second.second].verified.location + " and " +
                             source.verified.location + "; nothing was imported",
                         "two sources disagree about one sealed bundle: find out which is right "
                         "before importing either");
      }
    }
    for (const VerifiedTenant& tenant : result.tenants) {
      source_tenants.insert(tenant.tenant);
      if (!tenant.display_name.empty()) {
        display_names[tenant.tenant] = tenant.display_name;
      }
    }
    summary.sources.push_back({source.verified.location, source.verified.source_format,
                               source.verified.plugin_id, result.manifest_digest,
                               result.declared_global_root.value_or(""), result.bundles,
                               result.artifacts});
  }
  summary.algorithm = algorithm;

  // 2. Compare with the store (read-only). Again after the load's locks when another writer
  // committed in between (see step 4).
  StoreComparison comparison;
  std::int64_t incoming = 0;
  std::int64_t keys_new = 0;
  std::int64_t tenants_new = 0;
  bool nothing_new = false;
  const auto compare = [&] {
    comparison = StoreComparison{};
    incoming = keys_new = tenants_new = 0;
    if (existing) {
      comparison = compare_with_store(*connection, *layout, sources);
      if (!comparison.conflicts.empty()) {
        throw sdk::Error(sdk::ErrorCode::refused,
                         std::to_string(comparison.conflicts.size()) +
                             " bundle(s) are already in the store with different content: " +
                             listed(comparison.conflicts) + "; nothing was imported",
                         "a sealed bundle must never change: compare the store "
                         "(`stella evidence verify-all`) and the source "
                         "(`stella evidence verify-bundle`) to find out which one is wrong");
      }
      if (!comparison.key_conflicts.empty()) {
        throw sdk::Error(sdk::ErrorCode::refused,
                         "signing key(s) " + listed(comparison.key_conflicts) +
                             " are in the store with another public key; nothing was imported",
                         "the store and the source disagree about who signed the evidence: "
                         "investigate before importing");
      }
    }
    std::set<std::string> key_ids;
    for (const Source& source : sources) {
      incoming += static_cast<std::int64_t>(source.verified.bundles.size());
      for (const SigningKeyRecord& key : source.verified.result.signing_keys) {
        if (comparison.keys_present.count(key.key_id) == 0 && key_ids.insert(key.key_id).second) {
          ++keys_new;
        }
      }
    }
    for (const std::string& tenant : source_tenants) {
      tenants_new += comparison.tenant_bundles.count(tenant) == 0 ? 1 : 0;
    }
    summary.bundles_already_present = static_cast<std::int64_t>(comparison.identical.size());
    nothing_new = existing && static_cast<std::int64_t>(comparison.identical.size()) == incoming &&
                  tenants_new == 0 && keys_new == 0;
  };
  compare();
  // Into a reindexed store, new bundles are loaded into the load generation like any other, and
  // the roots' recomputation gives them digests and roots in every sealed generation, the active
  // one included (recompute_stored_roots → refresh_sealed_generations), as seed does.

  // 3. A database without a store gets one, at the version the source came from.
  if (one_read) {
    layout = std::move(one_read_load->layout);
    require_store_keeps(layout->schema_version(), layout->load_algorithm(), algorithm);
    summary.store_created = true;
    comparison.global_root = one_read_load->global_root_before;
  } else if (!existing) {
    std::string version = options.schema_version.value_or("");
    for (const Source& source : sources) {
      if (version.empty()) {
        version = source.schema_version;
      }
    }
    if (version.empty()) {
      version = kDefaultSchemaVersion;
    }
    if (const auto planned = make_store_layout(version)) {
      require_store_keeps(version, planned->load_algorithm(), algorithm);
    }
    refuse_if_store_created_meanwhile();
    note(options, "creating an evidence store at schema " + version);
    init_store(*connection, version, options.operator_name);
    summary.store_created = true;
    layout = open_store_layout(*connection);
    const StoredRoots roots = layout->stored_roots(*connection);
    comparison.global_root = roots.global ? roots.global->root : std::string();
  }
  summary.schema_version = layout->schema_version();
  summary.global_root_before = comparison.global_root;
  const std::string load_algorithm = layout->load_algorithm();
  const auto load_hasher = hasher_for_algorithm(load_algorithm);

  // 4. Load, recompute, check, record, commit — or nothing.
  if (!transaction) {
    begin_load();
    // The comparison was made before the locks: a writer that committed meanwhile (the same
    // import run twice at once) changed the stored roots, and what it added is no longer new.
    if (existing && layout->stored_roots(*connection).global.value_or(StoredGlobalRoot{}).root !=
                        comparison.global_root) {
      note(options,
           "the store changed while the source was verified (another writer committed); "
           "comparing again");
      compare();
      summary.global_root_before = comparison.global_root;
    }
  }
  if (!nothing_new) {
    // Into an empty store, references are checked once over whole tables after the load (the
    // read into a new store deferred them before it loaded).
    const bool references_deferred =
        one_read || (comparison.store_bundles == 0 && defer_reference_checks(*connection));
    for (const std::string& tenant : source_tenants) {
      const auto name = display_names.find(tenant);
      layout->ensure_tenant(*connection, tenant,
                            name != display_names.end() ? name->second : tenant);
    }
    for (const Source& source : sources) {
      for (const SigningKeyRecord& key : source.verified.result.signing_keys) {
        layout->ensure_signing_key(*connection, key);
      }
    }
    const DeferredKeys deferred_keys = one_read ? std::move(one_read_load->deferred_keys)
                                       : references_deferred
                                           ? defer_key_builds(*connection, kKeysBuiltAfterLoad)
                                           : DeferredKeys{};
    if (one_read) {
      summary.bundles_imported += one_read_load->bundles_loaded;
      summary.artifacts_imported += one_read_load->artifacts_loaded;
      summary.attestations_imported += one_read_load->attestations_loaded;
    }
    std::unordered_set<std::string> skip = comparison.identical;
    for (std::size_t index = 0; index < sources.size() && !one_read; ++index) {
      Source& source = sources[index];
      note(options, "loading " + source.verified.location);
      LoadingSink sink(*connection, *layout, skip);
      if (source.recording && source.recording->complete()) {
        // Exactly what was verified, without reading the source again.
        source.recording->replay(sink);
      } else {
        if (source.recording) {
          note(options, "reading " + source.verified.location + " again to load it (" +
                            source.recording->why_abandoned() + ")");
        }
        SelectedImporter selected =
            select_importer(registry, source.verified.location, source.verified.source_format);
        selected.importer->read(source.verified.location, options.limits, sink, ctx);
      }
      source.recording.reset();
      sink.finish();
      const SourceVerification& again = sink.verifier().result();
      if (!again.passed() || again.stream_digest != source.verified.result.stream_digest) {
        throw sdk::Error(sdk::ErrorCode::refused,
                         source.verified.location +
                             " changed between its verification and its loading (or its recording "
                             "in $TMPDIR did); nothing was imported",
                         "do not change a source while it is imported; run the import again");
      }
      // The second read knows the store's algorithm: its tenant roots are what the store must hold.
      source.loaded_tenants = again.tenants;
      summary.bundles_imported += sink.bundles_loaded();
      summary.artifacts_imported += sink.artifacts_loaded();
      summary.attestations_imported += sink.attestations_loaded();
      // A bundle in two sources is loaded once.
      if (index + 1 < sources.size()) {
        for (const VerifiedBundle& bundle : source.verified.bundles) {
          skip.insert(bundle.bundle_id);
        }
      }
    }
    if (!deferred_keys.names.empty()) {
      note(options, "building the keys of the loaded rows");
      build_deferred_keys(*connection, deferred_keys);
    }
    if (references_deferred) {
      note(options, "checking every reference of the loaded rows");
      check_references_in_bulk(*connection);
    }
    recompute_stored_roots(*connection, *layout, *load_hasher);
  }
  summary.tenants_created = tenants_new;
  summary.signing_keys_added = keys_new;
  finish_summary_roots(*connection, *layout, summary, source_tenants);

  // Wherever the store held nothing else, its roots must come out as the source's (in the
  // store's algorithm) — or the load went wrong, and nothing is committed.
  const bool store_was_empty = comparison.store_bundles == 0;
  for (const Source& source : sources) {
    const SourceVerification& result = source.verified.result;
    MerkleRootBuilder expected_global(*load_hasher);
    for (const VerifiedTenant& tenant : source.loaded_tenants) {
      expected_global.add_leaf_hash(
          tenant_leaf_hash(*load_hasher, tenant.tenant, tenant.store_root));
      const auto before = comparison.tenant_bundles.find(tenant.tenant);
      const bool was_empty = before == comparison.tenant_bundles.end() || before->second == 0;
      const std::string after = root_of(summary.tenant_roots, tenant.tenant);
      if (was_empty && sources.size() == 1 && after != tenant.store_root) {
        throw sdk::Error(sdk::ErrorCode::verification_failed,
                         "after loading, tenant " + tenant.tenant + "'s root is " + after +
                             ", not " + tenant.store_root +
                             " as the source recomputes; nothing was imported",
                         "this is a bug: report it with the source and `stella evidence "
                         "verify-bundle` output");
      }
    }
    const std::string expected = format_digest(load_algorithm, expected_global.root());
    if (!source.loaded_tenants.empty() && store_was_empty && sources.size() == 1 &&
        result.global_root_recomputed && summary.global_root_after != expected) {
      throw sdk::Error(sdk::ErrorCode::verification_failed,
                       "after loading into an empty store, the global root is " +
                           summary.global_root_after + ", not " + expected +
                           " as the source recomputes; nothing was imported",
                       "this is a bug: report it with the source and `stella evidence "
                       "verify-bundle` output");
    }
  }

  ensure_state_schema(*connection);
  // The record must not read as a failed import because the reindex that gives the new store the
  // source's algorithm comes after it: it says which roots were compared, and what follows.
  const bool reindex_follows =
      store_was_empty && algorithm != load_algorithm && summary.bundles_imported > 0;
  summary.roots_equal_declared = roots_equal_declared(summary, sources, reindex_follows);
  summary.audit_event_id =
      append_audit_event(*connection, audit_type::kImport, options.operator_name,
                         import_event_data(summary, reindex_follows ? load_algorithm : algorithm,
                                           reindex_follows ? algorithm : std::string()));
  // The last moment an interruption can still leave the store as it was.
  if (ctx.cancelled()) {
    throw sdk::Error(sdk::ErrorCode::cancelled, "the import was cancelled before its commit");
  }
  transaction->commit();

  // 5. Evidence from a store of another algorithm, imported into a store that held nothing: the
  // new store is reindexed to that algorithm, so that its roots are the source's again.
  if (reindex_follows) {
    note(options, "reindexing the store to " + algorithm + ", the source's algorithm");
    ReindexRequest request;
    request.algorithm = algorithm;
    request.parallel = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    request.operator_name = options.operator_name;
    ReindexObserver quiet;
    ReindexOutcome outcome;
    try {
      outcome = run_reindex(conninfo, registry, request, quiet);
    } catch (const sdk::Error& error) {
      if (error.code() != sdk::ErrorCode::cancelled) {
        throw;
      }
      throw sdk::Error(sdk::ErrorCode::cancelled,
                       "the import is committed (" + std::to_string(summary.bundles_imported) +
                           " bundles, audit event " + std::to_string(summary.audit_event_id) +
                           "), but reindexing the new store to " + algorithm +
                           ", the source's algorithm, was interrupted: " + error.what(),
                       error.hint());
    }
    summary.reindexed_to = outcome.algorithm;
    // The new store's target is the algorithm it was brought to, as the source's was: the
    // runbook's plain `reindex` then finds it at its target instead of failing for want of one.
    if (!read_config(*connection, kHashAlgorithmKey)) {
      write_config(*connection, kHashAlgorithmKey, outcome.algorithm, options.operator_name, {});
    }
    finish_summary_roots(*connection, *open_store_layout(*connection), summary, source_tenants);
    summary.roots_equal_declared = roots_equal_declared(summary, sources);
  }
  return summary;
}

}  // namespace

ImportSummary import_evidence(const std::string& conninfo, PluginRegistry& registry,
                              const ImportOptions& options, sdk::HostContext& ctx) {
  std::optional<std::string> version_seen;
  try {
    return import_once(conninfo, registry, options, ctx, version_seen);
  } catch (const sdk::Error& error) {
    // The layout was chosen when the import began; a migration or rollback that ran while it read
    // its source (writers are refused during a run, but only once the run is recorded) leaves it
    // naming tables and columns of another version. Say that, not PostgreSQL's words.
    if (!version_seen || (!reports_sqlstate(error, sqlstate::kUndefinedColumn) &&
                          !reports_sqlstate(error, sqlstate::kUndefinedTable))) {
      throw;
    }
    std::optional<std::string> now;
    try {
      const auto connection = PgConnection::connect(conninfo);
      now = detect_store_version(*connection);
    } catch (const sdk::Error&) {
      throw error;
    }
    if (now == version_seen) {
      throw;
    }
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store changed from schema " + *version_seen + " to " +
                         now.value_or("none") +
                         " while this import ran (a schema migration or rollback ran at the same "
                         "time); nothing was imported",
                     "run the import again once `stella evidence migrate --status` shows no run "
                     "under way");
  }
}

}  // namespace stella::host
