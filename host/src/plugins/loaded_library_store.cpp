#include "plugins/loaded_library_store.hpp"

#include <mutex>
#include <vector>

namespace stella::host {

void keep_loaded_for_process_lifetime(boost::dll::shared_library library) {
  static std::mutex mutex;
  // Deliberately never destroyed: a destructor here would dlclose the libraries during static
  // destruction, while objects of other static storage may still point into them.
  static auto* libraries = new std::vector<boost::dll::shared_library>();
  const std::lock_guard<std::mutex> lock(mutex);
  libraries->push_back(std::move(library));
}

}  // namespace stella::host
