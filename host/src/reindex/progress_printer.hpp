// Progress of a running reindex on stderr: a bar redrawn in place on a terminal, plain lines
// otherwise, JSON lines with --progress-format json, nothing with --quiet.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>

#include "stella/host/reindex/reindex_runner.hpp"

namespace stella::host {

class ProgressPrinter final : public ReindexObserver {
 public:
  /// `progress_format`: auto, plain or json (GlobalOptions::progress_format).
  ProgressPrinter(std::ostream& err, const std::string& progress_format, bool quiet);
  ~ProgressPrinter() override;

  void run_started(std::int64_t run_id, int generation, const std::string& algorithm,
                   bool joined) override;
  void progress(const ReindexProgressSample& sample) override;
  void sealing() override;

 private:
  /// Ends a bar line in progress so the next message starts on its own line.
  void end_bar();
  std::ostream& err_;
  bool quiet_;
  bool json_;
  bool bar_;
  bool bar_open_ = false;
  std::chrono::steady_clock::time_point last_line_{};
};

}  // namespace stella::host
