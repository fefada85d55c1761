// The bad-input corpus, one defect per source, as directories and as tar.gz archives.
#include "stella/host/conformance/hostile_corpus.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

#include "stella/host/bundles/bundle_format.hpp"
#include "stella/host/conformance/hostile_archive.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/error.hpp"

namespace fs = std::filesystem;

namespace stella::host {
namespace {

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
/// JSON documents above this are "huge" for the corpus (the default is 64 MiB).
constexpr std::uint64_t kCorpusMaxJsonBytes = kMiB;
/// The compression ratio is judged from this many decompressed bytes on (the default is 64 MiB).
constexpr std::uint64_t kCorpusRatioFloorBytes = kMiB;
/// Zeros in the bomb: 16 times the floor, so any sane ratio limit trips on it.
constexpr std::uint64_t kBombZeros = 16 * kMiB;
/// The limit of the "too many entries" case: far fewer files than any real export holds.
constexpr std::uint64_t kFewEntries = 3;
/// A checksum no real file has, for lines naming files that must never be read.
const std::string kZeroDigestHex(64, '0');
/// Bytes of the cut-short entry the archive still holds (at most: its real bytes, from the start).
constexpr std::size_t kHeldBytes = 512;
/// Where the corpus's extra archive entries go: the first position after the manifest.
constexpr std::ptrdiff_t kInsertPosition = 1;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    throw sdk::Error(sdk::ErrorCode::internal, file.string() + ": could not be written",
                     "check free space and permissions of " + file.parent_path().string());
  }
}

/// The first path of the export's checksum list containing `part` ("/artifacts/").
std::string first_listed(const fs::path& export_directory, const std::string& part) {
  for (const ArchiveEntrySpec& entry : entries_of_export(export_directory)) {
    if (entry.path.find(part) != std::string::npos) {
      return entry.path;
    }
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   export_directory.string() + ": the export lists no file with '" + part +
                       "' in its path; the corpus needs an export of a store with evidence",
                   "seed the store before exporting it");
}

/// The manifest with one top-level member replaced.
void rewrite_manifest(const fs::path& export_directory,
                      const std::function<void(rapidjson::Document&)>& change) {
  const fs::path manifest = export_directory / "manifest.json";
  rapidjson::Document document = parse_json_file(manifest);
  change(document);
  write_text(manifest, json_to_string(document));
}

class CorpusBuilder {
 public:
  CorpusBuilder(const fs::path& valid_export, const fs::path& scratch)
      : valid_export_(valid_export), scratch_(scratch) {}

  /// A copy of the valid export, damaged by `damage`, as a directory source and, unless
  /// `directory_only`, packed as a tar.gz source too.
  void directory_case(const std::string& name, const std::string& defect,
                      const std::function<void(const fs::path&)>& damage,
                      const sdk::ImportLimits& limits, bool also_archive = true) {
    const fs::path top = scratch_ / ("dir-" + name);
    const fs::path copy = top / "evidence";
    fs::create_directories(top);
    fs::copy(valid_export_, copy, fs::copy_options::recursive);
    damage(copy);
    corpus_.push_back({"dir/" + name, defect, SourceShape::directory, copy, limits});
    if (also_archive) {
      const fs::path archive = scratch_ / ("tar-" + name + ".tar.gz");
      write_hostile_tar_gz(archive, entries_of_export(copy));
      corpus_.push_back({"tar.gz/" + name, defect, SourceShape::tar_gz, archive, limits});
    }
  }

  /// The valid export as a tar.gz with `extra` entries after its manifest.
  void archive_case(const std::string& name, const std::string& defect,
                    const std::vector<ArchiveEntrySpec>& extra, const sdk::ImportLimits& limits) {
    std::vector<ArchiveEntrySpec> entries = entries_of_export(valid_export_);
    entries.insert(entries.begin() + kInsertPosition, extra.begin(), extra.end());
    const fs::path archive = scratch_ / ("tar-" + name + ".tar.gz");
    write_hostile_tar_gz(archive, entries);
    corpus_.push_back({"tar.gz/" + name, defect, SourceShape::tar_gz, archive, limits});
  }

