// Loading: dlopen (RTLD_NOW | RTLD_LOCAL), the entry symbol, the descriptor, the factory. Every
// step records a precise reason on failure and never stops other plugins from loading.
#include <boost/dll/shared_library.hpp>

#include "packs/plugin_library_format.hpp"
#include "plugins/dlopen_failure.hpp"
#include "plugins/file_sha256.hpp"
#include "plugins/loaded_library_store.hpp"
#include "stella/host/plugins/plugin_names.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

// Two steps, so that STELLA_PLUGIN_ENTRY_NAME is expanded before it is turned into a string.
#define STELLA_STRINGIFY_NAME(name) #name
#define STELLA_ENTRY_SYMBOL(name) STELLA_STRINGIFY_NAME(name)

namespace stella::host {
namespace {

/// The exported alias every plugin provides (sdk/include/stella/sdk/plugin.hpp).
constexpr const char* kEntrySymbol = STELLA_ENTRY_SYMBOL(STELLA_PLUGIN_ENTRY_NAME);

const char* const kRebuildRemedy =
    "rebuild the plugin with stella_add_plugin and the SDK of this stella, or remove its directory "
    "from the plugin search path";

std::string quoted_or_null(const char* text) {
  return text == nullptr ? std::string("null") : "'" + std::string(text) + "'";
}

/// Every way the descriptor disagrees with the manifest, in one list (DuckDB style), so the author
/// fixes them all at once.
std::vector<std::string> descriptor_mismatches(const sdk::PluginDescriptor& descriptor,
                                               const PluginManifest& manifest) {
  std::vector<std::string> mismatches;
  if (descriptor.id == nullptr || manifest.id != descriptor.id) {
    mismatches.push_back("id " + quoted_or_null(descriptor.id) + " (manifest '" + manifest.id +
                         "')");
  }
  if (descriptor.version == nullptr || manifest.version != descriptor.version) {
    mismatches.push_back("version " + quoted_or_null(descriptor.version) + " (manifest '" +
                         manifest.version + "')");
  }
  if (descriptor.kind != manifest.kind) {
    const auto kind = static_cast<std::uint32_t>(descriptor.kind);
    const bool known = parse_plugin_kind(plugin_kind_name(descriptor.kind)).has_value();
    mismatches.push_back(
        "kind " + (known ? std::string(plugin_kind_name(descriptor.kind)) : std::to_string(kind)) +
        " (manifest " + std::string(plugin_kind_name(manifest.kind)) + ")");
  }
  if (descriptor.create == nullptr) {
    mismatches.push_back("create is null (expected a factory function)");
  }
  return mismatches;
}

/// The object's own account of what it provides, compared with the manifest's. Calls plugin code,
/// which may throw; the caller records that as the plugin's failure.
std::optional<std::string> object_mismatch(sdk::Plugin& object, const PluginManifest& manifest) {
  switch (manifest.kind) {
    case sdk::PluginKind::schema_step: {
      auto* step = dynamic_cast<sdk::SchemaStep*>(&object);
      if (step == nullptr) {
        break;
      }
      const std::string from = step->from_version();
      const std::string to = step->to_version();
      const SchemaEdge& edge = manifest.edges.front();
      if (from != edge.from || to != edge.to) {
        return "the step object reports " + from + "→" + to + ", the manifest provides " +
               edge.from + "→" + edge.to;
      }
      return std::nullopt;
    }
    case sdk::PluginKind::reindexer: {
      auto* reindexer = dynamic_cast<sdk::Reindexer*>(&object);
      if (reindexer == nullptr) {
        break;
      }
      const std::string algorithm = reindexer->algorithm_id();
      if (algorithm != manifest.algorithms.front()) {
        return "the reindexer object reports algorithm '" + algorithm +
               "', the manifest provides '" + manifest.algorithms.front() + "'";
      }
      return std::nullopt;
    }
    case sdk::PluginKind::storage_importer: {
      auto* importer = dynamic_cast<sdk::StorageImporter*>(&object);
      if (importer == nullptr) {
        break;
      }
      const std::string format = importer->source_format();
      if (format != manifest.source_formats.front()) {
        return "the importer object reports source format '" + format +
               "', the manifest provides '" + manifest.source_formats.front() + "'";
      }
      return std::nullopt;
    }
  }
  return "the factory created an object that is not a " +
         std::string(plugin_kind_name(manifest.kind)) +
         " (expected a class derived from the SDK's " +
         (manifest.kind == sdk::PluginKind::schema_step ? "SchemaStep"
          : manifest.kind == sdk::PluginKind::reindexer ? "Reindexer"
                                                        : "StorageImporter") +
         ")";
}

}  // namespace

void PluginRegistry::mark_broken(std::size_t index, std::string reason, std::string remedy) {
  PluginRecord& record = records_.at(index);
  record.status = PluginStatus::broken;
  record.reason = std::move(reason);
  record.remedy = std::move(remedy);
}

bool PluginRegistry::ensure_loaded(std::size_t index) {
  PluginRecord& record = records_.at(index);
  if (record.status == PluginStatus::loaded) {
    return true;
  }
  if (record.status != PluginStatus::discovered) {
    return false;
  }
  const std::string library = record.library_path.string();
  // The file may have been replaced since discovery; what is loaded must be what was checked.
  try {
    const std::string digest = file_sha256(record.library_path);
    if (digest != record.library_digest) {
      mark_broken(index,
                  library + ": changed since it was discovered; found " + digest + ", expected " +
                      record.library_digest,
                  "do not modify plugins while stella runs; run the command again");
      return false;
    }
  } catch (const sdk::Error& e) {
    mark_broken(index, e.what(), e.hint());
    return false;
  }

  // dlopen maps a file cut short and crashes with SIGBUS when it touches the missing pages: a
  // half-copied library in the install directory would take every verb down. Its ELF structure is
  // checked first, as `plugins pack` checks it.
  if (const auto problem = foreign_library_file_problem(record.library_path)) {
    mark_broken(index,
                library + ": cannot be loaded: it is " + *problem +
                    "; expected an ELF shared object built for this stella's machine",
                kRebuildRemedy);
    return false;
  }
  boost::dll::shared_library shared_library;
  try {
    shared_library.load(record.library_path,
                        boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    const DlopenFailure failure = explain_dlopen_failure(e.what(), record.library_path);
    mark_broken(index,
                library + ": cannot be loaded as a shared library: " + failure.cause +
                    "; expected a library whose dependencies are all installed",
                failure.remedy.empty() ? kRebuildRemedy : failure.remedy);
    return false;
  }
  if (!shared_library.has(kEntrySymbol)) {
    // Its static initialisers have run: it stays loaded like every library the host opened.
    keep_loaded_for_process_lifetime(std::move(shared_library));
    mark_broken(index,
                library + ": no entry symbol '" + kEntrySymbol +
                    "' found; expected the library to export it with STELLA_PLUGIN_EXPORT",
                "add STELLA_PLUGIN_EXPORT(<function returning the descriptor>) to one source file "
                "of the plugin (see docs/plugin-author-guide.md) and rebuild it");
    return false;
  }
  sdk::PluginEntry& entry = shared_library.get_alias<sdk::PluginEntry>(kEntrySymbol);
  keep_loaded_for_process_lifetime(std::move(shared_library));

  const sdk::PluginDescriptor* descriptor = nullptr;
  try {
    descriptor = &entry();
  } catch (const std::exception& e) {
    mark_broken(index, library + ": the entry function threw: " + e.what(),
                "fix the plugin's entry function: it returns a static descriptor and never throws");
    return false;
  }
  // abi_version first and alone: until it matches, no other member's layout can be trusted.
  if (const auto incompatible = abi_incompatibility(descriptor->abi_version, sdk::kAbiVersion)) {
    mark_broken(index,
                library + ": " + *incompatible + " (the descriptor says ABI " +
                    std::to_string(descriptor->abi_version) + ", " +
                    record.manifest_path.filename().string() + " says " +
                    std::to_string(record.manifest.abi) + ")",
                "rebuild the plugin with the SDK of this stella (find_package(StellaSdk) from its "
                "install prefix) and set \"abi\" in the manifest to " +
                    std::to_string(sdk::kAbiVersion));
    return false;
  }
  const std::vector<std::string> mismatches = descriptor_mismatches(*descriptor, record.manifest);
  if (!mismatches.empty()) {
    std::string list;
    for (const auto& mismatch : mismatches) {
      list += (list.empty() ? "" : ", ") + mismatch;
    }
    mark_broken(
        index,
        library + ": descriptor does not match " + record.manifest_path.string() + ": " + list,
        "make the descriptor (STELLA_PLUGIN_EXPORT) and manifest.json agree, then rebuild "
        "the plugin");
    return false;
  }
  record.descriptor = descriptor;
  record.status = PluginStatus::loaded;
  return true;
}

std::unique_ptr<sdk::Plugin> PluginRegistry::instantiate(std::size_t index) {
  if (!ensure_loaded(index)) {
    return nullptr;
  }
  PluginRecord& record = records_.at(index);
  const std::string library = record.library_path.string();
  const std::string prefix = library + ": plugin '" + record.manifest.id + "': ";
  std::unique_ptr<sdk::Plugin> object;
  try {
    object.reset(record.descriptor->create());
    if (!object) {
      mark_broken(index, prefix + "the factory returned no object; expected a new plugin object",
                  "fix the plugin's create function: it returns `new <YourClass>()` or throws "
                  "stella::sdk::Error");
      return nullptr;
    }
    if (const auto mismatch = object_mismatch(*object, record.manifest)) {
      mark_broken(index, prefix + *mismatch,
                  "make the plugin class and manifest.json agree, then rebuild the plugin");
      return nullptr;
    }
  } catch (const sdk::Error& e) {
    mark_broken(
        index, prefix + "the factory failed: " + e.what(),
        e.hint().empty() ? "see the plugin's documentation; the plugin gave no hint" : e.hint());
    return nullptr;
  } catch (const std::exception& e) {
    mark_broken(
        index,
        prefix + "the factory failed with an exception that is not an SDK error: " + e.what(),
        "fix the plugin: failures cross the boundary only as stella::sdk::Error");
    return nullptr;
  } catch (...) {
    mark_broken(index, prefix + "the factory threw something that is not an exception",
                "fix the plugin: failures cross the boundary only as stella::sdk::Error");
    return nullptr;
  }
  record.factory_checked = true;
  return object;
}

}  // namespace stella::host
