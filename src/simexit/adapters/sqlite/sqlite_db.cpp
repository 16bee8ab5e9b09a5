#include "simexit/adapters/sqlite/sqlite_db.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <utility>

namespace simexit::sqlite {
namespace {

// SQLITE_TRANSIENT without the old-style cast in its macro: SQLite copies the text.
// SQLite's API defines it as -1 cast to a function pointer; no other spelling exists.
const sqlite3_destructor_type kTransient =
    reinterpret_cast<sqlite3_destructor_type>(  // NOLINT(performance-no-int-to-ptr)
        static_cast<std::intptr_t>(-1));

}  // namespace

Error SqliteError(int rc, std::string_view table, const char* sqlite_message) {
  const std::string detail = sqlite_message != nullptr ? sqlite_message : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{ErrorCode::kUnavailable, "database_busy",
                   fmt::format("database is busy ({}): {}", table, detail)};
    case SQLITE_FULL:
      return Error{ErrorCode::kUnavailable, "storage_full",
                   fmt::format("the database's disk is full ({}): {}", table, detail)};
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
      return Error{ErrorCode::kUnavailable, "database_unavailable",
                   fmt::format("database unavailable ({}): {}", table, detail)};
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Error{ErrorCode::kAlreadyExists, "duplicate",
                     fmt::format("duplicate {} ({})", table, detail)};
      }
      return Error{ErrorCode::kInternal, "constraint_violation",
                   fmt::format("constraint violated in {} ({})", table, detail)};
    default:
      return Error{ErrorCode::kInternal, "database_error",
                   fmt::format("database error ({}): {}", table, detail)};
  }
}

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, StmtPtr owned,
                     std::string_view table)
    : db_(db), stmt_(stmt), in_use_(in_use), owned_(std::move(owned)), table_(table) {
  if (in_use_ != nullptr) {
    *in_use_ = true;
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(std::move(other.owned_)),
      table_(other.table_),
      bind_error_(other.bind_error_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) {
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (in_use_ != nullptr) {
    *in_use_ = false;
  }
}

Statement& Statement::Bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value));
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) {
    bind_error_ = rc;
  }
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text64(stmt_, index, value.data(),
                               static_cast<sqlite3_uint64>(value.size()), kTransient, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) {
    bind_error_ = rc;
  }
  return *this;
}

Statement& Statement::Bind(int index, Null) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) {
    bind_error_ = rc;
  }
  return *this;
}

Statement& Statement::Bind(int index, NullIfZero value) {
  return value.value == 0 ? Bind(index, Null{}) : Bind(index, value.value);
}

Statement& Statement::Bind(int index, NullIfEmpty value) {
  return value.value.empty() ? Bind(index, Null{}) : Bind(index, value.value);
}

Statement& Statement::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : Bind(index, Null{});
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, *value) : Bind(index, Null{});
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) {
    return Fail(SqliteError(bind_error_, table_, "cannot bind a parameter"));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  // sqlite3_errmsg describes the latest failure on this connection, which is this one.
  return Fail(SqliteError(rc, table_, sqlite3_errmsg(db_)));
}

Result<void> Statement::Run() {
  while (true) {
    SIMEXIT_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) {
      return {};
    }
  }
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::Int64(int column) const {
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, column));
}

int Statement::Int(int column) const { return sqlite3_column_int(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) {
    return {};
  }
  int size = sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> Statement::OptionalInt64(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Int64(column);
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the handle closes
  if (db_ != nullptr) {
    sqlite3_close(db_);
  }
}

Result<void> Connection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Fail(ErrorCode::kUnavailable, "database_unavailable",
                fmt::format("cannot open the database: {}", detail));
  }
  db_ = db;
  sqlite3_extended_result_codes(db_, 1);
  return {};
}

Result<Statement> Connection::PrepareUnbound(const char* sql, std::string_view table) {
  auto [it, inserted] = cache_.try_emplace(sql);
  CachedStatement& slot = it->second;
  if (inserted || slot.stmt == nullptr) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) {
      cache_.erase(it);
      sqlite3_finalize(raw);
      return Fail(SqliteError(rc, table, sqlite3_errmsg(db_)));
    }
    slot.stmt.reset(raw);
  }
  if (!slot.in_use) {
    return Statement(db_, slot.stmt.get(), &slot.in_use, nullptr, table);
  }
  // The cached statement is being stepped by an outer caller: use a private one.
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return Fail(SqliteError(rc, table, sqlite3_errmsg(db_)));
  }
  StmtPtr owned(raw);
  return Statement(db_, raw, nullptr, std::move(owned), table);
}

Result<void> Connection::Exec(const char* sql, std::string_view what) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(rc, what, message != nullptr ? message : sqlite3_errmsg(db_));
    sqlite3_free(message);
    return Fail(std::move(error));
  }
  return {};
}

Result<std::string> Connection::QueryText(const char* sql, std::string_view what) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) {
    return Fail(SqliteError(rc, what, sqlite3_errmsg(db_)));
  }
  rc = sqlite3_step(raw);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(raw, 0);
    return text != nullptr ? std::string(reinterpret_cast<const char*>(text)) : std::string();
  }
  if (rc == SQLITE_DONE) {
    return std::string();
  }
  return Fail(SqliteError(rc, what, sqlite3_errmsg(db_)));
}

std::int64_t Connection::Changes() const {
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

std::int64_t Connection::LastInsertRowid() const {
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
}

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace simexit::sqlite
