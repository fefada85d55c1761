// The import's recording of its verification pass: what is replayed is exactly what the importer
// sent, in order, bytes included; a recording that could not be made says why and is not replayed;
// the free space a recording leaves.
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "bundles/sink_recording.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Writes every call down as one line of text, so that two sequences of calls compare as strings.
class TranscriptSink final : public sdk::ImportSink {
 public:
  std::vector<std::string> lines;

  void source_manifest(const std::string& manifest_json) override {
    lines.push_back("manifest " + manifest_json);
  }
  void tenant(const sdk::ImportedTenant& t) override {
    lines.push_back("tenant " + t.tenant + "|" + t.display_name);
  }
  void signing_key(const sdk::ImportedSigningKey& k) override {
    lines.push_back("key " + k.key_id + "|" + k.algorithm + "|" + k.public_key_pem);
  }
  void bundle(const sdk::ImportedBundle& b) override {
    lines.push_back("bundle " + b.tenant + "|" + b.bundle_id + "|" + b.kind + "|" + b.status + "|" +
                    b.subject + "|" + b.created_at + "|" + b.sealed_at + "|" + b.declared_root);
  }
  void artifact(const sdk::ImportedArtifact& a) override {
    lines.push_back("artifact " + a.tenant + "|" + a.bundle_id + "|" + a.path + "|" + a.media_type +
                    "|" + a.declared_digest + "|" +
                    std::string(reinterpret_cast<const char*>(a.bytes.data()), a.bytes.size()));
  }
  void attestation(const sdk::ImportedAttestation& a) override {
    lines.push_back("attestation " + a.tenant + "|" + a.bundle_id + "|" + a.envelope_json);
  }
  void declared_root(const sdk::DeclaredRoot& r) override {
    lines.push_back("root " + r.tenant + "|" + r.root + "|" + std::to_string(r.leaf_count));
  }
  void proof(const sdk::ImportedProof& p) override {
    std::string line = "proof " + p.tenant + "|" + p.bundle_id + "|" +
                       std::to_string(p.leaf_index) + "|" + std::to_string(p.tree_size) + "|" +
                       p.root;
    for (const std::string& step : p.path) {
      line += "|" + step;
    }
    lines.push_back(line);
  }
  void problem(const sdk::SourceProblem& p) override {
    lines.push_back("problem " + p.check + "|" + p.file + "|" + p.expected + "|" + p.found + "|" +
                    p.message);
  }
};

/// One call of each kind, with bytes a text format would mangle (NUL, newline, 0xff).
void send_everything(sdk::ImportSink& sink) {
  sink.source_manifest(R"({"formatVersion": 1})");
  sink.tenant({"acme", "Acme Corp"});
  sink.signing_key({"key-1", "ed25519", "-----BEGIN PUBLIC KEY-----\nMCow\n"});
  sink.bundle({"acme", "b-1", "evaluation", "sealed", "registry/app:1.0",
               "2026-01-31T12:00:00.123456Z", "2026-01-31T12:00:01Z", "sha256:ab"});
  const std::string bytes("{\"a\":1}\n\0\xff end", 14);
  sink.artifact({"acme", "b-1", "sbom/cyclonedx.json", "application/json", "sha256:cd",
                 sdk::ByteView(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())});
  sink.artifact({"acme", "b-1", "empty", "text/plain", "sha256:ef", sdk::ByteView()});
  sink.attestation({"acme", "b-1", R"({"payloadType": "x"})"});
  sink.declared_root({"acme", "sha256:01", 1});
  sink.declared_root({"", "sha256:02", -1});
  sink.proof({"acme", "b-1", 0, 1, {}, "sha256:01"});
  sink.proof({"acme", "", 2, 5, {"sha256:03", "sha256:04", "sha256:05"}, "sha256:02"});
  sink.problem({"checksum", "bundles/b-1/bundle.json", "sha256:aa", "sha256:bb", "differs"});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sink_recording)

BOOST_AUTO_TEST_CASE(a_replay_sends_exactly_what_was_recorded) {
  TranscriptSink first;
  SinkRecording recording;
  BOOST_REQUIRE_MESSAGE(recording.why_abandoned().empty(), recording.why_abandoned());
  RecordingSink recorder(first, recording);
  send_everything(recorder);
  BOOST_CHECK(!recording.complete());  // not until the importer returned
  recorder.finish();
  BOOST_REQUIRE(recording.complete());
  BOOST_CHECK_GT(recording.size(), 0U);

  TranscriptSink replayed;
  recording.replay(replayed);
  BOOST_CHECK_EQUAL(first.lines.size(), 12U);
  BOOST_CHECK_EQUAL_COLLECTIONS(replayed.lines.begin(), replayed.lines.end(), first.lines.begin(),
                                first.lines.end());
  // A second replay gives the same again.
  TranscriptSink again;
  recording.replay(again);
  BOOST_CHECK_EQUAL_COLLECTIONS(again.lines.begin(), again.lines.end(), first.lines.begin(),
                                first.lines.end());
}

BOOST_AUTO_TEST_CASE(an_unfinished_recording_is_not_replayed) {
  TranscriptSink first;
  SinkRecording recording;
  RecordingSink recorder(first, recording);
  send_everything(recorder);
  TranscriptSink replayed;
  BOOST_CHECK_THROW(recording.replay(replayed), sdk::Error);
  BOOST_CHECK(replayed.lines.empty());
}

BOOST_AUTO_TEST_CASE(a_recording_that_cannot_be_made_says_why_and_forwards_anyway) {
  const char* saved = std::getenv("TMPDIR");
  const std::string saved_value = saved != nullptr ? saved : "";
  ::setenv("TMPDIR", "/nonexistent/stella-sink-recording-test", 1);
  TranscriptSink first;
  SinkRecording recording;
  if (saved != nullptr) {
    ::setenv("TMPDIR", saved_value.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  RecordingSink recorder(first, recording);
  send_everything(recorder);
  recorder.finish();
  BOOST_CHECK_EQUAL(first.lines.size(), 12U);
  BOOST_CHECK(!recording.complete());
  BOOST_CHECK_MESSAGE(recording.why_abandoned().find("cannot create a temporary file in "
                                                     "/nonexistent/stella-sink-recording-test") !=
                          std::string::npos,
                      recording.why_abandoned());
}

BOOST_AUTO_TEST_CASE(a_recording_leaves_a_gibibyte_or_five_percent_free) {
  constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
  BOOST_CHECK_EQUAL(recording_reserve(0), kGiB);
  BOOST_CHECK_EQUAL(recording_reserve(10 * kGiB), kGiB);
  BOOST_CHECK_EQUAL(recording_reserve(20 * kGiB), kGiB);
  BOOST_CHECK_EQUAL(recording_reserve(100 * kGiB), 5 * kGiB);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::host
