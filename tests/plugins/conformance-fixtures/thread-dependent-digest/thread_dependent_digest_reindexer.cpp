// Broken on purpose: correct SHA3-224 on the thread that created the object, but every other thread
// mixes in its own number — the kind of bug shared mutable state causes. The published vectors,
// computed on the creating thread, match; hashing on several threads, or reindexing with workers,
// does not agree with itself.
#include <atomic>
#include <thread>

#include "sha3_224_fixture.hpp"

namespace stella::conformance_fixtures {
namespace {

std::atomic<int> next_thread_number{1};

class ThreadDependentReindexer final : public sdk::Reindexer {
 public:
  std::string algorithm_id() const override { return "sha3-224"; }
  std::size_t digest_size() const override { return kSha3_224Bytes; }
  std::unique_ptr<sdk::HashState> start() const override {
    if (std::this_thread::get_id() == creator_) {
      return std::make_unique<Sha3_224State>("");
    }
    thread_local const int number = next_thread_number++;
    return std::make_unique<Sha3_224State>("thread " + std::to_string(number));
  }

 private:
  std::thread::id creator_ = std::this_thread::get_id();
};

sdk::Plugin* create() {
  return new ThreadDependentReindexer();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion,
                                                "conformance-thread-dependent-digest", "1.0.0",
                                                sdk::PluginKind::reindexer, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
