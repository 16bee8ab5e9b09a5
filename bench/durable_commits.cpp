// Durable commits per second with N concurrent writers (bench/README.md).
//
//   group_commit  SqliteStore::Transact (synchronous=FULL, group commit): each
//                 writer's transaction writes one row.
//   bare_full     the baseline: the same one-row statement in its own
//                 BEGIN IMMEDIATE ... COMMIT on one bare SQLite connection with
//                 synchronous=FULL (one fsync per transaction), writers taking
//                 turns on a mutex, as the store did before group commit.
//   bare_normal   the same with synchronous=NORMAL (no fsync at COMMIT: not
//                 durable across a power loss), for scale.
//
// After the runs it prints group_commit's rate as a ratio to each baseline at
// every writer count, all measured in this one run. The database lives in
// SIMEXIT_BENCH_DIR (default: the system's temporary directory); on tmpfs an
// fsync costs nothing and the ratios mean nothing.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "simexit/adapters/sqlite/sqlite_store.hpp"

namespace {

// The row every transaction writes: the store's NextSequence statement.
constexpr const char* kCreateSequences =
    "CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT";
constexpr const char* kNextSequence =
    "INSERT INTO sequences (name, value) VALUES (?1, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "durable_commits: %s\n", what.c_str());
  std::exit(2);
}

std::filesystem::path FreshDir() {
  const char* base = std::getenv("SIMEXIT_BENCH_DIR");
  std::string pattern =
      ((base != nullptr && *base != '\0') ? std::filesystem::path(base)
                                          : std::filesystem::temp_directory_path()) /
      "simexit_durable_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    Die("cannot create a directory under " + pattern);
  }
  return pattern;
}

std::filesystem::path g_dir;

// --- group_commit -----------------------------------------------------------------

std::unique_ptr<simexit::SqliteStore> g_store;

void SetUpStore(const benchmark::State& /*state*/) {
  g_dir = FreshDir();
  simexit::Result<std::unique_ptr<simexit::SqliteStore>> store =
      simexit::SqliteStore::Open((g_dir / "simexit.db").string());
  if (!store) {
    Die(store.error().message);
  }
  if (simexit::Result<void> migrated = (*store)->Migrate(); !migrated) {
    Die(migrated.error().message);
  }
  g_store = std::move(*store);
}

void TearDownStore(const benchmark::State& /*state*/) {
  g_store.reset();
  std::filesystem::remove_all(g_dir);
}

void GroupCommit(benchmark::State& state) {
  std::int64_t next = 0;
  for (auto _ : state) {
    const std::string name = fmt::format("w{}_{}", state.thread_index(), next++);
    simexit::Result<void> done =
        g_store->Transact([&](simexit::StoreTx& tx) -> simexit::Result<void> {
          return tx.NextSequence(name).map([](std::int64_t) {});
        });
    if (!done) {
      state.SkipWithError(done.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// --- bare_full, bare_normal -----------------------------------------------------------

struct Bare {
  std::mutex mu;
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
};
std::unique_ptr<Bare> g_bare;

void Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    Die(fmt::format("{}: {}", sql, message != nullptr ? message : "?"));
  }
}

void SetUpBare(const char* synchronous) {
  g_dir = FreshDir();
  g_bare = std::make_unique<Bare>();
  if (sqlite3_open((g_dir / "bare.db").c_str(), &g_bare->db) != SQLITE_OK) {
    Die("cannot open the bare database");
  }
  Exec(g_bare->db, "PRAGMA journal_mode = WAL");
  Exec(g_bare->db, synchronous);
  Exec(g_bare->db, kCreateSequences);
  if (sqlite3_prepare_v2(g_bare->db, kNextSequence, -1, &g_bare->insert, nullptr) != SQLITE_OK) {
    Die("cannot prepare the insert");
  }
}

void SetUpBareFull(const benchmark::State& /*state*/) { SetUpBare("PRAGMA synchronous = FULL"); }
void SetUpBareNormal(const benchmark::State& /*state*/) {
  SetUpBare("PRAGMA synchronous = NORMAL");
}

void TearDownBare(const benchmark::State& /*state*/) {
  sqlite3_finalize(g_bare->insert);
  sqlite3_close(g_bare->db);
  g_bare.reset();
  std::filesystem::remove_all(g_dir);
}

void BareCommit(benchmark::State& state) {
  std::int64_t next = 0;
  for (auto _ : state) {
    const std::string name = fmt::format("w{}_{}", state.thread_index(), next++);
    std::lock_guard<std::mutex> lock(g_bare->mu);
    Exec(g_bare->db, "BEGIN IMMEDIATE");
    sqlite3_bind_text(g_bare->insert, 1, name.c_str(), -1, nullptr);
    if (sqlite3_step(g_bare->insert) != SQLITE_ROW) {
      Die(sqlite3_errmsg(g_bare->db));
    }
    sqlite3_reset(g_bare->insert);
    Exec(g_bare->db, "COMMIT");
  }
  state.SetItemsProcessed(state.iterations());
}

void Writers(benchmark::internal::Benchmark* b) {
  b->Threads(1)->Threads(4)->Threads(16)->Threads(64)->UseRealTime()->MinTime(2.0);
}

BENCHMARK(GroupCommit)
    ->Name("group_commit")
    ->Setup(SetUpStore)
    ->Teardown(TearDownStore)
    ->Apply(Writers);
BENCHMARK(BareCommit)
    ->Name("bare_full")
    ->Setup(SetUpBareFull)
    ->Teardown(TearDownBare)
    ->Apply(Writers);
BENCHMARK(BareCommit)
    ->Name("bare_normal")
    ->Setup(SetUpBareNormal)
    ->Teardown(TearDownBare)
    ->Apply(Writers);

// The console report, plus each run's commits per second for the ratios.
class RatioReporter final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) {
        continue;
      }
      const auto rate = run.counters.find("items_per_second");
      if (rate != run.counters.end()) {
        rates_[{run.run_name.function_name, run.threads}] = rate->second.value;
      }
    }
  }

  void PrintRatios() const {
    std::printf("\ncommits/s (ratio of group_commit to each baseline, same run)\n");
    std::printf("%8s %14s %14s %14s %12s %12s\n", "writers", "group_commit", "bare_full",
                "bare_normal", "vs full", "vs normal");
    for (const auto& [key, group] : rates_) {
      if (key.first != "group_commit") {
        continue;
      }
      const double full = Rate("bare_full", key.second);
      const double normal = Rate("bare_normal", key.second);
      std::printf("%8lld %14.0f %14.0f %14.0f %12.2f %12.2f\n", static_cast<long long>(key.second),
                  group, full, normal, full > 0 ? group / full : 0.0,
                  normal > 0 ? group / normal : 0.0);
    }
  }

 private:
  double Rate(const std::string& name, std::int64_t threads) const {
    const auto found = rates_.find({name, threads});
    return found == rates_.end() ? 0.0 : found->second;
  }

  std::map<std::pair<std::string, std::int64_t>, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
