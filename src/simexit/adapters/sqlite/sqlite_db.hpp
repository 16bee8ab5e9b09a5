#pragma once
// A thin RAII layer over the SQLite C API, private to the SQLite store.
//
// Connection owns one sqlite3 handle and a cache of prepared statements keyed
// by SQL text. Statement is a borrowed, single-use cursor over a cached (or,
// when that one is busy, a fresh) prepared statement: its destructor resets and
// clears it for the next user. Neither class is thread-safe; SqliteStore guards
// its Connection with a mutex.
//
// The one way the adapter talks to the database is a single call that
// prepares, binds every parameter in order (?1, ?2, ...) and steps:
//
//   conn.Insert(kInsertLine, "lines", line.operator_id, NullIfZero{line.holder_id}, ...)
//   conn.Change(kUpdateLine, "lines", ...)            // rows changed
//   conn.Run(kRevoke, "staff_sessions", staff_id, at)
//   conn.QueryOne(kGetLine, "lines", ReadLine, id)    // Result<std::optional<LineRecord>>
//   conn.QueryAll(kListLines, "lines", ReadLine, operator_id, limit)
//
// A row reader takes `const Statement&` and returns T or Result<T>.
// Parameters bind by type: integers and bool as INTEGER, strings as TEXT, an
// empty std::optional, Null{}, NullIfZero{0} and NullIfEmpty{""} as NULL
// (except an empty std::optional<CivilDate>: '', see Bind).
//
// Every SQLite failure becomes an Error through SqliteError() (see there).

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit::sqlite {

// Maps an SQLite result code (extended codes enabled) to an Error:
//   SQLITE_BUSY, SQLITE_LOCKED         -> kUnavailable "database_busy"
//   SQLITE_FULL                        -> kUnavailable "storage_full"
//   SQLITE_CANTOPEN, IOERR, ...        -> kUnavailable "database_unavailable"
//   SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY-> kAlreadyExists "duplicate", naming `table`
//   other constraint failures          -> kInternal "constraint_violation"
//   anything else                      -> kInternal "database_error"
// The message carries `table` and SQLite's own text (column names, never values).
Error SqliteError(int rc, std::string_view table, const char* sqlite_message);

struct StmtDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// Parameters that bind as NULL: always, when the id is 0, when the text is
// empty ("" and 0 stand for "none" in some records).
struct Null {};
struct NullIfZero {
  std::int64_t value;
};
struct NullIfEmpty {
  std::string_view value;
};

class Statement;

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
    typename RowResult<std::remove_cvref_t<std::invoke_result_t<Read&, const Statement&>>>::type;

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, StmtPtr owned, std::string_view table);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL (?1, ?2, ...). Text is copied.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, int value) { return Bind(index, std::int64_t{value}); }
  Statement& Bind(int index, bool value) { return Bind(index, std::int64_t{value ? 1 : 0}); }
  Statement& Bind(int index, Null);
  Statement& Bind(int index, NullIfZero value);
  Statement& Bind(int index, NullIfEmpty value);
  Statement& Bind(int index, const std::optional<std::int64_t>& value);
  Statement& Bind(int index, const std::optional<std::string>& value);
  // Domain values bind as their stored text; an empty one as NULL, so a
  // NOT NULL column refuses a record whose number was never filled in.
  Statement& Bind(int index, const Msisdn& value) { return Bind(index, NullIfEmpty{value.e164()}); }
  Statement& Bind(int index, const Iccid& value) {
    return Bind(index, NullIfEmpty{value.digits()});
  }
  Statement& Bind(int index, const Imsi& value) { return Bind(index, NullIfEmpty{value.digits()}); }
  // Dates bind as "YYYY-MM-DD"; an absent one as '', not NULL: the date
  // columns are TEXT NOT NULL with '' meaning none (read back with
  // OptionalDateColumn, sqlite_tx.hpp).
  Statement& Bind(int index, const CivilDate& value) { return Bind(index, value.ToString()); }
  Statement& Bind(int index, const std::optional<CivilDate>& value) {
    return value ? Bind(index, *value) : Bind(index, "");
  }

  // Binds `args` to ?1, ?2, ... in order.
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  // Advances: true when a row is available, false when done.
  Result<bool> Step();
  // Steps until done, ignoring rows.
  Result<void> Run();

  // The first row read with `read`, or nullopt when there is none; steps to
  // the end (an UPDATE ... RETURNING finishes its work).
  template <typename Read>
  Result<std::optional<RowType<Read>>> One(Read read) {
    using T = RowType<Read>;
    SIMEXIT_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) {
      return std::optional<T>();
    }
    SIMEXIT_ASSIGN_OR_RETURN(T value, Result<T>(read(std::as_const(*this))));
    SIMEXIT_TRY(Run());
    return std::optional<T>(std::move(value));
  }

  // Every row, read with `read`.
  template <typename Read>
  Result<std::vector<RowType<Read>>> All(Read read) {
    using T = RowType<Read>;
    std::vector<T> out;
    while (true) {
      SIMEXIT_ASSIGN_OR_RETURN(bool row, Step());
      if (!row) {
        return out;
      }
      SIMEXIT_ASSIGN_OR_RETURN(T value, Result<T>(read(std::as_const(*this))));
      out.push_back(std::move(value));
    }
  }

  // Columns are 0-based. NULL reads as 0 / "".
  bool IsNull(int column) const;
  std::int64_t Int64(int column) const;
  int Int(int column) const;
  std::string Text(int column) const;
  std::optional<std::int64_t> OptionalInt64(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache slot's flag; nullptr for an owned statement
  StmtPtr owned_;
  std::string_view table_;
  int bind_error_ = SQLITE_OK;
};

