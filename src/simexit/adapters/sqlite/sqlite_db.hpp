#pragma once
// A thin RAII layer over the SQLite C API, private to the SQLite store.
//
// Connection owns one sqlite3 handle and a cache of prepared statements keyed
// by SQL text. Statement is a borrowed, single-use cursor over a cached (or,
// when that one is busy, a fresh) prepared statement: its destructor resets and
// clears it for the next user. Neither class is thread-safe; SqliteStore guards
// its Connection with a mutex.
//
// Every SQLite failure becomes an Error through SqliteError() (see there).

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "simexit/common/result.hpp"

namespace simexit::sqlite {

// Maps an SQLite result code (extended codes enabled) to an Error:
//   SQLITE_BUSY, SQLITE_LOCKED         -> kUnavailable "database_busy"
//   SQLITE_CANTOPEN, IOERR, FULL, ...  -> kUnavailable "database_unavailable"
//   SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY-> kAlreadyExists "duplicate", naming `table`
//   other constraint failures          -> kInternal "constraint_violation"
//   anything else                      -> kInternal "database_error"
// The message carries `table` and SQLite's own text (column names, never values).
Error SqliteError(int rc, std::string_view table, const char* sqlite_message);

struct StmtDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

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
  Statement& BindNull(int index);
  // NULL when `value` is empty.
  Statement& BindOptional(int index, const std::optional<std::int64_t>& value);
  // NULL when `value` is empty ("" or 0 stand for "none" in some records).
  Statement& BindTextOrNull(int index, std::string_view value);
  Statement& BindIdOrNull(int index, std::int64_t id);

  // Advances: true when a row is available, false when done.
  Result<bool> Step();
  // Steps until done, ignoring rows.
  Result<void> Run();

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
  // cache). `table` names the thing it touches, for error messages.
  Result<Statement> Prepare(const char* sql, std::string_view table);

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

  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, CachedStatement> cache_;
};

}  // namespace simexit::sqlite
