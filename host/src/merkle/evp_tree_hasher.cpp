// The host's built-in TreeHasher over OpenSSL EVP.
//
// Lean on purpose: verify-all and reindex hash about three digests per artifact (content, leaf,
// node) for a million artifacts. The EVP_MD is fetched once per hasher (an implicit fetch per call
// costs more than hashing a short leaf), and each thread reuses one EVP_MD_CTX, so a call allocates
// nothing but the digest vector it returns.
#include <array>
#include <memory>
#include <string>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "merkle/evp_algorithms.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;
constexpr std::size_t kOpenSslErrorBufferSize = 256;

std::string openssl_error_text() {
  const unsigned long code = ERR_get_error();
  if (code == 0) {
    return "no OpenSSL error recorded";
  }
  std::array<char, kOpenSslErrorBufferSize> buffer{};
  ERR_error_string_n(code, buffer.data(), buffer.size());
  ERR_clear_error();
  return buffer.data();
}

[[noreturn]] void throw_openssl_failure(const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::internal, what + " failed: " + openssl_error_text(),
                   "check the OpenSSL installation (openssl version; openssl list "
                   "-digest-algorithms)");
}

/// One EVP_MD_CTX per thread, shared by every hasher on that thread: EVP_DigestInit_ex2 rebinds it
/// to whichever digest the call needs.
class ThreadDigestContext {
 public:
  ThreadDigestContext() : ctx_(EVP_MD_CTX_new()) {}
  ~ThreadDigestContext() { EVP_MD_CTX_free(ctx_); }
  ThreadDigestContext(const ThreadDigestContext&) = delete;
  ThreadDigestContext& operator=(const ThreadDigestContext&) = delete;

  EVP_MD_CTX* get() {
    if (ctx_ == nullptr) {
      throw_openssl_failure("EVP_MD_CTX_new");
    }
    return ctx_;
  }

 private:
  EVP_MD_CTX* ctx_;
};

EVP_MD_CTX* thread_context() {
  thread_local ThreadDigestContext context;
  return context.get();
}

struct EvpMdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};

class EvpTreeHasher final : public TreeHasher {
 public:
  EvpTreeHasher(std::string algorithm_id, std::unique_ptr<EVP_MD, EvpMdDeleter> md)
      : algorithm_id_(std::move(algorithm_id)),
        md_(std::move(md)),
        digest_size_(static_cast<std::size_t>(EVP_MD_get_size(md_.get()))) {}

  std::string algorithm_id() const override { return algorithm_id_; }
  std::size_t digest_size() const override { return digest_size_; }

  DigestBytes digest(ByteView bytes) const override {
    EVP_MD_CTX* ctx = begin();
    update(ctx, bytes);
    return finish(ctx);
  }

  DigestBytes hash_leaf(ByteView data) const override {
    EVP_MD_CTX* ctx = begin();
    update(ctx, ByteView(&kLeafPrefix, 1));
    update(ctx, data);
    return finish(ctx);
  }

  DigestBytes hash_node(ByteView left, ByteView right) const override {
    EVP_MD_CTX* ctx = begin();
    update(ctx, ByteView(&kNodePrefix, 1));
    update(ctx, left);
    update(ctx, right);
    return finish(ctx);
  }

 private:
  EVP_MD_CTX* begin() const {
    EVP_MD_CTX* ctx = thread_context();
    if (EVP_DigestInit_ex2(ctx, md_.get(), nullptr) != 1) {
      throw_openssl_failure("EVP_DigestInit_ex2 for " + algorithm_id_);
    }
    return ctx;
  }

  void update(EVP_MD_CTX* ctx, ByteView bytes) const {
    if (!bytes.empty() && EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) != 1) {
      throw_openssl_failure("EVP_DigestUpdate for " + algorithm_id_);
    }
  }

  DigestBytes finish(EVP_MD_CTX* ctx) const {
    DigestBytes out(digest_size_);
    unsigned int written = 0;
    if (EVP_DigestFinal_ex(ctx, out.data(), &written) != 1 || written != digest_size_) {
      throw_openssl_failure("EVP_DigestFinal_ex for " + algorithm_id_);
    }
    return out;
  }

  std::string algorithm_id_;
  std::unique_ptr<EVP_MD, EvpMdDeleter> md_;
  std::size_t digest_size_;
};

}  // namespace

std::unique_ptr<TreeHasher> make_evp_hasher(std::string_view algorithm_id) {
  const auto algorithm = merkle_detail::find_evp_algorithm(algorithm_id);
  if (!algorithm) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "hash algorithm '" + std::string(algorithm_id) +
                         "' is not supported; supported: " + merkle_detail::evp_algorithm_list(),
                     "choose one of the supported algorithm ids (they are lower-case)");
  }
  std::unique_ptr<EVP_MD, EvpMdDeleter> md(EVP_MD_fetch(nullptr, algorithm->openssl_name, nullptr));
  if (!md) {
    const std::string reason = openssl_error_text();
    throw sdk::Error(sdk::ErrorCode::refused,
                     "hash algorithm '" + std::string(algorithm_id) +
                         "' is not available from this OpenSSL (digest " + algorithm->openssl_name +
                         "): " + reason,
                     "check `openssl list -digest-algorithms` and the OpenSSL providers "
                     "configured (OPENSSL_CONF), or choose another algorithm");
  }
  return std::make_unique<EvpTreeHasher>(std::string(algorithm_id), std::move(md));
}

std::vector<std::string> evp_hasher_algorithms() {
  std::vector<std::string> ids;
  for (const auto& entry : merkle_detail::evp_algorithms()) {
    ids.emplace_back(entry.id);
  }
  return ids;
}

}  // namespace stella::host
