// Which storage importer reads a location: the one the operator named (--source-format,
// --portable), or the one installed importer that recognizes it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "stella/host/plugins/plugin_registry.hpp"

namespace stella::host {

struct SelectedImporter {
  std::string source_format;
  std::string plugin_id;
  std::unique_ptr<sdk::StorageImporter> importer;
};

/// Throws sdk::Error(invalid_input) when `location` does not exist, when no installed importer
/// recognizes it (listing the installed formats), when the named format's importer does not
/// recognize it, or when two importers claim it (naming both, suggesting --source-format);
/// sdk::Error(refused) when no plugin reads the named format.
SelectedImporter select_importer(PluginRegistry& registry, const std::string& location,
                                 const std::optional<std::string>& source_format);

}  // namespace stella::host
