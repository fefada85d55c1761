#include "stella/host/migration/migration_plan.hpp"

namespace stella::host {

double PlannedStep::estimated_seconds() const {
  double total = 0;
  for (const sdk::PlannedAction& action : actions) {
    if (action.estimated_seconds > 0) {
      total += action.estimated_seconds;
    }
  }
  return total;
}

double MigrationPlan::estimated_seconds() const {
  double total = 0;
  for (const PlannedStep& step : steps) {
    total += step.estimated_seconds();
  }
  return total;
}

}  // namespace stella::host
