// Recognising failures that a retry of the same reindex transaction resolves.
#pragma once

#include "stella/sdk/error.hpp"

namespace stella::host {

/// True for a deadlock, a serialization failure or a lock timeout (SQLSTATE 40P01, 40001,
/// 55P03), and for a unique violation (23505): reindex writes only rows that are a function of
/// the stored evidence, so a duplicate means another worker covered the same straggler bundle
/// first and committed; run again, the transaction finds the bundle covered and skips it.
bool is_retryable_conflict(const sdk::Error& error);

}  // namespace stella::host
