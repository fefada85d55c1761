// The one ABI compatibility rule of the host (docs/abi-policy.md).
#include <string>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

std::optional<std::string> abi_incompatibility(std::uint32_t plugin_abi, std::uint32_t host_abi) {
  // Exact equality: every boundary change bumps the ABI, so neither an older nor a newer plugin can
  // be assumed to lay out the SDK types the way this host does.
  if (plugin_abi == host_abi) {
    return std::nullopt;
  }
  const std::string host = std::to_string(host_abi);
  return "plugin ABI " + std::to_string(plugin_abi) + ", this host supports ABI " + host +
         " — rebuild the plugin against SDK ABI " + host;
}

}  // namespace stella::host
