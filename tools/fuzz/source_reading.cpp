#include "source_reading.hpp"

#include <optional>
#include <string>
#include <string_view>

#include "stella/host/bundles/bundle_format.hpp"
#include "stella/host/bundles/source_verification.hpp"
#include "stella/host/conformance/hostile_archive.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/sdk/error.hpp"
#include "untrusted_sources.hpp"

namespace stella::fuzz {
namespace {

// Importers log and report progress; a fuzzer runs them a million times, so nothing is printed.
class SilentContext final : public sdk::HostContext {
 public:
  void log(sdk::LogLevel, std::string_view) noexcept override {}
  void progress(std::uint64_t, std::uint64_t) noexcept override {}
  bool cancelled() const noexcept override { return false; }
};

// The importers installed beside this executable (build tree or install tree), discovered once.
host::PluginRegistry& installed_importers() {
  static host::PluginRegistry registry =
      host::PluginRegistry::discover(host::plugin_search_path({}, {}));
  return registry;
}

Verdict verify(const std::string& location, const std::optional<std::string>& format) {
  SilentContext context;
  try {
    const host::VerifiedSource source = host::verify_source(
        installed_importers(), location, format, host::bundle_format::default_import_limits(),
        context, host::UnreadableSource::report);
    return source.result.passed() ? Verdict::passed : Verdict::problems;
  } catch (const sdk::Error& error) {
    return refusal(error);
  }
}

}  // namespace

Verdict read_as_portable_archive(const std::uint8_t* data, std::size_t size) {
  const std::string tar = with_header_checksums_fixed({reinterpret_cast<const char*>(data), size});
  const std::filesystem::path directory = fresh_scratch_directory("portable");
  const std::filesystem::path archive = directory / "evidence.tar.gz";
  host::write_gzip_file(archive, tar);
  return verify(archive.string(), std::string("portable-tar-gz"));
}

Verdict read_as_directory(const std::uint8_t* data, std::size_t size) {
  const std::string tar = with_header_checksums_fixed({reinterpret_cast<const char*>(data), size});
  const std::filesystem::path directory = fresh_scratch_directory("directory");
  extract_tar(tar, directory);
  return verify(directory.string(), std::nullopt);
}

}  // namespace stella::fuzz