class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Opens (creating) the database at `path`; ":memory:" is a private database.
  // Errors: kUnavailable "database_unavailable".
  Result<void> Open(const std::string& path);

  // A statement for `sql` (which must have static storage duration: it keys the
  // cache) with `args` bound to ?1, ?2, ... `table` names the thing it
  // touches, for error messages.
  template <typename... Args>
  Result<Statement> Prepare(const char* sql, std::string_view table, const Args&... args) {
    Result<Statement> stmt = PrepareUnbound(sql, table);
    if (stmt) {
      stmt->BindAll(args...);
    }
    return stmt;
  }

  // Runs a statement to the end, ignoring any rows.
  template <typename... Args>
  Result<void> Run(const char* sql, std::string_view table, const Args&... args) {
    SIMEXIT_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql, table, args...));
    return stmt.Run();
  }

  // Runs an INSERT; returns the new row's rowid.
  template <typename... Args>
  Result<std::int64_t> Insert(const char* sql, std::string_view table, const Args&... args) {
    SIMEXIT_TRY(Run(sql, table, args...));
    return LastInsertRowid();
  }

  // Runs an UPDATE or DELETE; returns how many rows it changed.
  template <typename... Args>
  Result<std::int64_t> Change(const char* sql, std::string_view table, const Args&... args) {
    SIMEXIT_TRY(Run(sql, table, args...));
    return Changes();
  }

  // The first row (see Statement::One) and every row (Statement::All).
  template <typename Read, typename... Args>
  Result<std::optional<RowType<Read>>> QueryOne(const char* sql, std::string_view table, Read read,
                                                const Args&... args) {
    SIMEXIT_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql, table, args...));
    return stmt.One(std::move(read));
  }
  template <typename Read, typename... Args>
  Result<std::vector<RowType<Read>>> QueryAll(const char* sql, std::string_view table, Read read,
                                              const Args&... args) {
    SIMEXIT_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql, table, args...));
    return stmt.All(std::move(read));
  }

  // Runs one or more statements without parameters (pragmas, BEGIN, DDL).
  Result<void> Exec(const char* sql, std::string_view what);

  // Runs a statement that returns one text value (e.g. PRAGMA journal_mode).
  Result<std::string> QueryText(const char* sql, std::string_view what);

  sqlite3* handle() const { return db_; }
  std::int64_t Changes() const;
  std::int64_t LastInsertRowid() const;
  bool InTransaction() const;

 private:
  struct CachedStatement {
    StmtPtr stmt;
    bool in_use = false;
  };

  Result<Statement> PrepareUnbound(const char* sql, std::string_view table);

  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, CachedStatement> cache_;
};

}  // namespace simexit::sqlite
