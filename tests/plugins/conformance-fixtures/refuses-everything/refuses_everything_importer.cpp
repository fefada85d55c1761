// Broken on purpose: refuses every source with invalid_input, hostile or not. It "passes" the
// bad-input corpus; only the valid export the host makes can tell.
#include <filesystem>

#include "stella/sdk/sdk.hpp"

namespace stella::conformance_fixtures {
namespace {

namespace sdk = stella::sdk;

class RefusesEverythingImporter final : public sdk::StorageImporter {
 public:
  std::string source_format() const override { return "bundle-dir"; }
  bool recognizes(const std::string& location) const override {
    std::error_code ignored;
    return std::filesystem::is_directory(location, ignored);
  }
  void read(const std::string& location, const sdk::ImportLimits&, sdk::ImportSink&,
            sdk::HostContext&) override {
    throw sdk::Error(sdk::ErrorCode::invalid_input, location +
                                                        ": refused (this importer refuses "
                                                        "every source)");
  }
};

sdk::Plugin* create() {
  return new RefusesEverythingImporter();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, "conformance-refuses-everything",
                                                "1.0.0", sdk::PluginKind::storage_importer,
                                                &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
