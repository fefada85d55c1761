#include "pack_reading.hpp"

#include <string>

#include "stella/host/conformance/hostile_archive.hpp"
#include "stella/host/packs/pack_archive.hpp"
#include "stella/host/packs/pack_verification.hpp"
#include "stella/sdk/error.hpp"
#include "untrusted_sources.hpp"

namespace stella::fuzz {

Verdict read_as_plugin_pack(const std::uint8_t* data, std::size_t size) {
  const std::string tar = with_header_checksums_fixed({reinterpret_cast<const char*>(data), size});
  const std::filesystem::path pack = fresh_scratch_directory("pack") / "plugins.tar.gz";
  host::write_gzip_file(pack, tar);
  try {
    const host::PackContents contents = host::read_pack_archive(pack);
    const host::PackVerification verification =
        host::verify_pack(contents, std::filesystem::path(STELLA_FUZZ_TRUSTED_KEYS));
    return verification.problems.empty() ? Verdict::passed : Verdict::problems;
  } catch (const sdk::Error& error) {
    return refusal(error);
  }
}

}  // namespace stella::fuzz
