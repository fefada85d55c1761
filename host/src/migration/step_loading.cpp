#include "migration/step_loading.hpp"

#include "stella/sdk/error.hpp"

namespace stella::host {

std::unique_ptr<sdk::SchemaStep> create_step_for_edge(PluginRegistry& registry,
                                                      const PluginRecord& record,
                                                      const std::string& from,
                                                      const std::string& to) {
  std::unique_ptr<sdk::SchemaStep> step = registry.create_schema_step(record.manifest.id);
  if (step->from_version() != from || step->to_version() != to) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "plugin " + record.manifest.id + " (" + record.library_path.string() +
                         ") moves " + step->from_version() + " \u2192 " + step->to_version() +
                         ", but its manifest promises " + from + " \u2192 " + to,
                     "rebuild the plugin so that its code and manifest.json agree");
  }
  return step;
}

std::vector<LoadedStep> load_planned_steps(PluginRegistry& registry,
                                           const std::vector<PlannedStep>& planned,
                                           std::string_view source) {
  std::vector<LoadedStep> loaded;
  for (const PlannedStep& step : planned) {
    const PluginRecord* record = registry.find(step.plugin_id);
    if (record == nullptr) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "step " + std::to_string(step.ordinal) + " of " + std::string(source) +
                           " needs plugin " + step.plugin_id + " " + step.plugin_version +
                           ", which is not installed (or is broken)",
                       "`stella plugins list` shows the installed plugins; install the one the "
                       "plan was made with");
    }
    if (record->library_digest != step.library_digest ||
        record->manifest.version != step.plugin_version) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "plugin " + step.plugin_id + " changed since " + std::string(source) +
                           ": it was version " + step.plugin_version + " with library digest " +
                           step.library_digest + ", the installed one (" +
                           record->library_path.string() + ") is version " +
                           record->manifest.version + " with digest " + record->library_digest,
                       "make a new plan with the installed plugins (`stella evidence migrate "
                       "--dry-run --output FILE`), or reinstall the plugins the plan was made "
                       "with");
    }
    LoadedStep entry;
    entry.planned = step;
    // A recorded run's steps carry no library file (only its digest): name the one loaded, so
    // that its messages say which library they mean.
    if (entry.planned.library_file.empty()) {
      entry.planned.library_file = record->library_path.string();
    }
    entry.step = create_step_for_edge(registry, *record, step.from_version, step.to_version);
    loaded.push_back(std::move(entry));
  }
  return loaded;
}

}  // namespace stella::host
