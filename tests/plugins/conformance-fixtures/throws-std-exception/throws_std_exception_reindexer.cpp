// Broken on purpose: SHA3-224 whose update() throws std::runtime_error, not stella::sdk::Error,
// once more than 100 bytes are fed at once. Short inputs (the empty one, node hashes) still hash
// correctly, so the checks that feed more fail and the others pass.
#include <stdexcept>

#include "sha3_224_fixture.hpp"

namespace stella::conformance_fixtures {
namespace {

constexpr std::size_t kLongestUpdate = 100;

class ThrowingState final : public sdk::HashState {
 public:
  void update(sdk::ByteView bytes) override {
    if (bytes.size() > kLongestUpdate) {
      throw std::runtime_error("update exploded");
    }
    honest_.update(bytes);
  }
  sdk::DigestBytes finish() override { return honest_.finish(); }

 private:
  Sha3_224State honest_{""};
};

class ThrowingReindexer final : public sdk::Reindexer {
 public:
  std::string algorithm_id() const override { return "sha3-224"; }
  std::size_t digest_size() const override { return kSha3_224Bytes; }
  std::unique_ptr<sdk::HashState> start() const override {
    return std::make_unique<ThrowingState>();
  }
};

sdk::Plugin* create() {
  return new ThrowingReindexer();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion,
                                                "conformance-throws-std-exception", "1.0.0",
                                                sdk::PluginKind::reindexer, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
