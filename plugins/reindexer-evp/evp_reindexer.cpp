// A reindexer plugin over one OpenSSL EVP digest. The same source builds every hash-<alg> plugin;
// the algorithm comes from compile definitions set by EvpReindexerPlugin.cmake from the plugin's
// manifest, so the descriptor and the manifest cannot disagree:
//   STELLA_REINDEXER_PLUGIN_ID       the manifest's "id"               ("hash-sha512")
//   STELLA_REINDEXER_PLUGIN_VERSION  the manifest's "version"          ("1.0.0")
//   STELLA_REINDEXER_ALGORITHM       the manifest's provided algorithm ("sha512")
//   STELLA_REINDEXER_OPENSSL_DIGEST  OpenSSL's name for it             ("SHA512")
#include <array>
#include <memory>
#include <string>
#include <utility>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "stella/sdk/error.hpp"
#include "stella/sdk/plugin.hpp"
#include "stella/sdk/reindexer.hpp"

#if !defined(STELLA_REINDEXER_PLUGIN_ID) || !defined(STELLA_REINDEXER_PLUGIN_VERSION) || \
    !defined(STELLA_REINDEXER_ALGORITHM) || !defined(STELLA_REINDEXER_OPENSSL_DIGEST)
#error "build this file through stella_add_evp_reindexer (plugins/reindexer-evp)"
#endif

namespace stella_evp_reindexer {

namespace sdk = stella::sdk;

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
  throw sdk::Error(
      sdk::ErrorCode::internal,
      std::string(STELLA_REINDEXER_ALGORITHM) + ": " + what + " failed: " + openssl_error_text(),
      "check the OpenSSL installation (openssl version; openssl list "
      "-digest-algorithms)");
}

// One spare EVP_MD_CTX per thread: reindex hashes millions of small inputs, and each start() would
// otherwise allocate and free an OpenSSL context.
struct SpareContext {
  EVP_MD_CTX* ctx = nullptr;
  ~SpareContext() { EVP_MD_CTX_free(ctx); }
};
thread_local SpareContext spare_context;

EVP_MD_CTX* acquire_context() {
  if (spare_context.ctx != nullptr) {
    return std::exchange(spare_context.ctx, nullptr);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) {
    throw_openssl_failure("EVP_MD_CTX_new");
  }
  return ctx;
}

void release_context(EVP_MD_CTX* ctx) {
  if (spare_context.ctx == nullptr) {
    spare_context.ctx = ctx;
  } else {
    EVP_MD_CTX_free(ctx);
  }
}

class EvpHashState final : public sdk::HashState {
 public:
  EvpHashState(const EVP_MD* md, std::size_t digest_size)
      : ctx_(acquire_context()), digest_size_(digest_size) {
    if (EVP_DigestInit_ex2(ctx_, md, nullptr) != 1) {
      release_context(ctx_);
      throw_openssl_failure("EVP_DigestInit_ex2");
    }
  }
  ~EvpHashState() override { release_context(ctx_); }
  EvpHashState(const EvpHashState&) = delete;
  EvpHashState& operator=(const EvpHashState&) = delete;

  void update(sdk::ByteView bytes) override {
    if (!bytes.empty() && EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) {
      throw_openssl_failure("EVP_DigestUpdate");
    }
  }

  sdk::DigestBytes finish() override {
    sdk::DigestBytes digest(digest_size_);
    unsigned int written = 0;
    if (EVP_DigestFinal_ex(ctx_, digest.data(), &written) != 1 || written != digest_size_) {
      throw_openssl_failure("EVP_DigestFinal_ex");
    }
    return digest;
  }

 private:
  EVP_MD_CTX* ctx_;
  std::size_t digest_size_;
};

struct EvpMdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};

class EvpReindexer final : public sdk::Reindexer {
 public:
  // Fetched once: an implicit fetch on every hash costs more than hashing a short leaf.
  EvpReindexer() : md_(EVP_MD_fetch(nullptr, STELLA_REINDEXER_OPENSSL_DIGEST, nullptr)) {
    if (!md_) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       std::string("OpenSSL here does not provide digest ") +
                           STELLA_REINDEXER_OPENSSL_DIGEST + " for algorithm '" +
                           STELLA_REINDEXER_ALGORITHM + "': " + openssl_error_text(),
                       "check `openssl list -digest-algorithms` and the configured OpenSSL "
                       "providers (OPENSSL_CONF)");
    }
    digest_size_ = static_cast<std::size_t>(EVP_MD_get_size(md_.get()));
  }

  std::string algorithm_id() const override { return STELLA_REINDEXER_ALGORITHM; }
  std::size_t digest_size() const override { return digest_size_; }
  std::unique_ptr<sdk::HashState> start() const override {
    return std::make_unique<EvpHashState>(md_.get(), digest_size_);
  }

 private:
  std::unique_ptr<EVP_MD, EvpMdDeleter> md_;
  std::size_t digest_size_ = 0;
};

sdk::Plugin* create_reindexer() {
  return new EvpReindexer();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{
      sdk::kAbiVersion,           STELLA_REINDEXER_PLUGIN_ID, STELLA_REINDEXER_PLUGIN_VERSION,
      sdk::PluginKind::reindexer, &create_reindexer,
  };
  return descriptor;
}

}  // namespace stella_evp_reindexer

STELLA_PLUGIN_EXPORT(stella_evp_reindexer::describe)
