#pragma once
// Store on SQLite: the embedded default (`simexit serve` with ./simexit.db).
//
// One connection per SqliteStore, guarded by a mutex, so transactions from
// threads of one process run one after another. Every Transact() is a
// `BEGIN IMMEDIATE` transaction: it takes the database's single write lock up
// front, so a second process on the same file (`simexit worker` beside
// `simexit serve`) waits up to the busy timeout instead of failing half-way.
// After the timeout Transact returns kUnavailable "database_busy"; the caller
// may retry the whole transaction.
//
// The connection runs in WAL mode (for files), with foreign keys enforced and
// synchronous=NORMAL (durable across process crashes; a power loss may lose
// the last commits but never corrupts the file).
//
// Store contract (store.hpp) plus these details:
//   - A unique-key conflict is kAlreadyExists "duplicate"; its message names the
//     table and columns (never the values). A missing row is kNotFound
//     "not_found"; Update* of a missing row too.
//   - A foreign-key or CHECK failure (e.g. a line for an unknown operator, an
//     admin API key with an operator) is kInternal "constraint_violation".
//   - At most one open (not final) termination per line: inserting a second is
//     kAlreadyExists "duplicate" (unique partial index).
//   - Empty ICCID/IMSI and empty job dedupe keys are stored as NULL, so they do
//     not collide; they read back as "".
//   - Update* write every field except id and created_at.
//   - List* order: operators, lines, jobs and events by id ascending;
//     terminations newest first (created_at, then id, descending). A limit <= 0
//     returns nothing.
//   - CompleteJob/FailJob of an unknown job: kNotFound "not_found"; of a job
//     that `owner` does not hold as running: kFailedPrecondition "lease_lost".
//     RetryJob of a running or done job: kFailedPrecondition "job_not_retryable".
//     ClaimJobs hands back running jobs whose lease expired with their attempts
//     counted as usual; the worker dead-letters those past max_attempts.
//   - Jobs' updated_at for CompleteJob/FailJob/ReleaseLeases is the database
//     host's wall clock (the port passes no `now` there).
//   - Transact called from inside a Transact callback returns kInternal
//     "reentrant_transaction" (instead of deadlocking).
//   - Migrate() returns kFailedPrecondition "schema_too_new" when the file has a
//     migration this binary does not know (an older binary on a newer file).

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "simexit/adapters/sqlite/migrations.hpp"
#include "simexit/adapters/sqlite/sqlite_db.hpp"
#include "simexit/ports/store.hpp"

namespace simexit {

struct SqliteOptions {
  // How long a transaction waits for another process's write lock.
  int busy_timeout_ms = 5000;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path` (":memory:" for a private
  // in-memory database) and configures the connection. Does not migrate.
  // Errors: kUnavailable "database_unavailable" when the file cannot be opened
  // or configured (missing directory, not a database, read-only).
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteOptions& options = {});

  Result<void> Migrate() override;
  Result<std::vector<int>> AppliedMigrations() override;
  Result<void> Transact(const std::function<Result<void>(StoreTx&)>& fn) override;

 private:
  SqliteStore() = default;

  Result<void> Configure(const SqliteOptions& options);
  Result<void> Begin();
  void Rollback();
  Result<std::vector<int>> AppliedLocked();
  Result<void> ApplyLocked(const sqlite::Migration& migration, int latest);

  std::mutex mu_;
  sqlite::Connection conn_;  // guarded by mu_
  // The thread inside Transact, to refuse re-entry instead of deadlocking.
  std::atomic<std::thread::id> tx_thread_{};
};

}  // namespace simexit
