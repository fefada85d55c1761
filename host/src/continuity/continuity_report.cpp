// Check names, section and report totals, and the on-disk spool of failing records.
#include "stella/host/continuity/continuity_report.hpp"

#include <cerrno>
#include <cstring>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

[[noreturn]] void spool_failure(const char* what) {
  throw sdk::Error(sdk::ErrorCode::internal,
                   std::string("the continuity report's temporary file could not be ") + what +
                       ": " + std::strerror(errno),
                   "check free space in the temporary directory (TMPDIR)");
}

void write_bytes(std::FILE* file, const void* data, std::size_t size) {
  if (size > 0 && std::fwrite(data, 1, size, file) != size) {
    spool_failure("written");
  }
}

void write_text(std::FILE* file, const std::string& text) {
  const auto size = static_cast<std::uint32_t>(text.size());
  write_bytes(file, &size, sizeof size);
  write_bytes(file, text.data(), text.size());
}

void read_bytes(std::FILE* file, void* data, std::size_t size) {
  if (size > 0 && std::fread(data, 1, size, file) != size) {
    spool_failure("read back");
  }
}

std::string read_text(std::FILE* file) {
  std::uint32_t size = 0;
  read_bytes(file, &size, sizeof size);
  std::string text(size, '\0');
  read_bytes(file, text.data(), size);
  return text;
}

ContinuityFinding read_finding(std::FILE* file) {
  std::uint8_t check = 0;
  read_bytes(file, &check, sizeof check);
  ContinuityFinding finding;
  finding.check = static_cast<ContinuityCheck>(check);
  finding.tenant = read_text(file);
  finding.bundle = read_text(file);
  finding.path = read_text(file);
  finding.expected = read_text(file);
  finding.found = read_text(file);
  finding.message = read_text(file);
  return finding;
}

}  // namespace

const std::array<ContinuityCheck, kContinuityCheckCount>& all_continuity_checks() {
  static const std::array<ContinuityCheck, kContinuityCheckCount> checks = {
      ContinuityCheck::old_root, ContinuityCheck::old_digests, ContinuityCheck::new_digests,
      ContinuityCheck::new_root, ContinuityCheck::coverage,    ContinuityCheck::transition};
  return checks;
}

const char* continuity_check_id(ContinuityCheck check) {
  switch (check) {
    case ContinuityCheck::old_root:
      return "old-root";
    case ContinuityCheck::old_digests:
      return "old-digests";
    case ContinuityCheck::new_digests:
      return "new-digests";
    case ContinuityCheck::new_root:
      return "new-root";
    case ContinuityCheck::coverage:
      return "coverage";
    case ContinuityCheck::transition:
      return "transition";
  }
  return "unknown";
}

const char* continuity_check_title(ContinuityCheck check) {
  switch (check) {
    case ContinuityCheck::old_root:
      return "the old root recomputes from the old digests";
    case ContinuityCheck::old_digests:
      return "every old digest recomputes from the stored bytes";
    case ContinuityCheck::new_digests:
      return "every new digest recomputes from the stored bytes";
    case ContinuityCheck::new_root:
      return "the new root recomputes from the new digests";
    case ContinuityCheck::coverage:
      return "both generations cover exactly the same records";
    case ContinuityCheck::transition:
      return "the transition old root -> new root is recorded";
  }
  return "unknown";
}

FindingSpool::FindingSpool() : file_(std::tmpfile()) {
  if (file_ == nullptr) {
    spool_failure("created");
  }
}

FindingSpool::~FindingSpool() {
  if (file_ != nullptr) {
    std::fclose(file_);
  }
}

void FindingSpool::append(const ContinuityFinding& finding) {
  if (std::fseek(file_, 0, SEEK_END) != 0) {
    spool_failure("written");
  }
  const auto check = static_cast<std::uint8_t>(finding.check);
  write_bytes(file_, &check, sizeof check);
  write_text(file_, finding.tenant);
  write_text(file_, finding.bundle);
  write_text(file_, finding.path);
  write_text(file_, finding.expected);
  write_text(file_, finding.found);
  write_text(file_, finding.message);
  ++count_;
}

void FindingSpool::read(std::int64_t first, std::int64_t count,
                        const std::function<void(const ContinuityFinding&)>& visit) const {
  if (count <= 0) {
    return;
  }
  if (std::fflush(file_) != 0) {
    spool_failure("flushed");
  }
  if (first < read_index_) {
    read_index_ = 0;
    read_offset_ = 0;
  }
  if (std::fseek(file_, read_offset_, SEEK_SET) != 0) {
    spool_failure("read back");
  }
  for (; read_index_ < first; ++read_index_) {
    read_finding(file_);
  }
  for (std::int64_t i = 0; i < count && read_index_ < count_; ++i, ++read_index_) {
    visit(read_finding(file_));
  }
  read_offset_ = std::ftell(file_);
}

bool ContinuitySection::passed() const {
  for (const CheckTally& tally : tallies) {
    if (!tally.passed()) {
      return false;
    }
  }
  return true;
}

CheckTally ContinuityReport::total(ContinuityCheck check) const {
  CheckTally total;
  for (const ContinuitySection& section : sections) {
    total.checked += section.tally(check).checked;
    total.failed += section.tally(check).failed;
  }
  return total;
}

bool ContinuityReport::passed() const {
  if (!transition && !unchanged) {
    return false;
  }
  for (const ContinuitySection& section : sections) {
    if (!section.passed()) {
      return false;
    }
  }
  return true;
}

std::int64_t ContinuityReport::tenant_count() const {
  std::int64_t count = 0;
  for (const ContinuitySection& section : sections) {
    count += section.in_transition ? 1 : 0;
  }
  return count;
}

std::int64_t ContinuityReport::bundle_count() const {
  std::int64_t count = 0;
  for (const ContinuitySection& section : sections) {
    count += section.bundles;
  }
  return count;
}

std::int64_t ContinuityReport::artifact_count() const {
  std::int64_t count = 0;
  for (const ContinuitySection& section : sections) {
    count += section.artifacts;
  }
  return count;
}

std::int64_t ContinuityReport::bundles_outside() const {
  std::int64_t count = 0;
  for (const ContinuitySection& section : sections) {
    count += section.bundles_outside;
  }
  return count;
}

}  // namespace stella::host
