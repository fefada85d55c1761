#include "bundles/bundle_file_writer.hpp"

#include <cerrno>
#include <cstring>

#include "bundles/sha256_stream.hpp"
#include "stella/host/bundles/bundle_format.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

[[noreturn]] void spool_failed(const char* what) {
  throw sdk::Error(sdk::ErrorCode::internal,
                   std::string("checksum spool: ") + what + ": " + std::strerror(errno),
                   "check the free space and permissions of $TMPDIR (or /tmp)");
}

}  // namespace

BundleFileWriter::BundleFileWriter() : spool_(std::tmpfile()) {
  if (!spool_) {
    spool_failed("cannot create a temporary file");
  }
}

BundleFileWriter::~BundleFileWriter() = default;

void BundleFileWriter::add(std::string_view path, std::string_view content,
                           std::string_view sha256_hex) {
  write_file(path, content);
  std::string line = sha256_hex.empty() ? sha256_hex_of(content) : std::string(sha256_hex);
  line.append("  ").append(path).push_back('\n');
  if (std::fwrite(line.data(), 1, line.size(), spool_.get()) != line.size()) {
    spool_failed("write");
  }
  spool_bytes_ += line.size();
  ++files_;
}

void BundleFileWriter::finish() {
  if (std::fflush(spool_.get()) != 0) {
    spool_failed("flush");
  }
  std::rewind(spool_.get());
  write_file_from(bundle_format::kChecksumsFile, spool_.get(), spool_bytes_);
  ++files_;
  complete();
}

}  // namespace stella::host
