// Dormancy sweep benchmark (bench/README.md, "Dormancy sweep"): one operator
// with N lines on SQLite, a fraction of them due today; times the acting
// sweep (service/dormancy_sweep.hpp), a second run the same day (which must
// do nothing), the dry run, and, as the baseline in the same run, one bare
// full scan of the operator's lines (what the dry run read before the index).
//
//   usage: build/dev/simexit_dormancy_sweep [lines] [due per 1000 lines]
//   defaults: 10000000 lines, 10 due per 1000 (1 %); or the environment
//   SIMEXIT_BENCH_LINES, SIMEXIT_BENCH_DUE_PER_MILLE. The database is made in
//   SIMEXIT_BENCH_DIR (default /dev/shm) and removed at exit.
//
// A plain program with its own main (not Google Benchmark): each phase runs
// once on 10 million rows. The lines are written by one INSERT from a
// recursive CTE on a bare connection (no journal, no fsync) before the store
// opens them. Of the due lines, one in 20 is due for closure (both warnings
// sent 60 and 20 days ago), one in 20 for its final warning (first warning 31
// days ago), the rest for their first warning; every other line paid within
// the last 149 days. Everything else runs as in production: the real store,
// its migrations and indexes, the outbox and the termination workflow's
// first steps (no HLR: closures are opened, not carried out).

#include "simexit/service/dormancy_sweep.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>

#include "simexit/app/runtime.hpp"

namespace {

using namespace simexit;
using Seconds = std::chrono::duration<double>;

[[noreturn]] void Die(const std::string& why) {
  std::cerr << "simexit_dormancy_sweep: " << why << "\n";
  std::exit(1);
}

long Setting(int argc, char** argv, int index, const char* env, long fallback) {
  const char* text = index < argc ? argv[index] : std::getenv(env);
  if (text == nullptr || *text == '\0') {
    return fallback;
  }
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value <= 0) {
    Die(std::string("not a positive number: ") + text);
  }
  return value;
}

// Wall-clock and CPU seconds of one phase: on a shared machine the CPU time
// says what the work costs, the wall time what the load made of it.
struct Timing {
  double wall = 0;
  double cpu = 0;
};

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

Timing Time(const std::function<void()>& phase) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu = CpuSeconds();
  phase();
  return {Seconds(std::chrono::steady_clock::now() - start).count(), CpuSeconds() - cpu};
}

app::Config ConfigIn(const std::filesystem::path& dir) {
  app::Config config;
  config.store.path = (dir / "simexit.db").string();
  config.hlr.kind = "none";
  config.sms.sink_path = (dir / "sms.log").string();
  config.secrets.dir = (dir / "secrets").string();
  config.uploads.dir = (dir / "uploads").string();
  return config;
}

std::unique_ptr<app::Runtime> Open(const app::Config& config) {
  Result<std::unique_ptr<app::Runtime>> opened = app::OpenRuntime(config, false);
  if (!opened) {
    Die(opened.error().message);
  }
  return std::move(*opened);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    Die(std::string("sqlite: ") + (error ? error : "?") + " in " + sql.substr(0, 80));
  }
}

// The lines (and the marks of the lines with warnings sent), on a bare
// connection with neither journal nor fsync.
void Generate(const std::string& path, long lines, long every, UnixSeconds now) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Die("cannot open " + path);
  }
  Exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000");
  const std::string n = std::to_string(lines);
  const std::string e = std::to_string(every);
  const std::string t = std::to_string(now);
  // i % every = 0: due; j = i / every picks the step (see the file comment).
  Exec(db, "BEGIN");
  Exec(db,
       "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < " + n +
           ") INSERT INTO lines (operator_id, holder_id, msisdn, iccid, imsi, kind, status, "
           "main_balance, bonus_balance, outstanding_charges, last_paid_activity_at, "
           "quarantine_until, created_at, updated_at) SELECT 1, 1, printf('+7701%07d', i), NULL, "
           "NULL, 'physical', 'active', 0, 0, 0, CASE WHEN i % " +
           e + " <> 0 THEN " + t + " - (i * 7919) % (149 * 86400) WHEN (i / " + e +
           ") % 20 = 0 THEN " + t + " - 260 * 86400 WHEN (i / " + e + ") % 20 = 1 THEN " + t +
           " - 200 * 86400 ELSE " + t + " - (150 + (i / " + e + ") % 100) * 86400 END, NULL, " + t +
           ", " + t + " FROM n");
  Exec(db,
       "INSERT INTO line_dormancy (line_id, operator_id, first_warned_at, final_warned_at) "
       "SELECT id, 1, CASE WHEN (id - 1) / " +
           e + " % 20 = 0 THEN " + t + " - 60 * 86400 ELSE " + t +
           " - 31 * 86400 END, CASE WHEN (id - 1) / " + e + " % 20 = 0 THEN " + t +
           " - 20 * 86400 END FROM lines WHERE (id - 1) % " + e + " = 0 AND (id - 1) / " + e +
           " % 20 IN (0, 1)");
  Exec(db, "COMMIT");
  sqlite3_close(db);
}

