// `stella evidence verify-bundle`: offline, with no database, each kind of damage is caught and
// named — a flipped byte, a deleted file, an added file, an edited manifest, a kind and seal time
// the attestation does not sign, two artifacts swapped, a proof altered, a truncated archive, a
// file listed or held twice — and a sound bundle passes.
#include <boost/test/unit_test.hpp>

#include "bundles/bundle_test_support.hpp"
#include "bundles/hostile_archive.hpp"

namespace stella::test {
namespace {

/// A fresh export (directory, with proofs) of the shared store in its own scratch directory.
struct ExportCopy {
  ScratchDir dir;
  fs::path bundle = dir.path() / "evidence";
  ExportCopy() { export_to(shared_source_store(), bundle, {"--all", "--include-proofs"}); }
};

/// verify-bundle on `paths` with no database reachable: the report, checked against its schema.
rapidjson::Document verify(const std::vector<std::string>& paths, int expected_exit) {
  std::vector<std::string> args = {"--database", "host=/nonexistent dbname=none",
                                   "evidence",   "verify-bundle",
                                   "--format",   "json"};
  args.insert(args.end(), paths.begin(), paths.end());
  const ProcessResult result = run_stella(args);
  BOOST_CHECK_MESSAGE(result.exit_code == expected_exit, "exit " << result.exit_code << "\n"
                                                                 << result.out << result.err);
  return valid_json(result.out, "verify-bundle-report.schema.json");
}

/// The problems of the first bundle in the report with check `check` naming `where` (in file,
/// artifact or bundle).
int problems_named(const rapidjson::Document& report, const std::string& check,
                   const std::string& where) {
  int found = 0;
  for (const auto& problem : report["bundles"][0]["problems"].GetArray()) {
    const bool named = where.empty() || mentions(problem["file"].GetString(), where) ||
                       mentions(problem["artifact"].GetString(), where) ||
                       mentions(problem["bundle"].GetString(), where) ||
                       mentions(problem["tenant"].GetString(), where);
    if (problem["check"].GetString() == check && named) {
      ++found;
    }
  }
  return found;
}

std::string describe(const rapidjson::Document& report) {
  std::string text;
  for (const auto& problem : report["bundles"][0]["problems"].GetArray()) {
    text += std::string(problem["check"].GetString()) + " " + problem["file"].GetString() + " " +
            problem["artifact"].GetString() + ": " + problem["message"].GetString() + "\n";
  }
  return text;
}

/// `json` with the string value `from` of its first member `name` replaced by `to`.
std::string with_member_value(std::string json, const std::string& name, const std::string& from,
                              const std::string& to) {
  const std::size_t key = json.find("\"" + name + "\"");
  BOOST_REQUIRE(key != std::string::npos);
  const std::size_t value = json.find("\"" + from + "\"", key);
  BOOST_REQUIRE(value != std::string::npos);
  return json.replace(value + 1, from.size(), to);
}

/// The bundle directory and artifact path of the first artifact file of the export.
std::pair<std::string, std::string> first_artifact(const fs::path& bundle) {
  const std::string file = first_file(bundle, "/artifacts/");
  const std::size_t at = file.find("/artifacts/");
  return {file.substr(0, at), file.substr(at + std::string("/artifacts/").size())};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verify_bundle_verb)

BOOST_AUTO_TEST_CASE(a_sound_bundle_passes_offline) {
  ExportCopy copy;
  const auto report = verify({copy.bundle.string()}, 0);
  BOOST_CHECK_EQUAL(report["result"].GetString(), std::string("pass"));
  const auto& bundle = report["bundles"][0];
  BOOST_CHECK_EQUAL(bundle["counts"]["bundles"].GetInt64(), 12);
  BOOST_CHECK_EQUAL(bundle["counts"]["proofsVerified"].GetInt64(), 15);
  BOOST_CHECK_EQUAL(bundle["counts"]["signaturesVerified"].GetInt64(), 12);
  BOOST_CHECK_EQUAL(std::string(bundle["recomputedGlobalRoot"].GetString()),
                    bundle["declaredGlobalRoot"].GetString());
}

BOOST_AUTO_TEST_CASE(a_flipped_byte_is_named) {
  ExportCopy copy;
  const auto [directory, artifact] = first_artifact(copy.bundle);
  const fs::path file = copy.bundle / (directory + "/artifacts/" + artifact);
  std::string content = read_text(file);
  content[content.size() / 2] ^= 0x01;
  write_text(file, content);
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "checksum", directory + "/artifacts/" + artifact) == 1,
                      describe(report));
  BOOST_CHECK_EQUAL(problems_named(report, "artifact_digest", artifact), 1);
  BOOST_CHECK_EQUAL(problems_named(report, "bundle_root", ""), 1);
  const ProcessResult text = run_stella({"evidence", "verify-bundle", copy.bundle.string()});
  BOOST_CHECK_EQUAL(text.exit_code, 1);
  // Expected and found on lines of their own, not run into the message.
  BOOST_CHECK_MESSAGE(
      mentions(text.out, "\n      expected ") && mentions(text.out, "\n      found "), text.out);
}

