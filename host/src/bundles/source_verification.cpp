#include "stella/host/bundles/source_verification.hpp"

#include "bundles/importer_selection.hpp"
#include "bundles/sink_recording.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::string without_import_outcome(std::string text) {
  for (const std::string outcome :
       {"nothing was imported; ", "; nothing was imported", "nothing was imported"}) {
    if (const auto at = text.find(outcome); at != std::string::npos) {
      text.erase(at, outcome.size());
    }
  }
  return text;
}

}  // namespace

VerifiedSource verify_source(PluginRegistry& registry, const std::string& location,
                             const std::optional<std::string>& source_format,
                             const sdk::ImportLimits& limits, sdk::HostContext& ctx,
                             UnreadableSource unreadable, const std::string& store_algorithm,
                             SinkRecording* recording) {
  SelectedImporter selected = select_importer(registry, location, source_format);
  ContentVerifier verifier(store_algorithm);
  try {
    if (recording != nullptr) {
      RecordingSink recorder(verifier, *recording);
      selected.importer->read(location, limits, recorder, ctx);
      recorder.finish();
    } else {
      selected.importer->read(location, limits, verifier, ctx);
    }
  } catch (const sdk::Error& e) {
    const bool bad_input = e.code() == sdk::ErrorCode::invalid_input;
    if (!bad_input || unreadable == UnreadableSource::refuse) {
      throw;
    }
    // Importers word their errors for import ("nothing was imported; ..."); here nothing was
    // going to be imported, so that outcome is dropped and only the cause and remedy stay.
    const std::string message = without_import_outcome(e.what());
    const std::string hint = without_import_outcome(e.hint());
    verifier.add_problem({bundle_check::kUnreadable, "", "", "", "", "", "",
                          message + (hint.empty() ? "" : " (" + hint + ")")});
  }
  verifier.finish();
  return {location, selected.source_format, selected.plugin_id, verifier.result(),
          verifier.release_bundles()};
}

}  // namespace stella::host
