#pragma once
// Store on SQLite: the embedded default (`simexit serve` with ./simexit.db).
//
// One connection per SqliteStore, guarded by a mutex. Transactions are group
// committed: concurrent Transact calls share one `BEGIN IMMEDIATE ... COMMIT`.
// Each caller's callback runs alone on the connection, in its own SAVEPOINT
// inside the shared transaction: released when the callback returns a value,
// rolled back to when it returns an error (or throws), so one caller's failure
// never touches another's work. The last caller in (no other thread waiting
// for the connection), or the 64th, commits the group; every caller whose work
// is in it is answered only after that COMMIT succeeded, and a failed COMMIT
// fails every one of them with the store's error. One fsync thus makes a whole
// group durable. A callback that wrote nothing and saw no uncommitted writes
// of its group returns without waiting.
//
// BEGIN IMMEDIATE takes the database's single write lock up front, so a second
// process on the same file (`simexit worker` beside `simexit serve`) waits up
// to the busy timeout instead of failing half-way. After the timeout Transact
// returns kUnavailable "database_busy"; the caller may retry the whole
// transaction.
//
// The connection runs in WAL mode (for files), with foreign keys enforced and
// synchronous=FULL: every COMMIT fsyncs the write-ahead log, so a transaction
// Transact reported as committed survives a power loss or an OS crash.
//
// A full disk (SQLITE_FULL), and an I/O error while committing, is
// kUnavailable "storage_full": nothing of the transaction is written; the
// caller may retry once space returns.
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
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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
  // For tests of the group commit: called inside every COMMIT before SQLite
  // writes it (sqlite3_commit_hook, on the thread that commits, with the
  // connection's mutex held); returning false turns that COMMIT into a
  // failure. Empty in production.
  std::function<bool()> before_commit;
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

  // The most transactions one COMMIT holds.
  static constexpr int kMaxGroup = 64;

 private:
  // The transactions sharing one BEGIN IMMEDIATE ... COMMIT.
  struct Group {
    int members = 0;     // callers waiting for this group's COMMIT
    bool wrote = false;  // a member changed a row (later members may have read it)
    bool done = false;   // committed or failed; `outcome` says which
    Result<void> outcome;
  };
  // What one caller's turn on the connection left behind.
  struct Turn {
    Result<void> result;      // the caller's own outcome
    bool wrote = false;       // its savepoint changed a row
    bool group_lost = false;  // SQLite rolled the whole transaction back
  };

  SqliteStore() = default;

  Result<void> Configure(const SqliteOptions& options);
  Result<void> Begin();
  void Rollback();
  Result<std::vector<int>> AppliedLocked();
  Result<void> ApplyLocked(const sqlite::Migration& migration, int latest);
  Turn RunInSavepoint(const std::function<Result<void>(StoreTx&)>& fn);
  // Ends the open group with a COMMIT (or with `lost` when SQLite already
  // rolled it back) and wakes its members.
  void FinishGroupLocked(std::optional<Error> lost = std::nullopt);
  static int OnCommit(void* self);

  std::mutex mu_;
  sqlite::Connection conn_;       // guarded by mu_
  std::shared_ptr<Group> group_;  // the open group, guarded by mu_; null when none
  std::condition_variable group_done_;
  // Threads inside Transact that do not hold mu_ yet: while there are any, the
  // group stays open for them.
  std::atomic<int> arriving_{0};
  std::function<bool()> before_commit_;
  // The thread inside Transact, to refuse re-entry instead of deadlocking.
  std::atomic<std::thread::id> tx_thread_{};
};

}  // namespace simexit
