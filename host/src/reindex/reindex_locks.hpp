// PostgreSQL advisory lock keys of reindex (transaction-level), beside the state schema's
// kStateSchemaLockKey ("stella" + 1).
#pragma once

namespace stella::host {

/// Held while a run is started or joined, so two processes starting at once create one
/// generation and one run between them.
inline constexpr long long kReindexPlanLockKey = 0x7374656c6c610003;  // "stella" + 3
/// Held while a generation is sealed, so two workers finishing at once seal it once.
inline constexpr long long kReindexSealLockKey = 0x7374656c6c610004;  // "stella" + 4

}  // namespace stella::host
