// Progress of long evidence work on stderr: a bar redrawn in place on a terminal, plain lines
// otherwise, JSON lines with --progress-format json, nothing with --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "stella/host/cli/global_options.hpp"

namespace stella::host {

/// Thread-safety: one thread. Writes only to the stream it was given.
class ProgressMeter {
 public:
  /// `unit` names what is counted ("bundles"); `total` may be 0 when unknown.
  ProgressMeter(std::ostream& err, const GlobalOptions& globals, std::string task, std::string unit,
                std::int64_t total);
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  void update(std::int64_t done);
  /// For work whose size is learnt after it started.
  void set_total(std::int64_t total) { total_ = total; }
  /// For a meter that starts watching work already under way (a resumed migration step): `done`
  /// was done before, so the rate counts only what is done from now on.
  void start_from(std::int64_t done) { baseline_ = done_ = done; }
  /// Reports the final count and ends the bar's line.
  void finish();

 private:
  enum class Style { silent = 1, bar = 2, lines = 3, json = 4 };
  void emit(bool final);

  std::ostream& err_;
  Style style_;
  std::string task_;
  std::string unit_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  std::int64_t baseline_ = 0;
  int last_decile_ = -1;
  std::int64_t last_emitted_done_ = -1;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_emit_;
};

}  // namespace stella::host
