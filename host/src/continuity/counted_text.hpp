// A count and its noun, in the number the count needs: the report writers' one way to say how
// many, so that no report says "1 bundles".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stella::host {

/// "1 bundle", "0 bundles", "1,024 artifacts" (thousands separated as with_thousands does).
std::string counted(std::int64_t count, std::string_view singular, std::string_view plural);

}  // namespace stella::host