  /// The valid export's entries up to `artifact` as a tar.gz that ends at most `held_bytes` into
  /// it, its header declaring `declared_size`.
  void cut_short_archive_case(const std::string& name, const std::string& artifact,
                              std::uint64_t declared_size, std::size_t held_bytes,
                              const sdk::ImportLimits& limits) {
    std::vector<ArchiveEntrySpec> entries = entries_of_export(valid_export_);
    const auto cut = std::find_if(entries.begin(), entries.end(), [&artifact](const auto& entry) {
      return entry.path == artifact;
    });
    if (cut == entries.end()) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       valid_export_.string() + ": the export does not hold '" + artifact + "'");
    }
    entries.erase(cut + 1, entries.end());
    std::string& held = entries.back().content;
    held.resize(std::min(held.size(), held_bytes));
    const std::string defect = "entry '" + artifact + "' declares " +
                               std::to_string(declared_size / kMiB) +
                               " MiB (the artifact limit) and the archive ends " +
                               std::to_string(held.size()) + " bytes into it";
    const fs::path archive = scratch_ / ("tar-" + name + ".tar.gz");
    write_cut_short_tar_gz(archive, entries, declared_size);
    corpus_.push_back({"tar.gz/" + name, defect, SourceShape::tar_gz, archive, limits});
  }

  HostileSource& last() { return corpus_.back(); }
  std::vector<HostileSource> take() { return std::move(corpus_); }

 private:
  fs::path valid_export_;
  fs::path scratch_;
  std::vector<HostileSource> corpus_;
};

void append_checksum_line(const fs::path& copy, const std::string& path) {
  const fs::path checksums = copy / "checksums.sha256";
  write_text(checksums, read_text(checksums) + kZeroDigestHex + "  " + path + "\n");
}

void make_fifo(const fs::path& path) {
  if (::mkfifo(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     path.string() + ": mkfifo failed: " + std::strerror(errno));
  }
}

}  // namespace

sdk::ImportLimits hostile_corpus_limits() {
  sdk::ImportLimits limits = bundle_format::default_import_limits();
  limits.max_json_bytes = kCorpusMaxJsonBytes;
  limits.ratio_floor_bytes = kCorpusRatioFloorBytes;
  return limits;
}