BOOST_AUTO_TEST_CASE(a_deleted_file_is_named) {
  ExportCopy copy;
  const auto [directory, artifact] = first_artifact(copy.bundle);
  const std::string file = directory + "/artifacts/" + artifact;
  fs::remove(copy.bundle / file);
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "missing_file", file) >= 1, describe(report));
}

BOOST_AUTO_TEST_CASE(a_deleted_checksum_list_is_a_damaged_bundle_not_a_stranger) {
  // The list is what every other file is checked against: without it the directory is still a
  // bundle (its manifest says so), one that does not verify (exit 1), not "not a bundle" (exit 2).
  ExportCopy copy;
  fs::remove(copy.bundle / "checksums.sha256");
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_EQUAL(report["bundles"][0]["sourceFormat"].GetString(), std::string("bundle-dir"));
  bool named = false;
  for (const auto& problem : report["bundles"][0]["problems"].GetArray()) {
    named = named || mentions(problem["message"].GetString(), "no checksums.sha256");
  }
  BOOST_CHECK_MESSAGE(named, describe(report));
  const ProcessResult text = run_stella({"evidence", "verify-bundle", copy.bundle.string()});
  BOOST_CHECK_EQUAL(text.exit_code, 1);
  BOOST_CHECK_MESSAGE(mentions(text.out, "no checksums.sha256"), text.out);
}

BOOST_AUTO_TEST_CASE(an_added_file_is_named) {
  ExportCopy copy;
  write_text(copy.bundle / "tenants/acme/planted.json", "{}");
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "extra_file", "tenants/acme/planted.json") == 1,
                      describe(report));
}

BOOST_AUTO_TEST_CASE(a_symbolic_link_is_named_without_import_wording) {
  // The importers' refusals say "nothing was imported"; verify-bundle imports nothing, so its
  // report keeps only what was found and what to do.
  ExportCopy copy;
  const auto [directory, artifact] = first_artifact(copy.bundle);
  const fs::path file = copy.bundle / (directory + "/artifacts/" + artifact);
  const fs::path outside = copy.dir.path() / "outside.json";
  fs::copy_file(file, outside);
  fs::remove(file);
  fs::create_symlink(outside, file);
  const auto report = verify({copy.bundle.string()}, 1);
  // The read stops there; what was read before it may have its own problems (a bundle whose
  // files were not all read), depending on how far the reading threads had come.
  BOOST_CHECK_MESSAGE(problems_named(report, "unreadable", "") == 1, describe(report));
  for (const auto& problem : report["bundles"][0]["problems"].GetArray()) {
    BOOST_CHECK_MESSAGE(!mentions(problem["message"].GetString(), "imported"), describe(report));
    if (std::string(problem["check"].GetString()) == "unreadable") {
      BOOST_CHECK_MESSAGE(mentions(problem["message"].GetString(), "is a symbolic link"),
                          describe(report));
    }
  }
  const ProcessResult text = run_stella({"evidence", "verify-bundle", copy.bundle.string()});
  BOOST_CHECK_EQUAL(text.exit_code, 1);
  BOOST_CHECK_MESSAGE(!mentions(text.out, "imported"), text.out);
}

BOOST_AUTO_TEST_CASE(an_edited_manifest_is_named) {
  ExportCopy copy;
  std::string manifest = read_text(copy.bundle / "manifest.json");
  const auto document = valid_json(manifest, "bundle-manifest.schema.json");
  const std::string root = document["tenants"][0]["root"].GetString();
  std::string forged = root;
  forged.back() = forged.back() == '0' ? '1' : '0';
  manifest.replace(manifest.find(root), root.size(), forged);
  write_text(copy.bundle / "manifest.json", manifest);
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "checksum", "manifest.json") == 1, describe(report));
  BOOST_CHECK_EQUAL(
      problems_named(report, "tenant_root", document["tenants"][0]["tenant"].GetString()), 1);
}

