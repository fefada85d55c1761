// Every kind of break the verifier names, on hand-made chains.
#include <boost/test/unit_test.hpp>

#include "audit/audit_chain_walker.hpp"
#include "audit/tombstone_ledger.hpp"
#include "stella/host/audit/audit_hash.hpp"

namespace {

namespace host = stella::host;
using host::AuditBreak;
using host::ChainPosition;

/// A correctly chained sequence of events 1..count (every third one a verification event).
std::vector<ChainPosition> chain(int count) {
  std::vector<ChainPosition> positions;
  std::string previous(host::kAuditGenesisHash);
  for (int id = 1; id <= count; ++id) {
    ChainPosition position;
    position.id = id;
    position.occurred_at = "2026-01-0" + std::to_string(id % 9 + 1) + "T00:00:00.000000Z";
    position.event_type = id % 3 == 0 ? "verification" : "schema_change";
    position.operator_name = "alice";
    position.retention = id % 3 == 0 ? "7y" : "permanent";
    position.data = R"({"n": )" + std::to_string(id) + "}";
    position.prev_hash = previous;
    host::AuditEventContent content{position.id,         position.occurred_at,
                                    position.event_type, position.operator_name,
                                    position.retention,  position.data};
    position.hash = host::audit_event_hash(previous, content);
    previous = position.hash;
    positions.push_back(position);
  }
  return positions;
}

/// Turns an event into the tombstone a prune would leave.
ChainPosition tombstone_of(ChainPosition position, bool past_retention = true) {
  position.tombstone = true;
  position.operator_name.clear();
  position.data.clear();
  position.pruned_at = "2034-01-01T00:00:00.000000Z";
  position.was_past_retention = past_retention;
  return position;
}

/// Chains one more event after the last position.
void append_event(std::vector<ChainPosition>& positions, const std::string& type,
                  const std::string& occurred_at, const std::string& data) {
  ChainPosition position;
  position.id = positions.back().id + 1;
  position.occurred_at = occurred_at;
  position.event_type = type;
  position.operator_name = "alice";
  position.retention = "permanent";
  position.data = data;
  position.prev_hash = positions.back().hash;
  host::AuditEventContent content{position.id,         position.occurred_at,
                                  position.event_type, position.operator_name,
                                  position.retention,  position.data};
  position.hash = host::audit_event_hash(position.prev_hash, content);
  positions.push_back(position);
}

host::TombstoneFields fields_of(const ChainPosition& t) {
  return {t.id, t.event_type, t.occurred_at, t.retention, t.prev_hash, t.hash, t.pruned_at};
}

/// Appends the audit_prune event `audit prune` writes for the tombstones among `positions`,
/// recording `count` (by default, how many there are) and, unless `with_digest` is false (as
/// prunes written before the digest was recorded), the digest of their fields.
void append_prune(std::vector<ChainPosition>& positions, std::optional<std::int64_t> count = {},
                  bool with_digest = true) {
  std::vector<host::TombstoneFields> tombstones;
  for (const auto& position : positions) {
    if (position.tombstone) {
      tombstones.push_back(fields_of(position));
    }
  }
  std::string data = R"({"count": )" + std::to_string(count.value_or(tombstones.size())) +
                     R"(, "first_id": )" + std::to_string(tombstones.front().id) +
                     R"(, "last_id": )" + std::to_string(tombstones.back().id);
  if (with_digest) {
    data += R"(, "tombstones_sha256": ")" + host::tombstones_digest(tombstones) + '"';
  }
  append_event(positions, "audit_prune", "2034-01-01T00:00:01.000000Z", data + "}");
}

host::AuditChainReport walk(const std::vector<ChainPosition>& positions,
                            std::optional<std::int64_t> head_id, const std::string& head_hash) {
  host::AuditChainWalker walker;
  for (const auto& position : positions) {
    if (!walker.visit(position)) {
      break;
    }
  }
  walker.finish(head_id, head_hash);
  return walker.report();
}

