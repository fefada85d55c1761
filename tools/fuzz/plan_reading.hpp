// Fuzzing the migration-plan reader: what `stella evidence migrate --plan FILE` accepts from a plan
// file, which operators keep, review and sometimes edit between the dry run and the run.
#pragma once

#include <cstddef>
#include <cstdint>

#include "verdict.hpp"

namespace stella::fuzz {

/// The bytes as a plan file's text, read as `migrate --plan` reads it before it looks at the store.
/// passed: a plan; refused: bad input. A value read as a type it does not fit (a number past 32 or
/// 64 bits) stops at RapidJSON's assertion, which the fuzzing build keeps on.
Verdict read_as_migration_plan(const std::uint8_t* data, std::size_t size);

}  // namespace stella::fuzz
