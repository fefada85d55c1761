#include "bundles/sink_recording.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// One byte before each recorded call says which call it is.
enum class Call : std::uint8_t {
  source_manifest = 1,
  tenant = 2,
  signing_key = 3,
  bundle = 4,
  artifact = 5,
  attestation = 6,
  declared_root = 7,
  proof = 8,
  problem = 9,
  end = 10,
};

constexpr std::size_t kFileBuffer = std::size_t{1} << 20;
/// Free space is looked at again after this many bytes recorded.
constexpr std::uint64_t kSpaceCheckInterval = std::uint64_t{64} << 20;
/// The recording stops before its file system has less than this left (or 5 % of its size, when
/// that is more): $TMPDIR often shares a disk with the database the import is writing to.
constexpr std::uint64_t kMinimumFreeBytes = std::uint64_t{1} << 30;
constexpr std::uint64_t kMinimumFreeFraction = 20;

/// Why the file system of `fd` is too full to record on, or empty when it is not.
std::string too_full(int fd) {
  struct statvfs space {};
  if (::fstatvfs(fd, &space) != 0) {
    return {};
  }
  const std::uint64_t block = space.f_frsize != 0 ? space.f_frsize : space.f_bsize;
  const std::uint64_t available = static_cast<std::uint64_t>(space.f_bavail) * block;
  const std::uint64_t total = static_cast<std::uint64_t>(space.f_blocks) * block;
  const std::uint64_t reserve = recording_reserve(total);
  if (available >= reserve) {
    return {};
  }
  return "the file system of $TMPDIR has " + std::to_string(available >> 20) +
         " MiB left, and the recording keeps at least " + std::to_string(reserve >> 20) +
         " MiB free";
}

std::string temporary_directory() {
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
}

[[noreturn]] void unreadable(const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::internal,
                   "the import's recording of its verified source cannot be read back: " + what +
                       "; nothing was imported",
                   "check the disk behind $TMPDIR (or /tmp) and run the import again");
}

/// Reads back what SinkRecording wrote.
class RecordingReader {
 public:
  explicit RecordingReader(std::FILE* file) : file_(file) {}

  void get(void* data, std::size_t size) {
    if (size != 0 && std::fread(data, 1, size, file_) != size) {
      unreadable(std::feof(file_) != 0 ? "it ends early" : std::strerror(errno));
    }
  }
  std::uint64_t get_u64() {
    std::uint64_t value = 0;
    get(&value, sizeof value);
    return value;
  }
  std::string get_string() {
    const std::uint64_t size = get_u64();
    if (size > (std::uint64_t{1} << 40)) {
      unreadable("a field of " + std::to_string(size) + " bytes");
    }
    std::string text(static_cast<std::size_t>(size), '\0');
    get(text.data(), text.size());
    return text;
  }
  Call get_call() {
    std::uint8_t call = 0;
    get(&call, 1);
    return static_cast<Call>(call);
  }

 private:
  std::FILE* file_;
};

}  // namespace

std::uint64_t recording_reserve(std::uint64_t total_bytes) {
  return std::max(kMinimumFreeBytes, total_bytes / kMinimumFreeFraction);
}

SinkRecording::SinkRecording() {
  std::string name = temporary_directory() + "/stella-import-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    why_abandoned_ =
        "cannot create a temporary file in " + temporary_directory() + ": " + std::strerror(errno);
    return;
  }
  // Unlinked at once: nobody else can open it, and it is gone however the process ends.
  ::unlink(name.c_str());
  file_.reset(::fdopen(fd, "w+b"));
  if (!file_) {
    why_abandoned_ = std::string("cannot open the temporary file: ") + std::strerror(errno);
    ::close(fd);
    return;
  }
  std::setvbuf(file_.get(), nullptr, _IOFBF, kFileBuffer);
}

SinkRecording::~SinkRecording() = default;

