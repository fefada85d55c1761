// SplitMix64 and the derivation of per-item streams.
#include "evidence/seed_random.hpp"

#include <openssl/evp.h>

#include <array>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;
constexpr std::uint64_t kMix1 = 0xbf58476d1ce4e5b9ULL;
constexpr std::uint64_t kMix2 = 0x94d049bb133111ebULL;
constexpr int kShift1 = 30;
constexpr int kShift2 = 27;
constexpr int kShift3 = 31;
/// 53 bits: the precision of a double's mantissa.
constexpr int kUnitBits = 53;
constexpr int kBitsPerByte = 8;
constexpr int kPercent = 100;
constexpr std::string_view kDerivationLabel = "stella evidence seed v1";

}  // namespace

SeedRandom SeedRandom::for_item(std::uint64_t seed, std::string_view scope, std::string_view item) {
  std::string material(kDerivationLabel);
  material.push_back('\0');
  material += std::to_string(seed);
  material.push_back('\0');
  material.append(scope);
  material.push_back('\0');
  material.append(item);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(material.data(), material.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
      1) {
    throw sdk::Error(sdk::ErrorCode::internal, "SHA-256 of the seed derivation failed");
  }
  std::uint64_t state = 0;
  for (std::size_t i = 0; i < sizeof(state); ++i) {
    state = (state << kBitsPerByte) | digest[i];
  }
  return SeedRandom(state);
}

std::uint64_t SeedRandom::next() {
  std::uint64_t z = (state_ += kGamma);
  z = (z ^ (z >> kShift1)) * kMix1;
  z = (z ^ (z >> kShift2)) * kMix2;
  return z ^ (z >> kShift3);
}

std::uint64_t SeedRandom::below(std::uint64_t bound) {
  // Rejection sampling keeps the distribution exactly uniform.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  std::uint64_t value = next();
  while (value >= limit) {
    value = next();
  }
  return value % bound;
}

std::int64_t SeedRandom::between(std::int64_t low, std::int64_t high) {
  return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
}

double SeedRandom::unit() {
  return static_cast<double>(next() >> (64 - kUnitBits)) /
         static_cast<double>(std::uint64_t{1} << kUnitBits);
}

bool SeedRandom::percent(int percent) {
  return below(kPercent) < static_cast<std::uint64_t>(percent);
}

std::string SeedRandom::hex(std::size_t count) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(count * 2);
  std::uint64_t bits = 0;
  int available = 0;
  for (std::size_t i = 0; i < count * 2; ++i) {
    if (available == 0) {
      bits = next();
      available = 64 / 4;
    }
    text.push_back(kDigits[bits & 0xf]);
    bits >>= 4;
    --available;
  }
  return text;
}

}  // namespace stella::host
