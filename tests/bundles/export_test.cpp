// `stella evidence export`: what it writes, that sha256sum -c accepts it, that a portable archive
// is byte-identical run after run, that it never overwrites by surprise, never exports a store that
// does not verify, and records itself in the audit trail.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <thread>

#include "bundles/bundle_test_support.hpp"
#include "support/background_stella.hpp"
#include "support/other_sessions.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(export_verb)

BOOST_AUTO_TEST_CASE(the_quick_reference_export_all_writes_a_timestamped_bundle_here) {
  // The runbook's quick reference gives `stella evidence export --all` with no --output.
  BundleStore& store = shared_source_store();
  ScratchDir dir;
  const ProcessResult result = run_stella(
      {"--database", store.conninfo(), "evidence", "export", "--all", "--format", "json"}, {},
      dir.path().string());
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  const auto summary = valid_json(result.out, "export-summary.schema.json");
  const fs::path output = summary["output"].GetString();
  BOOST_CHECK_MESSAGE(output.parent_path() == dir.path() &&
                          output.filename().string().rfind("evidence-export-", 0) == 0,
                      output);
  BOOST_CHECK(fs::exists(output / "manifest.json"));
  const ProcessResult verified = run_stella({"evidence", "verify-bundle", output.string()});
  BOOST_CHECK_MESSAGE(verified.exit_code == 0, verified.out << verified.err);
}

BOOST_AUTO_TEST_CASE(a_directory_export_holds_the_store_and_sha256sum_accepts_it) {
  BundleStore& store = shared_source_store();
  ScratchDir dir;
  // The runbook's form: a directory named with a trailing slash, parents created.
  const fs::path target = dir.path() / "backup" / "evidence-20260131";
  const ProcessResult result =
      export_to(store, target.string() + "/",
                {"--all", "--include-attestations", "--include-proofs", "--format", "json"});
  const auto summary = valid_json(result.out, "export-summary.schema.json");
  BOOST_CHECK_EQUAL(summary["output"].GetString(), target.string());
  BOOST_CHECK_EQUAL(summary["counts"]["bundles"].GetInt64(), 12);
  BOOST_CHECK_EQUAL(summary["counts"]["artifacts"].GetInt64(), 36);
  BOOST_CHECK_EQUAL(summary["counts"]["attestations"].GetInt64(), 12);
  // A proof per bundle and per tenant.
  BOOST_CHECK_EQUAL(summary["counts"]["proofs"].GetInt64(), 15);

  const auto roots = store.roots();
  const auto manifest =
      valid_json(read_text(target / "manifest.json"), "bundle-manifest.schema.json");
  BOOST_CHECK_EQUAL(manifest["source"]["globalRoot"].GetString(), roots["globalRoot"].GetString());
  BOOST_CHECK_EQUAL(manifest["createdAt"].GetString(), roots["computedAt"].GetString());
  BOOST_CHECK_EQUAL(manifest["tenants"].Size(), 3u);
  BOOST_CHECK_EQUAL(
      summary["manifestDigest"].GetString(),
      "sha256:" +
          run_shell("sha256sum manifest.json | cut -c1-64", {}, target.string()).out.substr(0, 64));

  const std::string bundle_record = first_file(target, "/bundle.json");
  valid_json(read_text(target / bundle_record), "bundle-record.schema.json");
  valid_json(read_text(target / first_file(target, "proofs/bundles/")), "bundle-proof.schema.json");
  valid_json(read_text(target / first_file(target, "proofs/tenants/")), "bundle-proof.schema.json");
  valid_json(read_text(target / "keys/signing-keys.json"), "bundle-signing-keys.schema.json");

  const ProcessResult check =
      run_shell("sha256sum -c --quiet checksums.sha256", {}, target.string());
  BOOST_CHECK_MESSAGE(check.exit_code == 0, check.out << check.err);
  // Every file but checksums.sha256 is listed, and nothing else.
  const ProcessResult count = run_shell("find . -type f | wc -l", {}, target.string());
  BOOST_CHECK_EQUAL(std::stoul(count.out), checksum_lines(target).size() + 1);
}

BOOST_AUTO_TEST_CASE(an_export_is_recorded_in_the_audit_trail) {
  BundleStore& store = shared_source_store();
  ScratchDir dir;
  const auto result = export_to(store, dir.path() / "out", {"--all", "--format", "json"});
  const auto summary = valid_json(result.out, "export-summary.schema.json");
  const ProcessResult events =
      store.stella({"evidence", "audit", "list", "--type", "export", "--format", "json"});
  BOOST_REQUIRE_EQUAL(events.exit_code, 0);
  BOOST_CHECK(mentions(events.out, summary["manifestDigest"].GetString()));
  BOOST_CHECK(mentions(events.out, "\"output\":\"" + (dir.path() / "out").string() + "\""));
  BOOST_CHECK(mentions(events.out, summary["globalRoot"].GetString()));
}

