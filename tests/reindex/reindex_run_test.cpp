// `stella evidence reindex` and `config` through the real CLI on real schema 2.0 stores: the
// target setting, refusals, the dry run changing nothing, a reindex that seals a new generation
// while payloads and old digests stay byte for byte, --since, and the audit trail.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
#include <sstream>
#include <thread>

#include "reindex/generation_store.hpp"
#include "reindex/reindex_test_support.hpp"
#include "support/background_stella.hpp"
#include "support/scratch_database.hpp"
#include "support/waiting_advisory_locks.hpp"

namespace {

using stella::test::BackgroundStella;
using stella::test::check_generation;
using stella::test::GenerationStore;
using stella::test::IngestOptions;
using stella::test::kWaitingAdvisoryLocksSql;
using stella::test::mentions;
using stella::test::ProcessResult;
using stella::test::valid_json;

/// What reindex must never change: payload bytes, old digests, old roots.
constexpr const char* kContentsQuery =
    "SELECT content_address, size_bytes, md5(content) FROM evidence.contents ORDER BY 1";
constexpr const char* kOldDigestsQuery =
    "SELECT bundle_id, path, digest FROM evidence.artifact_digests WHERE generation = 1 "
    "ORDER BY 1, 2";
constexpr const char* kOldRootsQuery =
    "SELECT 'bundle', bundle_id, root FROM evidence.bundle_roots WHERE generation = 1 UNION ALL "
    "SELECT 'tenant', tenant_id, root FROM evidence.tenant_roots WHERE generation = 1 UNION ALL "
    "SELECT 'global', '', root FROM evidence.global_roots WHERE generation = 1";

std::string every_table_digest(GenerationStore& store) {
  // Every table of both schemas, row by row (a dry run must leave all of them as they were).
  const std::string tables = store.scalar(
      "SELECT string_agg(quote_ident(schemaname) || '.' || quote_ident(tablename), "
      "',' ORDER BY schemaname, tablename) FROM pg_tables "
      "WHERE schemaname IN ('evidence', 'stella')");
  std::string digest;
  std::size_t start = 0;
  while (start <= tables.size()) {
    const std::size_t comma = tables.find(',', start);
    const std::string table = tables.substr(start, comma - start);
    digest += table + "=" + store.rows_digest("SELECT * FROM " + table) + ";";
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return digest;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config_setting)

BOOST_AUTO_TEST_CASE(set_get_validates_against_installed_plugins_and_is_audited) {
  GenerationStore store("rx_config");
  ProcessResult get = store.stella({"evidence", "config", "get", "hash-algorithm"});
  BOOST_TEST(get.exit_code == 0);
  BOOST_TEST(get.out.empty());
  BOOST_TEST(mentions(get.err, "hash-algorithm is not set"));

  const ProcessResult set = store.stella({"evidence", "config", "set", "hash-algorithm", "sha512"});
  BOOST_TEST_REQUIRE(set.exit_code == 0, set.err);
  get = store.stella({"evidence", "config", "get", "hash-algorithm"});
  BOOST_TEST(get.out == "sha512\n");
  BOOST_TEST(store.scalar("SELECT data->>'new_value' FROM stella.audit_events "
                          "WHERE event_type = 'config_change' ORDER BY id DESC LIMIT 1") ==
             "sha512");

  const ProcessResult typo =
      store.stella({"evidence", "config", "set", "hash-algorithm", "sha521"});
  BOOST_TEST(typo.exit_code == 2);
  BOOST_TEST(mentions(typo.err, "installed reindexer plugins provide"));
  BOOST_TEST(mentions(typo.err, "sha512"));
  const ProcessResult key = store.stella({"evidence", "config", "set", "hash-algoritm", "sha512"});
  BOOST_TEST(key.exit_code == 2);
  BOOST_TEST(mentions(key.err, "did you mean 'hash-algorithm'"));
  // A refused value changed nothing.
  BOOST_TEST(store.stella({"evidence", "config", "get", "hash-algorithm"}).out == "sha512\n");

  const rapidjson::Document one = valid_json(
      store.stella({"evidence", "config", "get", "hash-algorithm", "--format", "json"}).out,
      "config.schema.json");
  BOOST_TEST(std::string(one["value"].GetString()) == "sha512");
  const rapidjson::Document all = valid_json(
      store.stella({"evidence", "config", "get", "--format", "json"}).out, "config.schema.json");
  BOOST_TEST(all.IsArray());
  BOOST_TEST(all.Size() == 1U);
}

BOOST_AUTO_TEST_CASE(concurrent_sets_each_record_the_value_they_replaced) {
  // While the key was unset there was no row to lock: every concurrent first set read "unset" and
  // the audit trail told a history that never happened.
  GenerationStore store("rx_config_race");
  const auto holder = stella::host::PgConnection::connect(store.conninfo());
  holder->exec("BEGIN");
  holder->exec("SELECT pg_advisory_xact_lock(hashtext('stella.config:hash-algorithm'))");
  std::vector<std::unique_ptr<BackgroundStella>> setters;
  for (const char* algorithm : {"sha384", "sha512", "sha3-256"}) {
    setters.push_back(std::make_unique<BackgroundStella>(std::vector<std::string>{
        "--database", store.conninfo(), "evidence", "config", "set", "hash-algorithm", algorithm}));
  }
  const auto waiting = [&store] { return store.scalar(kWaitingAdvisoryLocksSql); };
  for (int waited = 0; waited < 1500 && waiting() != "3"; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Each set waits for the one before it: the key's lock is taken even while no row exists.
  BOOST_TEST(waiting() == "3");
  holder->exec("COMMIT");
  for (auto& setter : setters) {
    const ProcessResult done = setter->wait();
    BOOST_TEST(done.exit_code == 0, done.err);
  }
  const std::string chain = store.scalar(
      "SELECT string_agg(coalesce(data->>'old_value', 'unset') || '>' || (data->>'new_value'), "
      "' ' ORDER BY id) FROM stella.audit_events WHERE event_type = 'config_change'");
  std::istringstream changes(chain);
  std::string change;
  std::string previous = "unset";
  int count = 0;
  while (changes >> change) {
    const std::size_t arrow = change.find('>');
    BOOST_TEST(change.substr(0, arrow) == previous, chain);
    previous = change.substr(arrow + 1);
    ++count;
  }
  BOOST_TEST(count == 3, chain);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(refusals)

BOOST_AUTO_TEST_CASE(no_algorithm_given_or_configured_is_refused_with_the_hint) {
  GenerationStore store("rx_noalg");
  store.ingest(IngestOptions{});
  const ProcessResult run = store.stella({"evidence", "reindex"});
  BOOST_TEST(run.exit_code == 3);
  BOOST_TEST(mentions(run.err, "config set hash-algorithm"), run.err);
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.digest_generations") == "1");
}

BOOST_AUTO_TEST_CASE(a_schema_1_0_store_is_refused_with_the_migrate_hint) {
  stella::test::ScratchDatabase database("rx_one");
  BOOST_TEST_REQUIRE(stella::test::run_stella({"--database", database.conninfo(), "evidence",
                                               "init", "--schema-version", "1.0"})
                         .exit_code == 0);
  const ProcessResult run = stella::test::run_stella(
      {"--database", database.conninfo(), "evidence", "reindex", "--algorithm", "sha512"});
  BOOST_TEST(run.exit_code == 3);
  BOOST_TEST(mentions(run.err, "reindex needs schema 2.0"), run.err);
  BOOST_TEST(mentions(run.err, "stella evidence migrate --from-version 1.0 --to-version 2.0"));
}

BOOST_AUTO_TEST_CASE(an_algorithm_no_plugin_provides_is_refused) {
  GenerationStore store("rx_noplugin");
  store.ingest(IngestOptions{});
  const ProcessResult run = store.stella({"evidence", "reindex", "--algorithm", "md5"});
  BOOST_TEST(run.exit_code == 3);
  BOOST_TEST(mentions(run.err, "md5"), run.err);
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.digest_generations") == "1");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dry_run)

BOOST_AUTO_TEST_CASE(the_plan_counts_what_would_change_and_changes_nothing) {
  GenerationStore store("rx_dry");
  IngestOptions options;
  options.tenants = 3;
  options.bundles_per_tenant = 4;
  options.artifacts_per_bundle = 5;
  store.ingest(options);
  BOOST_TEST_REQUIRE(
      store.stella({"evidence", "config", "set", "hash-algorithm", "sha512"}).exit_code == 0);
  const std::string before = every_table_digest(store);

  const ProcessResult plan =
      store.stella({"evidence", "reindex", "--dry-run", "--format", "json", "--batch-size", "7"});
  BOOST_TEST_REQUIRE(plan.exit_code == 0, plan.err);
  const rapidjson::Document json = valid_json(plan.out, "reindex-plan.schema.json");
  BOOST_TEST(std::string(json["action"].GetString()) == "start-generation");
  BOOST_TEST(json["totalRecordsAffected"].GetInt64() == 60);
  BOOST_TEST(json["recordsAffected"]["bundles"].GetInt64() == 12);
  BOOST_TEST(json["recordsAffected"]["tenants"].GetInt64() == 3);
  BOOST_TEST(json["recordsAffected"]["bytes"].GetInt64() > 0);
  BOOST_TEST(std::string(json["newSchemaVersion"].GetString()) == "2.0");
  BOOST_TEST(json["currentGeneration"]["generation"].GetInt() == 1);
  BOOST_TEST(json["newGeneration"]["generation"].GetInt() == 2);
  BOOST_TEST(std::string(json["algorithm"].GetString()) == "sha512");
  // 12 bundles of 5 artifacts in batches of about 7 artifacts, bundles never split: one bundle
  // each, since two would be 10.
  BOOST_TEST(json["batches"].GetInt64() == 12);
  BOOST_TEST(json["estimatedDuration"]["sample"]["artifacts"].GetInt64() > 0);
  BOOST_TEST(json["sealsWhenDone"].GetBool());

  const ProcessResult file =
      store.stella({"evidence", "reindex", "--dry-run", "--output", "/tmp/rx-dry-plan.json"});
  BOOST_TEST_REQUIRE(file.exit_code == 0, file.err);
  BOOST_TEST(every_table_digest(store) == before);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(run)

BOOST_AUTO_TEST_CASE(seals_a_new_generation_and_never_touches_payloads_or_old_digests) {
  GenerationStore store("rx_run");
  IngestOptions options;
  options.tenants = 3;
  options.bundles_per_tenant = 5;
  options.artifacts_per_bundle = 4;
  store.ingest(options);
  const std::string contents = store.rows_digest(kContentsQuery);
  const std::string old_digests = store.rows_digest(kOldDigestsQuery);
  const std::string old_roots = store.rows_digest(kOldRootsQuery);
  const std::string old_global = store.global_root(1);

  const ProcessResult run = store.stella(
      {"evidence", "reindex", "--algorithm", "sha512", "--batch-size", "6", "--format", "json"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const rapidjson::Document json = valid_json(run.out, "reindex-result.schema.json");
  BOOST_TEST(std::string(json["result"].GetString()) == "sealed");

  BOOST_TEST(store.rows_digest(kContentsQuery) == contents);
  BOOST_TEST(store.rows_digest(kOldDigestsQuery) == old_digests);
  BOOST_TEST(store.rows_digest(kOldRootsQuery) == old_roots);

  BOOST_TEST(store.scalar("SELECT generation || ' ' || algorithm || ' ' || state FROM "
                          "evidence.digest_generations WHERE active") == "2 sha512 sealed");
  BOOST_TEST(store.scalar("SELECT state FROM evidence.digest_generations WHERE generation = 1") ==
             "sealed");
  const auto fresh = check_generation(store.connection(), 2);
  BOOST_TEST(fresh.clean());
  BOOST_TEST(fresh.artifacts == 60);
  BOOST_TEST(fresh.stored_global_root == std::string(json["newGlobalRoot"].GetString()));
  BOOST_TEST(check_generation(store.connection(), 1).clean());

  // The transition, its cross-references and the audit event that records it.
  BOOST_TEST(store.scalar("SELECT old_global_root || ' ' || new_global_root FROM "
                          "evidence.root_transitions WHERE from_generation = 1 AND "
                          "to_generation = 2") == old_global + " " + fresh.stored_global_root);
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.root_cross_references WHERE "
                          "scope = 'bundle'") == "15");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.root_cross_references WHERE "
                          "scope = 'tenant'") == "3");
  BOOST_TEST(store.scalar("SELECT (e.data->>'old_root') || ' ' || (e.data->>'new_root') || ' ' || "
                          "(e.data->>'cross_reference' = t.transition_id::text) FROM "
                          "evidence.root_transitions t JOIN stella.audit_events e ON e.id = "
                          "t.audit_event_id WHERE e.event_type = 'root_hash_change'") ==
             old_global + " " + fresh.stored_global_root + " true");

  // stats shows both generations' roots: the old one stays what old proofs are checked against.
  const ProcessResult stats = store.stella({"evidence", "stats", "--detailed"});
  BOOST_TEST_REQUIRE(stats.exit_code == 0, stats.err);
  const rapidjson::Document counts = valid_json(stats.out, "stats.schema.json");
  BOOST_TEST(std::string(counts["generations"][0]["root"].GetString()) == old_global);
  BOOST_TEST(std::string(counts["generations"][1]["root"].GetString()) == fresh.stored_global_root);
  BOOST_TEST(std::string(counts["perTenant"][0]["generations"][0]["root"].GetString())
                 .rfind("sha256:", 0) == 0);

  // Already at the target: said plainly, exit 0, nothing new.
  BOOST_TEST_REQUIRE(
      store.stella({"evidence", "config", "set", "hash-algorithm", "sha512"}).exit_code == 0);
  const ProcessResult again = store.stella({"evidence", "reindex"});
  BOOST_TEST(again.exit_code == 0);
  BOOST_TEST(mentions(again.out, "store already at sha512 (generation 2); nothing to do"),
             again.out);
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.digest_generations") == "2");
}

BOOST_AUTO_TEST_CASE(an_algorithm_other_than_the_target_is_sealed_with_a_note_on_the_target) {
  // The runbook's plain `reindex` afterwards would move the store back to its target.
  GenerationStore store("rx_other_target");
  store.ingest(IngestOptions{});
  BOOST_TEST_REQUIRE(
      store.stella({"evidence", "config", "set", "hash-algorithm", "sha512"}).exit_code == 0);
  const ProcessResult run = store.stella({"evidence", "reindex", "--algorithm", "sha3-256"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(mentions(run.err,
                      "the store's hash-algorithm setting is still sha512: a plain "
                      "`stella evidence reindex` would move the store back to sha512"),
             run.err);
  BOOST_TEST(mentions(run.err, "stella evidence config set hash-algorithm sha3-256"), run.err);
  const ProcessResult to_target = store.stella({"evidence", "reindex", "--algorithm", "sha512"});
  BOOST_TEST_REQUIRE(to_target.exit_code == 0, to_target.err);
  BOOST_TEST(!mentions(to_target.err, "setting is still"), to_target.err);
}

BOOST_AUTO_TEST_CASE(since_covers_recent_records_and_seals_only_when_all_are_covered) {
  GenerationStore store("rx_since");
  IngestOptions old_records;
  old_records.created_from = "2025-06-01T00:00:00Z";
  old_records.batch_label = "old";
  old_records.tenants = 2;
  old_records.bundles_per_tenant = 2;
  old_records.artifacts_per_bundle = 3;
  store.ingest(old_records);
  IngestOptions new_records;
  new_records.created_from = "2026-02-01T00:00:00Z";
  new_records.batch_label = "new";
  store.ingest(new_records);
  BOOST_TEST_REQUIRE(
      store.stella({"evidence", "config", "set", "hash-algorithm", "sha3-256"}).exit_code == 0);

  const ProcessResult partial =
      store.stella({"evidence", "reindex", "--batch-size", "5", "--since", "2026-01-01"});
  BOOST_TEST_REQUIRE(partial.exit_code == 0, partial.err);
  BOOST_TEST(mentions(partial.out,
                      "12 artifacts created before 2026-01-01 are not yet covered; "
                      "run `stella evidence reindex` without --since to finish"),
             partial.out);
  BOOST_TEST(store.scalar("SELECT state FROM evidence.digest_generations WHERE generation = 2") ==
             "building");
  BOOST_TEST(store.scalar("SELECT generation FROM evidence.digest_generations WHERE active") ==
             "1");
  // The building generation's own table is the reindex's, not schema drift.
  const ProcessResult checked = store.stella({"evidence", "integrity-check"});
  BOOST_TEST(checked.exit_code == 0, checked.out << checked.err);
  BOOST_TEST(!mentions(checked.out, "extra_table"), checked.out);
  // Until the seal, the generation's digests fill a table of their own, without keys.
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests_g2") == "24");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests WHERE generation = 2") ==
             "0");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.global_roots WHERE generation = 2") ==
             "0");
  const ProcessResult progress = store.stella({"evidence", "reindex", "--progress"});
  BOOST_TEST(progress.exit_code == 0);
  BOOST_TEST(mentions(progress.out, "incomplete"), progress.out);
  BOOST_TEST(mentions(progress.out, "without --since"), progress.out);

  const ProcessResult rest = store.stella({"evidence", "reindex"});
  BOOST_TEST_REQUIRE(rest.exit_code == 0, rest.err);
  BOOST_TEST(mentions(rest.out, "sealed and active"), rest.out);
  BOOST_TEST(check_generation(store.connection(), 2).clean());
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests WHERE generation = 2") ==
             "36");
  // Sealed: the table is generation 2's partition, with the key, the index and both foreign keys
  // of evidence.artifact_digests, and the store's schema has not drifted.
  BOOST_TEST(store.scalar("SELECT pg_get_expr(relpartbound, oid) FROM pg_class "
                          "WHERE oid = 'evidence.artifact_digests_g2'::regclass") ==
             "FOR VALUES IN (2)");
  BOOST_TEST(
      store.scalar("SELECT string_agg(contype::text, '' ORDER BY contype) FROM pg_constraint "
                   "WHERE conrelid = 'evidence.artifact_digests_g2'::regclass "
                   "AND contype IN ('p', 'f') AND convalidated") == "ffp");
  BOOST_TEST(store.scalar("SELECT count(*) FROM pg_index "
                          "WHERE indrelid = 'evidence.artifact_digests_g2'::regclass") == "2");
  const ProcessResult integrity = store.stella({"evidence", "integrity-check"});
  BOOST_TEST(integrity.exit_code == 0, integrity.out);
}

BOOST_AUTO_TEST_CASE(a_record_lost_while_building_stops_the_seal_and_says_what_to_do) {
  GenerationStore store("rx_lost");
  const ProcessResult partial = store.reindex_newer_records_only();
  BOOST_TEST_REQUIRE(partial.exit_code == 0, partial.err);
  // Removed by hand behind stella's back: an artifact whose new digest is already written.
  const std::string lost = store.scalar(
      "SELECT bundle_id || '|' || path FROM evidence.artifact_digests_g2 ORDER BY 1 LIMIT 1");
  const std::string bundle = lost.substr(0, lost.find('|'));
  const std::string path = lost.substr(lost.find('|') + 1);
  store.connection().exec(
      "DELETE FROM evidence.artifact_digests WHERE bundle_id = $1 AND path = $2", {bundle, path});
  store.connection().exec("DELETE FROM evidence.artifacts WHERE bundle_id = $1 AND path = $2",
                          {bundle, path});

  const ProcessResult rest = store.stella({"evidence", "reindex", "--algorithm", "sha512"});
  BOOST_TEST(rest.exit_code == 1, rest.err);
  BOOST_TEST(mentions(rest.err, "generation 2's digests name records the store no longer holds"),
             rest.err);
  BOOST_TEST(mentions(rest.err, bundle), rest.err);
  BOOST_TEST(mentions(rest.err, "evidence.artifact_digests_g2"), rest.err);
  BOOST_TEST(mentions(rest.err, "reindex --resume"), rest.err);
  BOOST_TEST(store.scalar("SELECT state FROM evidence.digest_generations WHERE generation = 2") ==
             "building");
  BOOST_TEST(store.scalar("SELECT generation FROM evidence.digest_generations WHERE active") ==
             "1");
}

BOOST_AUTO_TEST_CASE(verify_all_names_an_artifact_without_a_digest_as_such) {
  // Not "its content changed" with an empty expected digest: nothing changed its bytes, it has
  // no digest to compare them with.
  GenerationStore store("rx_nodigest");
  store.ingest(IngestOptions{});
  const std::string record = store.scalar(
      "SELECT bundle_id || '|' || path FROM evidence.artifact_digests ORDER BY 1 LIMIT 1");
  store.connection().exec(
      "DELETE FROM evidence.artifact_digests WHERE bundle_id = $1 AND path = $2",
      {record.substr(0, record.find('|')), record.substr(record.find('|') + 1)});
  const ProcessResult verified = store.stella({"evidence", "verify-all"});
  BOOST_TEST(verified.exit_code == 1, verified.out + verified.err);
  BOOST_TEST(mentions(verified.out, "the artifact has no digest in this generation"), verified.out);
  BOOST_TEST(!mentions(verified.out, "its content changed"), verified.out);
}

BOOST_AUTO_TEST_CASE(a_store_whose_digest_table_is_not_partitioned_is_reindexed_in_that_table) {
  // Laid out as schema 2.0 was before evidence.artifact_digests was partitioned by generation.
  GenerationStore store("rx_unpartitioned");
  store.ingest(IngestOptions{});
  const std::string artifacts = store.scalar("SELECT count(*) FROM evidence.artifacts");
  store.unpartition_digest_table();

  const ProcessResult run =
      store.stella({"evidence", "reindex", "--algorithm", "sha512", "--batch-size", "5"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(mentions(run.out, "sealed and active"), run.out);
  BOOST_TEST(store.scalar("SELECT to_regclass('evidence.artifact_digests_g2') IS NULL") == "t");
  BOOST_TEST(store.scalar("SELECT count(*) FROM evidence.artifact_digests WHERE generation = 2") ==
             artifacts);
  BOOST_TEST(artifacts != "0");
  BOOST_TEST(check_generation(store.connection(), 2).clean());
  BOOST_TEST(check_generation(store.connection(), 1).clean());
}

BOOST_AUTO_TEST_CASE(progress_shows_the_last_run_with_done_total_and_rate) {
  GenerationStore store("rx_progress");
  BOOST_TEST(
      mentions(store.stella({"evidence", "reindex", "--progress"}).out, "no reindex has run"));
  store.ingest(IngestOptions{});
  BOOST_TEST_REQUIRE(
      store.stella({"evidence", "reindex", "--algorithm", "blake2b-512", "--batch-size", "4"})
          .exit_code == 0);
  const ProcessResult text = store.stella({"evidence", "reindex", "--progress"});
  BOOST_TEST(text.exit_code == 0);
  BOOST_TEST(mentions(text.out, "sealed"), text.out);
  BOOST_TEST(mentions(text.out, "24/24 artifacts"), text.out);
  BOOST_TEST(mentions(text.out, "rate:"), text.out);
  const ProcessResult json =
      store.stella({"evidence", "reindex", "--progress", "--format", "json"});
  const rapidjson::Document document = valid_json(json.out, "reindex-progress.schema.json");
  BOOST_TEST(document["artifactsDone"].GetInt64() == 24);
  BOOST_TEST(document["batchesDone"].GetInt64() == document["batchesTotal"].GetInt64());
  BOOST_TEST(std::string(document["status"].GetString()) == "sealed");
  BOOST_TEST(
      store.stella({"evidence", "reindex", "--progress", "--since", "2026-01-01"}).exit_code == 2);
}

BOOST_AUTO_TEST_SUITE_END()