std::vector<HostileSource> build_hostile_corpus(const fs::path& valid_export,
                                                const fs::path& scratch) {
  const sdk::ImportLimits limits = hostile_corpus_limits();
  const std::string artifact = first_listed(valid_export, "/artifacts/");
  const std::string record = first_listed(valid_export, "/bundle.json");
  CorpusBuilder corpus(valid_export, scratch);

  // Unsafe paths and special files: directories list or hold them, archives carry them.
  corpus.directory_case(
      "dot-dot-path", "checksums.sha256 lists '../outside.json', a file outside the source",
      [](const fs::path& copy) {
        write_text(copy.parent_path() / "outside.json", "{}");
        append_checksum_line(copy, "../outside.json");
      },
      limits, false);
  corpus.archive_case("dot-dot-path", "an entry 'tenants/../../escape.json' climbs out",
                      {ArchiveEntrySpec{"tenants/../../escape.json", "{}"}}, limits);
  corpus.directory_case(
      "absolute-path", "checksums.sha256 lists '/etc/passwd'",
      [](const fs::path& copy) { append_checksum_line(copy, "/etc/passwd"); }, limits, false);
  corpus.archive_case("absolute-path", "an entry '/etc/cron.d/evil' has an absolute path",
                      {ArchiveEntrySpec{"/etc/cron.d/evil", "x"}}, limits);
  corpus.directory_case(
      "symbolic-link", "artifact '" + artifact + "' is a symbolic link to /etc/passwd",
      [&artifact](const fs::path& copy) {
        fs::remove(copy / artifact);
        fs::create_symlink("/etc/passwd", copy / artifact);
      },
      limits, false);
  corpus.archive_case(
      "symbolic-link", "an entry 'tenants/acme/link.json' links to /etc/passwd",
      {ArchiveEntrySpec{"tenants/acme/link.json", "", ArchiveEntryType::symlink, "/etc/passwd"}},
      limits);
  corpus.directory_case(
      "hard-link", "'tenants/second-name.json' is a hard link to artifact '" + artifact + "'",
      [&artifact](const fs::path& copy) {
        fs::create_hard_link(copy / artifact, copy / "tenants" / "second-name.json");
      },
      limits, false);
  corpus.archive_case(
      "hard-link", "an entry 'tenants/acme/hard.json' is a hard link to manifest.json",
      {ArchiveEntrySpec{"tenants/acme/hard.json", "", ArchiveEntryType::hardlink, "manifest.json"}},
      limits);
  corpus.directory_case(
      "fifo", "'tenants/pipe' is a FIFO",
      [](const fs::path& copy) { make_fifo(copy / "tenants" / "pipe"); }, limits, false);
  corpus.last().fifos.push_back(corpus.last().location / "tenants" / "pipe");
  corpus.archive_case("fifo", "an entry 'tenants/acme/pipe' is a FIFO",
                      {ArchiveEntrySpec{"tenants/acme/pipe", "", ArchiveEntryType::fifo}}, limits);
  corpus.archive_case("device", "an entry 'tenants/acme/null' is a character device",
                      {ArchiveEntrySpec{"tenants/acme/null", "", ArchiveEntryType::char_device}},
                      limits);
  corpus.archive_case("decompression-bomb",
                      std::to_string(kBombZeros / kMiB) +
                          " MiB of zeros compressed to a few KiB (a decompression bomb)",
                      {ArchiveEntrySpec{"tenants/acme/bundles/bomb/artifacts/zeros.bin", "",
                                        ArchiveEntryType::file, "", kBombZeros}},
                      limits);

  // A header declaring the largest artifact the limits allow, in an archive that ends a block into
  // it: an importer that sizes its buffer by the header takes a gigabyte for a few KiB of input.
  corpus.cut_short_archive_case("declared-size-lie", artifact, limits.max_artifact_bytes,
                                kHeldBytes, limits);

  // Limits and malformed documents: the same damage in both shapes.
  sdk::ImportLimits few_entries = limits;
  few_entries.max_entries = kFewEntries;
  corpus.directory_case(
      "too-many-entries",
      "a valid export read with at most " + std::to_string(kFewEntries) + " entries allowed",
      [](const fs::path&) {}, few_entries);
  corpus.directory_case(
      "huge-manifest",
      "manifest.json is larger than the " + std::to_string(kCorpusMaxJsonBytes) +
          "-byte limit of a JSON document",
      [](const fs::path& copy) {
        write_text(copy / "manifest.json",
                   "{" + std::string(static_cast<std::size_t>(kCorpusMaxJsonBytes), ' ') + "}");
      },
      limits);
  corpus.directory_case(
      "invalid-json-manifest", "manifest.json is cut off in the middle of an object",
      [](const fs::path& copy) {
        write_text(copy / "manifest.json", "{\"format\": \"stella-evidence-bundle\",");
      },
      limits);
  corpus.directory_case(
      "invalid-json-record", "'" + record + "' holds '[1, 2' (invalid JSON)",
      [&record](const fs::path& copy) { write_text(copy / record, "[1, 2"); }, limits);
  corpus.directory_case(
      "schema-breaking-manifest", "manifest.json's \"tenants\" is a string, not an array",
      [](const fs::path& copy) {
        rewrite_manifest(copy, [](rapidjson::Document& manifest) {
          manifest.RemoveMember("tenants");
          manifest.AddMember("tenants", "all of them", manifest.GetAllocator());
        });
      },
      limits);
  corpus.directory_case(
      "unknown-format-version", "manifest.json says formatVersion 7",
      [](const fs::path& copy) {
        rewrite_manifest(copy, [](rapidjson::Document& manifest) {
          manifest.RemoveMember("formatVersion");
          manifest.AddMember("formatVersion", 7, manifest.GetAllocator());
        });
      },
      limits);
  return corpus.take();
}

}  // namespace stella::host
