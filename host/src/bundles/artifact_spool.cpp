#include "bundles/artifact_spool.hpp"

#include <cerrno>
#include <cstring>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

[[noreturn]] void spool_failed(const char* what) {
  throw sdk::Error(sdk::ErrorCode::internal,
                   std::string("artifact spool: ") + what + ": " + std::strerror(errno),
                   "check the free space of $TMPDIR (or /tmp)");
}

}  // namespace

ArtifactSpool::ArtifactSpool() = default;
ArtifactSpool::~ArtifactSpool() = default;

std::uint64_t ArtifactSpool::append(std::string_view bytes) {
  if (!file_ && memory_.size() + bytes.size() <= kMemoryLimit) {
    const std::uint64_t offset = memory_.size();
    memory_.append(bytes);
    return offset;
  }
  if (!file_) {
    file_.reset(std::tmpfile());
    if (!file_) {
      spool_failed("cannot create a temporary file");
    }
    if (std::fwrite(memory_.data(), 1, memory_.size(), file_.get()) != memory_.size()) {
      spool_failed("write");
    }
    file_size_ = memory_.size();
    memory_.clear();
    memory_.shrink_to_fit();
  }
  if (std::fseek(file_.get(), 0, SEEK_END) != 0 ||
      std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) {
    spool_failed("write");
  }
  const std::uint64_t offset = file_size_;
  file_size_ += bytes.size();
  return offset;
}

std::string_view ArtifactSpool::read(std::uint64_t offset, std::uint64_t size) {
  if (!file_) {
    return std::string_view(memory_).substr(static_cast<std::size_t>(offset),
                                            static_cast<std::size_t>(size));
  }
  scratch_.resize(static_cast<std::size_t>(size));
  if (std::fflush(file_.get()) != 0 ||
      std::fseek(file_.get(), static_cast<long>(offset), SEEK_SET) != 0 ||
      std::fread(scratch_.data(), 1, scratch_.size(), file_.get()) != scratch_.size()) {
    spool_failed("read");
  }
  return scratch_;
}

void ArtifactSpool::clear() {
  memory_.clear();
  file_.reset();
  file_size_ = 0;
}

}  // namespace stella::host
