// Hands items from one producer thread to one consumer thread, holding at most a fixed number of
// items and of bytes between them, so that a fast producer waits instead of filling memory.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace stella_importer {

/// Ownership: owns the items between push() and pop(). Thread-safety: push() from one thread,
/// pop() from another, close() from either. Failure: none; a closed handoff refuses pushes and
/// ends pops.
template <typename Item>
class BoundedHandoff {
 public:
  BoundedHandoff(std::size_t max_items, std::size_t max_bytes)
      : max_items_(max_items), max_bytes_(max_bytes) {}

  /// Waits for room for an item of `bytes` (an item larger than the whole limit waits for an
  /// empty handoff), then adds it. False, with the item dropped, once the handoff is closed.
  bool push(Item item, std::size_t bytes) {
    std::unique_lock<std::mutex> lock(mutex_);
    has_room_.wait(lock, [&] {
      return closed_ || items_.empty() ||
             (items_.size() < max_items_ && bytes_ + bytes <= max_bytes_);
    });
    if (closed_) {
      return false;
    }
    bytes_ += bytes;
    items_.emplace_back(std::move(item), bytes);
    has_items_.notify_one();
    return true;
  }

  /// Waits for the next item; nullopt once the handoff is closed.
  std::optional<Item> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    has_items_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (closed_) {
      return std::nullopt;
    }
    auto [item, bytes] = std::move(items_.front());
    items_.pop_front();
    bytes_ -= bytes;
    has_room_.notify_one();
    return std::move(item);
  }

  /// Ends the handoff: pending and later pushes fail, pops return nullopt, held items are dropped.
  void close() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
      items_.clear();
      bytes_ = 0;
    }
    has_room_.notify_all();
    has_items_.notify_all();
  }

 private:
  const std::size_t max_items_;
  const std::size_t max_bytes_;
  std::mutex mutex_;
  std::condition_variable has_room_;
  std::condition_variable has_items_;
  std::deque<std::pair<Item, std::size_t>> items_;
  std::size_t bytes_ = 0;
  bool closed_ = false;
};

}  // namespace stella_importer
