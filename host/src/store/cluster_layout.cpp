#include "store/cluster_layout.hpp"

#include <openssl/evp.h>
#include <sys/un.h>

#include <array>
#include <string>

namespace stella::host {
namespace {

/// sun_path holds the path and its terminating NUL.
constexpr std::size_t kMaxSocketPathLength = sizeof(sockaddr_un::sun_path) - 1;
/// Hex digits of the home's SHA-256 that name the short socket directory: enough that two state
/// directories never share one.
constexpr std::size_t kShortDirectoryHashDigits = 16;
constexpr const char* kShortSocketParent = "/tmp";
constexpr const char* kShortSocketPrefix = "stella-pg-";

std::string sha256_hex(const std::string& text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHexDigits[digest[i] >> 4];
    hex += kHexDigits[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace

ClusterLayout cluster_layout(const std::filesystem::path& home) {
  ClusterLayout layout;
  layout.home = std::filesystem::absolute(home).lexically_normal();
  if (!layout.home.has_filename() && layout.home != layout.home.root_path()) {
    layout.home = layout.home.parent_path();  // drop a trailing slash
  }
  layout.pg_directory = layout.home / "pg";
  layout.data_directory = layout.pg_directory / "data";
  layout.staging_data_directory = layout.pg_directory / "data.initdb";
  layout.log_file = layout.pg_directory / "server.log";
  layout.lock_file = layout.pg_directory / ".lock";
  layout.state_file = layout.pg_directory / "cluster.json";
  layout.default_socket_directory = layout.pg_directory / "run";
  return layout;
}

std::filesystem::path socket_file(const std::filesystem::path& directory, int port) {
  return directory / (".s.PGSQL." + std::to_string(port));
}

std::filesystem::path choose_socket_directory(const ClusterLayout& layout) {
  if (socket_file(layout.default_socket_directory, kEmbeddedPort).string().size() <=
      kMaxSocketPathLength) {
    return layout.default_socket_directory;
  }
  return std::filesystem::path(kShortSocketParent) /
         (kShortSocketPrefix +
          sha256_hex(layout.home.string()).substr(0, kShortDirectoryHashDigits));
}

}  // namespace stella::host
