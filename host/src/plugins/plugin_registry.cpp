// Handing out plugins: by id, by algorithm, by source format, by schema edge. A request that two
// plugins could answer is refused rather than answered by an arbitrary choice.
#include <algorithm>

#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/plugins/plugin_names.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {
namespace {

bool usable(const PluginRecord& record) {
  return record.status == PluginStatus::discovered || record.status == PluginStatus::loaded;
}

/// What a kind provides, as the manifest items are compared: "1.0→1.1", "sha512", "bundle-dir".
std::vector<std::string> provided_items(const PluginManifest& manifest) {
  switch (manifest.kind) {
    case sdk::PluginKind::schema_step: {
      std::vector<std::string> items;
      for (const auto& edge : manifest.edges) {
        items.push_back(edge.from + "→" + edge.to);
      }
      return items;
    }
    case sdk::PluginKind::reindexer:
      return manifest.algorithms;
    case sdk::PluginKind::storage_importer:
      return manifest.source_formats;
  }
  return {};
}

std::string provided_noun(sdk::PluginKind kind) {
  switch (kind) {
    case sdk::PluginKind::schema_step:
      return "schema edge";
    case sdk::PluginKind::reindexer:
      return "hash algorithm";
    case sdk::PluginKind::storage_importer:
      return "source format";
  }
  return "item";
}

/// Turns a registry-recorded failure into the error a caller sees.
[[noreturn]] void refuse_unusable(const PluginRecord& record) {
  throw sdk::Error(sdk::ErrorCode::refused,
                   "plugin '" + record.manifest.id + "' cannot be used (" +
                       std::string(plugin_status_name(record.status)) + "): " + record.reason,
                   record.remedy);
}

template <typename Interface>
std::unique_ptr<Interface> downcast(std::unique_ptr<sdk::Plugin> object) {
  // instantiate() has checked the dynamic type against the manifest's kind.
  auto* typed = dynamic_cast<Interface*>(object.get());
  if (typed == nullptr) {
    return nullptr;
  }
  object.release();
  return std::unique_ptr<Interface>(typed);
}

}  // namespace

const PluginRecord* PluginRegistry::find(std::string_view id) const {
  for (const auto& record : records_) {
    if (record.manifest.id == id && usable(record)) {
      return &record;
    }
  }
  return nullptr;
}

void PluginRegistry::load_all() {
  for (std::size_t i = 0; i < records_.size(); ++i) {
    check(i);
  }
}

bool PluginRegistry::check(std::size_t index) {
  PluginRecord& record = records_.at(index);
  if (!usable(record)) {
    return false;
  }
  if (record.factory_checked) {
    return true;
  }
  // The object is destroyed at once; its library stays loaded, so this costs nothing later.
  return instantiate(index) != nullptr;
}

std::size_t PluginRegistry::usable_index(std::string_view id, sdk::PluginKind kind) const {
  std::optional<std::size_t> unusable;
  std::vector<std::string> ids_of_kind;
  std::vector<std::string> all_ids;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const PluginRecord& record = records_[i];
    all_ids.push_back(record.manifest.id);
    if (record.manifest_valid && record.manifest.kind == kind && usable(record)) {
      ids_of_kind.push_back(record.manifest.id);
    }
    if (record.manifest.id != id) {
      continue;
    }
    if (!usable(record)) {
      if (!unusable) {
        unusable = i;
      }
      continue;
    }
    if (record.manifest.kind != kind) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "plugin '" + record.manifest.id + "' (" + record.manifest_path.string() +
                           ") is a " + std::string(plugin_kind_name(record.manifest.kind)) +
                           "; expected a " + std::string(plugin_kind_name(kind)),
                       "name a " + std::string(plugin_kind_name(kind)) +
                           " plugin; `stella plugins list` shows each plugin's kind");
    }
    return i;
  }
  if (unusable) {
    refuse_unusable(records_[*unusable]);
  }
  std::string installed;
  for (const auto& other : ids_of_kind) {
    installed += (installed.empty() ? "" : ", ") + other;
  }
  const auto suggestion = closest_match(id, all_ids);
  throw sdk::Error(sdk::ErrorCode::refused,
                   "no plugin with id '" + std::string(id) + "' on the plugin search path; " +
                       std::string(plugin_kind_name(kind)) +
                       " plugins found: " + (installed.empty() ? "none" : installed),
                   suggestion ? "did you mean '" + *suggestion + "'?"
                              : "install the plugin into a directory on the plugin search path "
                                "(--plugin-dir, STELLA_PLUGIN_PATH, or the install directory)");
}

