// The generations area of integrity-check --deep (schema 2.0): every recorded transition between
// digest generations is verified the way `stella evidence verify-continuity` verifies it (both
// generations' digests from the bytes, both generations' roots, the cross-references, coverage,
// the transition's audit event), and every generation is covered by some check.
#include <set>

#include "diagnostics/integrity_areas.hpp"
#include "stella/host/continuity/continuity_checker.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

struct RecordedTransition {
  std::int64_t id = 0;
  int from_generation = 0;
  int to_generation = 0;
  std::string old_root;
  std::string new_root;
};

std::vector<RecordedTransition> read_transitions(PgConnection& connection) {
  const PgResult rows = connection.exec(
      "SELECT transition_id, from_generation, to_generation, old_global_root, new_global_root "
      "FROM evidence.root_transitions ORDER BY transition_id");
  std::vector<RecordedTransition> transitions;
  for (int r = 0; r < rows.rows(); ++r) {
    transitions.push_back({rows.get_int64(r, 0), static_cast<int>(rows.get_int64(r, 1)),
                           static_cast<int>(rows.get_int64(r, 2)), std::string(rows.get(r, 3)),
                           std::string(rows.get(r, 4))});
  }
  return transitions;
}

std::string transition_name(const RecordedTransition& transition) {
  return "transition " + std::to_string(transition.id) + " (generation " +
         std::to_string(transition.from_generation) + " -> " +
         std::to_string(transition.to_generation) + ")";
}

}  // namespace

void check_generations(const std::string& conninfo, PluginRegistry& registry,
                       IntegrityCollector& collector) {
  auto connection = PgConnection::connect(conninfo);
  const StoreGenerations generations = read_generations(*connection);
  const std::vector<RecordedTransition> transitions = read_transitions(*connection);
  connection.reset();

  std::set<int> covered;
  for (const GenerationRecord& generation : generations.all) {
    if (generation.active) {
      covered.insert(generation.generation);  // the content area verified it
    }
  }
  for (const RecordedTransition& transition : transitions) {
    const auto report =
        verify_continuity(conninfo, registry, {transition.old_root, transition.new_root});
    collector.count_checked(1);
    covered.insert(transition.from_generation);
    covered.insert(transition.to_generation);
    for (const ContinuitySection& section : report->sections) {
      report->spool_of(section).read(
          section.first_finding, section.finding_count, [&](const ContinuityFinding& finding) {
            collector.add({"",
                           std::string(integrity_check_name::kTransition) + "." +
                               continuity_check_id(finding.check),
                           "evidence.root_transitions", finding.tenant, finding.bundle,
                           finding.path, 0, finding.expected, finding.found,
                           transition_name(transition) + ": " + finding.message});
          });
    }
  }
  for (const GenerationRecord& generation : generations.all) {
    if (covered.count(generation.generation)) {
      continue;
    }
    if (generation.state == GenerationState::building) {
      collector.set_note("generation " + std::to_string(generation.generation) + " (" +
                         generation.algorithm +
                         ") is still being built; its roots are not sealed, so there is nothing "
                         "final to check yet.");
      continue;
    }
    collector.add({"", integrity_check_name::kGeneration, "evidence.digest_generations", "", "", "",
                   0, "a recorded transition to or from this generation", "none",
                   "generation " + std::to_string(generation.generation) + " (" +
                       generation.algorithm + ", " + generation_state_name(generation.state) +
                       ") is neither active nor part of any recorded transition, so nothing "
                       "links its roots to the store's chain of custody"});
  }
  collector.set_note(std::to_string(generations.all.size()) + " generations, " +
                     std::to_string(transitions.size()) + " recorded transitions.");
}

}  // namespace stella::host
