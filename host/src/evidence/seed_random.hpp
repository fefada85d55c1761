// The seeded pseudo-random source of `stella evidence seed`: SplitMix64 (Steele, Lea, Flood 2014),
// small, fast and identical on every platform, unlike std::uniform_*_distribution whose output the
// standard leaves to the implementation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stella::host {

class SeedRandom {
 public:
  explicit SeedRandom(std::uint64_t state) : state_(state) {}

  /// A stream for one item, derived from the seed and the item's identity (tenant, sequence), so
  /// that an item's content does not depend on how many items came before it in this run.
  static SeedRandom for_item(std::uint64_t seed, std::string_view scope, std::string_view item);

  std::uint64_t next();
  /// Uniform in [0, bound); bound > 0.
  std::uint64_t below(std::uint64_t bound);
  /// Uniform in [low, high].
  std::int64_t between(std::int64_t low, std::int64_t high);
  /// Uniform in [0, 1).
  double unit();
  /// True with probability `percent` / 100.
  bool percent(int percent);
  /// `count` random bytes as lower-case hex (2 * count characters).
  std::string hex(std::size_t count);

 private:
  std::uint64_t state_;
};

}  // namespace stella::host
