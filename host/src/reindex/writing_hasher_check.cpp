// Known-answer check of a generation's writing hasher (writing_hasher_check.hpp).
#include "reindex/writing_hasher_check.hpp"

#include <array>
#include <future>
#include <string>
#include <vector>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// One question put to a hasher, and a name for it in messages.
struct Probe {
  std::string name;
  std::vector<std::uint8_t> bytes;
};

std::vector<Probe> probes() {
  std::vector<Probe> all;
  // Sizes around the block sizes of the algorithms offered (64, 128, 136 bytes) and larger than a
  // typical I/O chunk, filled with a pattern that is not periodic in any of them.
  for (const std::size_t size : std::array<std::size_t, 7>{0, 3, 63, 64, 129, 1000, 4099}) {
    Probe probe{std::to_string(size) + " bytes", std::vector<std::uint8_t>(size)};
    for (std::size_t i = 0; i < size; ++i) {
      probe.bytes[i] = static_cast<std::uint8_t>((i * 131 + size * 7 + 17) % 251);
    }
    all.push_back(std::move(probe));
  }
  return all;
}

/// Every answer of `hasher` to `inputs`: the digest, the leaf hash and the node hash of each
/// input with the next one, in order.
std::vector<DigestBytes> answers(const TreeHasher& hasher, const std::vector<Probe>& inputs) {
  std::vector<DigestBytes> out;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const ByteView bytes(inputs[i].bytes.data(), inputs[i].bytes.size());
    const auto& next = inputs[(i + 1) % inputs.size()].bytes;
    out.push_back(hasher.digest(bytes));
    out.push_back(hasher.hash_leaf(bytes));
    out.push_back(hasher.hash_node(bytes, ByteView(next.data(), next.size())));
  }
  return out;
}

std::string question(const std::vector<Probe>& inputs, std::size_t answer) {
  static constexpr std::array<const char*, 3> kKinds = {"the digest of ", "the leaf hash of ",
                                                        "the node hash of "};
  return kKinds[answer % 3] + inputs[answer / 3].name;
}

[[noreturn]] void refuse(const OwnedHasher& writing, std::string_view algorithm,
                         const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::refused,
                   "the " + std::string(algorithm) + " hasher (" + writing.source() + ") " + what +
                       "; nothing was written",
                   "run `stella plugins test` on the plugin, and fix or remove it before "
                   "reindexing with it");
}

}  // namespace

void require_correct_writing_hasher(const OwnedHasher& writing, std::string_view algorithm) {
  const TreeHasher& hasher = writing.hasher();
  const std::vector<Probe> inputs = probes();
  std::vector<DigestBytes> first;
  std::vector<DigestBytes> second;
  try {
    // The same questions twice, on two threads at once: reindex workers share one plugin object.
    auto concurrent = std::async(std::launch::async, [&] { return answers(hasher, inputs); });
    first = answers(hasher, inputs);
    second = concurrent.get();
  } catch (const sdk::Error& error) {
    // The adapter checks each answer's size against the declared one, among other things.
    refuse(writing, algorithm, std::string("failed on a fixed input: ") + error.what());
  }
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (first[i] != second[i]) {
      refuse(writing, algorithm,
             "gave two different answers for " + question(inputs, i) + " (" +
                 to_hex(ByteView(first[i].data(), first[i].size())) + " and " +
                 to_hex(ByteView(second[i].data(), second[i].size())) + ")");
    }
  }
  const std::unique_ptr<TreeHasher> reference =
      writing.plugin() != nullptr ? built_in_hasher(algorithm) : nullptr;
  if (!reference) {
    return;  // Nothing independent to compare with.
  }
  const std::vector<DigestBytes> expected = answers(*reference, inputs);
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (first[i] != expected[i]) {
      refuse(writing, algorithm,
             "gave " + to_hex(ByteView(first[i].data(), first[i].size())) + " for " +
                 question(inputs, i) + ", where OpenSSL's " + std::string(algorithm) + " gives " +
                 to_hex(ByteView(expected[i].data(), expected[i].size())));
    }
  }
}

}  // namespace stella::host
