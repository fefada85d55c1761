// libFuzzer entry: the bundle-directory and object-store importers, the choice between them, and
// verify-bundle's checks behind them.
#include "source_reading.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)stella::fuzz::read_as_directory(data, size);
  return 0;
}