void SinkRecording::put(const void* data, std::size_t size) {
  if (!file_ || !why_abandoned_.empty() || size == 0) {
    return;
  }
  if (size_ == 0 || size_ / kSpaceCheckInterval != (size_ + size) / kSpaceCheckInterval) {
    if (std::string why = too_full(::fileno(file_.get())); !why.empty()) {
      abandon(why + " (" + std::to_string(size_ >> 20) + " MiB recorded)");
      return;
    }
  }
  if (std::fwrite(data, 1, size, file_.get()) != size) {
    abandon("writing the temporary file in " + temporary_directory() + " failed after " +
            std::to_string(size_) + " bytes: " + std::strerror(errno));
    return;
  }
  size_ += size;
}

void SinkRecording::put_byte(std::uint8_t value) {
  put(&value, 1);
}

void SinkRecording::put_u64(std::uint64_t value) {
  put(&value, sizeof value);
}

void SinkRecording::put_string(std::string_view text) {
  put_u64(text.size());
  put(text.data(), text.size());
}

void SinkRecording::abandon(const std::string& why) {
  if (why_abandoned_.empty()) {
    why_abandoned_ = why;
  }
  file_.reset();
}

void SinkRecording::finish() {
  put_byte(static_cast<std::uint8_t>(Call::end));
  if (file_ && why_abandoned_.empty() && std::fflush(file_.get()) != 0) {
    abandon("writing the temporary file in " + temporary_directory() +
            " failed: " + std::strerror(errno));
  }
  finished_ = true;
}

void SinkRecording::replay(sdk::ImportSink& sink) {
  if (!complete()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "the import's recording is not complete: " +
                         (why_abandoned_.empty() ? std::string("the source was not read to its end")
                                                 : why_abandoned_));
  }
  if (std::fseek(file_.get(), 0, SEEK_SET) != 0) {
    unreadable(std::strerror(errno));
  }
  RecordingReader in(file_.get());
  std::string bytes;
  while (true) {
    switch (in.get_call()) {
      case Call::source_manifest:
        sink.source_manifest(in.get_string());
        break;
      case Call::tenant: {
        sdk::ImportedTenant tenant;
        tenant.tenant = in.get_string();
        tenant.display_name = in.get_string();
        sink.tenant(tenant);
        break;
      }
      case Call::signing_key: {
        sdk::ImportedSigningKey key;
        key.key_id = in.get_string();
        key.algorithm = in.get_string();
        key.public_key_pem = in.get_string();
        sink.signing_key(key);
        break;
      }
      case Call::bundle: {
        sdk::ImportedBundle bundle;
        bundle.tenant = in.get_string();
        bundle.bundle_id = in.get_string();
        bundle.kind = in.get_string();
        bundle.status = in.get_string();
        bundle.subject = in.get_string();
        bundle.created_at = in.get_string();
        bundle.sealed_at = in.get_string();
        bundle.declared_root = in.get_string();
        sink.bundle(bundle);
        break;
      }
      case Call::artifact: {
        sdk::ImportedArtifact artifact;
        artifact.tenant = in.get_string();
        artifact.bundle_id = in.get_string();
        artifact.path = in.get_string();
        artifact.media_type = in.get_string();
        artifact.declared_digest = in.get_string();
        bytes = in.get_string();
        artifact.bytes =
            sdk::ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        sink.artifact(artifact);
        break;
      }
      case Call::attestation: {
        sdk::ImportedAttestation attestation;
        attestation.tenant = in.get_string();
        attestation.bundle_id = in.get_string();
        attestation.envelope_json = in.get_string();
        sink.attestation(attestation);
        break;
      }
      case Call::declared_root: {
        sdk::DeclaredRoot root;
        root.tenant = in.get_string();
        root.root = in.get_string();
        root.leaf_count = static_cast<std::int64_t>(in.get_u64());
        sink.declared_root(root);
        break;
      }
      case Call::proof: {
        sdk::ImportedProof proof;
        proof.tenant = in.get_string();
        proof.bundle_id = in.get_string();
        proof.leaf_index = in.get_u64();
        proof.tree_size = in.get_u64();
        const std::uint64_t steps = in.get_u64();
        if (steps > 64) {
          unreadable("a proof of " + std::to_string(steps) + " steps");
        }
        for (std::uint64_t i = 0; i < steps; ++i) {
          proof.path.push_back(in.get_string());
        }
        proof.root = in.get_string();
        sink.proof(proof);
        break;
      }
      case Call::problem: {
        sdk::SourceProblem problem;
        problem.check = in.get_string();
        problem.file = in.get_string();
        problem.expected = in.get_string();
        problem.found = in.get_string();
        problem.message = in.get_string();
        sink.problem(problem);
        break;
      }
      case Call::end:
        return;
      default:
        unreadable("an unknown record");
    }
  }
}

