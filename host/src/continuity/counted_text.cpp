#include "continuity/counted_text.hpp"

#include "stella/host/reindex/reindex_runner.hpp"

namespace stella::host {

std::string counted(std::int64_t count, std::string_view singular, std::string_view plural) {
  return with_thousands(count) + " " + std::string(count == 1 ? singular : plural);
}

}  // namespace stella::host
