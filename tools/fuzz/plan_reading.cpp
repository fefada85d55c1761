#include "plan_reading.hpp"

#include <string_view>

#include "stella/host/migration/plan_file.hpp"
#include "stella/sdk/error.hpp"

namespace stella::fuzz {

Verdict read_as_migration_plan(const std::uint8_t* data, std::size_t size) {
  try {
    (void)host::plan_from_json_text({reinterpret_cast<const char*>(data), size}, "plan.json");
    return Verdict::passed;
  } catch (const sdk::Error& error) {
    return refusal(error);
  }
}

}  // namespace stella::fuzz
