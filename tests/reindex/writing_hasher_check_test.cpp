// The known-answer check a reindex puts its writing plugin through before it writes anything
// (host/src/reindex/writing_hasher_check.hpp), with reindexers defined here over OpenSSL: a correct
// one passes; one whose answers depend on the thread, one that salts its input and one that
// returns fewer bytes than it declares are each refused, naming what came back.
#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>

#include <atomic>
#include <thread>

#include "reindex/writing_hasher_check.hpp"
#include "stella/sdk/error.hpp"

namespace {

namespace host = stella::host;
namespace sdk = stella::sdk;

/// SHA-512 through OpenSSL, optionally with `salt` hashed before the data and the digest cut to
/// `keep` bytes.
class Sha512State final : public sdk::HashState {
 public:
  Sha512State(const std::string& salt, std::size_t keep) : ctx_(EVP_MD_CTX_new()), keep_(keep) {
    EVP_DigestInit_ex(ctx_, EVP_sha512(), nullptr);
    EVP_DigestUpdate(ctx_, salt.data(), salt.size());
  }
  ~Sha512State() override { EVP_MD_CTX_free(ctx_); }
  Sha512State(const Sha512State&) = delete;
  Sha512State& operator=(const Sha512State&) = delete;
  void update(sdk::ByteView bytes) override { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }
  sdk::DigestBytes finish() override {
    sdk::DigestBytes digest(64);
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_, digest.data(), &length);
    digest.resize(keep_);
    return digest;
  }

 private:
  EVP_MD_CTX* ctx_;
  std::size_t keep_;
};

enum class Defect { none, thread_dependent, salted, short_digest };

class TestReindexer final : public sdk::Reindexer {
 public:
  explicit TestReindexer(Defect defect) : defect_(defect) {}
  std::string algorithm_id() const override { return "sha512"; }
  std::size_t digest_size() const override { return 64; }
  std::unique_ptr<sdk::HashState> start() const override {
    switch (defect_) {
      case Defect::thread_dependent:
        return std::make_unique<Sha512State>(
            std::this_thread::get_id() == creator_ ? "" : "another thread", 64);
      case Defect::salted:
        return std::make_unique<Sha512State>("salt", 64);
      case Defect::short_digest:
        return std::make_unique<Sha512State>("", 32);
      case Defect::none:
        break;
    }
    return std::make_unique<Sha512State>("", 64);
  }

 private:
  Defect defect_;
  std::thread::id creator_ = std::this_thread::get_id();
};

host::OwnedHasher plugin_hasher(Defect defect) {
  auto plugin = std::make_unique<TestReindexer>(defect);
  auto hasher = host::make_reindexer_hasher(*plugin);
  return host::OwnedHasher(std::move(plugin), std::move(hasher), "plugin test-sha512 1.0.0");
}

/// The refusal's message, or "" when the check passes.
std::string refusal(Defect defect) {
  try {
    host::require_correct_writing_hasher(plugin_hasher(defect), "sha512");
  } catch (const sdk::Error& error) {
    BOOST_TEST((error.code() == sdk::ErrorCode::refused));
    return error.what();
  }
  return "";
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(writing_hasher_check)

BOOST_AUTO_TEST_CASE(a_correct_plugin_passes) {
  BOOST_TEST(refusal(Defect::none) == "");
}

BOOST_AUTO_TEST_CASE(answers_that_depend_on_the_thread_are_refused) {
  const std::string message = refusal(Defect::thread_dependent);
  BOOST_TEST(mentions(message, "plugin test-sha512 1.0.0"), message);
  BOOST_TEST(mentions(message, "two different answers for the digest of 0 bytes"), message);
  BOOST_TEST(mentions(message, "nothing was written"), message);
}

BOOST_AUTO_TEST_CASE(a_plugin_that_disagrees_with_openssl_is_refused) {
  const std::string message = refusal(Defect::salted);
  // SHA-512 of the empty input, as OpenSSL (and FIPS 180-4) gives it.
  BOOST_TEST(mentions(message, "where OpenSSL's sha512 gives cf83e1357eefb8bdf1542850d66d8007"),
             message);
  BOOST_TEST(mentions(message, "for the digest of 0 bytes"), message);
}

BOOST_AUTO_TEST_CASE(a_digest_shorter_than_declared_is_refused) {
  const std::string message = refusal(Defect::short_digest);
  BOOST_TEST(mentions(message, "plugin test-sha512 1.0.0) failed on a fixed input"), message);
  BOOST_TEST(mentions(message, "32 bytes"), message);
}

BOOST_AUTO_TEST_SUITE_END()
