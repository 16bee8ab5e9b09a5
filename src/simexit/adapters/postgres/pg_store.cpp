// PostgresStore: the connection pool, migrations and transactions. The
// StoreTx methods live in one file per aggregate (see pg_tx.hpp).

#include "simexit/adapters/postgres/pg_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <thread>
#include <utility>

#include "simexit/adapters/postgres/migrations.hpp"
#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit {

namespace pg {

Error NotFound(std::string_view what) { return NotFoundAs("not_found", what); }

Error NotFoundAs(std::string_view reason, std::string_view what) {
  return Error{ErrorCode::kNotFound, std::string(reason), fmt::format("{} not found", what)};
}

Error Corrupt(std::string_view table, std::string_view column) {
  return Error{ErrorCode::kInternal, "corrupt_row",
               fmt::format("unreadable value in {}.{}", table, column)};
}

}  // namespace pg

namespace {

constexpr const char* kBegin = "BEGIN ISOLATION LEVEL READ COMMITTED";
constexpr const char* kRollback = "ROLLBACK";
// PostgresStore::kTransactionLock, spelled out: a constant keeps the statement static.
constexpr const char* kLock = "SELECT pg_advisory_xact_lock(32485540896467316)";
static_assert(PostgresStore::kTransactionLock == 32485540896467316);

constexpr const char* kCreateSchemaMigrations = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    BIGINT PRIMARY KEY,
  name       TEXT   NOT NULL,
  applied_at BIGINT NOT NULL
))sql";
constexpr const char* kSchemaMigrationsExists =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";
constexpr const char* kAppliedMigrations = "SELECT version FROM schema_migrations ORDER BY version";
constexpr const char* kRecordMigration = R"sql(
INSERT INTO schema_migrations (version, name, applied_at)
VALUES ($1, $2, FLOOR(EXTRACT(EPOCH FROM clock_timestamp()))::BIGINT))sql";

// The store whose transaction this thread is in, to refuse re-entry.
thread_local const PostgresStore* tl_transacting = nullptr;

void RollbackQuietly(pg::Connection& conn) {
  if (!conn.Broken()) {
    (void)conn.Exec(kRollback, "transaction");
  }
}

// A pause before attempt `attempt` (2, 3, ...): 2 ms doubling to at most
// 200 ms, with half of it random so that competing callers spread out.
std::chrono::microseconds Backoff(int attempt) {
  thread_local std::mt19937 rng(std::random_device{}());
  const std::int64_t cap =
      std::min<std::int64_t>(200'000, std::int64_t{2000} << std::min(attempt, 10));
  std::uniform_int_distribution<std::int64_t> jitter(cap / 2, cap);
  return std::chrono::microseconds(jitter(rng));
}

}  // namespace

PostgresStore::PostgresStore(std::string url, const PostgresOptions& options)
    : url_(std::move(url)), options_(options) {
  options_.pool_size = std::max(1, options_.pool_size);
}

PostgresStore::~PostgresStore() = default;

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           const PostgresOptions& options) {
  std::unique_ptr<PostgresStore> store(new PostgresStore(url, options));
  auto conn = std::make_unique<pg::Connection>();
  SIMEXIT_TRY(conn->Open(url, store->options_.connect_timeout_seconds));
  store->open_ = 1;
  store->Release(std::move(conn));
  return store;
}

Result<std::unique_ptr<pg::Connection>> PostgresStore::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!idle_.empty()) {
      std::unique_ptr<pg::Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    if (open_ < options_.pool_size) {
      break;
    }
    idle_cv_.wait(lock);
  }
  const auto now = std::chrono::steady_clock::now();
  if (now < next_connect_) {
    return Fail(ErrorCode::kUnavailable, "store_unavailable",
                "PostgreSQL cannot be reached; reconnecting with back-off");
  }
  ++open_;
  lock.unlock();
  auto conn = std::make_unique<pg::Connection>();
  Result<void> opened = conn->Open(url_, options_.connect_timeout_seconds);
  lock.lock();
  if (!opened) {
    --open_;
    backoff_ = std::min<std::chrono::milliseconds>(
        backoff_.count() == 0 ? std::chrono::milliseconds(100) : backoff_ * 2,
        std::chrono::milliseconds(2000));
    next_connect_ = std::chrono::steady_clock::now() + backoff_;
    idle_cv_.notify_one();
    Error error = opened.error();
    error.code = ErrorCode::kUnavailable;
    error.problem_code = "store_unavailable";
    return Fail(std::move(error));
  }
  backoff_ = std::chrono::milliseconds(0);
  return conn;
}

void PostgresStore::Release(std::unique_ptr<pg::Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn->Broken()) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  idle_cv_.notify_one();
}