BOOST_AUTO_TEST_CASE(a_portable_export_is_byte_identical_run_after_run) {
  BundleStore& store = shared_source_store();
  ScratchDir dir;
  const auto first = export_to(store, dir.path() / "one.tar.gz",
                               {"--all", "--portable", "--include-schemas", "--format", "json"});
  const auto second = export_to(store, dir.path() / "two.tar.gz",
                                {"--all", "--portable", "--include-schemas", "--format", "json"});
  BOOST_CHECK(read_text(dir.path() / "one.tar.gz") == read_text(dir.path() / "two.tar.gz"));
  const auto summary = valid_json(first.out, "export-summary.schema.json");
  const ProcessResult sum = run_shell("sha256sum one.tar.gz", {}, dir.path().string());
  BOOST_CHECK_EQUAL(std::string(summary["archiveDigest"].GetString()),
                    "sha256:" + sum.out.substr(0, 64));
  // --include-schemas: the JSON Schemas and the source version's SQL travel along.
  const ProcessResult listing = run_shell("tar tzf one.tar.gz", {}, dir.path().string());
  BOOST_CHECK(mentions(listing.out, "schemas/json/bundle-manifest.schema.json\n"));
  BOOST_CHECK(mentions(listing.out, "schemas/sql/1.0/001_evidence_schema.sql\n"));
  BOOST_CHECK(listing.out.rfind("manifest.json\n", 0) == 0);
  BOOST_CHECK(listing.out.size() > 17 &&
              listing.out.substr(listing.out.size() - 17) == "checksums.sha256\n");
  // The file ends with the gzip stream: no zero padding that gzip -l reads as a damaged trailer.
  const ProcessResult gzip_list = run_shell("gzip -l one.tar.gz", {}, dir.path().string());
  BOOST_CHECK_MESSAGE(gzip_list.exit_code == 0, gzip_list.out + gzip_list.err);
  // Nothing is left beside the archive.
  const ProcessResult files = run_shell("ls -A", {}, dir.path().string());
  BOOST_CHECK_EQUAL(files.out, "one.tar.gz\ntwo.tar.gz\n");
}

BOOST_AUTO_TEST_CASE(a_portable_target_that_takes_no_file_is_refused_before_any_work) {
  // As for a directory export (exit 2): /proc takes no new file, and a FIFO would be replaced.
  BundleStore& store = shared_source_store();
  const ProcessResult proc = store.stella(
      {"evidence", "export", "--all", "--portable", "--output", "/proc/evidence.tar.gz"});
  BOOST_CHECK_EQUAL(proc.exit_code, 2);
  BOOST_CHECK_MESSAGE(mentions(proc.err, "/proc: no file can be created there"), proc.err);
  ScratchDir dir;
  const fs::path fifo = dir.path() / "evidence.tar.gz";
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const ProcessResult onto_fifo = store.stella(
      {"evidence", "export", "--all", "--portable", "--force", "--output", fifo.string()});
  BOOST_CHECK_EQUAL(onto_fifo.exit_code, 2);
  BOOST_CHECK_MESSAGE(mentions(onto_fifo.err, "is not a regular file"), onto_fifo.err);
  BOOST_CHECK(fs::is_fifo(fs::symlink_status(fifo)));
}

BOOST_AUTO_TEST_CASE(a_non_empty_target_is_refused_unless_forced) {
  BundleStore& store = shared_source_store();
  ScratchDir dir;
  write_text(dir.path() / "taken" / "notes.txt", "keep me");
  const ProcessResult refused =
      store.stella({"evidence", "export", "--all", "--output", (dir.path() / "taken").string()});
  BOOST_CHECK_EQUAL(refused.exit_code, 2);
  BOOST_CHECK(mentions(refused.err, "is not empty; refusing to overwrite it"));
  BOOST_CHECK(mentions(refused.err, "--force"));
  BOOST_CHECK_EQUAL(read_text(dir.path() / "taken" / "notes.txt"), "keep me");

  export_to(store, dir.path() / "taken", {"--all", "--force"});
  BOOST_CHECK(!fs::exists(dir.path() / "taken" / "notes.txt"));
  BOOST_CHECK(fs::exists(dir.path() / "taken" / "manifest.json"));

  write_text(dir.path() / "old.tar.gz", "not an archive");
  const ProcessResult file_refused =
      store.stella({"evidence", "export", "--all", "--portable", "--output",
                    (dir.path() / "old.tar.gz").string()});
  BOOST_CHECK_EQUAL(file_refused.exit_code, 2);
  fs::create_directories(dir.path() / "empty");
  export_to(store, dir.path() / "empty", {"--all"});
  BOOST_CHECK(fs::exists(dir.path() / "empty" / "checksums.sha256"));
}

