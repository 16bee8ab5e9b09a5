#pragma once
// A thin RAII layer over libpq, private to the PostgreSQL store; the twin of
// sqlite_db.hpp with the same calls, so each repository file reads alike on
// both stores:
//
//   conn.Insert(kInsertLine, "lines", line.operator_id, NullIfZero{line.holder_id}, ...)
//   conn.Change(kUpdateLine, "lines", ...)            // rows changed
//   conn.Run(kRevoke, "staff_sessions", staff_id, at)
//   conn.QueryOne(kGetLine, "lines", ReadLine, id)    // Result<std::optional<LineRecord>>
//   conn.QueryAll(kListLines, "lines", ReadLine, operator_id, limit)
//
// Parameters are $1, $2, ... and bind by C++ type, with the PostgreSQL type
// sent along (so `$1 IS NULL OR operator_id = $1` needs no cast): integers
// and bool as int8 (bool is 1 or 0, as on SQLite), strings as text; an empty
// std::optional, NullIfZero{0} and NullIfEmpty{""} as a typed NULL, Null{} as
// an untyped one; dates as text, an empty std::optional<CivilDate> as ''. Results are read in text
// format. An Insert's SQL ends in `RETURNING id`.
//
// Each write (Run, Insert, Change) runs inside its own savepoint: a failed
// statement (a unique violation the caller handles) is rolled back alone and
// the transaction carries on, as on SQLite, instead of PostgreSQL's "current
// transaction is aborted". Reads run bare.
//
// Every failure becomes an Error through PgError() (see there).

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit::pg {

// Maps a failed statement to an Error, by SQLSTATE (`sqlstate` may be empty
// when the connection itself failed):
//   23505 unique_violation                  -> kAlreadyExists "duplicate", naming `table`
//   other class 23 (foreign key, check, ...) -> kInternal "constraint_violation"
//   40001 serialization, 40P01 deadlock     -> kUnavailable "database_busy" (retried by
//                                              PostgresStore::Transact before it gets out)
//   53100 disk full                         -> kUnavailable "storage_full"
//   class 08, 57P01-57P03, 53300, no SQLSTATE with the connection gone
//                                           -> kUnavailable "store_unavailable"
//   anything else                           -> kInternal "database_error"
// The message carries `table` and the server's text (never parameter values).
Error PgError(std::string_view sqlstate, bool connection_lost, std::string_view table,
              std::string_view server_message);

// True for SQLSTATEs after which the whole transaction is retried.
bool IsRetryableSqlstate(std::string_view sqlstate);

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Parameters that bind as NULL: always, when the id is 0, when the text is empty.
struct Null {};
struct NullIfZero {
  std::int64_t value;
};
struct NullIfEmpty {
  std::string_view value;
};

// Parameters in libpq's form: text values (nullopt = NULL) and type OIDs.
class Params {
 public:
  void Add(std::int64_t value);
  void Add(int value) { Add(std::int64_t{value}); }
  void Add(bool value) { Add(std::int64_t{value ? 1 : 0}); }
  void Add(std::string_view value);
  void Add(const char* value) { Add(std::string_view(value)); }
  void Add(const std::string& value) { Add(std::string_view(value)); }
  void Add(Null);
  void Add(NullIfZero value);
  void Add(NullIfEmpty value);
  void Add(const std::optional<std::int64_t>& value);
  void Add(const std::optional<std::string>& value);
  // Domain values bind as their stored text; an empty one as NULL, so a
  // NOT NULL column refuses a record whose number was never filled in.
  void Add(const Msisdn& value) { Add(NullIfEmpty{value.e164()}); }
  void Add(const Iccid& value) { Add(NullIfEmpty{value.digits()}); }
  void Add(const Imsi& value) { Add(NullIfEmpty{value.digits()}); }
  // Dates bind as "YYYY-MM-DD"; an absent one as '', not NULL: the date
  // columns are TEXT NOT NULL with '' meaning none (read back with
  // OptionalDateColumn, pg_tx.hpp).
  void Add(const CivilDate& value) { Add(value.ToString()); }
  void Add(const std::optional<CivilDate>& value) {
    if (value) {
      Add(*value);
    } else {
      Add("");
    }
  }

  template <typename... Args>
  static Params Of(const Args&... args) {
    Params params;
    (params.Add(args), ...);
    return params;
  }

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  // Pointers into the values, valid while this object lives.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
};

// One row of a result. Columns are 0-based; NULL reads as 0 / "".
class Row {
 public:
  Row(const PGresult* result, int row) : result_(result), row_(row) {}
  bool IsNull(int column) const;
  std::int64_t Int64(int column) const;
  int Int(int column) const;
  std::string Text(int column) const;
  std::optional<std::int64_t> OptionalInt64(int column) const;

 private:
  const PGresult* result_;
  int row_;
};

// What a row reader returns (T or Result<T>), as Result<T>.
template <typename R>
struct RowResult {
  using type = R;
};
template <typename T>
struct RowResult<Result<T>> {
  using type = T;
};
template <typename Read>
using RowType =
    typename RowResult<std::remove_cvref_t<std::invoke_result_t<Read&, const Row&>>>::type;

class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Connects to `url` (a libpq connection URI or key=value string, passed
  // through unchanged). Errors: kUnavailable "store_unavailable" (the message
  // never repeats the password), kInvalidArgument "invalid_store_url" when
  // libpq cannot parse the URL.
  // `connect_timeout_seconds` applies when the URL sets no connect_timeout.
  Result<void> Open(const std::string& url, int connect_timeout_seconds = 5);
  // True when the connection is gone (the server restarted, the network broke).
  bool Broken() const;
  // The SQLSTATE of the latest failure was 40001/40P01 since ClearRetryable().
  bool retryable() const { return retryable_; }
  void ClearRetryable() { retryable_ = false; }

  // COMMIT; a transaction the server had aborted answers "ROLLBACK" to it,
  // which is kInternal "database_error" here (a statement failed and the
  // callback carried on regardless).
  Result<void> Commit();

  // Runs one or more statements without parameters (BEGIN, DDL, migrations).
  Result<void> Exec(const char* sql, std::string_view what);

  // A finished statement with `params`; its rows when it returns any.
  Result<ResultPtr> Query(const char* sql, std::string_view table, const Params& params);

  template <typename... Args>
  Result<void> Run(const char* sql, std::string_view table, const Args&... args) {
    SIMEXIT_TRY(Write(sql, table, Params::Of(args...)));
    return {};
  }

  // Runs an INSERT ... RETURNING id; returns the new row's id.
  template <typename... Args>
  Result<std::int64_t> Insert(const char* sql, std::string_view table, const Args&... args) {
    SIMEXIT_ASSIGN_OR_RETURN(ResultPtr result, Write(sql, table, Params::Of(args...)));
    return FirstId(result.get(), table);
  }

  // Runs an UPDATE or DELETE; returns how many rows it changed.
  template <typename... Args>
  Result<std::int64_t> Change(const char* sql, std::string_view table, const Args&... args) {
    SIMEXIT_ASSIGN_OR_RETURN(ResultPtr result, Write(sql, table, Params::Of(args...)));
    return ChangedRows(result.get());
  }

  // The first row, or nullopt when there is none.
  template <typename Read, typename... Args>
  Result<std::optional<RowType<Read>>> QueryOne(const char* sql, std::string_view table, Read read,
                                                const Args&... args) {
    using T = RowType<Read>;
    SIMEXIT_ASSIGN_OR_RETURN(ResultPtr result, Query(sql, table, Params::Of(args...)));
    if (PQntuples(result.get()) == 0) {
      return std::optional<T>();
    }
    SIMEXIT_ASSIGN_OR_RETURN(T value, Result<T>(read(Row(result.get(), 0))));
    return std::optional<T>(std::move(value));
  }

  // Every row, read with `read`.
  template <typename Read, typename... Args>
  Result<std::vector<RowType<Read>>> QueryAll(const char* sql, std::string_view table, Read read,
                                              const Args&... args) {
    using T = RowType<Read>;
    SIMEXIT_ASSIGN_OR_RETURN(ResultPtr result, Query(sql, table, Params::Of(args...)));
    std::vector<T> out;
    const int rows = PQntuples(result.get());
    out.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      SIMEXIT_ASSIGN_OR_RETURN(T value, Result<T>(read(Row(result.get(), i))));
      out.push_back(std::move(value));
    }
    return out;
  }

  // Same as QueryAll, for a statement that writes (UPDATE ... RETURNING):
  // inside its own savepoint.
  template <typename Read, typename... Args>
  Result<std::vector<RowType<Read>>> WriteAll(const char* sql, std::string_view table, Read read,
                                              const Args&... args) {
    using T = RowType<Read>;
    SIMEXIT_ASSIGN_OR_RETURN(ResultPtr result, Write(sql, table, Params::Of(args...)));
    std::vector<T> out;
    for (int i = 0; i < PQntuples(result.get()); ++i) {
      SIMEXIT_ASSIGN_OR_RETURN(T value, Result<T>(read(Row(result.get(), i))));
      out.push_back(std::move(value));
    }
    return out;
  }

  PGconn* handle() const { return conn_; }

 private:
  // Query inside a savepoint: a failure rolls back this statement only.
  Result<ResultPtr> Write(const char* sql, std::string_view table, const Params& params);
  Error Failure(const PGresult* result, std::string_view table);
  static Result<std::int64_t> FirstId(const PGresult* result, std::string_view table);
  static std::int64_t ChangedRows(const PGresult* result);

  PGconn* conn_ = nullptr;
  bool retryable_ = false;
};

// The URL with any password replaced by "***", for messages and logs.
std::string RedactUrl(std::string_view url);

}  // namespace simexit::pg
