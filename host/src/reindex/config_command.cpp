// `stella evidence config get [KEY]` / `config set KEY VALUE`: the store's settings.
#include "reindex/config_command.hpp"

#include <rapidjson/document.h>

#include "reindex/json_fields.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/state_schema.hpp"
#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/reindex/algorithm_hashers.hpp"
#include "stella/host/reindex/store_config.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kUsage = "get [KEY] | set KEY VALUE";
const std::vector<std::string> kActions = {"get", "set"};

constexpr const char* kHelpEpilog =
    "Settings:\n"
    "  hash-algorithm   the target algorithm of `stella evidence reindex` when --algorithm is\n"
    "                   not given; must be provided by an installed reindexer plugin\n"
    "                   (`stella plugins list` shows them: sha256, sha384, sha512, sha3-256,\n"
    "                   blake2b-512, sm3)\n"
    "\n"
    "Every change is recorded in the audit trail (config_change: key, old and new value).\n"
    "\n"
    "Examples:\n"
    "  stella evidence config set hash-algorithm sha512\n"
    "  stella evidence config get hash-algorithm\n"
    "  stella evidence config get --format json\n"
    "\n"
    "Exit codes: 0 success (get of an unset key prints nothing and says so on stderr); 2 unknown\n"
    "key or a value no installed plugin provides; 3 no evidence store in the database.";

bool json_format(const Invocation& invocation) {
  const std::string& format = invocation.globals.format;
  if (format.empty() || format == "text") {
    return false;
  }
  if (format == "json") {
    return true;
  }
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "--format is '" + format + "'; 'stella evidence config' prints text or json",
                   "use --format text or --format json");
}

rapidjson::Value entry_json(const ConfigEntry& entry, JsonAllocator& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  add_string(object, "key", entry.key, allocator);
  add_string(object, "value", entry.value, allocator);
  add_string(object, "updatedAt", entry.updated_at, allocator);
  add_string(object, "updatedBy", entry.updated_by, allocator);
  return object;
}

std::unique_ptr<PgConnection> store_connection(const Invocation& invocation) {
  auto connection = PgConnection::connect(resolve_database(invocation.globals));
  if (!detect_store_version(*connection)) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "no evidence store in database " + database_name(*connection) +
                         "; settings belong to a store",
                     "create one with `stella evidence init`, or name the right database with "
                     "--database");
  }
  ensure_state_schema(*connection);
  return connection;
}

int run_get(Invocation& invocation, bool json) {
  const std::vector<std::string>& words = invocation.positional;
  if (words.size() > 2) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'config get' takes at most one key; got " + std::to_string(words.size() - 1),
                     std::string("usage: stella evidence config ") + kUsage);
  }
  const auto connection = store_connection(invocation);
  if (words.size() == 2) {
    require_known_config_key(words[1]);
    const std::optional<ConfigEntry> entry = read_config(*connection, words[1]);
    if (json) {
      rapidjson::Document document;
      rapidjson::Value object;
      if (entry) {
        object = entry_json(*entry, document.GetAllocator());
      }
      invocation.out << json_to_string(object) << '\n';
    } else if (entry) {
      invocation.out << entry->value << '\n';
    }
    if (!entry && !invocation.globals.quiet) {
      invocation.err << words[1] << " is not set; set it with `stella evidence config set "
                     << words[1] << " VALUE`\n";
    }
    return kExitSuccess;
  }
  const std::vector<ConfigEntry> entries = read_all_config(*connection);
  if (json) {
    rapidjson::Document document(rapidjson::kArrayType);
    for (const ConfigEntry& entry : entries) {
      document.PushBack(entry_json(entry, document.GetAllocator()), document.GetAllocator());
    }
    invocation.out << json_to_string(document) << '\n';
    return kExitSuccess;
  }
  for (const ConfigEntry& entry : entries) {
    invocation.out << entry.key << " = " << entry.value << "  (set " << entry.updated_at << " by "
                   << entry.updated_by << ")\n";
  }
  if (entries.empty() && !invocation.globals.quiet) {
    invocation.err << "no settings are set\n";
  }
  return kExitSuccess;
}

int run_set(Invocation& invocation, bool json) {
  const std::vector<std::string>& words = invocation.positional;
  if (words.size() != 3) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'config set' needs a key and a value; got " +
                         std::to_string(words.size() - 1) + " argument(s)",
                     "for example: stella evidence config set hash-algorithm sha512");
  }
  const std::string& key = words[1];
  const std::string& value = words[2];
  require_known_config_key(key);
  std::vector<std::string> allowed;
  if (key == kHashAlgorithmKey) {
    const PluginRegistry registry = PluginRegistry::discover(
        plugin_search_path(invocation.globals.plugin_dirs, invocation.globals.plugin_path_env));
    allowed = installed_reindex_algorithms(registry);
    if (allowed.empty()) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "no reindexer plugin is installed, so no hash-algorithm can be set",
                       "install the hash-<alg> plugins (`stella plugins list` shows what is found "
                       "and where it looked)");
    }
  }
  const auto connection = store_connection(invocation);
  std::optional<std::string> before;
  const ConfigEntry entry =
      write_config(*connection, key, value, invocation.globals.operator_name, allowed, &before);
  if (json) {
    rapidjson::Document document;
    const rapidjson::Value object = entry_json(entry, document.GetAllocator());
    invocation.out << json_to_string(object) << '\n';
  } else {
    invocation.out << key << " = " << entry.value << '\n';
  }
  if (!invocation.globals.quiet) {
    if (before == value) {
      invocation.err << key << " was already " << value << "; nothing changed\n";
    } else {
      invocation.err << key << " set to " << value << " (was " << before.value_or("unset")
                     << "); recorded in the audit trail\n";
    }
  }
  return kExitSuccess;
}

int run_config(Invocation& invocation) {
  if (invocation.positional.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'stella evidence config' needs an action: get or set",
                     std::string("usage: stella evidence config ") + kUsage);
  }
  const std::string& action = invocation.positional.front();
  const bool json = json_format(invocation);
  if (action == "get") {
    return run_get(invocation, json);
  }
  if (action == "set") {
    return run_set(invocation, json);
  }
  const auto suggestion = closest_match(action, kActions);
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "unknown config action '" + action + "'; expected get or set",
                   suggestion ? "did you mean 'stella evidence config " + *suggestion + "'?"
                              : std::string("usage: stella evidence config ") + kUsage);
}

}  // namespace

void register_config_command(CommandTable& table) {
  Command config;
  config.group = "evidence";
  config.verb = "config";
  config.summary = "show or change the store's settings (hash-algorithm)";
  config.positional_usage = kUsage;
  config.max_positional = 3;
  config.help_epilog = kHelpEpilog;
  config.run = run_config;
  table.add(std::move(config));
}

}  // namespace stella::host
