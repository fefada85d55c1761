// The portable archive is deterministic: the same files give the same bytes, whenever and by
// whomever they are written; entries carry fixed metadata, the gzip header no time, and
// checksums.sha256 comes last in the format sha256sum -c reads.
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <boost/test/unit_test.hpp>

#include "bundles/bundle_file_writer.hpp"
#include "bundles/bundle_test_support.hpp"

namespace stella::test {
namespace {

constexpr std::int64_t kFixedTime = 1769860800;  // 2026-01-31T12:00:00Z

void write_sample(const fs::path& file) {
  auto writer = host::make_tar_gz_writer(file, kFixedTime);
  writer->add("manifest.json", "{}\n");
  writer->add("tenants/acme/bundles/b1/artifacts/notes/\xc3\xa9t\xc3\xa9.json", "[]");
  writer->add(
      std::string("tenants/acme/bundles/b1/artifacts/") + std::string(150, 'x') + "/deep.json",
      std::string(100000, 'z'));
  writer->finish();
}

struct EntryFacts {
  std::string path;
  long mode;
  long long mtime;
  long long uid;
  long long gid;
  std::string content;
};

std::vector<EntryFacts> entries_of(const fs::path& file) {
  ::setlocale(LC_CTYPE, "C.UTF-8");
  archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  BOOST_REQUIRE(archive_read_open_filename(a, file.c_str(), 10240) == ARCHIVE_OK);
  std::vector<EntryFacts> facts;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    EntryFacts fact{archive_entry_pathname_utf8(entry),
                    static_cast<long>(archive_entry_mode(entry)),
                    static_cast<long long>(archive_entry_mtime(entry)),
                    static_cast<long long>(archive_entry_uid(entry)),
                    static_cast<long long>(archive_entry_gid(entry)),
                    {}};
    char buffer[65536];
    la_ssize_t got = 0;
    while ((got = archive_read_data(a, buffer, sizeof buffer)) > 0) {
      fact.content.append(buffer, static_cast<std::size_t>(got));
    }
    facts.push_back(std::move(fact));
  }
  archive_read_free(a);
  return facts;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_same_files_give_a_byte_identical_archive) {
  ScratchDir dir;
  write_sample(dir.path() / "one.tar.gz");
  write_sample(dir.path() / "two.tar.gz");
  const std::string one = read_text(dir.path() / "one.tar.gz");
  BOOST_CHECK(one == read_text(dir.path() / "two.tar.gz"));
  // gzip header (RFC 1952): magic, method, flags without FNAME, MTIME bytes 4..7 all zero.
  BOOST_REQUIRE(one.size() > 10);
  BOOST_CHECK_EQUAL(static_cast<unsigned char>(one[0]), 0x1f);
  BOOST_CHECK_EQUAL(static_cast<unsigned char>(one[1]), 0x8b);
  BOOST_CHECK_EQUAL(static_cast<unsigned char>(one[3]) & 0x08, 0);
  BOOST_CHECK_EQUAL(one.substr(4, 4), std::string(4, '\0'));
}

BOOST_AUTO_TEST_CASE(entries_carry_fixed_metadata_and_checksums_come_last) {
  ScratchDir dir;
  write_sample(dir.path() / "a.tar.gz");
  const std::vector<EntryFacts> entries = entries_of(dir.path() / "a.tar.gz");
  BOOST_REQUIRE_EQUAL(entries.size(), 4u);
  BOOST_CHECK_EQUAL(entries[0].path, "manifest.json");
  BOOST_CHECK_EQUAL(entries[1].path,
                    "tenants/acme/bundles/b1/artifacts/notes/\xc3\xa9t\xc3\xa9.json");
  BOOST_CHECK_EQUAL(entries[2].content.size(), 100000u);
  BOOST_CHECK_EQUAL(entries[3].path, "checksums.sha256");
  for (const EntryFacts& entry : entries) {
    BOOST_CHECK_EQUAL(entry.mode & 07777, 0644);
    BOOST_CHECK_EQUAL(entry.mtime, kFixedTime);
    BOOST_CHECK_EQUAL(entry.uid, 0);
    BOOST_CHECK_EQUAL(entry.gid, 0);
  }
  // sha256("{}\n") and sha256("[]"), in the format sha256sum writes.
  BOOST_CHECK(mentions(entries[3].content,
                       "ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356  "
                       "manifest.json\n"));
  BOOST_CHECK(mentions(entries[3].content,
                       "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945  "
                       "tenants/acme/bundles/b1/artifacts/notes/\xc3\xa9t\xc3\xa9.json\n"));
}

}  // namespace stella::test
