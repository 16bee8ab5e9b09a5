#pragma once
// Store on PostgreSQL 15 (`store.url = "postgresql://..."`; docs/storage.md).
//
// A pool of up to `pool_size` libpq connections, opened on demand from the
// URL exactly as given (so multi-host URLs with target_session_attrs=read-write
// find the primary after a fail-over). A connection that broke is dropped and
// a new one opened on the next Transact; while the server cannot be reached,
// attempts are spaced by a back-off (100 ms doubling to 2 s) and Transact
// fails fast with kUnavailable "store_unavailable" in between.
//
// Concurrency: each Transact runs `BEGIN` (READ COMMITTED) and then takes one
// transaction-scoped advisory lock, the same key for every transaction of
// every simexit process on the database, before the callback runs. So
// transactions run one at a time across all instances, exactly as SQLite's
// BEGIN IMMEDIATE serialises them, and the services' read-decide-write
// callbacks (and the audit chain's head) are correct by construction. Job
// claims still use FOR UPDATE SKIP LOCKED. A COMMIT returns once the WAL is
// flushed (synchronous_commit is the server's, `on` by default), so an
// answered write is durable.
//
// A serialization failure (40001) or a deadlock (40P01) rolls back and reruns
// the whole callback, up to kMaxAttempts times with jittered back-off, then
// returns kUnavailable "database_busy". A connection lost in a transaction is
// kUnavailable "store_unavailable" (whether a COMMIT that lost its answer took
// effect is unknown; the caller's retry, with its idempotency key, decides).
//
// The rest of the contract (errors, NULLs for empty ids, list orders,
// reentrancy) is SqliteStore's (sqlite_store.hpp), with these differences:
//   - ids come from identity columns: a rolled-back insert uses an id up;
//   - a unique-key conflict is kAlreadyExists "duplicate" (SQLSTATE 23505),
//     any other constraint kInternal "constraint_violation".

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "simexit/adapters/postgres/pg_db.hpp"
#include "simexit/ports/store.hpp"

namespace simexit {

struct PostgresOptions {
  // The most connections the pool opens.
  int pool_size = 8;
  // Seconds libpq waits for a connection (connect_timeout, when the URL has none).
  int connect_timeout_seconds = 5;
};

class PostgresStore final : public Store {
 public:
  // Connects once to check that `url` works (and tells a malformed URL,
  // kInvalidArgument "invalid_store_url", from a server that cannot be
  // reached, kUnavailable "store_unavailable"; neither message shows the
  // password). Does not migrate.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                     const PostgresOptions& options = {});
  ~PostgresStore() override;

  Result<void> Migrate() override;
  Result<std::vector<int>> AppliedMigrations() override;
  Result<void> Transact(const std::function<Result<void>(StoreTx&)>& fn) override;

  // Attempts of one Transact when the server reports 40001 or 40P01.
  static constexpr int kMaxAttempts = 10;
  // The advisory lock every transaction takes ("simexit" in ASCII).
  static constexpr std::int64_t kTransactionLock = 0x73696d65786974;

 private:
  explicit PostgresStore(std::string url, const PostgresOptions& options);

  // A connection from the pool (opening one when none is idle and the pool is
  // not full, waiting otherwise), or kUnavailable.
  Result<std::unique_ptr<pg::Connection>> Acquire();
  // Back to the pool; a broken connection is closed instead.
  void Release(std::unique_ptr<pg::Connection> conn);
  Result<void> RunOnce(pg::Connection& conn, const std::function<Result<void>(StoreTx&)>& fn);
  Result<std::vector<int>> AppliedLocked(pg::Connection& conn);

  std::string url_;
  PostgresOptions options_;
  std::mutex mu_;
  std::condition_variable idle_cv_;
  std::vector<std::unique_ptr<pg::Connection>> idle_;     // guarded by mu_
  int open_ = 0;                                          // connections handed out or idle
  std::chrono::steady_clock::time_point next_connect_{};  // back-off while unreachable
  std::chrono::milliseconds backoff_{0};
};

}  // namespace simexit
