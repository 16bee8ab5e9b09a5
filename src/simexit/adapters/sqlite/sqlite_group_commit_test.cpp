// Group commit in SqliteStore: concurrent transactions share one COMMIT, each
// caller is answered only after the COMMIT that holds its work, one caller's
// failure stays its own, and a failed COMMIT fails every caller in its group.
//
// The tests hold a COMMIT open with SqliteOptions::before_commit (SQLite's
// commit hook) while other threads queue up behind it, so the next group is
// formed from them; they assert outcomes, never durations.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "simexit/adapters/sqlite/sqlite_db.hpp"
#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/testing/temp_dir.hpp"

namespace simexit {
namespace {

using testing::TempDir;

// Counts the COMMITs after it is armed, the callbacks run between them (the
// size of each group), and can hold a COMMIT open or make COMMITs fail.
class CommitGate {
 public:
  bool OnCommit() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!armed_) {
      return true;
    }
    const int bodies = bodies_.load();
    group_sizes_.push_back(bodies - bodies_at_last_commit_);
    bodies_at_last_commit_ = bodies;
    const int commit = static_cast<int>(group_sizes_.size());
    if (commit == hold_at_) {
      held_ = commit;
      changed_.notify_all();
      changed_.wait(lock, [&] { return released_ >= commit; });
    }
    return commit <= fail_after_;
  }

  void Arm() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = true;
  }
  // The callbacks call this, so the gate knows how many ran before a COMMIT.
  void Body() { bodies_.fetch_add(1); }
  // Holds the `commit`-th COMMIT (1-based) open until Release(commit).
  void HoldAt(int commit) {
    std::lock_guard<std::mutex> lock(mu_);
    hold_at_ = commit;
  }
  void WaitHeld(int commit) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return held_ >= commit; });
  }
  void Release(int commit) {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = commit;
    changed_.notify_all();
  }
  // COMMITs after the `commit`-th fail.
  void FailAfter(int commit) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_after_ = commit;
  }
  std::vector<int> GroupSizes() {
    std::lock_guard<std::mutex> lock(mu_);
    return group_sizes_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool armed_ = false;
  std::atomic<int> bodies_{0};
  int bodies_at_last_commit_ = 0;
  std::vector<int> group_sizes_;
  int hold_at_ = 0;
  int held_ = 0;
  int released_ = 0;
  int fail_after_ = 1 << 30;
};

std::unique_ptr<SqliteStore> OpenStore(const std::string& path, CommitGate* gate = nullptr) {
  SqliteOptions options;
  if (gate != nullptr) {
    options.before_commit = [gate] { return gate->OnCommit(); };
  }
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, options);
  if (!store) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  if (Result<void> migrated = (*store)->Migrate(); !migrated) {
    ADD_FAILURE() << migrated.error().message;
    return nullptr;
  }
  if (gate != nullptr) {
    gate->Arm();
  }
  return std::move(*store);
}

// What a separate connection sees: only committed rows.
class Reader {
 public:
  explicit Reader(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  }
  ~Reader() { sqlite3_close(db_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  bool Has(const std::string& name) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, "SELECT count(*) FROM sequences WHERE name = ?1", -1, &stmt,
                                 nullptr),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, name.c_str(), -1, nullptr);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const bool found = sqlite3_column_int(stmt, 0) == 1;
    sqlite3_finalize(stmt);
    return found;
  }

  int Count() {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, "SELECT count(*) FROM sequences", -1, &stmt, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const int count = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return count;
  }

 private:
  sqlite3* db_ = nullptr;
};

// One transaction writing the row `name` (a sequence), then `outcome`.
Result<void> WriteRow(Store& store, CommitGate* gate, const std::string& name,
                      Result<void> outcome = {}) {
  return store.Transact([&](StoreTx& tx) -> Result<void> {
    if (gate != nullptr) {
      gate->Body();
    }
    if (Result<std::int64_t> next = tx.NextSequence(name); !next) {
      return Fail(next.error());
    }
    return outcome;
  });
}

// Starts `count` threads that each run `work(i)`, and returns once every one of
// them is about to call it (they then queue for the connection).
class Crowd {
 public:
  Crowd(int count, const std::function<void(int)>& work) {
    threads_.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([this, i, work] {
        started_.fetch_add(1);
        work(i);
      });
    }
    while (started_.load() < count) {
      std::this_thread::yield();
    }
    // Let them reach the store's mutex; a late one only forms a later group.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ~Crowd() { Join(); }
  Crowd(const Crowd&) = delete;
  Crowd& operator=(const Crowd&) = delete;

