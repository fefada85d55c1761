// Reading evidence.root_transitions and the audit event each transition points at.
#include "continuity/transition_lookup.hpp"

#include <deque>
#include <map>
#include <set>

#include "reindex/iso_utc_sql.hpp"
#include "stella/host/audit/audit_event_check.hpp"
#include "stella/host/audit/audit_log.hpp"

namespace stella::host {
namespace {

/// Transitions listed by recorded_transitions_text before "and N more".
constexpr int kTransitionsListed = 10;

std::string transition_select() {
  return "SELECT t.transition_id, t.from_generation, t.to_generation, g_old.algorithm, "
         "g_new.algorithm, t.old_global_root, t.new_global_root, " +
         iso_utc_sql("t.recorded_at") +
         ", t.recorded_by, t.audit_event_id FROM evidence.root_transitions t "
         "JOIN evidence.digest_generations g_old ON g_old.generation = t.from_generation "
         "JOIN evidence.digest_generations g_new ON g_new.generation = t.to_generation ";
}

std::optional<TransitionRecord> first_transition(const PgResult& rows) {
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  TransitionRecord record;
  record.transition_id = rows.get_int64(0, 0);
  record.from_generation = static_cast<int>(rows.get_int64(0, 1));
  record.to_generation = static_cast<int>(rows.get_int64(0, 2));
  record.from_algorithm = rows.get(0, 3);
  record.to_algorithm = rows.get(0, 4);
  record.old_global_root = rows.get(0, 5);
  record.new_global_root = rows.get(0, 6);
  record.recorded_at = rows.get(0, 7);
  record.recorded_by = rows.get(0, 8);
  if (!rows.is_null(0, 9)) {
    record.audit_event_id = rows.get_int64(0, 9);
  }
  return record;
}

}  // namespace

std::optional<TransitionRecord> find_transition(PgConnection& connection,
                                                const std::string& old_root,
                                                const std::string& new_root) {
  if (auto both = first_transition(connection.exec(
          transition_select() + "WHERE t.old_global_root = $1 AND t.new_global_root = $2 "
                                "ORDER BY t.transition_id DESC LIMIT 1",
          {old_root, new_root}))) {
    return both;
  }
  if (auto by_new = first_transition(
          connection.exec(transition_select() +
                              "WHERE t.new_global_root = $1 ORDER BY t.transition_id DESC LIMIT 1",
                          {new_root}))) {
    return by_new;
  }
  return first_transition(connection.exec(
      transition_select() + "WHERE t.old_global_root = $1 ORDER BY t.transition_id DESC LIMIT 1",
      {old_root}));
}

std::vector<TransitionHop> transition_chain(PgConnection& connection, const std::string& old_root,
                                            const std::string& new_root) {
  const PgResult rows = connection.exec(
      "SELECT transition_id, old_global_root, new_global_root FROM evidence.root_transitions "
      "ORDER BY transition_id");
  std::vector<TransitionHop> hops;
  for (int r = 0; r < rows.rows(); ++r) {
    hops.push_back(
        {rows.get_int64(r, 0), std::string(rows.get(r, 1)), std::string(rows.get(r, 2))});
  }
  // Breadth first over roots: a store has a handful of transitions.
  std::map<std::string, std::size_t> reached_by;  // root -> index of the hop that reached it
  std::deque<std::string> frontier{old_root};
  std::set<std::string> seen{old_root};
  while (!frontier.empty()) {
    const std::string root = frontier.front();
    frontier.pop_front();
    if (root == new_root) {
      std::vector<TransitionHop> chain;
      for (std::string at = new_root; at != old_root;) {
        const TransitionHop& hop = hops[reached_by.at(at)];
        chain.insert(chain.begin(), hop);
        at = hop.old_root;
      }
      return chain;
    }
    for (std::size_t i = 0; i < hops.size(); ++i) {
      if (hops[i].old_root == root && seen.insert(hops[i].new_root).second) {
        reached_by[hops[i].new_root] = i;
        frontier.push_back(hops[i].new_root);
      }
    }
  }
  return {};
}

std::optional<std::string> swapped_roots_hint(PgConnection& connection, const std::string& old_root,
                                              const std::string& new_root) {
  const PgResult rows = connection.exec(
      "SELECT transition_id FROM evidence.root_transitions WHERE old_global_root = $1 AND "
      "new_global_root = $2 ORDER BY transition_id DESC LIMIT 1",
      {new_root, old_root});
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  return "the two roots are swapped: transition #" + std::string(rows.get(0, 0)) + " goes from " +
         new_root + " to " + old_root + "; give --old-root " + new_root + " --new-root " + old_root;
}

std::string recorded_transitions_text(PgConnection& connection) {
  const PgResult rows = connection.exec(
      "SELECT transition_id, from_generation, old_global_root, to_generation, new_global_root, "
      "count(*) OVER () FROM evidence.root_transitions ORDER BY transition_id LIMIT $1",
      {std::to_string(kTransitionsListed)});
  if (rows.rows() == 0) {
    return "no transition is recorded in this store";
  }
  std::string text = "recorded: ";
  for (int r = 0; r < rows.rows(); ++r) {
    text += (r == 0 ? "" : "; ") + std::string("#") + std::string(rows.get(r, 0)) + " generation " +
            std::string(rows.get(r, 1)) + " " + std::string(rows.get(r, 2)) + " -> generation " +
            std::string(rows.get(r, 3)) + " " + std::string(rows.get(r, 4));
  }
  const std::int64_t total = rows.get_int64(0, 5);
  if (total > rows.rows()) {
    text += "; and " + std::to_string(total - rows.rows()) + " more";
  }
  return text;
}

std::optional<AuditRecordProblem> audit_event_chain_problem(PgConnection& connection,
                                                            std::int64_t id) {
  const auto problem = check_audit_event_in_chain(connection, id);
  if (!problem) {
    return std::nullopt;
  }
  return AuditRecordProblem{problem->expected, problem->found,
                            "audit event " + std::to_string(id) +
                                " does not verify in the audit trail's hash chain (" +
                                audit_break_name(problem->kind) + "): " + problem->message +
                                "; run `stella evidence audit verify`"};
}

std::optional<AuditRecordProblem> transition_audit_problem(PgConnection& connection,
                                                           const TransitionRecord& transition) {
  const std::string wanted =
      "a root_hash_change audit event for transition " + std::to_string(transition.transition_id);
  const auto wrong = [&](std::string found) {
    return AuditRecordProblem{wanted, found,
                              "the transition is not recorded in the audit trail as it should be"};
  };
  if (!transition.audit_event_id) {
    return wrong("the transition names no audit event");
  }
  if (connection.exec("SELECT to_regclass('stella.audit_events') IS NOT NULL").get(0, 0) != "t") {
    return wrong("the store has no audit trail");
  }
  const std::string id = std::to_string(*transition.audit_event_id);
  const PgResult rows = connection.exec(
      "SELECT event_type, data->>'old_root', data->>'new_root', data->>'cross_reference' "
      "FROM stella.audit_events WHERE id = $1",
      {id});
  if (rows.rows() == 0) {
    const PgResult pruned =
        connection.exec("SELECT 1 FROM stella.audit_pruned WHERE id = $1", {id});
    return wrong(pruned.rows() > 0 ? "audit event " + id + " was pruned"
                                   : "audit event " + id + " does not exist");
  }
  // What the event says counts only if the event is as it was written: an event edited with the
  // append-only triggers disabled still carries the same roots, but no longer its own hash.
  if (auto broken = audit_event_chain_problem(connection, *transition.audit_event_id)) {
    return broken;
  }
  if (rows.get(0, 0) != audit_type::kRootHashChange) {
    return wrong("audit event " + id + " is of type " + std::string(rows.get(0, 0)));
  }
  if (rows.get_optional(0, 1) != transition.old_global_root) {
    return wrong("audit event " + id + " records old_root " +
                 rows.get_optional(0, 1).value_or("(none)"));
  }
  if (rows.get_optional(0, 2) != transition.new_global_root) {
    return wrong("audit event " + id + " records new_root " +
                 rows.get_optional(0, 2).value_or("(none)"));
  }
  if (rows.get_optional(0, 3) != std::to_string(transition.transition_id)) {
    return wrong("audit event " + id + " cross-references " +
                 rows.get_optional(0, 3).value_or("(nothing)"));
  }
  return std::nullopt;
}

}  // namespace stella::host
