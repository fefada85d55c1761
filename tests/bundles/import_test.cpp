// `stella evidence import`: an export comes back with the same roots and passes verify-all; a
// second import adds nothing and says so; a bundle the store holds with other content is refused
// and named; a source that does not verify is refused with nothing written; an import interrupted
// by a signal leaves the database as it was.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <set>
#include <sstream>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "bundles/bundle_test_support.hpp"
#include "stella/host/evidence/store_roots.hpp"
#include "support/background_stella.hpp"
#include "support/json_event_lines.hpp"
#include "support/other_sessions.hpp"
#include "support/waiting_advisory_locks.hpp"

namespace stella::test {
namespace {

/// tenant -> root of roots-export's JSON.
std::map<std::string, std::string> tenant_roots(const rapidjson::Document& roots) {
  std::map<std::string, std::string> result;
  for (const auto& tenant : roots["tenants"].GetArray()) {
    result[tenant["tenant"].GetString()] = tenant["root"].GetString();
  }
  return result;
}

void require_verify_all_passes(BundleStore& store) {
  const ProcessResult verified = store.stella({"evidence", "verify-all"});
  BOOST_CHECK_MESSAGE(verified.exit_code == 0, "verify-all: " << verified.out << verified.err);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(import_verb)

BOOST_AUTO_TEST_CASE(an_export_imported_into_an_empty_database_has_the_same_roots) {
  BundleStore& source = shared_source_store();
  ScratchDir dir;
  export_to(source, dir.path() / "backup", {"--all", "--include-proofs"});
  BundleStore target("bundles_import_target");
  BOOST_REQUIRE(!target.has_store());
  const ProcessResult imported =
      target.stella({"--operator", "ops-alice", "evidence", "import", "--format", "json",
                     (dir.path() / "backup").string()});
  BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  const auto summary = valid_json(imported.out, "import-summary.schema.json");
  BOOST_CHECK(summary["storeCreated"].GetBool());
  BOOST_CHECK_EQUAL(summary["schemaVersion"].GetString(), std::string("1.0"));
  BOOST_CHECK_EQUAL(summary["counts"]["bundlesImported"].GetInt64(), 12);
  BOOST_CHECK_EQUAL(summary["counts"]["artifactsImported"].GetInt64(), 36);
  BOOST_CHECK_EQUAL(summary["counts"]["attestationsImported"].GetInt64(), 12);
  BOOST_CHECK(summary["rootsEqualDeclared"].GetBool());

  const auto before = source.roots();
  const auto after = target.roots();
  BOOST_CHECK_EQUAL(after["globalRoot"].GetString(), std::string(before["globalRoot"].GetString()));
  BOOST_CHECK(tenant_roots(after) == tenant_roots(before));
  require_verify_all_passes(target);

  // The import event names the operator, the path, the manifest's digest, the roots, the counts.
  const ProcessResult events =
      target.stella({"evidence", "audit", "list", "--type", "import", "--format", "json"});
  BOOST_CHECK(mentions(events.out, "\"operator\":\"ops-alice\""));
  BOOST_CHECK(mentions(events.out, (dir.path() / "backup").string()));
  BOOST_CHECK(mentions(events.out, summary["sources"][0]["manifestDigest"].GetString()));
  BOOST_CHECK(mentions(events.out, before["globalRoot"].GetString()));
  BOOST_CHECK(mentions(events.out, "\"bundles_imported\":12"));
}

BOOST_AUTO_TEST_CASE(an_interrupted_import_leaves_the_database_as_it_was) {
  // Ctrl-C or SIGTERM mid-read: the importer stops at its next file, the transaction rolls back
  // (the store it was creating included), and the operator is told nothing was imported.
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  export_to(shared_source_store(), dir.path() / "evidence.tar.gz", {"--all", "--portable"});
  for (const auto& [signal_number, source] : {std::pair{SIGINT, dir.path() / "backup"},
                                              std::pair{SIGTERM, dir.path() / "evidence.tar.gz"}}) {
    BundleStore target("bundles_import_interrupted");
    BackgroundStella importing(
        {"--database", target.conninfo(), "evidence", "import", source.string()},
        {{"STELLA_TEST_IMPORT_FILE_DELAY_MS", "40"}});
    // The first progress line comes a second into the read, well before its end.
    importing.wait_for_err("files read");
    BOOST_TEST_REQUIRE(importing.running(), importing.err());
    importing.send(signal_number);
    const ProcessResult result = importing.wait();
    BOOST_TEST(result.exit_code == 3, result.err);
    BOOST_TEST(mentions(result.err,
                        "import interrupted (SIGINT or SIGTERM): nothing was imported, "
                        "the store is as it was"),
               result.err);
    BOOST_TEST(!target.has_store());
    BOOST_TEST(target.digest_of_all_rows() == "no store");
  }
}

BOOST_AUTO_TEST_CASE(an_import_that_loses_its_connection_leaves_no_store_and_says_so) {
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_lost");
  BackgroundStella importing(
      {"--database", target.conninfo(), "evidence", "import", (dir.path() / "backup").string()},
      {{"STELLA_TEST_IMPORT_FILE_DELAY_MS", "40"}});
  importing.wait_for_err("files read");
  BOOST_TEST_REQUIRE(importing.running(), importing.err());
  stella::test::end_other_sessions(target.sql());
  const ProcessResult result = importing.wait();
  BOOST_TEST(result.exit_code == 3, result.err);
  BOOST_TEST(mentions(result.err, "import stopped: the connection to PostgreSQL was lost ("),
             result.err);
  BOOST_TEST(mentions(result.err, "run the import again"), result.err);
  BOOST_TEST(!target.has_store());
}

BOOST_AUTO_TEST_CASE(two_imports_into_an_empty_database_at_once_create_one_store) {
  // The second decided "no store yet" before waiting for the first, which then created the store:
  // it must not try to create another (or suggest a migration), but say what happened.
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_race");
  BackgroundStella first(
      {"--database", target.conninfo(), "evidence", "import", (dir.path() / "backup").string()},
      // Slow enough that the second, started once the first reads, begins before the first
      // commits even on a loaded machine (at 40 ms a file it once finished first there).
      {{"STELLA_TEST_IMPORT_FILE_DELAY_MS", "100"}});
  first.wait_for_err("files read");
  BOOST_TEST_REQUIRE(first.running(), first.err());
  const ProcessResult second =
      target.stella({"evidence", "import", (dir.path() / "backup").string()});
  BOOST_TEST(first.wait().exit_code == 0);
  BOOST_TEST(second.exit_code == 3, second.err);
  BOOST_TEST(mentions(second.err,
                      "another import created an evidence store (schema 1.0) in this "
                      "database while this one was under way; nothing was imported"),
             second.err);
  // Run again, it finds everything present.
  const ProcessResult again =
      target.stella({"evidence", "import", (dir.path() / "backup").string()});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(mentions(again.out, "nothing to import"), again.out);
}

BOOST_AUTO_TEST_CASE(an_import_waits_for_the_writers_that_recompute_the_roots) {
  // Seed and orphans --quarantine hold the evidence write lock while they add rows and recompute
  // the stored roots; an import recomputes them too, so it waits for that lock: otherwise the one
  // committing last would store roots that miss the other's bundles.
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_waits");
  target.init_and_seed("5");
  const auto writer = host::PgConnection::connect(target.conninfo());
  writer->exec("SELECT pg_advisory_lock($1)", {std::to_string(host::kEvidenceWriteLockKey)});
  BackgroundStella importing(
      {"--database", target.conninfo(), "evidence", "import", (dir.path() / "backup").string()});
  const auto waiting_on_advisory_lock = [&] {
    return target.scalar(kWaitingAdvisoryLocksSql) == "1";
  };
  for (int waited = 0; waited < 1000 && !waiting_on_advisory_lock() && importing.running();
       ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_TEST(waiting_on_advisory_lock(), importing.err());
  BOOST_TEST(importing.running());
  // It says so, naming the session it waits for, instead of hanging without a word.
  const std::string holder = "server process " + std::to_string(writer->backend_pid()) + " (";
  importing.wait_for_err(holder);
  BOOST_TEST(mentions(importing.err(), "waiting for the evidence write lock"), importing.err());
  BOOST_TEST(mentions(importing.err(), holder), importing.err());
  writer->exec("SELECT pg_advisory_unlock($1)", {std::to_string(host::kEvidenceWriteLockKey)});
  const ProcessResult imported = importing.wait();
  BOOST_TEST(imported.exit_code == 0, imported.err);
  BOOST_TEST(target.stella({"evidence", "integrity-check"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(the_same_import_run_twice_at_once_adds_the_bundles_once) {
  // Both compare the source with the store before they wait for the write lock; the one that goes
  // second finds the stored roots changed, compares again and has nothing to import (it failed
  // with PostgreSQL's duplicate key error).
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_twice_at_once");
  target.init_and_seed("5");
  const std::int64_t seeded = std::stoll(target.scalar("SELECT count(*) FROM evidence.bundles"));
  const auto writer = host::PgConnection::connect(target.conninfo());
  writer->exec("SELECT pg_advisory_lock($1)", {std::to_string(host::kEvidenceWriteLockKey)});
  const std::vector<std::string> import = {"--database", target.conninfo(), "evidence", "import",
                                           (dir.path() / "backup").string()};
  BackgroundStella first(import);
  BackgroundStella second(import);
  const auto both_waiting = [&] { return target.scalar(kWaitingAdvisoryLocksSql) == "2"; };
  for (int waited = 0; waited < 1500 && !both_waiting(); ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_TEST_REQUIRE(both_waiting(), first.err() + second.err());
  writer->exec("SELECT pg_advisory_unlock($1)", {std::to_string(host::kEvidenceWriteLockKey)});
  const ProcessResult a = first.wait();
  const ProcessResult b = second.wait();
  BOOST_TEST(a.exit_code == 0, a.err);
  BOOST_TEST(b.exit_code == 0, b.err);
  const std::string nothing = "nothing to import: 12 bundles already present and identical";
  BOOST_TEST(mentions(a.out, nothing) != mentions(b.out, nothing), a.out + b.out);
  BOOST_TEST(mentions(a.err + b.err, "comparing again"), a.err + b.err);
  BOOST_TEST(std::stoll(target.scalar("SELECT count(*) FROM evidence.bundles")) == seeded + 12);
  BOOST_TEST(target.stella({"evidence", "verify-all"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(a_rollback_while_an_import_reads_its_source_is_named_not_a_raw_sql_error) {
  // The import chose the 2.0 layout when it began; the rollback finished while it read its source
  // (writers are refused during a run only once the run is recorded).
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_during_rollback");
  target.init_and_seed("5");
  BOOST_TEST_REQUIRE(
      target.stella({"evidence", "migrate", "--from-version", "1.0", "--to-version", "2.0"})
          .exit_code == 0);
  BackgroundStella importing(
      {"--database", target.conninfo(), "evidence", "import", (dir.path() / "backup").string()},
      {{"STELLA_TEST_IMPORT_FILE_DELAY_MS", "60"}});
  importing.wait_for_err("import: verifying");
  const ProcessResult rollback =
      target.stella({"evidence", "migrate", "--rollback", "--from-version", "2.0"});
  BOOST_TEST_REQUIRE(rollback.exit_code == 0, rollback.err);
  const ProcessResult imported = importing.wait();
  BOOST_TEST(imported.exit_code == 3, imported.err);
  BOOST_TEST(
      mentions(imported.err, "the store changed from schema 2.0 to 1.0 while this import ran"),
      imported.err);
  BOOST_TEST(!mentions(imported.err, "SQLSTATE"), imported.err);
}

BOOST_AUTO_TEST_CASE(with_progress_format_json_every_line_on_stderr_is_a_json_event) {
  // Scripts that follow an import read its stderr as JSON lines: the notes of the import's steps,
  // the importer's progress (slowed so that some comes) and its log lines alike.
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_json_progress");
  const ProcessResult result =
      run_stella({"--database", target.conninfo(), "--progress-format", "json", "evidence",
                  "import", (dir.path() / "backup").string()},
                 {{"STELLA_TEST_IMPORT_FILE_DELAY_MS", "25"}});
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  std::set<std::string> events;
  for (const rapidjson::Document& event : json_event_lines(result.err)) {
    BOOST_TEST(event["task"].GetString() == std::string("import"));
    events.insert(event["event"].GetString());
  }
  BOOST_TEST(events.count("note") == 1);
  BOOST_TEST(events.count("progress") == 1, result.err);
}

BOOST_AUTO_TEST_CASE(a_second_import_adds_nothing_and_says_so) {
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_twice");
  BOOST_REQUIRE_EQUAL(
      target.stella({"evidence", "import", (dir.path() / "backup").string()}).exit_code, 0);
  const std::string evidence = target.digest_of_evidence_rows();
  const ProcessResult again =
      target.stella({"evidence", "import", (dir.path() / "backup").string()});
  BOOST_CHECK_EQUAL(again.exit_code, 0);
  BOOST_CHECK_MESSAGE(
      mentions(again.out, "nothing to import: 12 bundles already present and identical"),
      again.out);
  BOOST_CHECK_EQUAL(target.digest_of_evidence_rows(), evidence);
}

BOOST_AUTO_TEST_CASE(a_bundle_present_with_other_content_is_refused_and_named) {
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_conflict");
  BOOST_REQUIRE_EQUAL(
      target.stella({"evidence", "import", (dir.path() / "backup").string()}).exit_code, 0);
  const std::string changed = target.scalar("SELECT min(bundle_id) FROM evidence.bundles");
  target.sql().exec(
      "UPDATE evidence.bundles SET subject = subject || ' (edited)' WHERE bundle_id = $1",
      {changed});
  const std::string everything = target.digest_of_all_rows();
  const ProcessResult refused =
      target.stella({"evidence", "import", (dir.path() / "backup").string()});
  BOOST_CHECK_EQUAL(refused.exit_code, 3);
  BOOST_CHECK(mentions(refused.err, "already in the store with different content: " + changed));
  BOOST_CHECK_EQUAL(target.digest_of_all_rows(), everything);
}

BOOST_AUTO_TEST_CASE(a_portable_archive_imports_with_the_same_roots) {
  ScratchDir dir;
  const fs::path archive = dir.path() / "airgap-evidence.tar.gz";
  export_to(shared_source_store(), archive, {"--all", "--portable", "--include-schemas"});
  BundleStore target("bundles_import_portable");
  const ProcessResult imported =
      target.stella({"evidence", "import", "--portable", archive.string()});
  BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  BOOST_CHECK_EQUAL(target.roots()["globalRoot"].GetString(),
                    std::string(shared_source_store().roots()["globalRoot"].GetString()));
  require_verify_all_passes(target);
  // --portable names the format: a directory is not one.
  const ProcessResult wrong =
      target.stella({"evidence", "import", "--portable", dir.path().string()});
  BOOST_CHECK_EQUAL(wrong.exit_code, 2);
  BOOST_CHECK(mentions(wrong.err, "is not a portable-tar-gz source"));
}

BOOST_AUTO_TEST_CASE(without_room_for_its_recording_an_import_reads_the_source_again) {
  // Into a store that exists, the loading pass replays what the verification pass recorded in
  // $TMPDIR; when that file cannot be made, the import reads the source a second time and still
  // comes out the same.
  ScratchDir dir;
  export_to(shared_source_store(), dir.path() / "backup", {"--all"});
  BundleStore target("bundles_import_no_recording");
  const ProcessResult initialised = target.stella({"evidence", "init"});
  BOOST_REQUIRE_MESSAGE(initialised.exit_code == 0, initialised.err);
  const char* saved = std::getenv("TMPDIR");
  const std::string saved_tmpdir = saved != nullptr ? saved : "";
  ::setenv("TMPDIR", (dir.path() / "no-such-directory").c_str(), 1);
  // Without --quiet, to see the import's note.
  const ProcessResult imported = run_stella(
      {"--database", target.conninfo(), "evidence", "import", (dir.path() / "backup").string()});
  if (saved != nullptr) {
    ::setenv("TMPDIR", saved_tmpdir.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  BOOST_CHECK_MESSAGE(mentions(imported.err, "again to load it (cannot create a temporary file"),
                      imported.err);
  BOOST_CHECK_EQUAL(target.roots()["globalRoot"].GetString(),
                    std::string(shared_source_store().roots()["globalRoot"].GetString()));
  require_verify_all_passes(target);
}

BOOST_AUTO_TEST_CASE(partial_exports_import_together_and_tenant_roots_come_back) {
  ScratchDir dir;
  BundleStore& source = shared_source_store();
  export_to(source, dir.path() / "acme", {"--tenant", "acme"});
  export_to(source, dir.path() / "rest", {"--tenant", "globex", "--tenant", "initech"});
  BundleStore target("bundles_import_partial");
  const ProcessResult imported = target.stella(
      {"evidence", "import", (dir.path() / "acme").string(), (dir.path() / "rest").string()});
  BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  BOOST_CHECK(tenant_roots(target.roots()) == tenant_roots(source.roots()));
  BOOST_CHECK_EQUAL(target.roots()["globalRoot"].GetString(),
                    std::string(source.roots()["globalRoot"].GetString()));
  require_verify_all_passes(target);
}

BOOST_AUTO_TEST_CASE(a_source_that_does_not_verify_is_refused_with_nothing_written) {
  ScratchDir dir;
  const fs::path bundle = dir.path() / "backup";
  export_to(shared_source_store(), bundle, {"--all"});
  const std::string file = first_file(bundle, "/artifacts/");
  write_text(bundle / file, read_text(bundle / file) + "tampered");
  BundleStore target("bundles_import_tampered");
  const ProcessResult refused = target.stella({"evidence", "import", bundle.string()});
  BOOST_CHECK_EQUAL(refused.exit_code, 1);
  BOOST_CHECK(mentions(refused.err, "does not verify"));
  BOOST_CHECK(mentions(refused.err, file));
  BOOST_CHECK(!target.has_store());
}

BOOST_AUTO_TEST_CASE(a_seal_time_the_attestation_does_not_sign_is_refused_with_nothing_written) {
  ScratchDir dir;
  const fs::path bundle = dir.path() / "backup";
  export_to(shared_source_store(), bundle, {"--all"});
  const std::string file = first_file(bundle, "/bundle.json");
  std::string record = read_text(bundle / file);
  const auto document = valid_json(record, "bundle-record.schema.json");
  const std::string signed_time = document["sealedAt"].GetString();
  // A minute later, with the checksum list made to agree: only the attestation still says when
  // the bundle was sealed.
  std::string edited_time = signed_time;
  edited_time[15] = edited_time[15] == '9' ? '8' : static_cast<char>(edited_time[15] + 1);
  record.replace(record.find(signed_time, record.find("\"sealedAt\"")), signed_time.size(),
                 edited_time);
  write_listed_file(bundle, file, record);

  BundleStore target("bundles_import_seal_time");
  const ProcessResult refused = target.stella({"evidence", "import", bundle.string()});
  BOOST_CHECK_EQUAL(refused.exit_code, 1);
  BOOST_CHECK_MESSAGE(mentions(refused.err, "does not verify") &&
                          mentions(refused.err, "attestation_sealed_at") &&
                          mentions(refused.err, document["bundleId"].GetString()),
                      refused.err);
  BOOST_CHECK(!target.has_store());
}

BOOST_AUTO_TEST_CASE(into_a_new_store_a_problem_found_at_the_end_of_the_read_leaves_no_store) {
  // Into a database without a store, a source is verified and loaded in the same read. Signatures
  // are checked beside the read and their results gathered at its end, after the bundles went to
  // the loader: a forged one must still undo everything, the store's creation included.
  ScratchDir dir;
  const fs::path bundle = dir.path() / "backup";
  export_to(shared_source_store(), bundle, {"--all"});
  const std::string file = first_file(bundle, "attestation.dsse.json");
  std::string envelope = read_text(bundle / file);
  const std::size_t sig = envelope.find("\"sig\"");
  BOOST_REQUIRE(sig != std::string::npos);
  const std::size_t value = envelope.find('"', envelope.find(':', sig)) + 1;
  envelope[value] = envelope[value] == 'A' ? 'B' : 'A';
  // The checksum list is made to agree, so that only the signature is wrong.
  write_listed_file(bundle, file, envelope);

  BundleStore target("bundles_import_late_problem");
  const ProcessResult refused = target.stella({"evidence", "import", bundle.string()});
  BOOST_CHECK_EQUAL(refused.exit_code, 1);
  BOOST_CHECK_MESSAGE(
      mentions(refused.err, "does not verify") && mentions(refused.err, "signature"), refused.err);
  BOOST_CHECK(!target.has_store());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
