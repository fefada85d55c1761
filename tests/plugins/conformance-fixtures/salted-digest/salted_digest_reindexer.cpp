// Broken on purpose: calls itself sha3-224 but hashes a salt before the data. Deterministic and of
// the right size, so only the comparisons with the published vectors and OpenSSL can tell.
#include "sha3_224_fixture.hpp"

namespace stella::conformance_fixtures {
namespace {

class SaltedReindexer final : public sdk::Reindexer {
 public:
  std::string algorithm_id() const override { return "sha3-224"; }
  std::size_t digest_size() const override { return kSha3_224Bytes; }
  std::unique_ptr<sdk::HashState> start() const override {
    return std::make_unique<Sha3_224State>("salt");
  }
};

sdk::Plugin* create() {
  return new SaltedReindexer();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, "conformance-salted-digest",
                                                "1.0.0", sdk::PluginKind::reindexer, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
