// Reading a source through its importer into a ContentVerifier: what verify-bundle reports and
// what import checks before it writes anything.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "stella/host/bundles/content_verifier.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/sdk/storage_importer.hpp"

namespace stella::host {

class SinkRecording;

struct VerifiedSource {
  std::string location;
  std::string source_format;
  std::string plugin_id;
  SourceVerification result;
  /// Every bundle read, in source order.
  std::deque<VerifiedBundle> bundles;
};

/// How a source that cannot be read to its end (unsafe, malformed, truncated) is treated.
enum class UnreadableSource {
  /// Recorded as a problem "unreadable" naming why (verify-bundle: the bundle fails, exit 1).
  report = 1,
  /// The importer's sdk::Error(invalid_input) propagates (import: bad input, exit 2).
  refuse = 2,
};

/// Picks the importer (select_importer) and reads `location` into a ContentVerifier (with
/// `store_algorithm`, see ContentVerifier). With `recording`, every call the importer made is also
/// recorded there (import replays it to load what was verified). Throws what select_importer
/// throws; with UnreadableSource::refuse also the importer's errors.
VerifiedSource verify_source(PluginRegistry& registry, const std::string& location,
                             const std::optional<std::string>& source_format,
                             const sdk::ImportLimits& limits, sdk::HostContext& ctx,
                             UnreadableSource unreadable, const std::string& store_algorithm = {},
                             SinkRecording* recording = nullptr);

}  // namespace stella::host