BOOST_AUTO_TEST_CASE(an_interrupted_export_leaves_nothing_behind_and_records_nothing) {
  // Interrupted by Ctrl-C or SIGTERM halfway, an export removes its staging beside --output: the
  // directory holding --output is as it was, and the audit trail has no export event.
  BundleStore& store = shared_source_store();
  const std::string exports_before =
      store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'export'");
  for (const auto& [signal_number, portable] :
       {std::pair{SIGINT, false}, std::pair{SIGTERM, true}, std::pair{SIGTERM, false}}) {
    ScratchDir dir;
    const fs::path target = dir.path() / (portable ? "evidence.tar.gz" : "evidence");
    std::vector<std::string> args = {"--database", store.conninfo(), "evidence",     "export",
                                     "--all",      "--output",       target.string()};
    if (portable) {
      args.push_back("--portable");
    }
    BackgroundStella exporting(args, {{"STELLA_TEST_EXPORT_BUNDLE_DELAY_MS", "100"}});
    // Signalled once it has written a bundle (its progress says so): 11 more take over a second.
    exporting.wait_for_err("/12 bundles");
    BOOST_TEST_REQUIRE(exporting.running(), exporting.err());
    BOOST_TEST(run_shell("ls -A", {}, dir.path().string()).out != "", "the staging exists");
    exporting.send(signal_number);
    const ProcessResult result = exporting.wait();
    BOOST_TEST(result.exit_code == 3, result.err);
    BOOST_TEST(mentions(result.err, "export interrupted (SIGINT or SIGTERM) after "), result.err);
    BOOST_TEST(mentions(result.err, "nothing was written at --output and nothing was recorded"));
    BOOST_TEST(run_shell("ls -A", {}, dir.path().string()).out == "", "left behind");
  }
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = "
                          "'export'") == exports_before);
}

BOOST_AUTO_TEST_CASE(an_export_does_not_replace_what_another_put_at_its_output_meanwhile) {
  // Two exports to one --output: the target was checked when each began; the slower one renamed
  // its archive over the faster one's, both said they succeeded and both were recorded.
  BundleStore& store = shared_source_store();
  for (const bool portable : {true, false}) {
    ScratchDir dir;
    const fs::path target = dir.path() / (portable ? "nightly.tar.gz" : "nightly");
    std::vector<std::string> args = {"--database", store.conninfo(), "evidence",     "export",
                                     "--all",      "--output",       target.string()};
    if (portable) {
      args.push_back("--portable");
    }
    BackgroundStella slow(args, {{"STELLA_TEST_EXPORT_BUNDLE_DELAY_MS", "100"}});
    slow.wait_for_err("/12 bundles");
    const ProcessResult fast = run_stella(args);
    BOOST_TEST_REQUIRE(fast.exit_code == 0, fast.err);
    const std::string fast_listing =
        run_shell("ls -lR --time-style=full-iso '" + target.string() + "'", {}, dir.path().string())
            .out;
    BOOST_TEST_REQUIRE(mentions(fast_listing, "nightly"), fast_listing);
    const std::string exports_before =
        store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'export'");
    const ProcessResult refused = slow.wait();
    BOOST_TEST(refused.exit_code == 2, refused.err);
    BOOST_TEST(mentions(refused.err, "was filled while this export ran"), refused.err);
    BOOST_TEST(
        run_shell("ls -lR --time-style=full-iso '" + target.string() + "'", {}, dir.path().string())
            .out == fast_listing);
    BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = "
                            "'export'") == exports_before);
    BOOST_TEST(run_shell("ls -A", {}, dir.path().string()).out == target.filename().string() + "\n",
               "a staging left behind");
  }
}

BOOST_AUTO_TEST_CASE(an_export_that_loses_its_connection_leaves_nothing_and_says_so) {
  BundleStore& store = shared_source_store();
  const std::string exports_before =
      store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'export'");
  ScratchDir dir;
  const fs::path target = dir.path() / "evidence";
  BackgroundStella exporting(
      {"--database", store.conninfo(), "evidence", "export", "--all", "--output", target.string()},
      {{"STELLA_TEST_EXPORT_BUNDLE_DELAY_MS", "100"}});
  exporting.wait_for_err("/12 bundles");
  BOOST_TEST_REQUIRE(exporting.running(), exporting.err());
  // What a server restart does to the export: its sessions end at once.
  stella::test::end_other_sessions(store.sql());
  const ProcessResult result = exporting.wait();
  BOOST_TEST(result.exit_code == 3, result.err);
  BOOST_TEST(mentions(result.err, "export to " + target.string() +
                                      " stopped: the connection to PostgreSQL was lost ("),
             result.err);
  BOOST_TEST(mentions(result.err, "is as it was and nothing was recorded"), result.err);
  BOOST_TEST(mentions(result.err, "when PostgreSQL is back"), result.err);
  BOOST_TEST(run_shell("ls -A", {}, dir.path().string()).out == "", "left behind");
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = "
                          "'export'") == exports_before);
}

