#include "merkle/quoted_excerpt.hpp"

#include "stella/sdk/printable_text.hpp"

namespace stella::host::merkle_detail {

std::string quoted_excerpt(std::string_view text) {
  const bool cut = text.size() > kMaxQuotedChars;
  const std::string_view shown = cut ? text.substr(0, kMaxQuotedChars) : text;
  return "'" + sdk::printable_text(shown) + (cut ? "...'" : "'");
}

}  // namespace stella::host::merkle_detail
