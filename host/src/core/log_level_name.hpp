// The name of an SDK log level, as the run log, stderr and JSON progress lines spell it.
#pragma once

#include "stella/sdk/context.hpp"

namespace stella::host {

/// "debug", "info", "warning" or "error"; a NUL-terminated literal.
constexpr const char* log_level_name(sdk::LogLevel level) {
  switch (level) {
    case sdk::LogLevel::debug:
      return "debug";
    case sdk::LogLevel::info:
      return "info";
    case sdk::LogLevel::warning:
      return "warning";
    case sdk::LogLevel::error:
      return "error";
  }
  return "info";
}

}  // namespace stella::host
