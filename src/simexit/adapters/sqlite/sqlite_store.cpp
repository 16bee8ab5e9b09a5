// SqliteStore: opening and configuring the connection, migrations and
// transactions. The StoreTx methods live in one file per aggregate (see
// sqlite_tx.hpp).

#include "simexit/adapters/sqlite/sqlite_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "simexit/adapters/sqlite/migrations.hpp"
#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit {

namespace sqlite {

Error NotFound(std::string_view what) { return NotFoundAs("not_found", what); }

Error NotFoundAs(std::string_view reason, std::string_view what) {
  return Error{ErrorCode::kNotFound, std::string(reason), fmt::format("{} not found", what)};
}

Error Corrupt(std::string_view table, std::string_view column) {
  return Error{ErrorCode::kInternal, "corrupt_row",
               fmt::format("unreadable value in {}.{}", table, column)};
}

}  // namespace sqlite

namespace {

using sqlite::Statement;

// Connection set-up and transactions.
constexpr const char* kJournalModeWal = "PRAGMA journal_mode = WAL";
constexpr const char* kSynchronousNormal = "PRAGMA synchronous = NORMAL";
constexpr const char* kForeignKeysOn = "PRAGMA foreign_keys = ON";
constexpr const char* kForeignKeysQuery = "PRAGMA foreign_keys";
constexpr const char* kBeginImmediate = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";

constexpr const char* kCreateSchemaMigrations = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT)sql";
constexpr const char* kSchemaMigrationsExists = R"sql(
SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations')sql";
constexpr const char* kAppliedMigrations = "SELECT version FROM schema_migrations ORDER BY version";
constexpr const char* kRecordMigration = R"sql(
INSERT INTO schema_migrations (version, name, applied_at)
VALUES (?1, ?2, CAST(strftime('%s', 'now') AS INTEGER)))sql";

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  SIMEXIT_TRY(store->conn_.Open(path));
  if (Result<void> configured = store->Configure(options); !configured) {
    Error error = configured.error();
    error.code = ErrorCode::kUnavailable;
    error.problem_code = "database_unavailable";
    return Fail(std::move(error));
  }
  return store;
}

Result<void> SqliteStore::Configure(const SqliteOptions& options) {
  sqlite3_busy_timeout(conn_.handle(), options.busy_timeout_ms);
  // In-memory databases answer "memory"; any file that cannot do WAL keeps its
  // journal mode (and full sync, below).
  SIMEXIT_ASSIGN_OR_RETURN(std::string mode, conn_.QueryText(kJournalModeWal, "journal_mode"));
  if (mode == "wal") {
    SIMEXIT_TRY(conn_.Exec(kSynchronousNormal, "synchronous"));
  }
  SIMEXIT_TRY(conn_.Exec(kForeignKeysOn, "foreign_keys"));
  SIMEXIT_ASSIGN_OR_RETURN(std::string fk_on, conn_.QueryText(kForeignKeysQuery, "foreign_keys"));
  if (fk_on != "1") {
    return Fail(ErrorCode::kUnavailable, "database_unavailable",
                "this SQLite build cannot enforce foreign keys");
  }
  return {};
}

Result<void> SqliteStore::Begin() { return conn_.Exec(kBeginImmediate, "transaction"); }

void SqliteStore::Rollback() {
  if (conn_.InTransaction()) {
    (void)conn_.Exec(kRollback, "transaction");
  }
}

Result<std::vector<int>> SqliteStore::AppliedLocked() {
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::int64_t> tables,
                           conn_.QueryOne(kSchemaMigrationsExists, "schema_migrations",
                                          [](const Statement& row) { return row.Int64(0); }));
  if (tables.value_or(0) == 0) {
    return std::vector<int>();
  }
  return conn_.QueryAll(kAppliedMigrations, "schema_migrations",
                        [](const Statement& row) { return row.Int(0); });
}

Result<std::vector<int>> SqliteStore::AppliedMigrations() {
  std::lock_guard<std::mutex> lock(mu_);
  return AppliedLocked();
}

Result<void> SqliteStore::Migrate() {
  std::lock_guard<std::mutex> lock(mu_);
  SIMEXIT_TRY(conn_.Exec(kCreateSchemaMigrations, "schema_migrations"));
  const std::span<const sqlite::Migration> migrations = sqlite::Migrations();
  for (const sqlite::Migration& migration : migrations) {
    SIMEXIT_TRY(Begin());
    Result<void> applied = ApplyLocked(migration, migrations.back().version);
    if (!applied) {
      Rollback();
      return applied;
    }
    // Ends the transaction when ApplyLocked did not commit (already recorded).
    Rollback();
  }
  return {};
}

// Inside Migrate's write transaction: runs and records `migration` unless it is
// recorded already (another process may have just applied it); commits when it
// ran. Refuses a database that has a migration newer than `latest`.
Result<void> SqliteStore::ApplyLocked(const sqlite::Migration& migration, int latest) {
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<int> applied, AppliedLocked());
  if (!applied.empty() && applied.back() > latest) {
    return Fail(ErrorCode::kFailedPrecondition, "schema_too_new",
                fmt::format("the database has migration {}; this build knows up to {}",
                            applied.back(), latest));
  }
  if (std::find(applied.begin(), applied.end(), migration.version) != applied.end()) {
    return {};
  }
  SIMEXIT_TRY(conn_.Exec(migration.sql, migration.name));
  SIMEXIT_TRY(conn_.Run(kRecordMigration, "schema_migrations", migration.version, migration.name));
  return conn_.Exec(kCommit, "transaction");
}

Result<void> SqliteStore::Transact(const std::function<Result<void>(StoreTx&)>& fn) {
  if (tx_thread_.load() == std::this_thread::get_id()) {
    return Fail(ErrorCode::kInternal, "reentrant_transaction",
                "Transact was called from inside a transaction");
  }
  std::lock_guard<std::mutex> lock(mu_);
  SIMEXIT_TRY(Begin());
  sqlite::SqliteTx tx(conn_);
  Result<void> result;
  tx_thread_.store(std::this_thread::get_id());
  try {
    result = fn(tx);
  } catch (...) {
    tx_thread_.store(std::thread::id());
    Rollback();
    throw;
  }
  tx_thread_.store(std::thread::id());
  if (!result) {
    Rollback();
    return result;
  }
  if (!conn_.InTransaction()) {
    // SQLite rolled the transaction back itself (I/O error, disk full, ...)
    // while the callback carried on: nothing it did is in the database.
    return Fail(ErrorCode::kUnavailable, "transaction_aborted",
                "the database aborted the transaction");
  }
  if (Result<void> committed = conn_.Exec(kCommit, "transaction"); !committed) {
    Rollback();
    return committed;
  }
  return {};
}

}  // namespace simexit
