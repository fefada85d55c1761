// Makes the calling thread's character conversions UTF-8 while it lives. libarchive converts entry
// names through the thread's locale; in the "C" locale a name that is not ASCII cannot be
// converted, while the names in a bundle are UTF-8.
#pragma once

#include <locale.h>

namespace stella_importer {

/// Thread-safety: affects the calling thread only (uselocale). Failure: when the C.UTF-8 locale
/// is missing the thread keeps its locale, and non-ASCII names are refused as unreadable.
class Utf8ConversionScope {
 public:
  Utf8ConversionScope() : utf8_(newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0))) {
    if (utf8_ != static_cast<locale_t>(0)) {
      previous_ = uselocale(utf8_);
    }
  }
  ~Utf8ConversionScope() {
    if (utf8_ != static_cast<locale_t>(0)) {
      uselocale(previous_);
      freelocale(utf8_);
    }
  }
  Utf8ConversionScope(const Utf8ConversionScope&) = delete;
  Utf8ConversionScope& operator=(const Utf8ConversionScope&) = delete;

 private:
  locale_t utf8_;
  locale_t previous_ = static_cast<locale_t>(0);
};

}  // namespace stella_importer
