// The check between discovery and dlopen: which files a plugin's trust rests on, and whether they
// are still the files that were signed. Everything is decided from files; no plugin code runs.
#include <fstream>
#include <set>
#include <sstream>

#include "plugins/file_sha256.hpp"
#include "stella/host/packs/pack_manifest.hpp"
#include "stella/host/packs/pack_signature.hpp"
#include "stella/host/packs/plugin_trust.hpp"
#include "stella/host/plugins/plugin_names.hpp"
#include "stella/sdk/abi.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Pack manifests are kilobytes; anything larger is refused before it is read.
constexpr std::uintmax_t kMaxPackManifestBytes = 16 * 1024 * 1024;
constexpr const char* kReinstall =
    "reinstall the pack from an untampered copy ('stella plugins install PACK'), or remove this "
    "plugin's folder";

struct TrustProblem {
  std::string file;
  std::string check;
  std::string detail;
  std::string remedy;
};

std::optional<std::string> read_small_file(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error || size > kMaxPackManifestBytes) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) {
    return std::nullopt;
  }
  return bytes.str();
}

bool same_directory(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error_a;
  std::error_code error_b;
  const auto canonical_a = std::filesystem::weakly_canonical(a, error_a);
  const auto canonical_b = std::filesystem::weakly_canonical(b, error_b);
  return !error_a && !error_b && canonical_a == canonical_b;
}

bool is_shipped(const PluginRecord& record, const PluginTrustPolicy& policy) {
  for (const auto& directory : policy.shipped_directories) {
    if (same_directory(record.search_directory, directory)) {
      return true;
    }
  }
  return false;
}

void check_signature(const std::string& manifest_bytes, const std::filesystem::path& signature_path,
                     const PluginTrustPolicy& policy, PluginRecord& record,
                     std::vector<TrustProblem>& problems) {
  const auto signature = read_small_file(signature_path);
  if (!signature) {
    problems.push_back({signature_path.string(), "signature",
                        "missing or unreadable; expected the pack's detached signature",
                        kReinstall});
    return;
  }
  if (!policy.trusted_keys_directory) {
    problems.push_back(
        {signature_path.string(), "trusted-key",
         "no trusted keys were given, so the pack's signer cannot be checked",
         "pass --trusted-keys DIR (or set STELLA_TRUSTED_KEYS) naming the folder of the *.pem "
         "public keys of the publishers you trust"});
    return;
  }
  try {
    const TrustedKeys keys = read_trusted_keys(*policy.trusted_keys_directory);
    const SignatureCheck check = check_pack_signature(manifest_bytes, *signature, keys,
                                                      policy.trusted_keys_directory->string());
    record.signer_key_id = check.key_id;
    if (check.problem) {
      const bool untrusted = !check.key_id.empty() && keys.find(check.key_id) == nullptr;
      problems.push_back({signature_path.string(), untrusted ? "trusted-key" : "signature",
                          *check.problem, check.remedy});
    }
  } catch (const sdk::Error& e) {
    problems.push_back(
        {policy.trusted_keys_directory->string(), "trusted-key", e.what(), e.hint()});
  }
}