host::AuditChainReport walk(const std::vector<ChainPosition>& positions) {
  return walk(positions, static_cast<std::int64_t>(positions.size()),
              positions.empty() ? std::string(host::kAuditGenesisHash) : positions.back().hash);
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_chain_walker)

BOOST_AUTO_TEST_CASE(an_intact_chain_is_counted_from_first_to_last) {
  const auto positions = chain(6);
  const auto report = walk(positions);
  BOOST_TEST(report.intact());
  BOOST_TEST(report.events == 6);
  BOOST_TEST(report.pruned == 0);
  BOOST_TEST(*report.first_occurred_at == positions.front().occurred_at);
  BOOST_TEST(*report.last_occurred_at == positions.back().occurred_at);
  BOOST_TEST(report.head_id == 6);
}

BOOST_AUTO_TEST_CASE(an_empty_chain_is_intact) {
  const auto report = walk({});
  BOOST_TEST(report.intact());
  BOOST_TEST(report.events == 0);
  BOOST_TEST(!report.first_occurred_at.has_value());
}

BOOST_AUTO_TEST_CASE(tombstones_of_verification_events_keep_the_chain) {
  auto positions = chain(6);
  positions[2] = tombstone_of(positions[2]);
  positions[5] = tombstone_of(positions[5]);
  append_prune(positions);
  const auto report = walk(positions);
  BOOST_TEST(report.intact());
  BOOST_TEST(report.events == 7);
  BOOST_TEST(report.pruned == 2);
}

BOOST_AUTO_TEST_CASE(a_prune_recorded_before_the_digest_is_checked_by_count_and_range) {
  auto positions = chain(6);
  positions[2] = tombstone_of(positions[2]);
  append_prune(positions, std::nullopt, false);
  BOOST_TEST(walk(positions).intact());
}

BOOST_AUTO_TEST_CASE(a_tombstone_no_prune_accounts_for_is_named) {
  // Turning an event into a tombstone by hand, with no prune: the chain's links still hold.
  auto positions = chain(6);
  positions[2] = tombstone_of(positions[2]);
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) ==
             static_cast<int>(AuditBreak::unaccounted_tombstone));
  BOOST_TEST(report.problem->event_id == 3);
  BOOST_TEST(mentions(report.problem->message, "no audit_prune event accounts for"));
  BOOST_TEST(host::audit_break_name(report.problem->kind) == std::string("unaccounted_tombstone"));
}

BOOST_AUTO_TEST_CASE(a_tombstone_added_inside_a_prunes_range_is_named) {
  auto positions = chain(6);
  positions[2] = tombstone_of(positions[2]);
  positions[5] = tombstone_of(positions[5]);
  append_prune(positions, 1, false);  // the prune removed one; the second was made by hand
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) ==
             static_cast<int>(AuditBreak::unaccounted_tombstone));
  BOOST_TEST(report.problem->event_id == 7);
  BOOST_TEST(mentions(report.problem->message, "records 1 pruned events in ids 3 to 6, but 2"));
}

BOOST_AUTO_TEST_CASE(an_edited_tombstone_is_named_through_its_prunes_digest) {
  // A permanent event's tombstone relabelled as an old verification event: the type and time are
  // in no event hash any more, but they are in the prune's digest.
  auto positions = chain(6);
  positions[2] = tombstone_of(positions[2]);
  append_prune(positions);
  positions[2].occurred_at = "2018-01-01T00:00:00.000000Z";
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) ==
             static_cast<int>(AuditBreak::unaccounted_tombstone));
  BOOST_TEST(mentions(report.problem->message, "were edited by hand"));
}

BOOST_AUTO_TEST_CASE(a_tombstone_pruned_after_its_prune_is_named) {
  auto positions = chain(6);
  positions[2] = tombstone_of(positions[2]);
  positions[2].pruned_at = "2040-01-01T00:00:00.000000Z";
  append_prune(positions, std::nullopt, false);
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) ==
             static_cast<int>(AuditBreak::unaccounted_tombstone));
  BOOST_TEST(report.problem->event_id == 3);
  BOOST_TEST(mentions(report.problem->message, "after the prune that accounts for it"));
}

