// The plugin's one exported entry: its descriptor, whose id and version come from manifest.json
// (compiled in by CMakeLists.txt).
#include "expand_step.hpp"
#include "stella/sdk/plugin.hpp"

#if !defined(STELLA_STEP_PLUGIN_ID) || !defined(STELLA_STEP_PLUGIN_VERSION)
#error "build this plugin through its CMakeLists.txt, which defines its id and version"
#endif

namespace stella_schema_expand {

sdk::Plugin* create_step() {
  return new ExpandStep();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{
      sdk::kAbiVersion,
      STELLA_STEP_PLUGIN_ID,
      STELLA_STEP_PLUGIN_VERSION,
      sdk::PluginKind::schema_step,
      &create_step,
  };
  return descriptor;
}

}  // namespace stella_schema_expand

STELLA_PLUGIN_EXPORT(stella_schema_expand::describe)
