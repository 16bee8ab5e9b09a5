#include "simexit/adapters/postgres/pg_db.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

namespace simexit::pg {
namespace {

// Type OIDs (pg_type.h, stable across releases).
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

constexpr const char* kSavepoint = "SAVEPOINT simexit_statement";
constexpr const char* kRelease = "RELEASE SAVEPOINT simexit_statement";
constexpr const char* kRollbackTo =
    "ROLLBACK TO SAVEPOINT simexit_statement; RELEASE SAVEPOINT simexit_statement";

std::string_view Trimmed(const char* text) {
  std::string_view out = text != nullptr ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.remove_suffix(1);
  }
  return out;
}

}  // namespace

Error PgError(std::string_view sqlstate, bool connection_lost, std::string_view table,
              std::string_view server_message) {
  const std::string_view cls = sqlstate.substr(0, std::min<std::size_t>(2, sqlstate.size()));
  if (sqlstate == "23505") {
    return Error{ErrorCode::kAlreadyExists, "duplicate",
                 fmt::format("duplicate {} ({})", table, server_message)};
  }
  if (cls == "23") {
    return Error{ErrorCode::kInternal, "constraint_violation",
                 fmt::format("constraint violated in {} ({})", table, server_message)};
  }
  if (IsRetryableSqlstate(sqlstate)) {
    return Error{ErrorCode::kUnavailable, "database_busy",
                 fmt::format("database is busy ({}): {}", table, server_message)};
  }
  if (sqlstate == "53100") {
    return Error{ErrorCode::kUnavailable, "storage_full",
                 fmt::format("the database's disk is full ({}): {}", table, server_message)};
  }
  if (cls == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" ||
      sqlstate == "53300" || (sqlstate.empty() && connection_lost)) {
    return Error{ErrorCode::kUnavailable, "store_unavailable",
                 fmt::format("the database cannot be reached ({}): {}", table, server_message)};
  }
  return Error{ErrorCode::kInternal, "database_error",
               fmt::format("database error ({}): {}", table, server_message)};
}

bool IsRetryableSqlstate(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

void Params::Add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  types_.push_back(kInt8Oid);
}

void Params::Add(std::string_view value) {
  values_.emplace_back(std::string(value));
  types_.push_back(kTextOid);
}

void Params::Add(Null) {
  values_.emplace_back(std::nullopt);
  types_.push_back(0);  // the server infers it
}

void Params::Add(NullIfZero value) {
  values_.emplace_back(value.value == 0 ? std::nullopt
                                        : std::optional<std::string>(std::to_string(value.value)));
  types_.push_back(kInt8Oid);
}

void Params::Add(NullIfEmpty value) {
  values_.emplace_back(value.value.empty() ? std::nullopt
                                           : std::optional<std::string>(std::string(value.value)));
  types_.push_back(kTextOid);
}

void Params::Add(const std::optional<std::int64_t>& value) {
  values_.emplace_back(value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt);
  types_.push_back(kInt8Oid);
}

void Params::Add(const std::optional<std::string>& value) {
  values_.emplace_back(value);
  types_.push_back(kTextOid);
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const std::optional<std::string>& value : values_) {
    out.push_back(value ? value->c_str() : nullptr);
  }
  return out;
}

bool Row::IsNull(int column) const { return PQgetisnull(result_, row_, column) != 0; }

std::int64_t Row::Int64(int column) const {
  if (IsNull(column)) {
    return 0;
  }
  const char* text = PQgetvalue(result_, row_, column);
  const char* end = text + PQgetlength(result_, row_, column);
  std::int64_t value = 0;
  std::from_chars(text, end, value);  // numeric sums ("12") parse too
  return value;
}

int Row::Int(int column) const { return static_cast<int>(Int64(column)); }