BOOST_AUTO_TEST_CASE(a_kind_and_seal_time_the_attestation_does_not_sign_are_named) {
  // bundle.json and the checksum list agree; only the attestation still says what was sealed.
  ExportCopy copy;
  const std::string file = first_file(copy.bundle, "/bundle.json");
  std::string record = read_text(copy.bundle / file);
  const auto document = valid_json(record, "bundle-record.schema.json");
  BOOST_REQUIRE_EQUAL(document["attestation"].GetString(), std::string("included"));
  const std::string kind = document["kind"].GetString();
  const std::string edited_kind = kind == "job" ? "evaluation" : "job";
  // One microsecond later: the bundle keeps its place in the Merkle order, so every root and
  // proof still verifies.
  std::string edited_time = document["sealedAt"].GetString();
  char& last_digit = edited_time[edited_time.size() - 2];
  last_digit = last_digit == '9' ? '8' : static_cast<char>(last_digit + 1);
  record = with_member_value(record, "kind", kind, edited_kind);
  record = with_member_value(record, "sealedAt", document["sealedAt"].GetString(), edited_time);
  write_listed_file(copy.bundle, file, record);
  const auto report = verify({copy.bundle.string()}, 1);
  const std::string bundle_id = document["bundleId"].GetString();
  BOOST_CHECK_MESSAGE(problems_named(report, "attestation_kind", bundle_id) == 1, describe(report));
  BOOST_CHECK_EQUAL(problems_named(report, "attestation_sealed_at", bundle_id), 1);
  BOOST_CHECK_MESSAGE(report["bundles"][0]["problems"].Size() == 2U, describe(report));
}

BOOST_AUTO_TEST_CASE(two_swapped_artifacts_are_named) {
  ExportCopy copy;
  const auto [directory, first] = first_artifact(copy.bundle);
  std::vector<std::string> files;
  for (const auto& [path, hex] : checksum_lines(copy.bundle)) {
    if (path.rfind(directory + "/artifacts/", 0) == 0) {
      files.push_back(path);
    }
  }
  BOOST_REQUIRE_GE(files.size(), 2u);
  const std::string a = read_text(copy.bundle / files[0]);
  const std::string b = read_text(copy.bundle / files[1]);
  write_text(copy.bundle / files[0], b);
  write_text(copy.bundle / files[1], a);
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "checksum", files[0]) == 1, describe(report));
  BOOST_CHECK_EQUAL(problems_named(report, "checksum", files[1]), 1);
  BOOST_CHECK_EQUAL(problems_named(report, "artifact_digest", ""), 2);
  BOOST_CHECK_EQUAL(problems_named(report, "bundle_root", ""), 1);
}

BOOST_AUTO_TEST_CASE(an_altered_proof_is_named) {
  ExportCopy copy;
  const std::string file = first_file(copy.bundle, "proofs/bundles/");
  std::string proof = read_text(copy.bundle / file);
  const auto document = valid_json(proof, "bundle-proof.schema.json");
  BOOST_REQUIRE_GT(document["path"].Size(), 0u);
  const std::string step = document["path"][0].GetString();
  std::string forged = step;
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  proof.replace(proof.find(step), step.size(), forged);
  write_text(copy.bundle / file, proof);
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "checksum", file) == 1, describe(report));
  BOOST_CHECK_EQUAL(problems_named(report, "bundle_proof", document["bundleId"].GetString()), 1);
}

BOOST_AUTO_TEST_CASE(a_truncated_archive_is_named) {
  ScratchDir dir;
  const fs::path archive = dir.path() / "evidence.tar.gz";
  export_to(shared_source_store(), archive, {"--all", "--portable"});
  const std::string bytes = read_text(archive);
  // Cut at three quarters. (Cut much shorter, a small archive is not recognized as a portable
  // export at all: libarchive cannot read its first header ahead; that is exit 2, not this.)
  write_text(archive, bytes.substr(0, bytes.size() * 3 / 4));
  const auto report = verify({archive.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "unreadable", "") == 1, describe(report));
  BOOST_CHECK(mentions(describe(report), "truncated or damaged"));
  // The text report says the roots went unchecked because the read stopped, not that the bundle
  // is a partial export.
  const ProcessResult text = run_stella({"evidence", "verify-bundle", archive.string()});
  BOOST_CHECK_EQUAL(text.exit_code, 1);
  BOOST_CHECK_MESSAGE(mentions(text.out, "not checked: the source could not be read to its end") &&
                          !mentions(text.out, "partial export"),
                      text.out);
}

