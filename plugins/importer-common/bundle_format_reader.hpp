// The bundle format of `stella evidence export` (docs/bundle-format.md), read file by file in the
// order the export wrote them — the order of a portable archive's entries and of the lines of
// checksums.sha256 — and turned into ImportSink calls. Shared by the bundle-dir and the portable
// importer, which differ only in where the files come from and how their checksums are checked.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "import_budget.hpp"
#include "stella/sdk/storage_importer.hpp"

namespace stella_importer {

namespace bundle_format {
inline constexpr const char* kFormatName = "stella-evidence-bundle";
/// The only format version this reader knows.
inline constexpr std::int64_t kFormatVersion = 1;
inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kChecksumsFile = "checksums.sha256";
}  // namespace bundle_format

/// Ownership: borrows the sink and the budget, which must outlive it.
/// Thread-safety: one thread. Failure: throws stella::sdk::Error(invalid_input) for input that
/// cannot be read on (a manifest that is missing, not first, invalid JSON or breaks its schema, an
/// unknown format version; any JSON file that is not valid); reports what it can read past
/// (a missing or unexpected file, a count that does not add up) to ImportSink::problem.
class BundleFormatReader {
 public:
  BundleFormatReader(stella::sdk::ImportSink& sink, ImportBudget& budget);

  /// The size class of the file at `path` (artifacts may be larger than documents).
  static FileClass file_class(std::string_view path);

  /// One file of the bundle (anything but checksums.sha256), with its whole content.
  void file(std::string_view path, std::string_view content);

  /// After the last file: closes the last bundle and reports what the manifest promised but the
  /// source did not hold.
  void finish();

 private:
  struct ExpectedArtifact {
    std::string media_type;
    std::string digest;
    std::int64_t size = 0;
    bool seen = false;
  };
  struct OpenBundle {
    std::string tenant;
    std::string bundle_id;
    std::string directory;
    std::map<std::string, ExpectedArtifact, std::less<>> artifacts;
    bool attestation_expected = false;
    bool attestation_seen = false;
  };
  struct TenantPromise {
    std::int64_t bundles = 0;
    std::int64_t artifacts = 0;
    std::int64_t bundles_seen = 0;
    std::int64_t artifacts_seen = 0;
    bool proof_seen = false;
  };

  void manifest(std::string_view path, std::string_view content);
  void signing_keys(std::string_view path, std::string_view content);
  void bundle_record(std::string_view path, std::string_view tenant, std::string_view bundle,
                     std::string_view content);
  void artifact(std::string_view path, std::string_view tenant, std::string_view bundle,
                std::string_view artifact_path, std::string_view content);
  void attestation(std::string_view path, std::string_view tenant, std::string_view bundle,
                   std::string_view content);
  void proof(std::string_view path, std::string_view tenant, std::optional<std::string_view> bundle,
             std::string_view content);
  void close_bundle();
  void unexpected(std::string_view path, const std::string& why);
  void report(const char* check, std::string_view file, std::string expected, std::string found,
              std::string message);
  std::string origin(std::string_view path) const;

  stella::sdk::ImportSink& sink_;
  ImportBudget& budget_;
  bool manifest_seen_ = false;
  bool proofs_expected_ = false;
  bool attestations_expected_ = false;
  std::map<std::string, TenantPromise, std::less<>> tenants_;
  std::optional<OpenBundle> open_;
  /// Bundles whose inclusion proof has not arrived yet (only when proofs are expected).
  std::set<std::string, std::less<>> awaiting_proof_;
  bool tenant_proofs_expected_ = false;
};

}  // namespace stella_importer
