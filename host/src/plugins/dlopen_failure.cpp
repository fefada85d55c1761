// dlerror's words out of Boost.DLL's message, and the usual causes explained (dlopen_failure.hpp).
#include "plugins/dlopen_failure.hpp"

#include <string_view>

namespace stella::host {
namespace {

constexpr std::string_view kDlerrorPrefix = "dlerror system message: ";
constexpr std::string_view kMissingFile = ": cannot open shared object file";
constexpr std::string_view kUndefinedSymbol = "undefined symbol: ";

/// dlerror's message inside Boost.DLL's, or the whole message when it has no such part.
std::string dlerror_words(const std::string& load_error) {
  const std::size_t prefix = load_error.find(kDlerrorPrefix);
  if (prefix == std::string::npos) {
    return load_error;
  }
  const std::size_t start = prefix + kDlerrorPrefix.size();
  const std::size_t end = load_error.rfind("): ");
  return load_error.substr(
      start, end == std::string::npos || end < start ? std::string::npos : end - start);
}

}  // namespace

DlopenFailure explain_dlopen_failure(const std::string& load_error,
                                     const std::filesystem::path& library) {
  const std::string words = dlerror_words(load_error);
  const std::size_t missing = words.find(kMissingFile);
  if (missing != std::string::npos) {
    const std::string needed = words.substr(0, missing);
    if (std::filesystem::path(needed) != library) {
      return {"it needs " + needed + ", which the dynamic loader cannot find (" + words + ")",
              "install " + needed +
                  " on this machine, or ship it in the plugin's folder and link "
                  "the plugin with -Wl,-rpath,'$ORIGIN' so that the loader looks there "
                  "(docs/plugin-author-guide.md, \"Libraries of your own\"); `ldd " +
                  library.string() + "` lists every dependency and which are not found"};
    }
  }
  const std::size_t undefined = words.find(kUndefinedSymbol);
  if (undefined != std::string::npos) {
    const std::string symbol = words.substr(undefined + kUndefinedSymbol.size());
    return {"it uses the symbol " + symbol +
                ", which neither its libraries nor this stella define (" + words + ")",
            "link the plugin against the library that defines " + symbol +
                ", or rebuild it with stella_add_plugin against the SDK of this stella"};
  }
  return {words, ""};
}

}  // namespace stella::host