BOOST_AUTO_TEST_CASE(a_changed_entry_in_a_portable_archive_is_named) {
  ExportCopy copy;
  std::vector<ArchiveEntrySpec> entries = entries_of_export(copy.bundle);
  std::string changed;
  for (ArchiveEntrySpec& entry : entries) {
    if (entry.path.find("/artifacts/") != std::string::npos) {
      entry.content += " ";
      changed = entry.path;
      break;
    }
  }
  const fs::path archive = copy.dir.path() / "changed.tar.gz";
  write_tar_gz(archive, entries);
  const auto report = verify({archive.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "checksum", changed) == 1, describe(report));
  BOOST_CHECK_EQUAL(problems_named(report, "artifact_size", changed), 1);
}

BOOST_AUTO_TEST_CASE(edited_counts_in_the_manifest_are_named) {
  // The manifest's totals and, for an export of every tenant, the source store's counts are the
  // sums of its tenants' counts: an edit the checksum list was made to agree with is still caught.
  ExportCopy copy;
  std::string manifest = read_text(copy.bundle / "manifest.json");
  const auto document = valid_json(manifest, "bundle-manifest.schema.json");
  BOOST_REQUIRE_EQUAL(document["options"]["scope"].GetString(), std::string("all"));
  const std::string total =
      "\"bundles\": " + std::to_string(document["counts"]["bundles"].GetInt64());
  BOOST_REQUIRE_MESSAGE(mentions(manifest, total), manifest);
  const std::string store =
      "\"artifactCount\": " + std::to_string(document["source"]["artifactCount"].GetInt64());
  BOOST_REQUIRE_MESSAGE(mentions(manifest, store), manifest);
  manifest.replace(manifest.find(total), total.size(), total + "0");
  manifest.replace(manifest.find(store), store.size(), store + "1");
  write_listed_file(copy.bundle, "manifest.json", manifest);
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "manifest_counts", "manifest.json") == 2,
                      describe(report));
  BOOST_CHECK_EQUAL(problems_named(report, "checksum", ""), 0);
}

BOOST_AUTO_TEST_CASE(a_list_with_windows_line_endings_is_named_as_such) {
  // A text-mode copy turns "\n" into "\r\n": the paths of checksums.sha256 then end with a
  // carriage return, and the report says so instead of only "a control character".
  ExportCopy copy;
  std::string list = read_text(copy.bundle / "checksums.sha256");
  std::string converted;
  for (const char c : list) {
    converted += c == '\n' ? std::string("\r\n") : std::string(1, c);
  }
  write_text(copy.bundle / "checksums.sha256", converted);
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "unreadable", "") == 1, describe(report));
  BOOST_CHECK_MESSAGE(mentions(describe(report), "ends with a carriage return") &&
                          mentions(describe(report), "binary mode"),
                      describe(report));
}

BOOST_AUTO_TEST_CASE(a_file_listed_twice_is_named) {
  // Every line of the list still holds: the file is there and has that SHA-256. But the export
  // lists each file once, and a file listed twice is read and counted twice.
  ExportCopy copy;
  const std::string file = first_file(copy.bundle, "proofs/tenants/");
  std::string list = read_text(copy.bundle / "checksums.sha256");
  const std::size_t at = list.find("  " + file + "\n");
  BOOST_REQUIRE(at != std::string::npos);
  const std::size_t start = list.rfind('\n', at) + 1;
  list += list.substr(start, at + file.size() + 3 - start);
  write_text(copy.bundle / "checksums.sha256", list);
  const auto report = verify({copy.bundle.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "duplicate_file", file) == 1, describe(report));
  BOOST_CHECK(mentions(describe(report), "lists the file more than once"));
}

