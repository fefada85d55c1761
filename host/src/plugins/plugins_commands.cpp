// `stella plugins list` and `stella plugins inspect ID`.
#include <ostream>

#include "cli/command_registrars.hpp"
#include "plugins/plugin_listing_json.hpp"
#include "plugins/plugin_listing_text.hpp"
#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {
namespace {

enum class ListingFormat { text = 1, json = 2 };

ListingFormat listing_format(const Invocation& invocation, const std::string& verb) {
  const std::string& format = invocation.globals.format;
  if (format.empty() || format == "text") {
    return ListingFormat::text;
  }
  if (format == "json") {
    return ListingFormat::json;
  }
  throw sdk::Error(
      sdk::ErrorCode::invalid_input,
      "--format is '" + format + "'; 'stella plugins " + verb + "' writes text or json",
      "use --format text or --format json");
}

PluginRegistry discover_plugins(const Invocation& invocation) {
  return PluginRegistry::discover(
      plugin_search_path(invocation.globals.plugin_dirs, invocation.globals.plugin_path_env));
}

int run_list(Invocation& invocation) {
  const ListingFormat format = listing_format(invocation, "list");
  PluginRegistry registry = discover_plugins(invocation);
  registry.load_all();
  if (format == ListingFormat::json) {
    invocation.out << json_to_string(plugin_list_json(registry.plugins())) << '\n';
  } else {
    print_plugin_table(registry, invocation.out);
  }
  return kExitSuccess;
}

/// The record `plugins inspect ID` shows: the usable one, else the first that is not shadowed.
std::size_t chosen_record(const PluginRegistry& registry, const std::string& id) {
  std::optional<std::size_t> fallback;
  const auto& records = registry.plugins();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].manifest.id != id) {
      continue;
    }
    if (records[i].status == PluginStatus::discovered ||
        records[i].status == PluginStatus::loaded) {
      return i;
    }
    if (!fallback || (records[*fallback].status == PluginStatus::shadowed &&
                      records[i].status != PluginStatus::shadowed)) {
      fallback = i;
    }
  }
  if (fallback) {
    return *fallback;
  }
  std::vector<std::string> ids;
  for (const auto& record : records) {
    if (!record.manifest.id.empty()) {
      ids.push_back(record.manifest.id);
    }
  }
  const auto suggestion = closest_match(id, ids);
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "no plugin with id '" + id + "' on the plugin search path (" +
                       std::to_string(records.size()) + " plugins found)",
                   suggestion ? "Did you mean 'stella plugins inspect " + *suggestion + "'?"
                              : "run 'stella plugins list' to see the plugins and their ids");
}

int run_inspect(Invocation& invocation) {
  const ListingFormat format = listing_format(invocation, "inspect");
  if (invocation.positional.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'stella plugins inspect' needs a plugin ID; found no argument",
                     "run 'stella plugins inspect ID'; 'stella plugins list' shows the ids");
  }
  const std::string& id = invocation.positional.front();
  PluginRegistry registry = discover_plugins(invocation);
  const std::size_t index = chosen_record(registry, id);
  registry.check(index);
  const PluginRecord& record = registry.plugins()[index];
  std::vector<const PluginRecord*> same_id;
  for (const auto& other : registry.plugins()) {
    if (&other != &record && other.manifest.id == id) {
      same_id.push_back(&other);
    }
  }
  if (format == ListingFormat::json) {
    invocation.out << json_to_string(plugin_inspection_json(record, same_id)) << '\n';
  } else {
    print_plugin_details(record, same_id, invocation.out);
  }
  return kExitSuccess;
}

}  // namespace

void register_plugin_commands(CommandTable& table) {
  table.add(Command{
      "plugins",
      "list",
      "list the plugins on the search path, loaded and checked",
      "",
      0,
      {},
      "Every plugin found is loaded and one object of it is created, to prove that it works.\n"
      "Broken plugins are listed with their reason and what to do; they never stop the others.\n"
      "With --format json the output is an array following schemas/plugins-list.schema.json.\n\n"
      "Examples:\n"
      "  stella plugins list\n"
      "  stella plugins list --plugin-dir ./build/my-plugins --format json\n\n"
      "Exit codes: 0 listed (broken plugins included), 2 bad option or --plugin-dir.",
      run_list});
  table.add(Command{
      "plugins",
      "inspect",
      "show everything about one plugin",
      "ID",
      1,
      {},
      "Loads the plugin, creates one object of it and shows its manifest, descriptor, file,\n"
      "digest, status and any other plugin found with the same id.\n"
      "With --format json the output follows schemas/plugins-inspect.schema.json.\n\n"
      "Examples:\n"
      "  stella plugins inspect ID\n"
      "  stella plugins inspect ID --format json | jq .status\n\n"
      "Exit codes: 0 shown (even when the plugin is broken), 2 no plugin with that id.",
      run_inspect});
}

}  // namespace stella::host