Result<std::vector<int>> PostgresStore::AppliedLocked(pg::Connection& conn) {
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::string> exists,
                           conn.QueryOne(kSchemaMigrationsExists, "schema_migrations",
                                         [](const pg::Row& row) { return row.Text(0); }));
  if (exists.value_or("f") != "t") {
    return std::vector<int>();
  }
  return conn.QueryAll(kAppliedMigrations, "schema_migrations",
                       [](const pg::Row& row) { return row.Int(0); });
}

Result<std::vector<int>> PostgresStore::AppliedMigrations() {
  SIMEXIT_ASSIGN_OR_RETURN(std::unique_ptr<pg::Connection> conn, Acquire());
  Result<std::vector<int>> applied = AppliedLocked(*conn);
  Release(std::move(conn));
  return applied;
}

// Each migration in its own transaction under the transaction lock, so two
// processes starting together apply each migration once.
Result<void> PostgresStore::Migrate() {
  SIMEXIT_ASSIGN_OR_RETURN(std::unique_ptr<pg::Connection> conn, Acquire());
  const auto apply = [&](const pg::Migration* migration, int latest) -> Result<void> {
    SIMEXIT_TRY(conn->Exec(kBegin, "transaction"));
    SIMEXIT_TRY(conn->Exec(kLock, "transaction"));
    if (migration == nullptr) {
      SIMEXIT_TRY(conn->Exec(kCreateSchemaMigrations, "schema_migrations"));
      return conn->Commit();
    }
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<int> applied, AppliedLocked(*conn));
    if (!applied.empty() && applied.back() > latest) {
      return Fail(ErrorCode::kFailedPrecondition, "schema_too_new",
                  fmt::format("the database has migration {}; this build knows up to {}",
                              applied.back(), latest));
    }
    if (std::find(applied.begin(), applied.end(), migration->version) == applied.end()) {
      SIMEXIT_TRY(conn->Exec(migration->sql, migration->name));
      SIMEXIT_TRY(conn->Run(kRecordMigration, "schema_migrations", std::int64_t{migration->version},
                            migration->name));
    }
    return conn->Commit();
  };
  const std::span<const pg::Migration> migrations = pg::Migrations();
  Result<void> done = apply(nullptr, 0);
  for (std::size_t i = 0; done && i < migrations.size(); ++i) {
    done = apply(&migrations[i], migrations.back().version);
  }
  if (!done) {
    RollbackQuietly(*conn);
  }
  Release(std::move(conn));
  return done;
}

// Inside a transaction just begun: the lock, the callback, COMMIT or ROLLBACK.
Result<void> PostgresStore::RunOnce(pg::Connection& conn,
                                    const std::function<Result<void>(StoreTx&)>& fn) {
  if (Result<void> locked = conn.Exec(kLock, "transaction"); !locked) {
    RollbackQuietly(conn);
    return locked;
  }
  pg::PgTx tx(conn);
  Result<void> result = fn(tx);
  if (!result || conn.retryable()) {
    RollbackQuietly(conn);
    return result;
  }
  if (Result<void> committed = conn.Commit(); !committed) {
    RollbackQuietly(conn);
    return committed;
  }
  return {};
}

Result<void> PostgresStore::Transact(const std::function<Result<void>(StoreTx&)>& fn) {
  if (tl_transacting == this) {
    return Fail(ErrorCode::kInternal, "reentrant_transaction",
                "Transact was called from inside a transaction");
  }
  for (int attempt = 1;; ++attempt) {
    SIMEXIT_ASSIGN_OR_RETURN(std::unique_ptr<pg::Connection> conn, Acquire());
    conn->ClearRetryable();
    if (Result<void> begun = conn->Exec(kBegin, "transaction"); !begun) {
      // An idle connection whose server restarted fails its BEGIN: nothing
      // ran, so take (or open) another one.
      const bool broken = conn->Broken();
      Release(std::move(conn));
      if (broken && attempt < kMaxAttempts) {
        continue;
      }
      return begun;
    }
    Result<void> result;
    tl_transacting = this;
    try {
      result = RunOnce(*conn, fn);
    } catch (...) {
      tl_transacting = nullptr;
      RollbackQuietly(*conn);
      Release(std::move(conn));
      throw;
    }
    tl_transacting = nullptr;
    const bool retryable = conn->retryable();
    const bool lost = conn->Broken();
    Release(std::move(conn));
    if (retryable) {
      if (attempt >= kMaxAttempts) {
        return Fail(ErrorCode::kUnavailable, "database_busy",
                    fmt::format("the transaction failed to serialize {} times", attempt));
      }
      std::this_thread::sleep_for(Backoff(attempt));
      continue;
    }
    if (lost && result) {
      return Fail(ErrorCode::kUnavailable, "store_unavailable", "the database connection was lost");
    }
    if (lost && !result && result.error().code != ErrorCode::kUnavailable) {
      Error error = result.error();
      error.code = ErrorCode::kUnavailable;
      error.problem_code = "store_unavailable";
      return Fail(std::move(error));
    }
    return result;
  }
}

}  // namespace simexit
