#include "verdict.hpp"

#include <cstdio>
#include <cstdlib>

namespace stella::fuzz {

Verdict refusal(const sdk::Error& error) {
  if (error.code() == sdk::ErrorCode::internal) {
    std::fprintf(stderr, "internal error on untrusted input: %s\n", error.what());
    std::abort();
  }
  return Verdict::refused;
}

}  // namespace stella::fuzz
