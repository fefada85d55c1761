// Lets Boost.Test print sdk::ErrorCode in failed comparisons ("refused" rather than a static
// assertion that the type is not printable).
#pragma once

#include <ostream>

#include "stella/sdk/error.hpp"

STELLA_SDK_NAMESPACE_BEGIN

inline std::ostream& boost_test_print_type(std::ostream& out, ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input:
      return out << "invalid_input";
    case ErrorCode::refused:
      return out << "refused";
    case ErrorCode::verification_failed:
      return out << "verification_failed";
    case ErrorCode::cancelled:
      return out << "cancelled";
    case ErrorCode::internal:
      return out << "internal";
  }
  return out << "ErrorCode(" << static_cast<int>(code) << ")";
}

STELLA_SDK_NAMESPACE_END