BOOST_AUTO_TEST_CASE(a_second_signal_stops_an_export_at_once) {
  // The first signal asks for a stop at the next bundle and says a second one stops at once; a
  // bundle takes a second here, so the second signal comes while the first is still pending.
  BundleStore& store = shared_source_store();
  ScratchDir dir;
  BackgroundStella exporting({"--database", store.conninfo(), "evidence", "export", "--all",
                              "--output", (dir.path() / "evidence").string()},
                             {{"STELLA_TEST_EXPORT_BUNDLE_DELAY_MS", "1000"}});
  exporting.wait_for_err("/12 bundles");
  BOOST_TEST_REQUIRE(exporting.running(), exporting.err());
  exporting.send(SIGINT);
  exporting.wait_for_err("send the signal again", std::chrono::milliseconds(500));
  BOOST_TEST(mentions(exporting.err(),
                      "stella: stopping at the next safe point; send the signal "
                      "again (Ctrl-C) to stop at once"),
             exporting.err());
  exporting.send(SIGINT);
  const ProcessResult result = exporting.wait();
  BOOST_TEST(result.exit_code == 128 + SIGINT, result.err);
  BOOST_TEST(!fs::exists(dir.path() / "evidence"));
}

BOOST_AUTO_TEST_CASE(a_partial_export_carries_tenant_proofs_and_verifies_offline) {
  BundleStore& store = shared_source_store();
  ScratchDir dir;
  export_to(store, dir.path() / "acme", {"--tenant", "acme"});
  const auto manifest =
      valid_json(read_text(dir.path() / "acme" / "manifest.json"), "bundle-manifest.schema.json");
  BOOST_CHECK_EQUAL(manifest["options"]["scope"].GetString(), std::string("tenants"));
  BOOST_CHECK_EQUAL(manifest["tenants"].Size(), 1u);
  BOOST_CHECK_EQUAL(manifest["source"]["tenantCount"].GetInt64(), 3);
  BOOST_CHECK(fs::exists(dir.path() / "acme" / "proofs" / "tenants" / "acme.json"));
  const ProcessResult verified =
      run_stella({"evidence", "verify-bundle", "--format", "json", (dir.path() / "acme").string()});
  BOOST_CHECK_MESSAGE(verified.exit_code == 0, verified.out << verified.err);
  const auto report = valid_json(verified.out, "verify-bundle-report.schema.json");
  BOOST_CHECK(report["bundles"][0]["recomputedGlobalRoot"].IsNull());
  BOOST_CHECK(report["bundles"][0]["tenants"][0]["proofVerified"].GetBool());

  const ProcessResult unknown = store.stella(
      {"evidence", "export", "--tenant", "nobody", "--output", (dir.path() / "x").string()});
  BOOST_CHECK_EQUAL(unknown.exit_code, 2);
  BOOST_CHECK(mentions(unknown.err, "no tenant 'nobody' in the store; it holds: acme, globex"));
  BOOST_CHECK(mentions(unknown.err, "name tenants the store holds"));
  BOOST_CHECK(!fs::exists(dir.path() / "x"));
  const ProcessResult capitals = store.stella(
      {"evidence", "export", "--tenant", "ACME", "--output", (dir.path() / "x").string()});
  BOOST_CHECK_EQUAL(capitals.exit_code, 2);
  BOOST_CHECK(mentions(capitals.err, "did you mean 'acme'?"));
}

BOOST_AUTO_TEST_CASE(a_store_that_does_not_verify_is_not_exported) {
  BundleStore store("bundles_damaged_source");
  store.init_and_seed();
  store.sql().exec(
      "UPDATE evidence.artifacts SET content = content || '\\x00'::bytea "
      "WHERE (bundle_id, path) = (SELECT bundle_id, path FROM evidence.artifacts "
      "ORDER BY bundle_id, path LIMIT 1)");
  ScratchDir dir;
  const ProcessResult result =
      store.stella({"evidence", "export", "--all", "--output", (dir.path() / "out").string()});
  BOOST_CHECK_EQUAL(result.exit_code, 1);
  BOOST_CHECK(mentions(result.err, "the store does not verify"));
  BOOST_CHECK(mentions(result.err, "does not hash to its stored digest"));
  BOOST_CHECK(!fs::exists(dir.path() / "out"));
  const ProcessResult files = run_shell("ls -A", {}, dir.path().string());
  BOOST_CHECK_EQUAL(files.out, "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
