// Untrusted input: every kind of hostile or malformed source is refused with a clear error, exit 2,
// and nothing written — neither into a store that exists (every row of it unchanged) nor into an
// empty database (no store created). Directories and archives alike.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "bundles/bundle_test_support.hpp"
#include "bundles/hostile_archive.hpp"

namespace stella::test {
namespace {

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
/// Above the 64 MiB after which the expansion ratio is judged.
constexpr std::uint64_t kBombZeros = 80 * kMiB;
/// Above the default 64 MiB limit of a manifest.
constexpr std::size_t kHugeManifestBytes = 65 * kMiB;

/// Two databases every case is tried against: one holding a seeded store, one empty.
struct Targets {
  BundleStore seeded{"bundles_hostile_seeded"};
  BundleStore empty{"bundles_hostile_empty"};
  Targets() { seeded.init_and_seed("23"); }
};

Targets& targets() {
  static Targets instance;
  return instance;
}

/// `import <source>` (with `extra` options) is refused with exit 2 naming `message`, and neither
/// database changed.
void expect_refused(const fs::path& source, const std::string& message,
                    std::vector<std::string> extra = {}) {
  Targets& t = targets();
  const std::string seeded_before = t.seeded.digest_of_all_rows();
  for (BundleStore* store : {&t.seeded, &t.empty}) {
    std::vector<std::string> args = {"evidence", "import"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(source.string());
    const ProcessResult result = store->stella(args);
    BOOST_CHECK_MESSAGE(result.exit_code == 2, "exit " << result.exit_code << ": " << result.err);
    BOOST_CHECK_MESSAGE(mentions(result.err, message),
                        "expected '" << message << "' in: " << result.err);
  }
  BOOST_CHECK_EQUAL(t.seeded.digest_of_all_rows(), seeded_before);
  BOOST_CHECK(!t.empty.has_store());
}

/// A fresh export directory to damage.
struct Source {
  ScratchDir dir;
  fs::path bundle = dir.path() / "evidence";
  Source() { export_to(shared_source_store(), bundle, {"--all"}); }
  std::string artifact() const { return first_file(bundle, "/artifacts/"); }
  void add_checksum_line(const std::string& line) {
    write_text(bundle / "checksums.sha256", read_text(bundle / "checksums.sha256") + line + "\n");
  }
  void replace_manifest(const std::string& from, const std::string& to) {
    std::string manifest = read_text(bundle / "manifest.json");
    BOOST_REQUIRE(manifest.find(from) != std::string::npos);
    manifest.replace(manifest.find(from), from.size(), to);
    write_text(bundle / "manifest.json", manifest);
  }
  fs::path archive_with(const std::vector<ArchiveEntrySpec>& extra, const std::string& name) {
    std::vector<ArchiveEntrySpec> entries = entries_of_export(bundle);
    entries.insert(entries.begin() + 1, extra.begin(), extra.end());
    const fs::path file = dir.path() / name;
    write_tar_gz(file, entries);
    return file;
  }
};

const std::string kZeroHex(64, '0');

}  // namespace

BOOST_AUTO_TEST_SUITE(untrusted_input)

BOOST_AUTO_TEST_CASE(a_dot_dot_path_is_refused) {
  Source source;
  write_text(source.dir.path() / "outside.json", "{}");
  source.add_checksum_line(kZeroHex + "  ../outside.json");
  expect_refused(source.bundle, "unsafe path '../outside.json'");
  const fs::path archive =
      source.archive_with({ArchiveEntrySpec{"tenants/../../escape.json", "{}"}}, "dotdot.tar.gz");
  expect_refused(archive, "unsafe path 'tenants/../../escape.json'");
}

BOOST_AUTO_TEST_CASE(an_absolute_path_is_refused) {
  Source source;
  source.add_checksum_line(kZeroHex + "  /etc/passwd");
  expect_refused(source.bundle, "unsafe path '/etc/passwd': it is absolute");
  const fs::path archive =
      source.archive_with({ArchiveEntrySpec{"/etc/cron.d/evil", "x"}}, "absolute.tar.gz");
  expect_refused(archive, "unsafe path '/etc/cron.d/evil'");
}

BOOST_AUTO_TEST_CASE(symbolic_links_are_refused) {
  Source source;
  const std::string artifact = source.artifact();
  fs::remove(source.bundle / artifact);
  fs::create_symlink("/etc/passwd", source.bundle / artifact);
  expect_refused(source.bundle, "'" + artifact + "' is a symbolic link");
  Source other;
  const fs::path archive = other.archive_with(
      {ArchiveEntrySpec{"tenants/acme/link.json", "", EntryType::symlink, "/etc/passwd"}},
      "symlink.tar.gz");
  expect_refused(archive, "entry 'tenants/acme/link.json' is a symbolic link");
}

BOOST_AUTO_TEST_CASE(hard_links_are_refused) {
  Source source;
  const std::string artifact = source.artifact();
  fs::create_hard_link(source.bundle / artifact, source.bundle / "tenants" / "second-name.json");
  expect_refused(source.bundle, "is a hard link");
  const fs::path archive = source.archive_with(
      {ArchiveEntrySpec{"tenants/acme/hard.json", "", EntryType::hardlink, "manifest.json"}},
      "hardlink.tar.gz");
  expect_refused(archive, "entry 'tenants/acme/hard.json' is a hard link");
}

BOOST_AUTO_TEST_CASE(devices_and_fifos_are_refused) {
  Source source;
  const fs::path fifo = source.bundle / "tenants" / "pipe";
  BOOST_REQUIRE_EQUAL(::mkfifo(fifo.c_str(), 0600), 0);
  expect_refused(source.bundle, "'tenants/pipe' is a FIFO");
  const fs::path archive = source.archive_with(
      {ArchiveEntrySpec{"tenants/acme/null", "", EntryType::char_device}}, "device.tar.gz");
  expect_refused(archive, "entry 'tenants/acme/null' is a character device");
}

BOOST_AUTO_TEST_CASE(a_decompression_bomb_is_refused) {
  Source source;
  const fs::path archive =
      source.archive_with({ArchiveEntrySpec{"tenants/acme/bundles/bomb/artifacts/zeros.bin", "",
                                            EntryType::file, "", kBombZeros}},
                          "bomb.tar.gz");
  BOOST_REQUIRE_LT(fs::file_size(archive), kBombZeros / 100);
  expect_refused(archive, "treated as a decompression bomb");
}

BOOST_AUTO_TEST_CASE(too_many_entries_are_refused) {
  Source source;
  expect_refused(source.bundle, "more than 10 entries", {"--max-entries", "10"});
}

BOOST_AUTO_TEST_CASE(a_huge_manifest_is_refused_unread) {
  Source source;
  write_text(source.bundle / "manifest.json", "{" + std::string(kHugeManifestBytes, ' ') + "}");
  expect_refused(source.bundle,
                 "'manifest.json' is 68157442 bytes; a manifest or other document "
                 "may be at most 67108864 bytes");
}

BOOST_AUTO_TEST_CASE(invalid_json_is_refused) {
  Source source;
  write_text(source.bundle / "manifest.json", "{\"format\": \"stella-evidence-bundle\",");
  expect_refused(source.bundle, "manifest.json: invalid JSON at offset");
  Source other;
  const std::string record = first_file(other.bundle, "/bundle.json");
  write_text(other.bundle / record, "[1, 2");
  expect_refused(other.bundle, record + ": invalid JSON at offset 5 (line 1, column 6)");
}

BOOST_AUTO_TEST_CASE(json_nested_deeper_than_a_reader_can_walk_is_refused) {
  // RapidJSON walks a document one stack frame per level: 200,000 levels in 400 KB crashed every
  // reader (SIGSEGV) before the depth was checked.
  const std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
  Source source;
  write_text(source.bundle / "manifest.json", deep);
  expect_refused(source.bundle,
                 "manifest.json: JSON nested 200000 levels deep; at most 256 are read");
  Source other;
  const std::string record = first_file(other.bundle, "/bundle.json");
  write_text(other.bundle / record, deep);
  expect_refused(other.bundle, record + ": JSON nested 200000 levels deep");
}

BOOST_AUTO_TEST_CASE(json_that_breaks_its_schema_is_refused) {
  Source source;
  source.replace_manifest("\"tenants\": [", "\"tenants\": \"all of them\", \"was\": [");
  expect_refused(source.bundle, "does not match schemas/bundle-manifest.schema.json");
}

BOOST_AUTO_TEST_CASE(an_unknown_format_version_is_refused) {
  Source source;
  source.replace_manifest("\"formatVersion\": 1", "\"formatVersion\": 7");
  expect_refused(source.bundle, "unknown bundle format version 7; this importer");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
