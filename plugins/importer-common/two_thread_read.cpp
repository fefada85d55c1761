#include "two_thread_read.hpp"

#include <exception>
#include <optional>
#include <thread>

#include "bounded_handoff.hpp"

namespace stella_importer {
namespace {

namespace sdk = stella::sdk;

/// Files read ahead of the one being turned into sink calls, and their bytes at most.
constexpr std::size_t kFilesInFlight = 1024;
constexpr std::size_t kBytesInFlight = std::size_t{32} << 20;

struct FeedItem {
  enum class Kind { file, problem, files_done, end, failure };
  Kind kind = Kind::end;
  std::string path = {};
  std::string content = {};
  sdk::SourceProblem problem = {};
  std::exception_ptr failure = {};
};

using FeedHandoff = BoundedHandoff<FeedItem>;

/// Thrown on the reading thread when the calling thread stopped taking items.
struct FeedAbandoned {};

class HandoffFeed final : public FileFeed {
 public:
  explicit HandoffFeed(FeedHandoff& handoff) : handoff_(handoff) {}

  void file(std::string path, std::string content) override {
    hand_over({FeedItem::Kind::file, std::move(path), std::move(content)});
  }
  void problem(sdk::SourceProblem problem) override {
    hand_over({FeedItem::Kind::problem, {}, {}, std::move(problem)});
  }
  void files_done() override { hand_over({FeedItem::Kind::files_done}); }

  void hand_over(FeedItem item) {
    const std::size_t bytes = item.content.size() + item.path.size();
    if (!handoff_.push(std::move(item), bytes)) {
      throw FeedAbandoned{};
    }
  }

 private:
  FeedHandoff& handoff_;
};

}  // namespace

void read_on_two_threads(const std::string& location,
                         const std::function<void(FileFeed&)>& read_files,
                         BundleFormatReader& reader, sdk::ImportSink& sink, sdk::HostContext& ctx,
                         const std::atomic<std::uint64_t>& total_files) {
  FeedHandoff handoff(kFilesInFlight, kBytesInFlight);
  std::thread reading([&] {
    HandoffFeed feed(handoff);
    try {
      read_files(feed);
      feed.hand_over({FeedItem::Kind::end});
    } catch (const FeedAbandoned&) {
      // The calling thread has stopped; nobody waits for more.
    } catch (...) {
      try {
        feed.hand_over({FeedItem::Kind::failure, {}, {}, {}, std::current_exception()});
      } catch (...) {
        // Abandoned meanwhile, or out of memory: the calling thread stops on its own.
      }
    }
  });
  struct StopReading {
    FeedHandoff& handoff;
    std::thread& reading;
    ~StopReading() {
      handoff.close();
      reading.join();
    }
  } stop{handoff, reading};
  std::uint64_t files = 0;
  while (std::optional<FeedItem> item = handoff.pop()) {
    switch (item->kind) {
      case FeedItem::Kind::file:
        reader.file(item->path, item->content);
        ctx.progress(++files, total_files.load(std::memory_order_relaxed));
        if (ctx.cancelled()) {
          throw sdk::Error(sdk::ErrorCode::cancelled, location + ": reading was cancelled");
        }
        break;
      case FeedItem::Kind::problem:
        sink.problem(item->problem);
        break;
      case FeedItem::Kind::files_done:
        reader.finish();
        break;
      case FeedItem::Kind::failure:
        std::rethrow_exception(item->failure);
      case FeedItem::Kind::end:
        return;
    }
  }
}

}  // namespace stella_importer
