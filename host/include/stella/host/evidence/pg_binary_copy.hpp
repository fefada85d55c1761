// PostgreSQL's binary COPY format (the "PGCOPY" file format of the COPY documentation): a writer
// for COPY ... FROM STDIN (FORMAT binary) and a reader for COPY ... TO STDOUT (FORMAT binary).
//
//   header:  "PGCOPY\n\377\r\n\0", int32 flags (0), int32 header-extension length (0)
//   tuple:   int16 field count, then per field int32 length (-1 for NULL) and the bytes
//   trailer: int16 -1
// All integers are in network byte order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 00:00:00 UTC), the
/// origin of a binary timestamptz.
inline constexpr std::int64_t kPostgresEpochUnixMicros = 946684800000000;

/// Streams tuples into a COPY FROM STDIN that the writer starts on construction.
///
/// Ownership: borrows the connection, which must outlive the writer. Thread-safety: one thread.
/// Failure: PgConnection's errors; finish() throws what the server reported for the whole COPY.
/// A writer destroyed without finish() aborts the COPY (the transaction is then failed).
class PgBinaryCopyWriter {
 public:
  /// `copy_sql` is the full statement, e.g. "COPY t (a, b) FROM STDIN (FORMAT binary)".
  PgBinaryCopyWriter(PgConnection& connection, std::string_view copy_sql);
  ~PgBinaryCopyWriter();
  PgBinaryCopyWriter(const PgBinaryCopyWriter&) = delete;
  PgBinaryCopyWriter& operator=(const PgBinaryCopyWriter&) = delete;

  /// Starts a tuple of `field_count` fields; the next field_count add_* calls fill it.
  void begin_tuple(int field_count);
  /// text, varchar and bytea are sent as their raw bytes.
  void add_bytes(std::string_view bytes);
  void add_int64(std::int64_t value);
  /// timestamptz from microseconds since the Unix epoch.
  void add_timestamp(std::int64_t unix_micros);
  /// jsonb: a version byte (1) and the JSON text.
  void add_jsonb(std::string_view json_text);
  void add_null();
  /// Sends the trailer and completes the COPY. Returns the tuples written.
  std::int64_t finish();

 private:
  void flush_if_full();
  PgConnection& connection_;
  std::string buffer_;
  std::int64_t tuples_ = 0;
  bool finished_ = false;
};

/// Splits the messages of a COPY TO STDOUT (FORMAT binary) into fields. Feed it every message
/// PgConnection::copy_out delivers, in order; each call to next_tuple() returns the fields of the
/// next tuple as views into the message (valid until the next feed).
///
/// Thread-safety: one thread. Failure: throws sdk::Error(internal) when the bytes do not follow the
/// format (bad signature, truncated tuple, unexpected field count).
class PgBinaryCopyReader {
 public:
  /// `expected_fields`: every tuple must have exactly this many fields.
  explicit PgBinaryCopyReader(int expected_fields);

  /// Hands over one message; returns false when it was the trailer (no tuple in it).
  bool feed(std::string_view message);
  /// Field `index` of the current tuple; nullopt for NULL.
  std::optional<std::string_view> field(int index) const;
  /// A NOT NULL field; throws sdk::Error(internal) naming `what` when it is NULL.
  std::string_view required(int index, std::string_view what) const;
  std::int64_t int64_field(int index, std::string_view what) const;
  /// timestamptz as microseconds since the Unix epoch.
  std::int64_t timestamp_field(int index, std::string_view what) const;

 private:
  int expected_fields_;
  bool header_seen_ = false;
  std::vector<std::optional<std::string_view>> fields_;
};

/// Reads a big-endian integer from the first bytes of `bytes` (caller checks the length).
std::int64_t read_be_int64(std::string_view bytes);
std::int32_t read_be_int32(std::string_view bytes);

/// "2026-01-31T12:34:56.123456Z" from microseconds since the Unix epoch.
std::string iso8601_from_unix_micros(std::int64_t unix_micros);

}  // namespace stella::host
