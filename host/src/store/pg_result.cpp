// PgResult: the owning wrapper of a libpq result.
#include <libpq-fe.h>

#include <charconv>
#include <utility>

#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

PgResult::PgResult(pg_result* result) : result_(result) {}

PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) {
      PQclear(result_);
    }
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

PgResult::~PgResult() {
  if (result_ != nullptr) {
    PQclear(result_);
  }
}

int PgResult::rows() const {
  return result_ == nullptr ? 0 : PQntuples(result_);
}

int PgResult::columns() const {
  return result_ == nullptr ? 0 : PQnfields(result_);
}

std::string PgResult::column_name(int column) const {
  const char* name = result_ == nullptr ? nullptr : PQfname(result_, column);
  if (name == nullptr) {
    throw sdk::Error(sdk::ErrorCode::internal, "result column " + std::to_string(column) +
                                                   " does not exist; the result has " +
                                                   std::to_string(columns()) + " columns");
  }
  return name;
}

bool PgResult::is_null(int row, int column) const {
  return result_ == nullptr || PQgetisnull(result_, row, column) == 1;
}

std::string_view PgResult::get(int row, int column) const {
  if (result_ == nullptr || row < 0 || row >= rows() || column < 0 || column >= columns()) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "result cell (" + std::to_string(row) + ", " + std::to_string(column) +
                         ") is out of range; the result has " + std::to_string(rows()) +
                         " rows and " + std::to_string(columns()) + " columns");
  }
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::optional<std::string> PgResult::get_optional(int row, int column) const {
  const std::string_view value = get(row, column);
  if (is_null(row, column)) {
    return std::nullopt;
  }
  return std::string(value);
}

std::int64_t PgResult::get_int64(int row, int column) const {
  const std::string_view text = get(row, column);
  if (is_null(row, column)) {
    throw sdk::Error(sdk::ErrorCode::internal, "column '" + column_name(column) + "' of row " +
                                                   std::to_string(row) +
                                                   " is NULL; expected an integer");
  }
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw sdk::Error(sdk::ErrorCode::internal, "column '" + column_name(column) + "' of row " +
                                                   std::to_string(row) + " is '" +
                                                   std::string(text) + "'; expected an integer");
  }
  return value;
}

std::int64_t PgResult::affected_rows() const {
  const char* text = result_ == nullptr ? "" : PQcmdTuples(result_);
  std::int64_t value = 0;
  const std::string_view digits(text);
  if (digits.empty()) {
    return 0;
  }
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

}  // namespace stella::host
