// libFuzzer entry: the plugin-pack reader and the pack's verification.
#include "pack_reading.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)stella::fuzz::read_as_plugin_pack(data, size);
  return 0;
}