/// The pack's entry for this plugin must match its manifest, and every file its digest.
void check_files(const PackManifest& pack, PluginRecord& record,
                 std::vector<TrustProblem>& problems) {
  const std::filesystem::path pack_path = record.directory / kPackManifestFileName;
  if (pack.abi != sdk::kAbiVersion) {
    problems.push_back({pack_path.string(), "abi",
                        "pack '" + pack.pack_id + "' was built for ABI " +
                            std::to_string(pack.abi) + ", this stella supports ABI " +
                            std::to_string(sdk::kAbiVersion),
                        "install the pack made for this stella version (" STELLA_VERSION ")"});
  }
  const PackPlugin* entry = pack.plugin(record.manifest.id);
  if (entry == nullptr) {
    problems.push_back({pack_path.string(), "pack-manifest",
                        "pack '" + pack.pack_id + "' lists no plugin '" + record.manifest.id + "'",
                        kReinstall});
    return;
  }
  const PluginManifest& signed_manifest = entry->manifest;
  if (signed_manifest.version != record.manifest.version ||
      signed_manifest.kind != record.manifest.kind || signed_manifest.abi != record.manifest.abi ||
      signed_manifest.library != record.manifest.library) {
    problems.push_back(
        {record.manifest_path.string(), "pack-manifest",
         "says version " + record.manifest.version + ", " +
             std::string(plugin_kind_name(record.manifest.kind)) + ", ABI " +
             std::to_string(record.manifest.abi) + ", library " + record.manifest.library +
             "; the pack says version " + signed_manifest.version + ", " +
             std::string(plugin_kind_name(signed_manifest.kind)) + ", ABI " +
             std::to_string(signed_manifest.abi) + ", library " + signed_manifest.library,
         kReinstall});
  }
  if (entry->file(record.manifest.library) == nullptr) {
    problems.push_back({record.library_path.string(), "file-list",
                        "the library is not listed in the pack, so it is not covered by the "
                        "signature",
                        kReinstall});
  }
  std::set<std::string> listed{kPackManifestFileName, kPackSignatureFileName};
  for (const auto& file : entry->files) {
    listed.insert(file.path);
    const std::filesystem::path path = record.directory / file.path;
    std::string found;
    if (file.path == record.manifest.library) {
      // The digest discovery took is the one dlopen is held to (ensure_loaded re-checks it).
      found = record.library_digest;
    } else {
      try {
        found = file_sha256(path);
      } catch (const sdk::Error&) {
        problems.push_back({path.string(), "file-list",
                            "missing or unreadable; the pack lists it with " + file.sha256,
                            kReinstall});
        continue;
      }
    }
    if (found != file.sha256) {
      problems.push_back({path.string(), "digest",
                          "found " + found + ", the signed pack manifest says " + file.sha256,
                          kReinstall});
    }
  }
  std::error_code error;
  for (std::filesystem::directory_iterator it(record.directory, error), end; !error && it != end;
       it.increment(error)) {
    if (!listed.count(it->path().filename().string())) {
      problems.push_back({it->path().string(), "file-list",
                          "not part of pack '" + pack.pack_id +
                              "': a plugin folder installed from a pack holds only its files",
                          "remove the extra file, or " + std::string(kReinstall)});
    }
  }
}

}  // namespace

void apply_plugin_trust(PluginRecord& record, const PluginTrustPolicy& policy) {
  if (record.status != PluginStatus::discovered) {
    return;
  }
  const std::filesystem::path pack_path = record.directory / kPackManifestFileName;
  const std::filesystem::path signature_path = record.directory / kPackSignatureFileName;
  std::error_code error;
  const bool from_pack =
      std::filesystem::exists(pack_path, error) || std::filesystem::exists(signature_path, error);
  if (!from_pack) {
    if (is_shipped(record, policy)) {
      record.origin = PluginOrigin::shipped;
      return;
    }
    record.origin = PluginOrigin::unsigned_plugin;
    if (policy.allow_unsigned) {
      return;
    }
    record.status = PluginStatus::broken;
    record.reason = record.directory.string() + ": unsigned plugin '" + record.manifest.id +
                    "' was not loaded: it comes from no signed pack (no " + kPackManifestFileName +
                    " beside its manifest.json) and --allow-unsigned was "
                    "not given; expected a plugin installed from a signed pack, or one shipped in "
                    "the install directory";
    record.remedy =
        "install it from a signed pack ('stella plugins install PACK --trusted-keys DIR'), or "
        "pass --allow-unsigned while developing the plugin (docs/plugin-packs.md)";
    return;
  }

  record.origin = PluginOrigin::signed_pack;
  std::vector<TrustProblem> problems;
  const auto manifest_bytes = read_small_file(pack_path);
  if (!manifest_bytes) {
    problems.push_back({pack_path.string(), "pack-manifest",
                        "missing or unreadable; expected the manifest of the pack this plugin "
                        "was installed from",
                        kReinstall});
  } else {
    check_signature(*manifest_bytes, signature_path, policy, record, problems);
    try {
      const PackManifest pack = parse_pack_manifest(*manifest_bytes, pack_path.string());
      record.pack_id = pack.pack_id;
      check_files(pack, record, problems);
    } catch (const sdk::Error& e) {
      problems.push_back({pack_path.string(), "pack-manifest", e.what(), kReinstall});
    }
  }
  if (problems.empty()) {
    return;
  }
  std::string list;
  for (const auto& problem : problems) {
    list += (list.empty() ? "" : "; ") + problem.file + ": " + problem.check +
            " check failed: " + problem.detail;
  }
  record.status = PluginStatus::broken;
  record.reason = "plugin '" + record.manifest.id + "' from pack" +
                  (record.pack_id.empty() ? "" : " '" + record.pack_id + "'") +
                  " failed its trust check and was not loaded: " + list;
  record.remedy = problems.front().remedy;
}

}  // namespace stella::host
