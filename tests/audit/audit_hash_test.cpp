// The hash recipe of docs/audit-trail.md, checked against vectors computed independently (Python
// hashlib over the documented byte layout) and for sensitivity to every field.
#include <boost/test/unit_test.hpp>

#include "stella/host/audit/audit_hash.hpp"

namespace {

using stella::host::audit_event_hash;
using stella::host::AuditEventContent;
using stella::host::kAuditGenesisHash;

AuditEventContent first_event() {
  AuditEventContent content;
  content.id = 1;
  content.occurred_at = "2026-12-04T20:22:37.123456Z";
  content.event_type = "migration_start";
  content.operator_name = "alice";
  content.retention = "permanent";
  content.data = R"({"to_version": "2.0", "from_version": "1.0"})";
  return content;
}

// The worked example of docs/audit-trail.md ("Recomputing a hash").
constexpr const char* kFirstEventHash =
    "sha256:7c2ce68ffc0f6b6d84e9e451e7c3199bff67e9466c9adb0422801210024a68c8";
constexpr const char* kSecondEventHash =
    "sha256:79e9db72a49946a85d02ef80594602af51b13f1baf5286730d95c25c45bbfd99";

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_hash)

BOOST_AUTO_TEST_CASE(genesis_hash_is_the_prefix_and_64_zeros) {
  BOOST_TEST(kAuditGenesisHash == "sha256:" + std::string(64, '0'));
}

BOOST_AUTO_TEST_CASE(matches_independently_computed_vectors) {
  const std::string first = audit_event_hash(kAuditGenesisHash, first_event());
  BOOST_TEST(first == kFirstEventHash);

  AuditEventContent second;
  second.id = 2;
  second.occurred_at = "2026-12-04T20:23:00.000001Z";
  second.event_type = "verification";
  second.operator_name = "zo\xc3\xab";  // UTF-8 bytes are hashed as they are
  second.retention = "7y";
  second.data = R"({"result": "pass", "anomalies": [], "started_at": "2026-12-04T20:22:40Z", )"
                R"("finished_at": "2026-12-04T20:22:59Z"})";
  BOOST_TEST(audit_event_hash(first, second) == kSecondEventHash);
}

BOOST_AUTO_TEST_CASE(every_field_changes_the_hash) {
  const std::string original = audit_event_hash(kAuditGenesisHash, first_event());
  std::vector<AuditEventContent> variants(6, first_event());
  variants[0].id = 2;
  variants[1].occurred_at = "2026-12-04T20:22:37.123457Z";
  variants[2].event_type = "schema_change";
  variants[3].operator_name = "mallory";
  variants[4].retention = "7y";
  variants[5].data = R"({"to_version": "2.1", "from_version": "1.0"})";
  for (const auto& variant : variants) {
    BOOST_TEST(audit_event_hash(kAuditGenesisHash, variant) != original);
  }
  BOOST_TEST(audit_event_hash("sha256:" + std::string(64, '1'), first_event()) != original);
}

BOOST_AUTO_TEST_CASE(field_boundaries_are_part_of_the_hash) {
  // Moving a character from one field to the next must not produce the same bytes.
  AuditEventContent left = first_event();
  AuditEventContent right = first_event();
  left.event_type = "seed";
  left.operator_name = "xalice";
  right.event_type = "seedx";
  right.operator_name = "alice";
  BOOST_TEST(audit_event_hash(kAuditGenesisHash, left) !=
             audit_event_hash(kAuditGenesisHash, right));
}

BOOST_AUTO_TEST_CASE(occurred_at_sql_renders_utc_with_microseconds) {
  const std::string sql = stella::host::audit_occurred_at_sql("occurred_at");
  BOOST_TEST(sql.find("AT TIME ZONE 'UTC'") != std::string::npos);
  BOOST_TEST(sql.find("HH24:MI:SS.US") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