std::string Row::Text(int column) const {
  if (IsNull(column)) {
    return {};
  }
  return std::string(PQgetvalue(result_, row_, column),
                     static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

std::optional<std::int64_t> Row::OptionalInt64(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Int64(column);
}

Connection::~Connection() {
  if (conn_ != nullptr) {
    PQfinish(conn_);
  }
}

Result<void> Connection::Open(const std::string& url, int connect_timeout_seconds) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (options == nullptr) {
    std::string detail =
        Trimmed(parse_error).empty() ? "cannot parse it" : std::string(Trimmed(parse_error));
    PQfreemem(parse_error);
    return Fail(ErrorCode::kInvalidArgument, "invalid_store_url",
                fmt::format("store.url is not a PostgreSQL connection URL: {}", detail));
  }
  PQconninfoFree(options);
  // Later keywords override earlier ones: the URL's own connect_timeout wins.
  const std::string timeout = std::to_string(connect_timeout_seconds);
  const char* const keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* const values[] = {timeout.c_str(), url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string detail = conn != nullptr ? std::string(Trimmed(PQerrorMessage(conn))) : "no memory";
    if (conn != nullptr) {
      PQfinish(conn);
    }
    return Fail(ErrorCode::kUnavailable, "store_unavailable",
                fmt::format("cannot connect to PostgreSQL at {}: {}", RedactUrl(url), detail));
  }
  if (conn_ != nullptr) {
    PQfinish(conn_);
  }
  conn_ = conn;
  // Notices ("relation ... already exists, skipping") are not errors: libpq
  // would print them on stderr.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  return {};
}

bool Connection::Broken() const { return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK; }

Error Connection::Failure(const PGresult* result, std::string_view table) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state != nullptr ? state : "";
  if (IsRetryableSqlstate(sqlstate)) {
    retryable_ = true;
  }
  const char* message =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string text =
      message != nullptr ? std::string(message) : std::string(Trimmed(PQerrorMessage(conn_)));
  return PgError(sqlstate, Broken(), table, text);
}

Result<void> Connection::Exec(const char* sql, std::string_view what) {
  ResultPtr result(PQexec(conn_, sql));
  const ExecStatusType status =
      result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Fail(Failure(result.get(), what));
  }
  return {};
}

Result<void> Connection::Commit() {
  ResultPtr result(PQexec(conn_, "COMMIT"));
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return Fail(Failure(result.get(), "transaction"));
  }
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    return Fail(ErrorCode::kInternal, "database_error",
                "the database had aborted the transaction; nothing of it was committed");
  }
  return {};
}

Result<ResultPtr> Connection::Query(const char* sql, std::string_view table, const Params& params) {
  const std::vector<const char*> values = params.Pointers();
  ResultPtr result(
      PQexecParams(conn_, sql, params.size(), params.types(), values.data(), nullptr, nullptr, 0));
  const ExecStatusType status =
      result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Fail(Failure(result.get(), table));
  }
  return result;
}

Result<ResultPtr> Connection::Write(const char* sql, std::string_view table, const Params& params) {
  SIMEXIT_TRY(Exec(kSavepoint, table));
  Result<ResultPtr> result = Query(sql, table, params);
  if (!result) {
    if (!Broken()) {
      (void)Exec(kRollbackTo, table);
    }
    return result;
  }
  SIMEXIT_TRY(Exec(kRelease, table));
  return result;
}

Result<std::int64_t> Connection::FirstId(const PGresult* result, std::string_view table) {
  if (PQntuples(result) < 1) {
    return Fail(ErrorCode::kInternal, "database_error",
                fmt::format("insert into {} returned no id", table));
  }
  return Row(result, 0).Int64(0);
}

std::int64_t Connection::ChangedRows(const PGresult* result) {
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
  return tuples != nullptr ? std::strtoll(tuples, nullptr, 10) : 0;
}

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // postgresql://user:password@host/... -> postgresql://user:***@host/...
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t at = out.find('@', start);
    const std::size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // ...?password=secret&... and key=value strings: password=secret
  std::size_t pos = 0;
  while ((pos = out.find("password=", pos)) != std::string::npos) {
    const std::size_t value = pos + 9;
    std::size_t end = out.find_first_of("& ", value);
    if (end == std::string::npos) {
      end = out.size();
    }
    out.replace(value, end - value, "***");
    pos = value + 3;
  }
  return out;
}

}  // namespace simexit::pg
