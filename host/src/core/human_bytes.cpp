#include "core/human_bytes.hpp"

#include <iomanip>
#include <iterator>
#include <sstream>

namespace stella::host {

std::string human_bytes(std::int64_t bytes) {
  constexpr double kUnit = 1024.0;
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= kUnit && unit + 1 < std::size(kUnits)) {
    value /= kUnit;
    ++unit;
  }
  std::ostringstream text;
  text << std::fixed << std::setprecision(unit == 0 ? 0 : 1) << value << ' ' << kUnits[unit];
  return text.str();
}

}  // namespace stella::host