std::size_t PluginRegistry::unique_provider(sdk::PluginKind kind, std::string_view item) const {
  std::vector<std::size_t> providers;
  std::vector<std::string> installed;
  std::vector<std::string> installed_items;
  std::string unusable;
  // The remedy of a plugin that provides the item but is broken (unsigned, wrong ABI, ...): a
  // better hint than the closest other item, which would send the operator the wrong way.
  std::string unusable_remedy;
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const PluginRecord& record = records_[i];
    if (!record.manifest_valid || record.manifest.kind != kind) {
      continue;
    }
    const std::vector<std::string> items = provided_items(record.manifest);
    const bool provides = std::find(items.begin(), items.end(), item) != items.end();
    if (!usable(record)) {
      if (provides && record.status == PluginStatus::broken) {
        unusable += "; " + record.manifest.id + " provides it but is broken: " + record.reason;
        if (unusable_remedy.empty()) {
          unusable_remedy = record.remedy;
        }
      }
      continue;
    }
    for (const auto& provided : items) {
      installed.push_back(provided + " (" + record.manifest.id + ")");
      installed_items.push_back(provided);
    }
    if (provides) {
      providers.push_back(i);
    }
  }
  const std::string noun = provided_noun(kind);
  if (providers.size() > 1) {
    std::string names;
    for (const std::size_t i : providers) {
      names += (names.empty() ? "" : ", ") + records_[i].manifest.id + " (" +
               records_[i].manifest_path.string() + ")";
    }
    throw sdk::Error(sdk::ErrorCode::refused,
                     std::to_string(providers.size()) + " plugins provide " + noun + " '" +
                         std::string(item) + "': " + names + "; expected exactly one",
                     "remove all but one of them from the plugin search path (--plugin-dir, "
                     "STELLA_PLUGIN_PATH, the install directory)");
  }
  if (providers.empty()) {
    std::string list;
    for (const auto& entry : installed) {
      list += (list.empty() ? "" : ", ") + entry;
    }
    const auto suggestion = closest_match(item, installed_items);
    throw sdk::Error(sdk::ErrorCode::refused,
                     "no usable plugin provides " + noun + " '" + std::string(item) +
                         "'; installed: " + (list.empty() ? "none" : list) + unusable,
                     !unusable_remedy.empty() ? unusable_remedy
                     : suggestion             ? "did you mean '" + *suggestion + "'?"
                                              : "install a " + std::string(plugin_kind_name(kind)) +
                                        " plugin that provides it into the plugin search path");
  }
  return providers.front();
}

std::unique_ptr<sdk::SchemaStep> PluginRegistry::create_schema_step(std::string_view id) {
  const std::size_t index = usable_index(id, sdk::PluginKind::schema_step);
  auto step = downcast<sdk::SchemaStep>(instantiate(index));
  if (!step) {
    refuse_unusable(records_[index]);
  }
  return step;
}

std::unique_ptr<sdk::Reindexer> PluginRegistry::create_reindexer(std::string_view algorithm) {
  const std::size_t index = unique_provider(sdk::PluginKind::reindexer, algorithm);
  auto reindexer = downcast<sdk::Reindexer>(instantiate(index));
  if (!reindexer) {
    refuse_unusable(records_[index]);
  }
  return reindexer;
}

std::unique_ptr<sdk::StorageImporter> PluginRegistry::create_importer(
    std::string_view source_format) {
  const std::size_t index = unique_provider(sdk::PluginKind::storage_importer, source_format);
  auto importer = downcast<sdk::StorageImporter>(instantiate(index));
  if (!importer) {
    refuse_unusable(records_[index]);
  }
  return importer;
}

const PluginRecord& PluginRegistry::schema_step_for_edge(std::string_view from,
                                                         std::string_view to) const {
  const std::string edge = std::string(from) + "→" + std::string(to);
  return records_[unique_provider(sdk::PluginKind::schema_step, edge)];
}

}  // namespace stella::host
