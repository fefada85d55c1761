// The trust options of this run's command line, kept where plugin_search_path() can reach them:
// every verb builds its search path the same way, so no verb can forget the trust policy.
#include "stella/host/packs/plugin_trust.hpp"

namespace stella::host {
namespace {

PluginTrustPolicy& command_line_settings() {
  static PluginTrustPolicy settings;
  return settings;
}

}  // namespace

void set_command_line_plugin_trust(std::optional<std::filesystem::path> trusted_keys_directory,
                                   bool allow_unsigned) {
  PluginTrustPolicy& settings = command_line_settings();
  settings.trusted_keys_directory = std::move(trusted_keys_directory);
  settings.allow_unsigned = allow_unsigned;
}

PluginTrustPolicy command_line_plugin_trust() {
  return command_line_settings();
}

}  // namespace stella::host
