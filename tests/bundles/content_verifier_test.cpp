// The host's content checks on a hand-made stream: a true one passes; a changed byte, a wrong
// declared root, a changed proof, a missing tenant are each named; a stream out of order is
// refused.
#include <boost/test/unit_test.hpp>

#include "stella/host/bundles/content_verifier.hpp"
#include "stella/host/bundles/merkle_levels.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

ByteView bytes_of(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// One tenant "acme", two bundles of two artifacts each, with every root and proof computed.
struct SampleStream {
  std::unique_ptr<TreeHasher> hasher = make_evp_hasher("sha256");
  std::vector<std::string> bundle_ids = {"b1", "b2"};
  std::vector<std::string> sealed = {"2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"};
  std::vector<std::vector<std::pair<std::string, std::string>>> artifacts = {
      {{"sbom.json", "{\"a\":1}"}, {"vex.json", "[]"}}, {{"scan.json", "{}"}, {"z/y.txt", "y"}}};
  std::vector<std::string> bundle_roots;
  std::string tenant_root;
  std::string global_root;
  std::vector<std::vector<std::string>> bundle_paths;

  SampleStream() {
    std::vector<DigestBytes> bundle_leaves;
    for (std::size_t b = 0; b < bundle_ids.size(); ++b) {
      std::vector<DigestBytes> leaves;
      for (const auto& [path, content] : artifacts[b]) {
        leaves.push_back(artifact_leaf_hash(*hasher, path, digest(content)));
      }
      bundle_roots.push_back(format_digest("sha256", merkle_root(*hasher, leaves)));
      bundle_leaves.push_back(bundle_leaf_hash(*hasher, bundle_ids[b], bundle_roots[b]));
    }
    const MerkleLevels tree(*hasher, bundle_leaves);
    tenant_root = format_digest("sha256", tree.root());
    for (std::size_t b = 0; b < bundle_ids.size(); ++b) {
      std::vector<std::string> path;
      for (const DigestBytes& step : tree.inclusion_path(b)) {
        path.push_back(format_digest("sha256", step));
      }
      bundle_paths.push_back(path);
    }
    global_root = format_digest(
        "sha256", merkle_root(*hasher, {tenant_leaf_hash(*hasher, "acme", tenant_root)}));
  }

  std::string digest(const std::string& content) const {
    return format_digest("sha256", hasher->digest(bytes_of(content)));
  }

  /// Sends the stream; `change` may alter the content of (bundle, artifact) or the proof path.
  void send(sdk::ImportSink& sink, const std::string& changed_content = {},
            const std::string& changed_proof_step = {}) const {
    sink.source_manifest("{}");
    sink.tenant({"acme", "Acme"});
    sink.declared_root({"acme", tenant_root, 2});
    sink.declared_root({"", global_root, 1});
    for (std::size_t b = 0; b < bundle_ids.size(); ++b) {
      sink.bundle({"acme", bundle_ids[b], "job", "sealed", "subject", sealed[b], sealed[b],
                   bundle_roots[b]});
      for (std::size_t a = 0; a < artifacts[b].size(); ++a) {
        const auto& [path, content] = artifacts[b][a];
        const std::string sent =
            (b == 0 && a == 0 && !changed_content.empty()) ? changed_content : content;
        sink.artifact(
            {"acme", bundle_ids[b], path, "application/json", digest(content), bytes_of(sent)});
      }
    }
    for (std::size_t b = 0; b < bundle_ids.size(); ++b) {
      sdk::ImportedProof proof{"acme",          bundle_ids[b], b, bundle_ids.size(),
                               bundle_paths[b], tenant_root};
      if (b == 1 && !changed_proof_step.empty()) {
        proof.path[0] = changed_proof_step;
      }
      sink.proof(proof);
    }
  }
};

bool has_problem(const SourceVerification& result, const std::string& check,
                 const std::string& bundle) {
  for (const BundleProblem& problem : result.problems) {
    if (problem.check == check && problem.bundle == bundle) {
      return true;
    }
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_true_stream_verifies_every_root_and_proof) {
  const SampleStream sample;
  ContentVerifier verifier;
  sample.send(verifier);
  verifier.finish();
  const SourceVerification& result = verifier.result();
  BOOST_CHECK_MESSAGE(result.passed(),
                      result.problem_count
                          << " problems, first: "
                          << (result.problems.empty() ? "" : result.problems[0].message));
  BOOST_CHECK_EQUAL(result.bundles, 2);
  BOOST_CHECK_EQUAL(result.artifacts, 4);
  BOOST_CHECK_EQUAL(result.proofs_verified, 2);
  BOOST_CHECK(result.global_root_recomputed);
  BOOST_CHECK_EQUAL(result.computed_global_root, sample.global_root);
  BOOST_REQUIRE_EQUAL(verifier.bundles().size(), 2u);
  BOOST_CHECK_EQUAL(verifier.bundles()[1].root, sample.bundle_roots[1]);
}

BOOST_AUTO_TEST_CASE(a_changed_byte_is_named_with_its_artifact_and_bundle) {
  const SampleStream sample;
  ContentVerifier verifier;
  sample.send(verifier, "{\"a\":2}");
  verifier.finish();
  const SourceVerification& result = verifier.result();
  BOOST_CHECK(!result.passed());
  BOOST_CHECK(has_problem(result, bundle_check::kArtifactDigest, "b1"));
  BOOST_CHECK(has_problem(result, bundle_check::kBundleRoot, "b1"));
  BOOST_CHECK_EQUAL(result.problems.front().artifact, "sbom.json");
  BOOST_CHECK(!has_problem(result, bundle_check::kBundleRoot, "b2"));
}

BOOST_AUTO_TEST_CASE(a_changed_proof_is_named) {
  const SampleStream sample;
  ContentVerifier verifier;
  sample.send(verifier, {}, "sha256:" + std::string(64, '0'));
  verifier.finish();
  BOOST_CHECK(has_problem(verifier.result(), bundle_check::kBundleProof, "b2"));
  BOOST_CHECK_EQUAL(verifier.result().proofs_verified, 1);
}

BOOST_AUTO_TEST_CASE(an_artifact_outside_its_bundle_is_refused) {
  ContentVerifier verifier;
  const std::string content = "x";
  BOOST_CHECK_THROW(verifier.artifact({"acme", "nowhere", "a", "text/plain",
                                       "sha256:" + std::string(64, '0'), bytes_of(content)}),
                    sdk::Error);
}

BOOST_AUTO_TEST_CASE(two_reads_of_the_same_stream_have_the_same_digest_and_a_change_does_not) {
  const SampleStream sample;
  ContentVerifier first;
  ContentVerifier second;
  ContentVerifier changed;
  sample.send(first);
  sample.send(second);
  sample.send(changed, "{\"a\":2}");
  first.finish();
  second.finish();
  changed.finish();
  BOOST_CHECK_EQUAL(first.result().stream_digest, second.result().stream_digest);
  BOOST_CHECK(first.result().stream_digest != changed.result().stream_digest);
}

}  // namespace stella::host
