// Storage importer "object-store": an evidence service's filesystem object store
// (docs/bundle-format.md, "Object-store layout"):
//
//   keys/<key id>.json                                   public signing keys (optional)
//   tenants/<tenant>/bundles/<bundle>/manifest.json      the bundle and its entries
//   tenants/<tenant>/bundles/<bundle>/payload/<path>     each artifact's bytes
//   tenants/<tenant>/bundles/<bundle>/attestation.dsse.json   its DSSE envelope (optional)
//
// There is no store-wide manifest or checksum list: each bundle's manifest declares its artifacts'
// digests and its root, which the host recomputes. The tree is walked once first (links, devices
// and limits refused before anything is read); then tenants and bundles are read in name order.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "import_budget.hpp"
#include "importer_json.hpp"
#include "safe_path.hpp"
#include "secure_tree.hpp"
#include "stella/sdk/sdk.hpp"

namespace stella_importer {
namespace {

namespace sdk = stella::sdk;

constexpr const char* kBundleManifestSchema = "object-store-bundle-manifest.schema.json";
constexpr const char* kSigningKeySchema = "object-store-signing-key.schema.json";
constexpr const char* kEnvelopeSchema = "dsse-envelope.schema.json";
constexpr std::string_view kTenantsDirectory = "tenants";
constexpr std::string_view kKeysDirectory = "keys";
constexpr std::string_view kManifestFile = "manifest.json";
constexpr std::string_view kPayloadDirectory = "payload";
constexpr std::string_view kAttestationFile = "attestation.dsse.json";
constexpr std::string_view kJsonSuffix = ".json";

sdk::ByteView bytes_of(const std::string& content) {
  return {reinterpret_cast<const std::uint8_t*>(content.data()), content.size()};
}

class ObjectStoreReader {
 public:
  ObjectStoreReader(const std::string& location, const sdk::ImportLimits& limits,
                    sdk::ImportSink& sink, sdk::HostContext& ctx)
      : location_(location),
        sink_(sink),
        ctx_(ctx),
        budget_(limits, location),
        tree_(location, budget_) {}

  void run() {
    std::uint64_t total_files = 0;
    tree_.walk([&](const std::string&, std::uint64_t) { ++total_files; });
    total_files_ = total_files;
    const auto top = tree_.list("");
    for (const TreeEntry& entry : *top) {
      if (entry.name != kTenantsDirectory && entry.name != kKeysDirectory) {
        unexpected(entry.name, "the object-store layout has only keys/ and tenants/ at its top");
      }
    }
    read_keys();
    const auto tenants = tree_.list(kTenantsDirectory);
    if (!tenants) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       location_ +
                           ": no tenants/ directory; an object store keeps bundles under "
                           "tenants/<tenant>/bundles/<bundle>/",
                       "name the top directory of the object store");
    }
    for (const TreeEntry& tenant : *tenants) {
      const std::string tenant_dir = std::string(kTenantsDirectory) + "/" + tenant.name;
      if (!tenant.is_directory) {
        unexpected(tenant_dir, "a file where a tenant directory belongs");
        continue;
      }
      sink_.tenant({tenant.name, ""});
      read_tenant(tenant.name, tenant_dir);
    }
  }

 private:
  std::string origin(std::string_view path) const { return location_ + ": " + std::string(path); }

  void unexpected(std::string_view path, const std::string& why) {
    sink_.problem({"unexpected_file", std::string(path),
                   "only the files of the object-store layout", std::string(path), why});
  }

  void read_keys() {
    const auto keys = tree_.list(kKeysDirectory);
    if (!keys) {
      return;
    }
    for (const TreeEntry& entry : *keys) {
      const std::string path = std::string(kKeysDirectory) + "/" + entry.name;
      if (entry.is_directory || entry.name.size() <= kJsonSuffix.size() ||
          entry.name.substr(entry.name.size() - kJsonSuffix.size()) != kJsonSuffix) {
        unexpected(path, "keys/ holds <key id>.json files only");
        continue;
      }
      tree_.read(path, FileClass::document, content_);
      const rapidjson::Document document = parse_json_text(content_, origin(path));
      require_schema(document, kSigningKeySchema, origin(path));
      const std::string key_id = string_member(document, "keyId");
      if (key_id + std::string(kJsonSuffix) != entry.name) {
        throw sdk::Error(sdk::ErrorCode::invalid_input,
                         origin(path) + ": holds key '" + key_id + "'; its file name says '" +
                             entry.name.substr(0, entry.name.size() - kJsonSuffix.size()) + "'",
                         "nothing was imported; name each key file after its key id");
      }
      sink_.signing_key(
          {key_id, string_member(document, "algorithm"), string_member(document, "publicKeyPem")});
    }
  }

  void read_tenant(const std::string& tenant, const std::string& tenant_dir) {
    const auto entries = tree_.list(tenant_dir);
    for (const TreeEntry& entry : *entries) {
      if (entry.name != "bundles") {
        unexpected(tenant_dir + "/" + entry.name, "a tenant directory holds bundles/ only");
      }
    }
    const std::string bundles_dir = tenant_dir + "/bundles";
    const auto bundles = tree_.list(bundles_dir);
    if (!bundles) {
      return;  // a tenant without bundles
    }
    for (const TreeEntry& bundle : *bundles) {
      const std::string bundle_dir = bundles_dir + "/" + bundle.name;
      if (!bundle.is_directory) {
        unexpected(bundle_dir, "a file where a bundle directory belongs");
        continue;
      }
      read_bundle(tenant, bundle.name, bundle_dir);
    }
  }