// The baseline: one pass over every line of the operator, as the dry run
// read them before the index.
Timing FullScan(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT id, msisdn, status, holder_id, last_paid_activity_at FROM lines "
                     "NOT INDEXED WHERE operator_id = 1",
                     -1, &stmt, nullptr);
  long rows = 0;
  const Timing seconds = Time([&] {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      rows += sqlite3_column_int64(stmt, 4) > 0 ? 1 : 0;
    }
  });
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  std::fprintf(stderr, "(full scan read %ld lines)\n", rows);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const long lines = Setting(argc, argv, 1, "SIMEXIT_BENCH_LINES", 10'000'000);
  const long per_mille = Setting(argc, argv, 2, "SIMEXIT_BENCH_DUE_PER_MILLE", 10);
  if (lines > 10'000'000 || per_mille > 1000) {
    Die("at most 10000000 lines (7-digit numbers) and 1000 per mille");
  }
  const long every = 1000 / per_mille;
  const char* base = std::getenv("SIMEXIT_BENCH_DIR");
  std::string dir_template = std::string(base ? base : "/dev/shm") + "/simexit-bench-ds.XXXXXX";
  if (::mkdtemp(dir_template.data()) == nullptr) {
    Die("cannot make a directory in " + dir_template);
  }
  const std::filesystem::path dir = dir_template;
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};
  SetLogLevel(LogLevel::kWarn);
  const app::Config config = ConfigIn(dir);

  // The schema, the operator (id 1) and one holder (id 1) for every line.
  {
    std::unique_ptr<app::Runtime> rt = Open(config);
    if (!rt->operators->CreateOperator("kcell", "Kcell", Policy{}, "ru")) {
      Die("cannot create the operator");
    }
    Result<void> holder = rt->store->Transact([](StoreTx& tx) -> Result<void> {
      HolderRecord h;
      h.operator_id = 1;
      h.full_name = "BENCH HOLDER";
      h.document_number = "900101300017";
      SIMEXIT_TRY(tx.InsertHolder(h));
      return {};
    });
    if (!holder) {
      Die(holder.error().message);
    }
  }
  const UnixSeconds now = SystemClock().Now();
  const Timing generated = Time([&] { Generate(config.store.path, lines, every, now); });
  std::printf("lines %ld, due %ld (one in %ld), generated in %.1f s\n", lines,
              (lines + every - 1) / every, every, generated.wall);

  std::unique_ptr<app::Runtime> rt = Open(config);
  DormancySweep sweep(*rt->ctx);
  const Timing scan = FullScan(config.store.path);
  std::size_t planned = 0;
  const Timing plan = Time([&] {
    Result<std::vector<DormancyPlanItem>> p = sweep.Plan("kcell");
    if (!p) {
      Die(p.error().message);
    }
    planned = p->size();
  });
  DormancyTally tally;
  const Timing run = Time([&] {
    Result<DormancyTally> t = sweep.Run("kcell");
    if (!t) {
      Die(t.error().message);
    }
    tally = *t;
  });
  DormancyTally again;
  const Timing rerun = Time([&] {
    Result<DormancyTally> t = sweep.Run("kcell");
    if (!t) {
      Die(t.error().message);
    }
    again = *t;
  });
  std::printf("%-46s %9s %9s\n", "phase", "wall s", "cpu s");
  const auto row = [](const std::string& what, const Timing& t) {
    std::printf("%-46s %9.2f %9.2f\n", what.c_str(), t.wall, t.cpu);
  };
  row("full scan of the operator's lines (baseline)", scan);
  row("dry run: plan of " + std::to_string(planned) + " lines", plan);
  row("sweep: " + std::to_string(tally.first_warnings) + " first, " +
          std::to_string(tally.final_warnings) + " final, " + std::to_string(tally.closures) +
          " closures",
      run);
  row("again the same day: " + std::to_string(again.held) + " held, none sent", rerun);
  std::printf("sweep / full scan: %.2fx wall, %.2fx cpu\n", run.wall / scan.wall,
              run.cpu / scan.cpu);
  if (again.first_warnings + again.final_warnings + again.closures != 0) {
    Die("the second run acted again");
  }
  return 0;
}
