#include "conformance/fifo_writers.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

namespace stella::host {

FifoWriters::FifoWriters(const std::vector<std::filesystem::path>& fifos) : fifos_(fifos) {
  for (const std::filesystem::path& fifo : fifos_) {
    writers_.emplace_back([this, fifo] {
      // Each open blocks until a reader opens the FIFO (the importer, once or several times, or
      // the destructor's release); closing at once gives that reader end-of-file.
      while (!stopping_.load()) {
        const int descriptor = ::open(fifo.c_str(), O_WRONLY);
        if (descriptor < 0) {
          return;
        }
        ::close(descriptor);
      }
      ++finished_;
    });
  }
}

FifoWriters::~FifoWriters() {
  stopping_.store(true);
  // A reader's open wakes a waiting writer even when the reader is gone by the time the writer
  // runs (Linux counts reader opens), so opening and closing at once releases it. But a writer
  // that saw `stopping_` false just before it was set opens after that release and waits for the
  // next one: released again until every writer is out, or the join would wait for ever.
  while (finished_.load() < writers_.size()) {
    for (const std::filesystem::path& fifo : fifos_) {
      const int descriptor = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
      if (descriptor >= 0) {
        ::close(descriptor);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (std::thread& writer : writers_) {
    writer.join();
  }
}

}  // namespace stella::host