  void Join() {
    for (std::thread& thread : threads_) {
      if (thread.joinable()) {
        thread.join();
      }
    }
  }

 private:
  std::atomic<int> started_{0};
  std::vector<std::thread> threads_;
};

TEST(SqliteGroupCommitTest, ManyThreadsWritesAreAllDurableAndVisible) {
  TempDir dir;
  const std::string path = dir.File("simexit.db");
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::atomic<int> unseen{0};
  {
    std::unique_ptr<SqliteStore> store = OpenStore(path);
    ASSERT_NE(store, nullptr);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        Reader reader(path);
        for (int i = 0; i < kEach; ++i) {
          const std::string name = fmt::format("t{}_{}", t, i);
          if (!WriteRow(*store, nullptr, name)) {
            ++failures;
          } else if (!reader.Has(name)) {
            ++unseen;  // answered before its COMMIT
          }
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(unseen.load(), 0);
  // Reopened: every acknowledged write is in the file.
  Reader reader(path);
  EXPECT_EQ(reader.Count(), kThreads * kEach);
}

TEST(SqliteGroupCommitTest, AnswersOnlyAfterTheCommitThatHoldsTheWork) {
  TempDir dir;
  const std::string path = dir.File("simexit.db");
  CommitGate gate;
  std::unique_ptr<SqliteStore> store = OpenStore(path, &gate);
  ASSERT_NE(store, nullptr);
  constexpr int kWaiting = 8;
  std::atomic<int> answered{0};
  std::atomic<int> failures{0};

  gate.HoldAt(1);
  std::thread first([&] {
    if (!WriteRow(*store, &gate, "first")) {
      ++failures;
    }
    ++answered;
  });
  gate.WaitHeld(1);
  EXPECT_EQ(answered.load(), 0) << "answered while its COMMIT was still running";
  {
    Crowd crowd(kWaiting, [&](int i) {
      if (!WriteRow(*store, &gate, fmt::format("w{}", i))) {
        ++failures;
      }
      ++answered;
    });
    // The next group's COMMIT is held too: its members ran, none is answered.
    gate.HoldAt(2);
    gate.Release(1);
    gate.WaitHeld(2);
    first.join();
    EXPECT_EQ(answered.load(), 1);
    Reader reader(path);
    EXPECT_TRUE(reader.Has("first"));
    EXPECT_FALSE(reader.Has("w0"));
    gate.Release(2);
    crowd.Join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(answered.load(), 1 + kWaiting);
  const std::vector<int> groups = gate.GroupSizes();
  ASSERT_GE(groups.size(), 2u);
  EXPECT_EQ(groups[0], 1);
  EXPECT_GT(groups[1], 1) << "the waiting transactions did not share a COMMIT";
  EXPECT_LE(static_cast<int>(groups.size()), kWaiting + 1);
  Reader reader(path);
  EXPECT_EQ(reader.Count(), 1 + kWaiting);
}

TEST(SqliteGroupCommitTest, OneFailingTransactionDoesNotAffectTheOthersInItsGroup) {
  TempDir dir;
  const std::string path = dir.File("simexit.db");
  CommitGate gate;
  std::unique_ptr<SqliteStore> store = OpenStore(path, &gate);
  ASSERT_NE(store, nullptr);
  constexpr int kWaiting = 8;
  constexpr int kFailing = 3;
  std::vector<Result<void>> results(kWaiting);

  gate.HoldAt(1);
  std::thread first([&] { EXPECT_TRUE(WriteRow(*store, &gate, "first")); });
  gate.WaitHeld(1);
  {
    Crowd crowd(kWaiting, [&](int i) {
      results[static_cast<std::size_t>(i)] =
          WriteRow(*store, &gate, fmt::format("w{}", i),
                   i == kFailing ? Result<void>(Fail(ErrorCode::kFailedPrecondition, "refused",
                                                     "this one changes its mind"))
                                 : Result<void>());
    });
    gate.Release(1);
  }
  first.join();

  Reader reader(path);
  for (int i = 0; i < kWaiting; ++i) {
    const Result<void>& result = results[static_cast<std::size_t>(i)];
    if (i == kFailing) {
      ASSERT_FALSE(result);
      EXPECT_EQ(result.error().problem_code, "refused");  // its own error, unchanged
      EXPECT_FALSE(reader.Has(fmt::format("w{}", i)));
    } else {
      EXPECT_TRUE(result) << i << ": " << result.error().message;
      EXPECT_TRUE(reader.Has(fmt::format("w{}", i))) << i;
    }
  }
  // The failing caller may take the connection first and, with nobody's work
  // in the group yet, end it alone; the others still share a COMMIT.
  const std::vector<int> groups = gate.GroupSizes();
  ASSERT_GE(groups.size(), 2u);
  EXPECT_GT(*std::max_element(groups.begin() + 1, groups.end()), 1)
      << "the waiting transactions did not share a COMMIT";
}

TEST(SqliteGroupCommitTest, AFailedCommitFailsEveryCallerOfItsGroup) {
  TempDir dir;
  const std::string path = dir.File("simexit.db");
  CommitGate gate;
  std::unique_ptr<SqliteStore> store = OpenStore(path, &gate);
  ASSERT_NE(store, nullptr);
  constexpr int kWaiting = 8;
  std::vector<Result<void>> results(kWaiting);

  gate.HoldAt(1);
  gate.FailAfter(1);
  std::thread first([&] { EXPECT_TRUE(WriteRow(*store, &gate, "first")); });
  gate.WaitHeld(1);
  {
    Crowd crowd(kWaiting, [&](int i) {
      results[static_cast<std::size_t>(i)] = WriteRow(*store, &gate, fmt::format("w{}", i));
    });
    gate.Release(1);
  }
  first.join();

  const std::vector<int> groups = gate.GroupSizes();
  ASSERT_GE(groups.size(), 2u);
  EXPECT_GT(groups[1], 1) << "the waiting transactions did not share a COMMIT";
  Reader reader(path);
  for (int i = 0; i < kWaiting; ++i) {
    const Result<void>& result = results[static_cast<std::size_t>(i)];
    ASSERT_FALSE(result) << i << " was answered as committed";
    // The store's error for the refused COMMIT (the hook's), the same for all.
    EXPECT_EQ(result.error().problem_code, "constraint_violation") << i;
    EXPECT_FALSE(reader.Has(fmt::format("w{}", i))) << i;
  }
  EXPECT_TRUE(reader.Has("first"));

  // The store carries on once COMMITs work again.
  gate.FailAfter(1 << 30);
  EXPECT_TRUE(WriteRow(*store, &gate, "after"));
  EXPECT_TRUE(reader.Has("after"));
}

TEST(SqliteGroupCommitTest, AnExceptionLeavesTheOthersInTheGroupCommitted) {
  TempDir dir;
  const std::string path = dir.File("simexit.db");
  CommitGate gate;
  std::unique_ptr<SqliteStore> store = OpenStore(path, &gate);
  ASSERT_NE(store, nullptr);
  constexpr int kWaiting = 6;
  constexpr int kThrowing = 2;
  std::atomic<int> thrown{0};
  std::atomic<int> failures{0};

  gate.HoldAt(1);
  std::thread first([&] { EXPECT_TRUE(WriteRow(*store, &gate, "first")); });
  gate.WaitHeld(1);
  {
    Crowd crowd(kWaiting, [&](int i) {
      try {
        Result<void> done = store->Transact([&](StoreTx& tx) -> Result<void> {
          gate.Body();
          (void)tx.NextSequence(fmt::format("w{}", i));
          if (i == kThrowing) {
            throw std::runtime_error("callback threw");
          }
          return {};
        });
        if (!done) {
          ++failures;
        }
      } catch (const std::runtime_error&) {
        ++thrown;
      }
    });
    gate.Release(1);
  }
  first.join();
  EXPECT_EQ(thrown.load(), 1);
  EXPECT_EQ(failures.load(), 0);
  Reader reader(path);
  EXPECT_FALSE(reader.Has(fmt::format("w{}", kThrowing)));
  EXPECT_EQ(reader.Count(), kWaiting);  // "first" and every other waiting one
}

TEST(SqliteGroupCommitTest, ADiskFullIsStorageFull) {
  const Error error = sqlite::SqliteError(SQLITE_FULL, "sequences", "database or disk is full");
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.problem_code, "storage_full");
}

}  // namespace
}  // namespace simexit
