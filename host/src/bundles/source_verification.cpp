#include "stella/host/bundles/source_verification.hpp"

#include "bundles/importer_selection.hpp"
#include "bundles/sink_recording.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

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
    verifier.add_problem({bundle_check::kUnreadable, "", "", "", "",
                          "a source that reads to its end", "it stops",
                          std::string(e.what()) + (e.hint().empty() ? "" : " (" + e.hint() + ")")});
  }
  verifier.finish();
  return {location, selected.source_format, selected.plugin_id, verifier.result(),
          verifier.release_bundles()};
}

}  // namespace stella::host
