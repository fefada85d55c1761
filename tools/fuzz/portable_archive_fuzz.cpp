// libFuzzer entry: the portable-archive importer and verify-bundle's checks behind it.
#include "source_reading.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)stella::fuzz::read_as_portable_archive(data, size);
  return 0;
}
