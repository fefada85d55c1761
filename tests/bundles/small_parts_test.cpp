// The small pieces bundles rely on: RFC 3339 times to microseconds, canonical JSON, fingerprints.
#include <boost/test/unit_test.hpp>

#include "bundles/bundle_fingerprint.hpp"
#include "bundles/canonical_json.hpp"
#include "bundles/rfc3339_time.hpp"

namespace stella::host {

BOOST_AUTO_TEST_CASE(rfc3339_utc_times_keep_microseconds) {
  // 2026-01-31T12:00:00Z is 1769860800 seconds after the epoch.
  constexpr std::int64_t kNoon = 1769860800LL * 1000000;
  BOOST_CHECK_EQUAL(*parse_rfc3339_utc_micros("2026-01-31T12:00:00Z"), kNoon);
  BOOST_CHECK_EQUAL(*parse_rfc3339_utc_micros("2026-01-31T12:00:00.123456Z"), kNoon + 123456);
  BOOST_CHECK_EQUAL(*parse_rfc3339_utc_micros("2026-01-31T12:00:00.5Z"), kNoon + 500000);
  BOOST_CHECK_EQUAL(*parse_rfc3339_utc_micros("1970-01-01T00:00:00Z"), 0);
}

BOOST_AUTO_TEST_CASE(rfc3339_times_that_cannot_be_stored_exactly_are_refused) {
  for (const char* text :
       {"2026-01-31T12:00:00+00:00", "2026-01-31T12:00:00.1234567Z", "2026-02-30T12:00:00Z",
        "2026-01-31 12:00:00Z", "2026-01-31T24:00:00Z", "2026-01-31T12:00:00.Z", ""}) {
    BOOST_CHECK_MESSAGE(!parse_rfc3339_utc_micros(text), text);
  }
}

BOOST_AUTO_TEST_CASE(rfc3339_times_are_respelled_as_a_store_renders_them) {
  BOOST_CHECK_EQUAL(rfc3339_utc_as_stored("2026-01-31T12:00:00Z"), "2026-01-31T12:00:00.000000Z");
  BOOST_CHECK_EQUAL(rfc3339_utc_as_stored("2026-01-31T12:00:00.5Z"), "2026-01-31T12:00:00.500000Z");
  BOOST_CHECK_EQUAL(rfc3339_utc_as_stored("2026-01-31T12:00:00.123456Z"),
                    "2026-01-31T12:00:00.123456Z");
  // What cannot be read stays as written, so it equals no stored time.
  BOOST_CHECK_EQUAL(rfc3339_utc_as_stored("2026-01-31T12:00:00+00:00"),
                    "2026-01-31T12:00:00+00:00");
}

BOOST_AUTO_TEST_CASE(canonical_json_ignores_member_order_and_whitespace) {
  const auto a = canonical_json(R"({"payloadType": "x", "signatures": [{"sig": "s", "keyid": "k"}],
      "payload": "p"})");
  const auto b =
      canonical_json(R"({"payload":"p","payloadType":"x","signatures":[{"keyid":"k","sig":"s"}]})");
  BOOST_REQUIRE(a && b);
  BOOST_CHECK_EQUAL(*a, *b);
  BOOST_CHECK_EQUAL(*a,
                    R"({"payload":"p","payloadType":"x","signatures":[{"keyid":"k","sig":"s"}]})");
  BOOST_CHECK(!canonical_json("{not json"));
}

BOOST_AUTO_TEST_CASE(a_fingerprint_changes_with_every_field) {
  BundleIdentity base;
  base.tenant = "acme";
  base.bundle_id = "b1";
  base.kind = "job";
  base.status = "sealed";
  base.subject = "registry/app@sha256:1";
  base.created_at_unix_us = 1;
  base.sealed_at_unix_us = 2;
  base.root = "sha256:00";
  base.attestation = R"({"a":1})";
  base.artifacts = {{"b.json", "application/json", "sha256:bb"},
                    {"a.json", "text/plain", "sha256:aa"}};
  const std::string original = bundle_fingerprint(base);

  BundleIdentity reordered = base;
  std::swap(reordered.artifacts[0], reordered.artifacts[1]);
  BOOST_CHECK_EQUAL(bundle_fingerprint(reordered), original);

  std::vector<BundleIdentity> changed(8, base);
  changed[0].tenant = "globex";
  changed[1].subject = "other";
  changed[2].sealed_at_unix_us = 3;
  changed[3].root = "sha256:01";
  changed[4].attestation.reset();
  changed[5].artifacts[0].media_type = "text/plain";
  changed[6].artifacts[1].digest = "sha256:ab";
  changed[7].status = "superseded";
  for (const BundleIdentity& identity : changed) {
    BOOST_CHECK(bundle_fingerprint(identity) != original);
  }
}

}  // namespace stella::host