BOOST_AUTO_TEST_CASE(edited_data_is_named_as_altered) {
  auto positions = chain(6);
  positions[3].data = R"({"n": 40})";
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) == static_cast<int>(AuditBreak::altered));
  BOOST_TEST(report.problem->event_id == 4);
  BOOST_TEST(*report.problem->event_type == "schema_change");
  BOOST_TEST(report.problem->found == positions[3].hash);
  BOOST_TEST(mentions(report.problem->message, "event 4 (schema_change, "));
  BOOST_TEST(report.events == 3);
}

BOOST_AUTO_TEST_CASE(a_deleted_event_is_named_as_missing) {
  auto positions = chain(6);
  const std::string pointed_to = positions[2].hash;
  positions.erase(positions.begin() + 2);
  const auto report = walk(positions, 6, chain(6).back().hash);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) == static_cast<int>(AuditBreak::missing));
  BOOST_TEST(report.problem->event_id == 3);
  BOOST_TEST(report.problem->message == "event 3 is missing: event 4's prev_hash points to " +
                                            pointed_to + " which no event or tombstone has");
}

BOOST_AUTO_TEST_CASE(events_deleted_from_the_end_are_found_through_the_head) {
  const auto full = chain(6);
  const std::vector<ChainPosition> truncated(full.begin(), full.begin() + 4);
  const auto report = walk(truncated, 6, full.back().hash);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) == static_cast<int>(AuditBreak::missing));
  BOOST_TEST(report.problem->event_id == 5);
  BOOST_TEST(mentions(report.problem->message, "events 5 to 6 are missing: the chain head"));
}

BOOST_AUTO_TEST_CASE(a_rewritten_prev_hash_is_a_broken_link) {
  auto positions = chain(5);
  positions[1].prev_hash = "sha256:" + std::string(64, 'e');
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) == static_cast<int>(AuditBreak::broken_link));
  BOOST_TEST(report.problem->event_id == 2);
  BOOST_TEST(report.problem->expected == positions[0].hash);
}

BOOST_AUTO_TEST_CASE(an_event_and_its_tombstone_together_are_a_duplicate) {
  auto positions = chain(4);
  positions.insert(positions.begin() + 3, tombstone_of(positions[2]));
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) == static_cast<int>(AuditBreak::duplicate));
  BOOST_TEST(report.problem->event_id == 3);
}

BOOST_AUTO_TEST_CASE(a_pruned_permanent_event_is_refused) {
  auto positions = chain(4);
  positions[1] = tombstone_of(positions[1]);  // schema_change: permanent
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) ==
             static_cast<int>(AuditBreak::unprunable_removed));
  BOOST_TEST(report.problem->event_id == 2);
  BOOST_TEST(mentions(report.problem->message, "schema_change events are permanent"));
}

BOOST_AUTO_TEST_CASE(a_verification_event_pruned_too_early_is_refused) {
  auto positions = chain(4);
  positions[2] = tombstone_of(positions[2], false);
  const auto report = walk(positions);
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(static_cast<int>(report.problem->kind) ==
             static_cast<int>(AuditBreak::unprunable_removed));
  BOOST_TEST(mentions(report.problem->message, "before its 7-year retention ended"));
}

BOOST_AUTO_TEST_CASE(a_head_that_disagrees_with_the_last_event_is_named) {
  const auto positions = chain(4);
  const auto edited_hash = walk(positions, 4, "sha256:" + std::string(64, 'f'));
  BOOST_REQUIRE(!edited_hash.intact());
  BOOST_TEST(static_cast<int>(edited_hash.problem->kind) ==
             static_cast<int>(AuditBreak::head_mismatch));
  const auto behind = walk(positions, 2, positions[1].hash);
  BOOST_REQUIRE(!behind.intact());
  BOOST_TEST(behind.problem->event_id == 3);
  BOOST_TEST(mentions(behind.problem->message, "beyond the chain head"));
  const auto absent = walk(positions, std::nullopt, "");
  BOOST_REQUIRE(!absent.intact());
  BOOST_TEST(mentions(absent.problem->message, "chain head row"));
}

BOOST_AUTO_TEST_SUITE_END()