void RecordingSink::source_manifest(const std::string& manifest_json) {
  inner_.source_manifest(manifest_json);
  recording_.put_byte(static_cast<std::uint8_t>(Call::source_manifest));
  recording_.put_string(manifest_json);
}

void RecordingSink::tenant(const sdk::ImportedTenant& tenant) {
  inner_.tenant(tenant);
  recording_.put_byte(static_cast<std::uint8_t>(Call::tenant));
  recording_.put_string(tenant.tenant);
  recording_.put_string(tenant.display_name);
}

void RecordingSink::signing_key(const sdk::ImportedSigningKey& key) {
  inner_.signing_key(key);
  recording_.put_byte(static_cast<std::uint8_t>(Call::signing_key));
  recording_.put_string(key.key_id);
  recording_.put_string(key.algorithm);
  recording_.put_string(key.public_key_pem);
}

void RecordingSink::bundle(const sdk::ImportedBundle& bundle) {
  inner_.bundle(bundle);
  recording_.put_byte(static_cast<std::uint8_t>(Call::bundle));
  recording_.put_string(bundle.tenant);
  recording_.put_string(bundle.bundle_id);
  recording_.put_string(bundle.kind);
  recording_.put_string(bundle.status);
  recording_.put_string(bundle.subject);
  recording_.put_string(bundle.created_at);
  recording_.put_string(bundle.sealed_at);
  recording_.put_string(bundle.declared_root);
}

void RecordingSink::artifact(const sdk::ImportedArtifact& artifact) {
  inner_.artifact(artifact);
  recording_.put_byte(static_cast<std::uint8_t>(Call::artifact));
  recording_.put_string(artifact.tenant);
  recording_.put_string(artifact.bundle_id);
  recording_.put_string(artifact.path);
  recording_.put_string(artifact.media_type);
  recording_.put_string(artifact.declared_digest);
  recording_.put_string(std::string_view(reinterpret_cast<const char*>(artifact.bytes.data()),
                                         artifact.bytes.size()));
}

void RecordingSink::attestation(const sdk::ImportedAttestation& attestation) {
  inner_.attestation(attestation);
  recording_.put_byte(static_cast<std::uint8_t>(Call::attestation));
  recording_.put_string(attestation.tenant);
  recording_.put_string(attestation.bundle_id);
  recording_.put_string(attestation.envelope_json);
}

void RecordingSink::declared_root(const sdk::DeclaredRoot& root) {
  inner_.declared_root(root);
  recording_.put_byte(static_cast<std::uint8_t>(Call::declared_root));
  recording_.put_string(root.tenant);
  recording_.put_string(root.root);
  recording_.put_u64(static_cast<std::uint64_t>(root.leaf_count));
}

void RecordingSink::proof(const sdk::ImportedProof& proof) {
  inner_.proof(proof);
  recording_.put_byte(static_cast<std::uint8_t>(Call::proof));
  recording_.put_string(proof.tenant);
  recording_.put_string(proof.bundle_id);
  recording_.put_u64(proof.leaf_index);
  recording_.put_u64(proof.tree_size);
  recording_.put_u64(proof.path.size());
  for (const std::string& step : proof.path) {
    recording_.put_string(step);
  }
  recording_.put_string(proof.root);
}

void RecordingSink::problem(const sdk::SourceProblem& problem) {
  inner_.problem(problem);
  recording_.put_byte(static_cast<std::uint8_t>(Call::problem));
  recording_.put_string(problem.check);
  recording_.put_string(problem.file);
  recording_.put_string(problem.expected);
  recording_.put_string(problem.found);
  recording_.put_string(problem.message);
}

}  // namespace stella::host
