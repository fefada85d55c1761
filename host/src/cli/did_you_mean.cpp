#include "stella/host/cli/did_you_mean.hpp"

#include <algorithm>
#include <numeric>

namespace stella::host {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  std::iota(previous.begin(), previous.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

namespace {

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return lower;
}

}  // namespace

std::optional<std::string> closest_match(std::string_view typed_as_is,
                                         const std::vector<std::string>& candidates) {
  // Case is no evidence of a typo: "SHA512" is one step from "sha512", not six.
  const std::string typed = ascii_lower(typed_as_is);
  // A third of the length keeps "verfy-all" -> "verify-all" but rejects unrelated short words.
  constexpr std::size_t kDivisor = 3;
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(typed, ascii_lower(candidate));
    const std::size_t allowed =
        std::max<std::size_t>(1, std::max(typed.size(), candidate.size()) / kDivisor);
    const bool is_prefix = candidate.size() > typed.size() && typed.size() >= 3 &&
                           candidate.compare(0, typed.size(), typed) == 0;
    if ((distance <= allowed || is_prefix) && (!best || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace stella::host
