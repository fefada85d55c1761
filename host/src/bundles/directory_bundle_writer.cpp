// An export written as a directory tree: each file created exclusively (never over another file),
// parent directories made as needed, and the whole file system flushed once at the end (one
// syncfs instead of a million fsyncs).
//
// Creating a file or a directory is the expensive part (a bundle of eight artifacts is about
// eighteen of them), and it is system time that several threads can spend at once; the bytes are
// small. So files are handed to a few writer threads through a bounded queue, while the order of
// checksums.sha256 stays the order of add() (BundleFileWriter spools it on the calling thread).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "bundles/bundle_file_writer.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr mode_t kFileMode = 0644;
constexpr std::size_t kCopyChunk = std::size_t{1} << 16;
/// Threads creating files; more than the cores, because they mostly wait in the file system.
constexpr unsigned kWriterThreads = 4;
/// Bytes of file content queued for the writers before add() waits: bounds memory.
constexpr std::size_t kMaxQueuedBytes = std::size_t{8} << 20;

[[noreturn]] void write_failed(const std::filesystem::path& file, const char* what, int error) {
  throw sdk::Error(sdk::ErrorCode::internal,
                   file.string() + ": " + what + " failed: " + std::strerror(error),
                   "check the free space and permissions of the --output location; nothing was "
                   "left behind");
}

/// Writes all of `content` to `fd`; on failure closes it and throws.
void write_all(int fd, const std::filesystem::path& file, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t wrote = ::write(fd, content.data() + done, content.size() - done);
    if (wrote < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int error = errno;
      ::close(fd);
      write_failed(file, "write", error);
    }
    done += static_cast<std::size_t>(wrote);
  }
}

/// Writes `content` to the new file `file`, creating its parent directory unless it is
/// `last_parent` (the parent of the file this thread wrote before).
void write_new_file(const std::filesystem::path& file, std::string_view content,
                    std::filesystem::path& last_parent) {
  const std::filesystem::path parent = file.parent_path();
  if (parent != last_parent) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       parent.string() + ": cannot create the directory: " + error.message(),
                       "check the permissions of the --output location");
    }
    last_parent = parent;
  }
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
  if (fd < 0) {
    write_failed(file, "create", errno);
  }
  write_all(fd, file, content);
  if (::close(fd) != 0) {
    write_failed(file, "close", errno);
  }
}

class DirectoryBundleWriter final : public BundleFileWriter {
 public:
  explicit DirectoryBundleWriter(std::filesystem::path root) : root_(std::move(root)) {
    for (unsigned i = 0; i < kWriterThreads; ++i) {
      threads_.emplace_back([this] { work(); });
    }
  }

  ~DirectoryBundleWriter() override {
    {
      // Not completed (an error elsewhere): what is still queued need not be written.
      const std::lock_guard<std::mutex> lock(mutex_);
      queue_.clear();
    }
    stop();
  }

 protected:
  void write_file(std::string_view path, std::string_view content) override {
    std::unique_lock<std::mutex> lock(mutex_);
    has_room_.wait(lock, [&] {
      return queued_bytes_ + content.size() <= kMaxQueuedBytes || queue_.empty() || failure_;
    });
    rethrow_failure(lock);
    queued_bytes_ += content.size();
    queue_.push_back({root_ / path, std::string(content)});
    has_work_.notify_one();
  }

  void write_file_from(std::string_view path, std::FILE* source, std::uint64_t size) override {
    // The checksum list has a line per file (over 100 MiB at a million artifacts): copied through
    // one chunk, so that memory stays flat.
    wait_until_written();
    const std::filesystem::path file = root_ / path;
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
    if (fd < 0) {
      write_failed(file, "create", errno);
    }
    std::string chunk(kCopyChunk, '\0');
    for (std::uint64_t done = 0; done < size;) {
      const std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(kCopyChunk, size - done));
      if (std::fread(chunk.data(), 1, want, source) != want) {
        const int read_error = errno;
        ::close(fd);
        write_failed(file, "reading the checksum spool", read_error);
      }
      write_all(fd, file, std::string_view(chunk.data(), want));
      done += want;
    }
    if (::close(fd) != 0) {
      write_failed(file, "close", errno);
    }
  }

  void complete() override {
    wait_until_written();
    stop();
    const int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || ::syncfs(fd) != 0) {
      write_failed(root_, "flushing to disk", errno);
    }
    ::close(fd);
  }

 private:
  struct Job {
    std::filesystem::path file;
    std::string content;
  };

  void work() {
    std::filesystem::path last_parent;
    while (true) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        has_work_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) {
          return;
        }
        job = std::move(queue_.front());
        queue_.pop_front();
        ++writing_;
      }
      std::exception_ptr failure;
      try {
        write_new_file(job.file, job.content, last_parent);
      } catch (...) {
        failure = std::current_exception();
      }
      const std::lock_guard<std::mutex> lock(mutex_);
      --writing_;
      queued_bytes_ -= job.content.size();
      if (failure && !failure_) {
        failure_ = failure;
      }
      has_room_.notify_all();
    }
  }

  /// Waits until every queued file is written; rethrows a writer's failure.
  void wait_until_written() {
    std::unique_lock<std::mutex> lock(mutex_);
    has_room_.wait(lock, [&] { return (queue_.empty() && writing_ == 0) || failure_; });
    rethrow_failure(lock);
  }

  void rethrow_failure(std::unique_lock<std::mutex>& lock) {
    if (failure_) {
      const std::exception_ptr failure = failure_;
      lock.unlock();
      std::rethrow_exception(failure);
    }
  }

  void stop() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      has_work_.notify_all();
    }
    for (std::thread& thread : threads_) {
      if (thread.joinable()) {
        thread.join();
      }
    }
  }

  std::filesystem::path root_;
  std::mutex mutex_;
  std::condition_variable has_work_;
  std::condition_variable has_room_;
  std::deque<Job> queue_;
  std::size_t queued_bytes_ = 0;
  unsigned writing_ = 0;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<std::thread> threads_;
};

}  // namespace

std::unique_ptr<BundleFileWriter> make_directory_writer(const std::filesystem::path& root) {
  return std::make_unique<DirectoryBundleWriter>(root);
}

}  // namespace stella::host
