#include "bundles/importer_selection.hpp"

#include "bundles/unrecognized_source.hpp"

#include <filesystem>
#include <vector>

#include "stella/host/cli/did_you_mean.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

bool usable_importer(const PluginRecord& record) {
  return record.manifest_valid && record.manifest.kind == sdk::PluginKind::storage_importer &&
         (record.status == PluginStatus::discovered || record.status == PluginStatus::loaded);
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text.empty() ? "none" : text;
}

/// A --source-format no plugin on the search path provides, broken or not, is a mistyped name
/// (exit 2, with the closest one); one only a broken plugin provides is refused by the registry
/// with that plugin's problem (exit 3).
void refuse_unknown_source_format(const PluginRegistry& registry, const std::string& format) {
  std::vector<std::string> known;
  for (const PluginRecord& record : registry.plugins()) {
    if (record.manifest.kind != sdk::PluginKind::storage_importer) {
      continue;
    }
    for (const std::string& provided : record.manifest.source_formats) {
      if (provided == format) {
        return;
      }
      known.push_back(provided);
    }
  }
  const auto suggestion = closest_match(format, known);
  throw sdk::Error(
      sdk::ErrorCode::invalid_input,
      "unknown --source-format '" + format + "'; the installed importers read " + joined(known),
      suggestion ? "did you mean '" + *suggestion + "'?"
                 : "name one of them, or leave --source-format out to let the "
                   "importers recognize the source");
}

}  // namespace

SelectedImporter select_importer(PluginRegistry& registry, const std::string& location,
                                 const std::optional<std::string>& source_format) {
  std::error_code error;
  if (!std::filesystem::exists(location, error)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, location + ": no such file or directory",
                     "name an export directory, a portable .tar.gz or an object store");
  }
  if (source_format) {
    refuse_unknown_source_format(registry, *source_format);
    SelectedImporter selected{*source_format, "", registry.create_importer(*source_format)};
    for (const PluginRecord& record : registry.plugins()) {
      for (const std::string& format : record.manifest.source_formats) {
        if (usable_importer(record) && format == *source_format) {
          selected.plugin_id = record.manifest.id;
        }
      }
    }
    if (!selected.importer->recognizes(location)) {
      const std::string looks = describe_unrecognized_source(location);
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       location + " is not a " + *source_format + " source (importer " +
                           selected.plugin_id + " does not recognize it" +
                           (looks.empty() ? "" : "; " + looks) + ")",
                       *source_format == "portable-tar-gz"
                           ? "name a .tar.gz written by `stella evidence export --portable`"
                           : "check the path, or leave out --source-format/--portable to let the "
                             "installed importers recognize it");
    }
    return selected;
  }
  std::vector<SelectedImporter> matches;
  std::vector<std::string> installed;
  for (const PluginRecord& record : registry.plugins()) {
    if (!usable_importer(record)) {
      continue;
    }
    for (const std::string& format : record.manifest.source_formats) {
      installed.push_back(format);
    }
  }
  for (const std::string& format : installed) {
    auto importer = registry.create_importer(format);
    if (importer->recognizes(location)) {
      const PluginRecord* record = nullptr;
      for (const PluginRecord& candidate : registry.plugins()) {
        for (const std::string& provided : candidate.manifest.source_formats) {
          if (usable_importer(candidate) && provided == format) {
            record = &candidate;
          }
        }
      }
      matches.push_back(
          {format, record != nullptr ? record->manifest.id : "", std::move(importer)});
    }
  }
  if (matches.empty()) {
    const std::string looks = describe_unrecognized_source(location);
    throw sdk::Error(
        sdk::ErrorCode::invalid_input,
        location + " is not a source any installed importer recognizes" +
            (looks.empty() ? "" : ": " + looks) + " (installed formats: " + joined(installed) + ")",
        "name an export directory (manifest.json, checksums.sha256), a portable "
        ".tar.gz or an object store (tenants/<tenant>/bundles/<bundle>/manifest.json)");
  }
  if (matches.size() > 1) {
    std::vector<std::string> formats;
    for (const SelectedImporter& match : matches) {
      formats.push_back(match.source_format + " (" + match.plugin_id + ")");
    }
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     location + " is recognized by more than one importer: " + joined(formats),
                     "choose one with --source-format FORMAT");
  }
  return std::move(matches.front());
}

}  // namespace stella::host
