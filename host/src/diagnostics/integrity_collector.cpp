// Keeps a report's areas, problems and counts in step.
#include "diagnostics/integrity_areas.hpp"

#include "stella/sdk/error.hpp"

namespace stella::host {

void IntegrityCollector::begin_area(const std::string& name, const std::string& title) {
  IntegrityArea area;
  area.name = name;
  area.title = title;
  report_.areas.push_back(std::move(area));
}

IntegrityArea& IntegrityCollector::current() {
  if (report_.areas.empty()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "an integrity problem was recorded before any area began");
  }
  return report_.areas.back();
}

void IntegrityCollector::add(IntegrityProblem problem) {
  IntegrityArea& area = current();
  problem.area = area.name;
  ++area.problems;
  ++report_.problem_count;
  if (report_.problems.size() < kMaxIntegrityProblems) {
    report_.problems.push_back(std::move(problem));
  }
}

void IntegrityCollector::count_checked(std::int64_t records) {
  current().checked += records;
}

void IntegrityCollector::set_note(const std::string& note) {
  IntegrityArea& area = current();
  area.note = area.note.empty() ? note : area.note + " " + note;
}

}  // namespace stella::host