BOOST_AUTO_TEST_CASE(a_file_held_twice_in_a_portable_archive_is_named) {
  // Two entries of one name, both listed: `tar -x` would keep only the second.
  ExportCopy copy;
  std::vector<ArchiveEntrySpec> entries = entries_of_export(copy.bundle);
  const std::string file = first_file(copy.bundle, "proofs/tenants/");
  std::vector<ArchiveEntrySpec> twice;
  std::string line;
  for (const ArchiveEntrySpec& entry : entries) {
    twice.push_back(entry);
    if (entry.path == file) {
      twice.push_back(entry);
    }
  }
  for (const auto& [path, hex] : checksum_lines(copy.bundle)) {
    if (path == file) {
      line = hex + "  " + path + "\n";
    }
  }
  BOOST_REQUIRE(!line.empty());
  BOOST_REQUIRE_EQUAL(twice.back().path, "checksums.sha256");
  twice.back().content += line;
  const fs::path archive = copy.dir.path() / "twice.tar.gz";
  write_tar_gz(archive, twice);
  const auto report = verify({archive.string()}, 1);
  BOOST_CHECK_MESSAGE(problems_named(report, "duplicate_file", file) == 1, describe(report));
  BOOST_CHECK(mentions(describe(report), "more than once"));
}

BOOST_AUTO_TEST_CASE(an_entry_declaring_a_gigabyte_it_does_not_hold_costs_no_memory) {
  // A sound manifest, then an artifact whose header declares 1000 MiB and whose data ends after
  // one block: 300-odd bytes of gzip. The importer once allocated (and zeroed) the declared size
  // before reading, so verify-bundle of it took a gigabyte of memory.
  ExportCopy copy;
  const fs::path archive = copy.dir.path() / "lying.tar.gz";
  host::write_cut_short_tar_gz(
      archive,
      {ArchiveEntrySpec("manifest.json", read_text(copy.bundle / "manifest.json")),
       ArchiveEntrySpec("tenants/acme/bundles/b1/artifacts/sbom/cyclonedx.json",
                        std::string(512, '{'))},
      std::uint64_t{1000} << 20);
  BOOST_REQUIRE_LT(fs::file_size(archive), 4096u);

  const ProcessResult result = run_shell(
      "/usr/bin/time -f 'maxrss_kib=%M' \"$STELLA_BINARY\" --database 'host=/nonexistent "
      "dbname=none' evidence verify-bundle \"$ARCHIVE\"",
      {{"ARCHIVE", archive.string()}});
  BOOST_CHECK_EQUAL(result.exit_code, 1);
  BOOST_CHECK_MESSAGE(
      mentions(
          result.out,
          "truncated or damaged in entry 'tenants/acme/bundles/b1/artifacts/sbom/cyclonedx.json'"),
      result.out);
  const std::size_t at = result.err.rfind("maxrss_kib=");
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, result.err);
  const long peak_kib = std::stol(result.err.substr(at + std::string("maxrss_kib=").size()));
  // A few tens of MiB for the process itself; the gigabyte must not be among them.
  BOOST_CHECK_LT(peak_kib, 256L * 1024);
}

BOOST_AUTO_TEST_CASE(several_paths_are_each_reported_and_one_failure_fails_the_run) {
  ExportCopy good;
  ExportCopy bad;
  fs::remove(bad.bundle / first_file(bad.bundle, "/artifacts/"));
  const auto report = verify({good.bundle.string(), bad.bundle.string()}, 1);
  BOOST_REQUIRE_EQUAL(report["bundles"].Size(), 2u);
  BOOST_CHECK_EQUAL(report["bundles"][0]["result"].GetString(), std::string("pass"));
  BOOST_CHECK_EQUAL(report["bundles"][1]["result"].GetString(), std::string("fail"));

  const ProcessResult text = run_stella({"evidence", "verify-bundle", bad.bundle.string()});
  BOOST_CHECK_EQUAL(text.exit_code, 1);
  BOOST_CHECK(mentions(text.out, "FAILED"));
  BOOST_CHECK(mentions(text.out, "missing_file"));
  const ProcessResult missing = run_stella({"evidence", "verify-bundle", "/nonexistent/bundle"});
  BOOST_CHECK_EQUAL(missing.exit_code, 2);
  BOOST_CHECK(mentions(missing.err, "/nonexistent/bundle: no such file or directory"));
}

