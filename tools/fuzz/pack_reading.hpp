// Fuzzing the plugin-pack reader: what `stella plugins verify` and `plugins install` read from a
// pack before anything of it is installed or loaded.
#pragma once

#include <cstddef>
#include <cstdint>

#include "verdict.hpp"

namespace stella::fuzz {

/// The bytes as an uncompressed tar, gzip-compressed into a pack archive, read and verified as
/// `stella plugins verify PACK --trusted-keys tools/fuzz/trusted-keys` does. The seed packs under
/// tests/fuzz/corpus/plugin_pack/ are signed by that key, so a mutation that leaves the signed
/// manifest alone reaches the checks behind the signature.
Verdict read_as_plugin_pack(const std::uint8_t* data, std::size_t size);

}  // namespace stella::fuzz
