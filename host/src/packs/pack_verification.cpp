#include "stella/host/packs/pack_verification.hpp"

#include <set>

#include "packs/bytes_sha256.hpp"
#include "packs/plugin_library_format.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"
#include "stella/host/packs/pack_signature.hpp"
#include "stella/host/plugins/plugin_names.hpp"
#include "stella/sdk/abi.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kRebuildPack =
    "do not use this pack: get an untampered copy from its publisher, or rebuild it with "
    "'stella plugins pack'";
constexpr const char* kPluginManifestName = "manifest.json";

std::string archive_path_of(const std::string& id, const std::string& file) {
  return std::string(kPackPluginsFolder) + "/" + id + "/" + file;
}

/// The plugin's manifest.json must be valid and say what the pack entry says about it.
void check_plugin_manifest(const PackPlugin& entry, const std::string& path,
                           const std::string& bytes, std::vector<PackProblem>& problems) {
  rapidjson::Document document;
  try {
    document = parse_json(bytes, path);
    require_schema_valid(document, "plugin-manifest.schema.json", path);
  } catch (const sdk::Error& e) {
    problems.push_back({path, "plugin-manifest", e.what(), kRebuildPack});
    return;
  }
  std::vector<std::string> differences;
  const auto compare = [&](const char* field, const std::string& found,
                           const std::string& expected) {
    if (found != expected) {
      differences.push_back(std::string(field) + " '" + found + "' (pack manifest: '" + expected +
                            "')");
    }
  };
  const PluginManifest& m = entry.manifest;
  compare("id", document["id"].GetString(), m.id);
  compare("version", document["version"].GetString(), m.version);
  compare("kind", document["kind"].GetString(), std::string(plugin_kind_name(m.kind)));
  compare("abi", std::to_string(document["abi"].GetUint()), std::to_string(m.abi));
  compare("library", document["library"].GetString(), m.library);
  if (!differences.empty()) {
    std::string list;
    for (const auto& difference : differences) {
      list += (list.empty() ? "" : ", ") + difference;
    }
    problems.push_back(
        {path, "plugin-manifest", "disagrees with pack-manifest.json: " + list, kRebuildPack});
  }
}

}  // namespace

std::string describe_pack_problem(const PackProblem& problem) {
  return problem.file + ": " + problem.check + " check failed: " + problem.detail;
}

PackVerification verify_pack(const PackContents& contents,
                             const std::optional<std::filesystem::path>& trusted_keys) {
  PackVerification result;
  auto& problems = result.problems;
  const auto manifest_it = contents.files.find(kPackManifestFileName);
  const auto signature_it = contents.files.find(kPackSignatureFileName);
  if (manifest_it == contents.files.end()) {
    problems.push_back({kPackManifestFileName, "file-list", "missing from the pack", kRebuildPack});
    return result;
  }
  if (signature_it == contents.files.end()) {
    problems.push_back({kPackSignatureFileName, "signature",
                        "missing: the pack is unsigned; expected a detached signature",
                        "sign the pack: 'stella plugins pack --key K ...' writes the signature"});
  } else if (!trusted_keys) {
    problems.push_back(
        {kPackSignatureFileName, "trusted-key",
         "no trusted keys were given, so the signer cannot be checked",
         "pass --trusted-keys DIR (or set STELLA_TRUSTED_KEYS): a folder of the *.pem public keys "
         "of the publishers you trust"});
  } else {
    try {
      const TrustedKeys keys = read_trusted_keys(*trusted_keys);
      const SignatureCheck check = check_pack_signature(manifest_it->second, signature_it->second,
                                                        keys, trusted_keys->string());
      result.key_id = check.key_id;
      if (check.problem) {
        const bool untrusted = !check.key_id.empty() && keys.find(check.key_id) == nullptr;
        problems.push_back({kPackSignatureFileName, untrusted ? "trusted-key" : "signature",
                            *check.problem, check.remedy});
      }
    } catch (const sdk::Error& e) {
      problems.push_back({trusted_keys->string(), "trusted-key", e.what(), e.hint()});
    }
  }

  try {
    result.manifest = parse_pack_manifest(manifest_it->second, kPackManifestFileName);
  } catch (const sdk::Error& e) {
    problems.push_back({kPackManifestFileName, "pack-manifest", e.what(), kRebuildPack});
    return result;
  }
  const PackManifest& manifest = *result.manifest;
  if (manifest.abi != sdk::kAbiVersion) {
    problems.push_back({kPackManifestFileName, "abi",
                        "the pack was built for ABI " + std::to_string(manifest.abi) +
                            ", this stella supports ABI " + std::to_string(sdk::kAbiVersion),
                        "use the pack made for this stella version (" STELLA_VERSION
                        "), or a stella built for ABI " +
                            std::to_string(manifest.abi)});
  }
  std::set<std::string> listed;
  for (const auto& plugin : manifest.plugins) {
    const std::string& id = plugin.manifest.id;
    if (plugin.manifest.abi != manifest.abi) {
      problems.push_back({archive_path_of(id, kPluginManifestName), "abi",
                          "plugin '" + id + "' says ABI " + std::to_string(plugin.manifest.abi) +
                              ", the pack says ABI " + std::to_string(manifest.abi),
                          kRebuildPack});
    }
    for (const char* required : {kPluginManifestName, plugin.manifest.library.c_str()}) {
      if (plugin.file(required) == nullptr) {
        problems.push_back({archive_path_of(id, required), "file-list",
                            "not listed for plugin '" + id + "' in pack-manifest.json",
                            kRebuildPack});
      }
    }
    for (const auto& file : plugin.files) {
      const std::string path = archive_path_of(id, file.path);
      listed.insert(path);
      const auto it = contents.files.find(path);
      if (it == contents.files.end()) {
        problems.push_back({path, "file-list",
                            "listed in pack-manifest.json but missing from the archive",
                            kRebuildPack});
        continue;
      }
      const std::string digest = bytes_sha256(it->second);
      if (digest != file.sha256 || it->second.size() != file.size) {
        problems.push_back({path, "digest",
                            "found " + digest + " (" + std::to_string(it->second.size()) +
                                " bytes), pack-manifest.json says " + file.sha256 + " (" +
                                std::to_string(file.size) + " bytes)",
                            kRebuildPack});
        continue;
      }
      if (file.path == kPluginManifestName) {
        check_plugin_manifest(plugin, path, it->second, problems);
      }
      if (file.path == plugin.manifest.library) {
        // A file that is no shared object at all was never a plugin build's output; a library
        // for another machine is a good pack for the wrong host.
        if (auto why = shared_object_problem(it->second)) {
          problems.push_back(
              {path, "library", "plugin '" + id + "' library is " + *why, kRebuildPack});
        } else if (auto other = foreign_library_problem(it->second)) {
          problems.push_back({path, "library", "plugin '" + id + "' library is " + *other,
                              "use the pack built for this machine, or rebuild the plugin here "
                              "and pack what its build produced"});
        }
      }
    }
  }
  for (const auto& [path, data] : contents.files) {
    if (path != kPackManifestFileName && path != kPackSignatureFileName && !listed.count(path)) {
      problems.push_back({path, "file-list",
                          "in the archive but not listed in pack-manifest.json (unsigned content)",
                          kRebuildPack});
    }
  }
  return result;
}

}  // namespace stella::host
