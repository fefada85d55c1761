// Discovery: everything about a plugin that can be known without running its code.
#include <algorithm>
#include <map>
#include <system_error>

#include "plugins/file_sha256.hpp"
#include "plugins/library_file_checks.hpp"
#include "plugins/manifest_reader.hpp"
#include "stella/host/packs/plugin_trust.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {
namespace {

void set_problem(PluginRecord& record, PluginProblem problem) {
  record.status = PluginStatus::broken;
  record.reason = std::move(problem.reason);
  record.remedy = std::move(problem.remedy);
}

/// The plugin directories of one search directory, in name order: the directory itself when it
/// holds a manifest, else each immediate subdirectory that does. A manifest.json that is no
/// regular file (a directory, a FIFO, a link to a device) still makes a plugin directory: listed
/// as broken, saying so, rather than left out without a word.
std::vector<std::filesystem::path> plugin_directories(const std::filesystem::path& search_dir) {
  std::error_code error;
  if (std::filesystem::exists(search_dir / kManifestFileName, error)) {
    return {search_dir};
  }
  std::vector<std::filesystem::path> result;
  for (std::filesystem::directory_iterator it(search_dir, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code entry_error;
    if (it->is_directory(entry_error) &&
        std::filesystem::exists(it->path() / kManifestFileName, entry_error)) {
      result.push_back(it->path());
    }
  }
  std::sort(result.begin(), result.end());
  return result;
}

PluginRecord read_plugin(const std::filesystem::path& search_dir,
                         const std::filesystem::path& plugin_dir) {
  PluginRecord record;
  record.search_directory = search_dir;
  record.directory = plugin_dir;
  record.manifest_path = plugin_dir / kManifestFileName;
  std::error_code status_error;
  if (!std::filesystem::is_regular_file(record.manifest_path, status_error)) {
    // Never opened: reading a FIFO would wait for a writer forever, a device would never end.
    set_problem(record,
                {record.manifest_path.string() +
                     ": not a regular file (a directory, a FIFO, a socket or a device); "
                     "expected the plugin's manifest",
                 "replace it with the plugin's manifest.json (docs/plugin-author-guide.md)"});
    return record;
  }
  ManifestReading reading = read_plugin_manifest(record.manifest_path);
  record.manifest = std::move(reading.manifest);
  if (!record.manifest.library.empty() && record.manifest.library.find('/') == std::string::npos) {
    record.library_path = plugin_dir / record.manifest.library;
  }
  if (reading.problem) {
    set_problem(record, std::move(*reading.problem));
    return record;
  }
  record.manifest_valid = true;
  if (const auto problem = library_file_problem(record.library_path, record.manifest_path)) {
    set_problem(record, *problem);
    return record;
  }
  try {
    record.library_digest = file_sha256(record.library_path);
  } catch (const sdk::Error& e) {
    set_problem(record, {e.what(), e.hint()});
    return record;
  }
  // Decided from the manifest, before dlopen: a plugin that says it was built for another ABI is
  // never loaded, so none of its code runs.
  if (const auto incompatible = abi_incompatibility(record.manifest.abi, sdk::kAbiVersion)) {
    set_problem(record, {record.manifest_path.string() + ": " + *incompatible,
                         "rebuild the plugin with the SDK of this stella (find_package(StellaSdk) "
                         "from its install prefix), or use a stella built for ABI " +
                             std::to_string(record.manifest.abi)});
  }
  return record;
}

/// Two plugins of one id in the same search directory: neither can be preferred, so both are
/// broken and each names the other.
void mark_duplicates(std::vector<PluginRecord>& records, std::size_t first) {
  std::map<std::string, std::vector<std::size_t>> by_id;
  for (std::size_t i = first; i < records.size(); ++i) {
    if (!records[i].manifest.id.empty()) {
      by_id[records[i].manifest.id].push_back(i);
    }
  }
  for (const auto& [id, indexes] : by_id) {
    if (indexes.size() < 2) {
      continue;
    }
    for (const std::size_t i : indexes) {
      std::string others;
      for (const std::size_t j : indexes) {
        if (j != i) {
          others += (others.empty() ? "" : ", ") + records[j].manifest_path.string();
        }
      }
      records[i].status = PluginStatus::broken;
      records[i].reason = records[i].manifest_path.string() + ": duplicate id '" + id +
                          "', also at " + others + "; expected each plugin id once in a directory";
      records[i].remedy = "remove all but one of the plugins with id '" + id + "' from " +
                          records[i].search_directory.string();
    }
  }
}

/// A plugin whose id already appeared in an earlier search directory is shadowed by it: the first
/// on the search path wins, whatever state it is in, so the choice never depends on load results.
void mark_shadowed(std::vector<PluginRecord>& records, std::size_t first) {
  for (std::size_t i = first; i < records.size(); ++i) {
    const std::string& id = records[i].manifest.id;
    if (id.empty()) {
      continue;
    }
    for (std::size_t j = 0; j < first; ++j) {
      if (records[j].manifest.id == id && records[j].status != PluginStatus::shadowed) {
        records[i].status = PluginStatus::shadowed;
        records[i].reason = records[i].manifest_path.string() + ": shadowed by " +
                            records[j].manifest_path.string() + " (same id '" + id +
                            "', earlier on the search path)";
        records[i].remedy =
            "nothing, if the earlier one is the plugin you want; otherwise remove it or put " +
            records[i].search_directory.string() + " earlier (--plugin-dir, STELLA_PLUGIN_PATH)";
        break;
      }
    }
  }
}

}  // namespace

PluginRegistry PluginRegistry::discover(const PluginSearchPath& path) {
  PluginRegistry registry;
  registry.search_path_ = path;
  std::vector<std::filesystem::path> seen;
  for (const auto& given : path.directories) {
    std::error_code error;
    const std::filesystem::path search_dir = std::filesystem::weakly_canonical(given, error);
    if (error || !std::filesystem::is_directory(search_dir, error) ||
        std::find(seen.begin(), seen.end(), search_dir) != seen.end()) {
      continue;
    }
    seen.push_back(search_dir);
    const std::size_t first = registry.records_.size();
    for (const auto& plugin_dir : plugin_directories(search_dir)) {
      registry.records_.push_back(read_plugin(search_dir, plugin_dir));
      // Trust is decided here, before anything can be loaded (host/src/packs/).
      apply_plugin_trust(registry.records_.back(), path.trust);
    }
    mark_duplicates(registry.records_, first);
    mark_shadowed(registry.records_, first);
  }
  return registry;
}

}  // namespace stella::host