BOOST_AUTO_TEST_CASE(a_path_no_importer_recognizes_is_described) {
  // What the operator gave is said plainly: a failed copy shows as an empty file, a wrong file as
  // not gzip, a wrong directory by what it holds.
  ScratchDir dir;
  write_text(dir.path() / "empty.tar.gz", "");
  write_text(dir.path() / "notes.tar.gz", "hi\n");
  write_text(dir.path() / "other" / "readme.txt", "x");
  fs::create_directories(dir.path() / "nothing");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty.tar.gz", "it is an empty file (0 bytes): was the copy complete?"},
      {"notes.tar.gz",
       "it is a file of 3 bytes that is not gzip data (it starts 68 69 0a; a "
       "portable archive starts 1f 8b)"},
      {"other", "it is a directory holding readme.txt; it has no manifest.json"},
      {"nothing", "it is an empty directory"}};
  for (const auto& [name, described] : cases) {
    const fs::path path = dir.path() / name;
    const ProcessResult result = run_stella({"evidence", "verify-bundle", path.string()});
    BOOST_CHECK_EQUAL(result.exit_code, 2);
    BOOST_CHECK_MESSAGE(mentions(result.err, path.string() +
                                                 " is not a source any installed importer "
                                                 "recognizes: " +
                                                 described),
                        result.err);
  }
  // import names the path before it reaches for the database (here, none).
  const ProcessResult portable =
      run_stella({"--database", "host=/nonexistent dbname=none", "evidence", "import", "--portable",
                  (dir.path() / "empty.tar.gz").string()});
  BOOST_CHECK_EQUAL(portable.exit_code, 2);
  BOOST_CHECK_MESSAGE(
      mentions(portable.err, "does not recognize it; it is an empty file (0 bytes)"), portable.err);
}

BOOST_AUTO_TEST_CASE(a_mistyped_source_format_is_bad_input_with_the_closest_one) {
  ExportCopy copy;
  const ProcessResult result = run_stella(
      {"evidence", "verify-bundle", "--source-format", "bundle-dirr", copy.bundle.string()});
  BOOST_TEST(result.exit_code == 2, result.err);
  BOOST_TEST(mentions(result.err, "unknown --source-format 'bundle-dirr'"), result.err);
  BOOST_TEST(mentions(result.err, "did you mean 'bundle-dir'?"), result.err);
}

BOOST_AUTO_TEST_CASE(expect_root_holds_a_bundle_to_the_root_the_receiver_was_given) {
  // A bundle proves itself only up to its own global root; the receiver's root, obtained by
  // another channel, is what a bundle re-rooted after an edit cannot match.
  ExportCopy copy;
  const std::string root = shared_source_store().roots()["globalRoot"].GetString();
  const std::string other = "sha256:" + std::string(64, 'a');
  verify({"--expect-root", root, copy.bundle.string()}, 0);
  const rapidjson::Document wrong = verify({"--expect-root", other, copy.bundle.string()}, 1);
  BOOST_TEST(problems_named(wrong, "expected_global_root", "") == 1, describe(wrong));
  const auto& problem = wrong["bundles"][0]["problems"][0];
  BOOST_TEST(problem["expected"].GetString() == other);
  BOOST_TEST(problem["found"].GetString() == root);
  const ProcessResult malformed = run_stella(
      {"evidence", "verify-bundle", "--expect-root", "not-a-root", copy.bundle.string()});
  BOOST_TEST(malformed.exit_code == 2, malformed.err);
  BOOST_TEST(mentions(malformed.err, "--expect-root 'not-a-root' is not a root"), malformed.err);

  // import: nothing is written unless the root matches.
  BundleStore target("bundles_expect_root");
  const ProcessResult refused =
      target.stella({"evidence", "import", "--expect-root", other, copy.bundle.string()});
  BOOST_TEST(refused.exit_code == 1, refused.err);
  BOOST_TEST(mentions(refused.err, "expected_global_root"), refused.err);
  // The command it suggests keeps the root: without it verify-bundle passes the bundle.
  BOOST_TEST(mentions(refused.err, "verify-bundle --expect-root " + other + " "), refused.err);
  BOOST_TEST(!target.has_store());
  const ProcessResult imported =
      target.stella({"evidence", "import", "--expect-root", root, copy.bundle.string()});
  BOOST_TEST(imported.exit_code == 0, imported.err);
  BOOST_TEST(target.roots()["globalRoot"].GetString() == root);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