  void read_bundle(const std::string& tenant, const std::string& bundle_id,
                   const std::string& bundle_dir) {
    const std::string manifest_path = bundle_dir + "/" + std::string(kManifestFile);
    if (!tree_.read(manifest_path, FileClass::document, content_)) {
      sink_.problem(
          {"missing_file", manifest_path, "the bundle's manifest", "no such file",
           "bundle directory " + bundle_id + " has no manifest.json; it is not imported"});
      return;
    }
    const rapidjson::Document manifest = parse_json_text(content_, origin(manifest_path));
    require_schema(manifest, kBundleManifestSchema, origin(manifest_path));
    if (string_member(manifest, "bundleId") != bundle_id ||
        string_member(manifest, "tenantId") != tenant) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       origin(manifest_path) + ": names bundle '" +
                           string_member(manifest, "bundleId") + "' of tenant '" +
                           string_member(manifest, "tenantId") +
                           "', but lies in the directory of bundle '" + bundle_id +
                           "' of tenant '" + tenant + "'",
                       "nothing was imported; the bundle was moved or renamed by hand");
    }
    sink_.bundle({tenant, bundle_id, string_member(manifest, "kind"),
                  string_member(manifest, "status"), string_member(manifest, "subject"),
                  string_member(manifest, "createdAt"), string_member(manifest, "sealedAt"),
                  string_member(manifest, "rootHash")});

    std::set<std::string> expected_files{manifest_path};
    for (const auto& item : manifest["entries"].GetArray()) {
      const std::string path = string_member(item, "path");
      if (const auto reason = unsafe_path_reason(path)) {
        throw sdk::Error(sdk::ErrorCode::invalid_input,
                         origin(manifest_path) + ": entry path " + printable(path) +
                             " is not a canonical path: " + *reason,
                         "nothing was imported; fix the bundle's manifest");
      }
      const std::string file = bundle_dir + "/" + std::string(kPayloadDirectory) + "/" + path;
      if (!expected_files.insert(file).second) {
        throw sdk::Error(sdk::ErrorCode::invalid_input,
                         origin(manifest_path) + ": entry " + printable(path) + " is listed twice",
                         "nothing was imported; fix the bundle's manifest");
      }
      if (!tree_.read(file, FileClass::artifact, content_)) {
        sink_.problem({"missing_file", file, string_member(item, "digest"), "no such file",
                       "bundle " + bundle_id + " lists an entry the object store does not hold"});
        continue;
      }
      const std::int64_t size = int_member(item, "sizeBytes", origin(manifest_path));
      if (static_cast<std::uint64_t>(size) != content_.size()) {
        sink_.problem({"artifact_size", file, std::to_string(size) + " bytes",
                       std::to_string(content_.size()) + " bytes",
                       "the entry's size differs from what the bundle's manifest records"});
      }
      sink_.artifact({tenant, bundle_id, path, string_member(item, "mediaType"),
                      string_member(item, "digest"), bytes_of(content_)});
      ctx_.progress(++files_, total_files_);
    }
    if (manifest.HasMember("attestation")) {
      const std::string file = bundle_dir + "/" + std::string(kAttestationFile);
      expected_files.insert(file);
      if (!tree_.read(file, FileClass::document, content_)) {
        sink_.problem({"missing_file", file, "the attestation the manifest names", "no such file",
                       "bundle " + bundle_id + "'s attestation is missing"});
      } else {
        const rapidjson::Document envelope = parse_json_text(content_, origin(file));
        require_schema(envelope, kEnvelopeSchema, origin(file));
        sink_.attestation({tenant, bundle_id, content_});
      }
    }
    report_unlisted(bundle_dir, expected_files);
    if (ctx_.cancelled()) {
      throw sdk::Error(sdk::ErrorCode::cancelled, location_ + ": reading was cancelled");
    }
  }

  /// Files in the bundle's directory that its manifest does not account for.
  void report_unlisted(const std::string& directory, const std::set<std::string>& expected) {
    const auto entries = tree_.list(directory);
    for (const TreeEntry& entry : *entries) {
      const std::string path = directory + "/" + entry.name;
      if (entry.is_directory) {
        report_unlisted(path, expected);
      } else if (expected.count(path) == 0) {
        sink_.problem({"extra_file", path, "only files the bundle's manifest lists",
                       "an unlisted file",
                       "the bundle directory holds a file its manifest does not list"});
      }
    }
  }

  std::string location_;
  sdk::ImportSink& sink_;
  sdk::HostContext& ctx_;
  ImportBudget budget_;
  SecureTree tree_;
  std::string content_;
  std::uint64_t files_ = 0;
  std::uint64_t total_files_ = 0;
};

class ObjectStoreImporter final : public sdk::StorageImporter {
 public:
  std::string source_format() const override { return STELLA_IMPORTER_SOURCE_FORMAT; }

  bool recognizes(const std::string& location) const override {
    try {
      sdk::ImportLimits limits;
      ImportBudget budget(limits, location);
      SecureTree tree(location, budget);
      // An export has manifest.json at its top; an object store has tenants/ and no manifest.
      const auto tenants = tree.list(kTenantsDirectory);
      return tenants.has_value() && !tree.exists(kManifestFile);
    } catch (...) {
      // Anything unreadable or unsafe is not recognized; read() names the problem when asked.
      return false;
    }
  }

  void read(const std::string& location, const sdk::ImportLimits& limits, sdk::ImportSink& sink,
            sdk::HostContext& ctx) override {
    ObjectStoreReader(location, limits, sink, ctx).run();
  }
};

sdk::Plugin* create() {
  return new ObjectStoreImporter();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, STELLA_IMPORTER_PLUGIN_ID,
                                                STELLA_IMPORTER_PLUGIN_VERSION,
                                                sdk::PluginKind::storage_importer, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella_importer

STELLA_PLUGIN_EXPORT(stella_importer::describe)
