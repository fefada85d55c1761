// libFuzzer entry: the migration-plan reader.
#include "plan_reading.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)stella::fuzz::read_as_migration_plan(data, size);
  return 0;
}
