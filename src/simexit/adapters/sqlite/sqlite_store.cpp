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
// FULL, not NORMAL: in WAL mode NORMAL skips the fsync at COMMIT, so a power
// loss or an OS crash can roll back a transaction that was already answered.
constexpr const char* kSynchronousFull = "PRAGMA synchronous = FULL";
constexpr const char* kForeignKeysOn = "PRAGMA foreign_keys = ON";
constexpr const char* kForeignKeysQuery = "PRAGMA foreign_keys";
constexpr const char* kBeginImmediate = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";
constexpr const char* kSavepointMember = "SAVEPOINT member";
constexpr const char* kReleaseMember = "RELEASE member";
constexpr const char* kRollbackMember = "ROLLBACK TO member; RELEASE member";

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
  // journal mode. Every file gets full sync.
  SIMEXIT_TRY(conn_.QueryText(kJournalModeWal, "journal_mode"));
  SIMEXIT_TRY(conn_.Exec(kSynchronousFull, "synchronous"));
  SIMEXIT_TRY(conn_.Exec(kForeignKeysOn, "foreign_keys"));
  SIMEXIT_ASSIGN_OR_RETURN(std::string fk_on, conn_.QueryText(kForeignKeysQuery, "foreign_keys"));
  if (fk_on != "1") {
    return Fail(ErrorCode::kUnavailable, "database_unavailable",
                "this SQLite build cannot enforce foreign keys");
  }
  before_commit_ = options.before_commit;
  if (before_commit_) {
    sqlite3_commit_hook(conn_.handle(), &SqliteStore::OnCommit, this);
  }
  return {};
}

int SqliteStore::OnCommit(void* self) {
  return static_cast<SqliteStore*>(self)->before_commit_() ? 0 : 1;
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
  if (group_) {
    FinishGroupLocked();
  }
  return AppliedLocked();
}

Result<void> SqliteStore::Migrate() {
  std::lock_guard<std::mutex> lock(mu_);
  if (group_) {
    FinishGroupLocked();
  }
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

// Group commit. Each caller takes the connection in turn; the first of a group
// opens the transaction, every caller runs in its own savepoint, and the caller
// that finds nobody else arriving (or fills the group) commits for all. The
// others wait on `group_done_` with the connection free, so the next arrivals
// join the same transaction while they wait.
Result<void> SqliteStore::Transact(const std::function<Result<void>(StoreTx&)>& fn) {
  if (tx_thread_.load() == std::this_thread::get_id()) {
    return Fail(ErrorCode::kInternal, "reentrant_transaction",
                "Transact was called from inside a transaction");
  }
  arriving_.fetch_add(1);
  std::unique_lock<std::mutex> lock(mu_);
  arriving_.fetch_sub(1);
  if (!group_) {
    if (Result<void> begun = Begin(); !begun) {
      return begun;
    }
    group_ = std::make_shared<Group>();
  }
  const std::shared_ptr<Group> group = group_;
  Turn turn;
  try {
    turn = RunInSavepoint(fn);
  } catch (...) {
    if (!conn_.InTransaction()) {
      FinishGroupLocked(Error{ErrorCode::kUnavailable, "transaction_aborted",
                              "the database aborted the transaction"});
    } else if (group->members == 0 || arriving_.load() == 0) {
      FinishGroupLocked();
    }
    throw;
  }
  if (turn.group_lost) {
    // SQLite rolled the whole transaction back (I/O error, disk full, ...):
    // nothing of this group is in the database.
    Error lost = !turn.result && turn.result.error().code == ErrorCode::kUnavailable
                     ? turn.result.error()
                     : Error{ErrorCode::kUnavailable, "transaction_aborted",
                             "the database aborted the transaction"};
    FinishGroupLocked(lost);
    return turn.result ? Result<void>(Fail(std::move(lost))) : turn.result;
  }
  // A caller waits for the COMMIT when its work, or what it read, is in it.
  const bool waits = turn.result && (turn.wrote || group->wrote);
  if (waits) {
    ++group->members;
    group->wrote = group->wrote || turn.wrote;
  }
  if (group->members == 0 || group->members >= kMaxGroup || arriving_.load() == 0) {
    FinishGroupLocked();
  }
  if (!waits) {
    return turn.result;
  }
  group_done_.wait(lock, [&group] { return group->done; });
  return group->outcome;
}

SqliteStore::Turn SqliteStore::RunInSavepoint(const std::function<Result<void>(StoreTx&)>& fn) {
  Turn turn;
  if (Result<void> opened = conn_.Exec(kSavepointMember, "transaction"); !opened) {
    turn.result = opened;
    turn.group_lost = !conn_.InTransaction();
    return turn;
  }
  const std::int64_t changes_before = sqlite3_total_changes64(conn_.handle());
  sqlite::SqliteTx tx(conn_);
  tx_thread_.store(std::this_thread::get_id());
  try {
    turn.result = fn(tx);
  } catch (...) {
    tx_thread_.store(std::thread::id());
    if (conn_.InTransaction()) {
      (void)conn_.Exec(kRollbackMember, "transaction");
    }
    throw;
  }
  tx_thread_.store(std::thread::id());
  if (!conn_.InTransaction()) {
    turn.group_lost = true;
    return turn;
  }
  if (turn.result) {
    turn.result = conn_.Exec(kReleaseMember, "transaction");
  }
  if (!turn.result) {
    (void)conn_.Exec(kRollbackMember, "transaction");
    turn.group_lost = !conn_.InTransaction();
    return turn;
  }
  turn.wrote = sqlite3_total_changes64(conn_.handle()) != changes_before;
  return turn;
}

void SqliteStore::FinishGroupLocked(std::optional<Error> lost) {
  const std::shared_ptr<Group> group = std::move(group_);
  if (lost) {
    Rollback();
    group->outcome = Fail(*std::move(lost));
  } else if (Result<void> committed = conn_.Exec(kCommit, "transaction"); committed) {
    group->outcome = {};
  } else {
    Error error = committed.error();
    // An I/O error while writing the commit (ENOSPC shows up as SQLITE_FULL
    // or as a failed write): the callers may retry once space returns.
    if ((sqlite3_extended_errcode(conn_.handle()) & 0xff) == SQLITE_IOERR) {
      error.code = ErrorCode::kUnavailable;
      error.problem_code = "storage_full";
    }
    Rollback();
    group->outcome = Fail(std::move(error));
  }
  group->done = true;
  group_done_.notify_all();
}

}  // namespace simexit
