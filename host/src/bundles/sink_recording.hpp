// What an importer sent during the import's verification pass, kept in a private temporary file so
// that the loading pass replays exactly the calls that were verified instead of reading the source
// a second time. Reading a source is most of an import's cost when it is a directory of a million
// small files; and what is loaded can then no longer differ from what was verified, whatever
// happens to the source in between.
//
// When the temporary file cannot be written, or its file system gets close to full (less than
// 1 GiB or 5 % left), the recording is abandoned, not the import: its file is closed (and so
// freed) and the loading pass reads the source again, as it would without a recording.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "stella/sdk/storage_importer.hpp"

namespace stella::host {

/// The bytes a recording leaves free on a file system of `total_bytes`: 1 GiB, or 5 % of it when
/// that is more.
std::uint64_t recording_reserve(std::uint64_t total_bytes);

/// A recording of ImportSink calls.
///
/// Ownership: owns its temporary file (created in $TMPDIR or /tmp, unlinked at once, so it vanishes
/// with the process whatever happens). Thread-safety: one thread.
class SinkRecording {
 public:
  SinkRecording();
  ~SinkRecording();
  SinkRecording(const SinkRecording&) = delete;
  SinkRecording& operator=(const SinkRecording&) = delete;

  /// True when every call was recorded and the recording can be replayed.
  bool complete() const { return file_ != nullptr && why_abandoned_.empty() && finished_; }
  /// Why the recording was abandoned; empty when it was not.
  const std::string& why_abandoned() const { return why_abandoned_; }
  /// Bytes recorded.
  std::uint64_t size() const { return size_; }

  /// Sends every recorded call, in order, to `sink`. Throws sdk::Error(internal) when the file
  /// cannot be read back or is not what was written; what `sink` throws propagates.
  void replay(sdk::ImportSink& sink);

 private:
  friend class RecordingSink;
  void put(const void* data, std::size_t size);
  void put_byte(std::uint8_t value);
  void put_string(std::string_view text);
  void put_u64(std::uint64_t value);
  void abandon(const std::string& why);
  void finish();

  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::uint64_t size_ = 0;
  bool finished_ = false;
  std::string why_abandoned_;
};

/// An ImportSink that forwards every call to `inner` and records it in `recording`.
///
/// Ownership: borrows both. Thread-safety: one thread. Failure: what `inner` throws; a recording
/// that cannot be written is abandoned silently (see SinkRecording::why_abandoned).
class RecordingSink final : public sdk::ImportSink {
 public:
  RecordingSink(sdk::ImportSink& inner, SinkRecording& recording)
      : inner_(inner), recording_(recording) {}

  /// Marks the recording complete: call when the importer's read() returned normally.
  void finish() { recording_.finish(); }

  void source_manifest(const std::string& manifest_json) override;
  void tenant(const sdk::ImportedTenant& tenant) override;
  void signing_key(const sdk::ImportedSigningKey& key) override;
  void bundle(const sdk::ImportedBundle& bundle) override;
  void artifact(const sdk::ImportedArtifact& artifact) override;
  void attestation(const sdk::ImportedAttestation& attestation) override;
  void declared_root(const sdk::DeclaredRoot& root) override;
  void proof(const sdk::ImportedProof& proof) override;
  void problem(const sdk::SourceProblem& problem) override;

 private:
  sdk::ImportSink& inner_;
  SinkRecording& recording_;
};

}  // namespace stella::host
