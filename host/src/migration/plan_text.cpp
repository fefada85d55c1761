// A plan for a person to review before anything changes (runbook "Schema Migration", step 2).
#include <iomanip>
#include <ostream>
#include <sstream>

#include "core/human_bytes.hpp"
#include "stella/host/migration/plan_file.hpp"

namespace stella::host {
namespace {

constexpr int kSecondsPrecision = 2;

std::string seconds_text(double seconds) {
  if (seconds < 0) {
    return "unknown";
  }
  std::ostringstream text;
  text << std::fixed << std::setprecision(kSecondsPrecision) << seconds << " s";
  return text.str();
}

std::string rows_text(std::int64_t rows) {
  return rows < 0 ? std::string("unknown") : std::to_string(rows);
}

std::string first_line(const std::string& statement) {
  const std::size_t end = statement.find('\n');
  return end == std::string::npos ? statement : statement.substr(0, end) + " ...";
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text.empty() ? "none" : text;
}

/// The room the store takes and the server has left, and a warning when a step that copies the
/// evidence beside itself could fill the disk.
void write_space_text(std::ostream& out, const StoreSpace& space) {
  out << "  evidence size   " << human_bytes(space.evidence_bytes)
      << " (tables of schema evidence with their indexes and TOAST)\n";
  if (!space.free_bytes) {
    out << "  free space      not known here (an external server: check the volume of its data "
           "directory)\n";
    return;
  }
  out << "  free space      " << human_bytes(*space.free_bytes)
      << " on the embedded server's data volume\n";
  if (*space.free_bytes < space.evidence_bytes) {
    out << "  warning: less free space than the evidence takes. A step that copies tables beside "
           "the old ones before dropping them (1.0 \u2192 2.0 copies every artifact's bytes) "
           "needs up to that much more; free space first, or the run fails when the disk is full "
           "and rolls back\n";
  }
}

}  // namespace

void write_plan_text(std::ostream& out, const MigrationPlan& plan) {
  const std::size_t step_count = plan.steps.size();
  out << "Migration plan: schema " << plan.from_version << " \u2192 " << plan.to_version << " in "
      << step_count << (step_count == 1 ? " step" : " steps") << ", batches of at most "
      << plan.batch_size << " rows, estimated " << seconds_text(plan.estimated_seconds()) << "\n";
  out << "Made " << plan.created_at << " by " << plan.created_by << " with stella "
      << plan.stella_version << "\n\n";

  const StoreState& store = plan.store;
  out << "Store it was made against (database " << store.database << "):\n"
      << "  schema version  " << store.schema_version << "\n"
      << "  generation      " << store.generation << " (" << store.algorithm << ")\n"
      << "  global root     " << store.global_root << "\n"
      << "  contents        " << store.tenant_count << " tenants, " << store.bundle_count
      << " bundles, " << store.artifact_count << " artifacts\n";
  for (const TenantRootState& tenant : store.tenants) {
    out << "  tenant " << tenant.tenant << "  " << tenant.root << "\n";
  }
  if (plan.space) {
    write_space_text(out, *plan.space);
  }

  for (const PlannedStep& step : plan.steps) {
    out << "\nStep " << step.ordinal << " of " << step_count << ": " << step.from_version
        << " \u2192 " << step.to_version << " by plugin " << step.plugin_id << " "
        << step.plugin_version << " (estimated " << seconds_text(step.estimated_seconds()) << ")\n"
        << "  library       " << step.library_file << "\n"
        << "  digest        " << step.library_digest << "\n"
        << "  capabilities  " << joined(step.capabilities) << "\n";
    int number = 0;
    for (const sdk::PlannedAction& action : step.actions) {
      out << "  " << ++number << ". " << action.description << "\n"
          << "     rows affected: " << rows_text(action.rows_affected)
          << "; batched: " << (action.batched ? "yes, each batch its own transaction" : "no")
          << "; estimated: " << seconds_text(action.estimated_seconds) << "\n";
      for (const std::string& lock : action.locks) {
        out << "     lock: " << lock << "\n";
      }
      for (const std::string& statement : action.statements) {
        out << "     sql: " << first_line(statement) << "\n";
      }
    }
  }
  out << "\nNothing was changed. Run the same command without --dry-run to execute it, or save it "
         "with --output FILE and execute exactly that plan with --plan FILE.\n";
}

}  // namespace stella::host
