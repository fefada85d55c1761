// A known-answer check of the plugin that is about to write a whole generation of digests: a
// plugin that hashes wrongly, or differently from one call to the next, would otherwise be found
// only when the finished generation is verified (verify-continuity), after hours of work.
#pragma once

#include <string_view>

#include "stella/host/reindex/algorithm_hashers.hpp"

namespace stella::host {

/// Hashes a few fixed inputs (empty, short, block-sized and odd-sized, as raw digests, RFC 9162
/// leaves and nodes) with `writing`, twice and on two threads at once; each answer must come back
/// (of the declared size) and be the same every time, and when OpenSSL knows `algorithm`, equal to
/// OpenSSL's. Takes milliseconds. Throws sdk::Error(refused) naming the plugin, the input, what
/// was expected and what came back, before anything is written.
void require_correct_writing_hasher(const OwnedHasher& writing, std::string_view algorithm);

}  // namespace stella::host
