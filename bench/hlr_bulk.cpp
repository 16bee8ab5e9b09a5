// The HLR part of a bulk closure against a bare pipelined CTRL loop of the
// same operations on the same osmo-hlr, in one run (bench/README.md, "HLR bulk
// closure benchmark"). Needs osmo-hlr's CTRL on 127.0.0.1:4259:
// bench/hlr_bulk.sh starts a private one and runs this.
//
// Each round, on fresh subscribers:
//   bare     N subscribers barred and deleted by `--threads` threads sharing one
//            pipelined CTRL connection (OsmoHlrCtrl: GET info, SET cs-enabled 0,
//            SET ps-enabled 0, SET subscriber.delete; the wire operations
//            simexit's deprovisioning sends), nothing else: the baseline.
//   simexit  a bulk termination of N lines through the real workflow on a
//            SQLite store with synchronous=FULL (in SIMEXIT_BENCH_DIR, default
//            the temporary directory: put it on a real disk). First, untimed,
//            the bulk is submitted and its lines opened and settled (the
//            deprovision jobs held back); then, timed, `--threads` job workers
//            run the deprovision jobs as `simexit serve` does: claim, the step
//            (reads, bar, delete, the closing transaction), complete, with the
//            certificate and other jobs the closures queue competing for the
//            same workers. The time ends when the last subscriber is deleted.
// It prints subscribers per second of both and their ratio per round, then the
// median and the min-max over the rounds, and writes them as JSON (--json).

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "simexit/adapters/osmocom/osmo_hlr_ctrl.hpp"
#include "simexit/adapters/sms_sink/file_sms_sink.hpp"
#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/common/log.hpp"
#include "simexit/common/random.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/jobs/worker.hpp"
#include "simexit/service/bulk_terminations.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/service/termination_workflow.hpp"

namespace simexit {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "hlr_bulk: %s\n", what.c_str());
  std::exit(2);
}

template <typename T>
T Must(Result<T> result, const std::string& what) {
  if (!result) {
    Die(what + ": " + result.error().problem_code + ": " + result.error().message);
  }
  return std::move(*result);
}

void Must(Result<void> result, const std::string& what) {
  if (!result) {
    Die(what + ": " + result.error().problem_code + ": " + result.error().message);
  }
}

struct Options {
  int lines = 3000;
  int threads = 64;
  int rounds = 3;
  std::string json;
};

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        Die("missing value after " + arg);
      }
      return argv[++i];
    };
    if (arg == "--lines") {
      o.lines = std::stoi(value());
    } else if (arg == "--threads") {
      o.threads = std::stoi(value());
    } else if (arg == "--rounds") {
      o.rounds = std::stoi(value());
    } else if (arg == "--json") {
      o.json = value();
    } else {
      Die("usage: simexit_hlr_bulk [--lines N] [--threads T] [--rounds R] [--json FILE]");
    }
  }
  if (o.lines < 1 || o.lines > 999'999 || o.threads < 1 || o.rounds < 1 || o.rounds > 9) {
    Die("--lines 1..999999, --threads >= 1, --rounds 1..9");
  }
  return o;
}

// Subscriber i of a set: IMSI 00101 <set digit> <round> <8 digits>, MSISDN
// +7 <DEF> <round> <6 digits>.
struct Subscriber {
  Imsi imsi;
  Msisdn msisdn;
};

std::vector<Subscriber> Subscribers(char set, const char* def, int round, int count) {
  std::vector<Subscriber> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    out.push_back({*Imsi::Parse(fmt::format("00101{}{}{:08d}", set, round, i)),
                   *Msisdn::Parse(fmt::format("+7{}{}{:06d}", def, round, i))});
  }
  return out;
}

// Runs fn(i) for i in [0, count) on `threads` threads.
void ParallelFor(int count, int threads, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        fn(i);
      }
    });
  }
  for (std::thread& t : pool) {
    t.join();
  }
}

void Provision(Hlr& hlr, const std::vector<Subscriber>& subs, int threads) {
  ParallelFor(static_cast<int>(subs.size()), threads, [&](int i) {
    const Subscriber& s = subs[static_cast<std::size_t>(i)];
    Must(hlr.Provision(s.imsi, s.msisdn), "provision " + s.imsi.digits());
  });
}

double Seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// The baseline: bar and delete each subscriber, `threads` at a time.
double BareRate(Hlr& hlr, const std::vector<Subscriber>& subs, int threads) {
  const auto start = Clock::now();
  ParallelFor(static_cast<int>(subs.size()), threads, [&](int i) {
    const Imsi& imsi = subs[static_cast<std::size_t>(i)].imsi;
    Must(hlr.Bar(imsi), "bar " + imsi.digits());
    Must(hlr.Remove(imsi), "delete " + imsi.digits());
  });
  return static_cast<double>(subs.size()) / Seconds(start, Clock::now());
}

// The HLR as simexit sees it, counting the subscribers it deleted.
class CountingHlr final : public Hlr {
 public:
  explicit CountingHlr(Hlr& inner) : inner_(inner) {}
  Result<HlrSubscriber> Lookup(const Imsi& imsi) override { return inner_.Lookup(imsi); }
  Result<void> Provision(const Imsi& imsi, const Msisdn& msisdn) override {
    return inner_.Provision(imsi, msisdn);
  }
  Result<void> Bar(const Imsi& imsi) override { return inner_.Bar(imsi); }
  Result<void> Remove(const Imsi& imsi) override {
    Result<void> removed = inner_.Remove(imsi);
    if (removed) {
      ++removed_;
    }
    return removed;
  }
  std::int64_t removed() const { return removed_.load(); }

 private:
  Hlr& inner_;
  std::atomic<std::int64_t> removed_{0};
};

std::filesystem::path FreshDir() {
  const char* base = std::getenv("SIMEXIT_BENCH_DIR");
  std::string pattern =
      ((base != nullptr && *base != '\0') ? std::filesystem::path(base)
                                          : std::filesystem::temp_directory_path()) /
      "simexit_hlr_bulk_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    Die("cannot create a directory under " + pattern);
  }
  return pattern;
}

WorkerOptions Workers(const std::string& owner, int backoff_base) {
  WorkerOptions o;
  o.owner = owner;
  o.poll_interval_ms = 10;
  o.backoff_base_seconds = backoff_base;
  o.backoff_max_seconds = 1'000'000;
  return o;
}

struct SimexitRound {
  double rate = 0;     // subscribers deleted per second, timed part
  double prepare = 0;  // seconds to submit, open and settle (untimed part)
};

// The simexit side of one round (see the file comment).
SimexitRound SimexitRate(Hlr& osmo, const std::vector<Subscriber>& subs, int threads) {
  const std::filesystem::path dir = FreshDir();
  std::unique_ptr<SqliteStore> store =
      Must(SqliteStore::Open((dir / "simexit.db").string()), "open the store");
  Must(store->Migrate(), "migrate");
  CountingHlr hlr(osmo);
  FileSmsSink sms(dir / "sms.log");
  SystemClock clock;
  SodiumRandom random;
  std::array<unsigned char, 32> seed{};
  seed.fill(7);
  const CertificateSigner signer = CertificateSigner::FromSeed(seed);
  ServiceContext ctx{
      *store, hlr, sms, clock, random, signer, std::string(32, 'k'), "http://127.0.0.1:8080",
      {},     {}};
  OperatorService operators(ctx);
  Must(operators.CreateOperator("kcell", "Kcell", Policy{}, "ru"), "create the operator");
  std::vector<std::string> numbers;
  for (std::size_t from = 0; from < subs.size(); from += 1000) {
    Must(store->Transact([&](StoreTx& tx) -> Result<void> {
      for (std::size_t i = from; i < std::min(subs.size(), from + 1000); ++i) {
        NewLine line;
        line.operator_code = "kcell";
        line.msisdn = subs[i].msisdn.e164();
        const std::string body = fmt::format("897701{:012d}", i);
        line.iccid = body + Iccid::LuhnDigit(body);
        line.imsi = subs[i].imsi.digits();
        line.holder_name = "BULK HOLDER";
        line.document_kind = "passport";
        line.document_number = fmt::format("N{:08d}", i);
        line.document_country = "DEU";
        line.language = "en";
        SIMEXIT_TRY(operators.AddLine(tx, line, clock.Now()));
      }
      return {};
    }),
         "add lines");
  }
  for (const Subscriber& s : subs) {
    numbers.push_back(s.msisdn.e164());
  }

  const auto prepare_start = Clock::now();
  TerminationWorkflow workflow(ctx);
  BulkTerminationService bulk(ctx);
  BulkSubmission submitted =
      Must(bulk.Submit(Caller::System("bench"), "kcell", {numbers, "contract_ended"}), "submit");
  if (!submitted.refused.empty()) {
    Die("the bulk was refused: " + submitted.refused.front().message);
  }
  // Untimed: open and settle; each deprovision job is held back (retryable
  // failure, retried only in a million seconds).
  const JobHandler hold = [&workflow](JobKind kind, const std::string& payload) -> Result<void> {
    if (kind == JobKind::kDeprovision) {
      return Fail(ErrorCode::kUnavailable, "held", "held back until the timed part");
    }
    return workflow.Run(kind, payload);
  };
  ParallelFor(threads, threads, [&](int t) {
    Worker worker(*store, clock, hold, Workers(fmt::format("prepare-{}", t), 1'000'000));
    Must(worker.RunUntilIdle(), "prepare");
  });
  JobFilter deprovisions;
  deprovisions.state = JobState::kPending;
  deprovisions.kind = "deprovision";
  deprovisions.limit = static_cast<int>(subs.size());
  std::vector<JobRecord> held =
      Must(TransactValue<std::vector<JobRecord>>(
               *store, [&](StoreTx& tx) { return tx.ListJobs(deprovisions); }),
           "list the held jobs");
  if (held.size() != subs.size()) {
    Die(fmt::format("{} deprovision jobs held, {} expected", held.size(), subs.size()));
  }
  Must(store->Transact([&](StoreTx& tx) -> Result<void> {
    for (const JobRecord& job : held) {
      SIMEXIT_TRY(tx.RetryJob(job.id, clock.Now()));
    }
    return {};
  }),
       "release the held jobs");
  SimexitRound out;
  out.prepare = Seconds(prepare_start, Clock::now());

  // Timed: the workers, as `simexit serve` runs them.
  const JobHandler run = [&workflow](JobKind kind, const std::string& payload) {
    return workflow.Run(kind, payload);
  };
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> pool;
  const auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.push_back(
        std::make_unique<Worker>(*store, clock, run, Workers(fmt::format("serve-{}", t), 2)));
    pool.emplace_back([w = workers.back().get()] { w->Run(); });
  }
  const auto deadline = start + std::chrono::minutes(30);
  while (hlr.removed() < static_cast<std::int64_t>(subs.size()) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const auto end = Clock::now();
  for (auto& w : workers) {
    w->Stop();
  }
  for (std::thread& t : pool) {
    t.join();
  }
  if (hlr.removed() < static_cast<std::int64_t>(subs.size())) {
    Die(fmt::format("only {} of {} subscribers deleted in 30 minutes", hlr.removed(), subs.size()));
  }
  out.rate = static_cast<double>(subs.size()) / Seconds(start, end);
  store.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return out;
}

struct Stats {
  double median = 0, min = 0, max = 0;
};

Stats Summary(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return {median, values.front(), values.back()};
}

std::string StatsJson(const Stats& s) {
  return fmt::format(R"({{"median": {:.3f}, "min": {:.3f}, "max": {:.3f}}})", s.median, s.min,
                     s.max);
}

int Main(int argc, char** argv) {
  const Options o = Parse(argc, argv);
  SetLogLevel(LogLevel::kError);
  OsmoHlrCtrlOptions hlr_options;
  hlr_options.request_timeout = std::chrono::milliseconds(30'000);
  OsmoHlrCtrl osmo(hlr_options);
  std::vector<double> bare, simexit, ratio;
  std::printf(
      "HLR part of a bulk closure vs a bare pipelined CTRL loop: %d subscribers, %d "
      "threads, %d rounds\n",
      o.lines, o.threads, o.rounds);
  std::printf("%5s %12s %12s %8s %10s\n", "round", "bare/s", "simexit/s", "ratio", "prepare_s");
  for (int round = 0; round < o.rounds; ++round) {
    const std::vector<Subscriber> bare_subs = Subscribers('8', "775", round, o.lines);
    const std::vector<Subscriber> simexit_subs = Subscribers('7', "701", round, o.lines);
    Provision(osmo, bare_subs, o.threads);
    Provision(osmo, simexit_subs, o.threads);
    const double bare_rate = BareRate(osmo, bare_subs, o.threads);
    const SimexitRound s = SimexitRate(osmo, simexit_subs, o.threads);
    bare.push_back(bare_rate);
    simexit.push_back(s.rate);
    ratio.push_back(s.rate / bare_rate);
    std::printf("%5d %12.1f %12.1f %8.3f %10.1f\n", round + 1, bare_rate, s.rate,
                s.rate / bare_rate, s.prepare);
    std::fflush(stdout);
  }
  const Stats b = Summary(bare), s = Summary(simexit), r = Summary(ratio);
  std::printf("median: bare %.1f/s, simexit %.1f/s, ratio %.3f (min %.3f, max %.3f)\n", b.median,
              s.median, r.median, r.min, r.max);
  if (!o.json.empty()) {
    std::ofstream out(o.json);
    out << fmt::format(R"({{"benchmark": "hlr_bulk", "n": {}, "threads": {}, "rounds": {}, )"
                       R"("bare_per_s": {}, "simexit_per_s": {}, "ratio": {}}})"
                       "\n",
                       o.lines, o.threads, o.rounds, StatsJson(b), StatsJson(s), StatsJson(r));
  }
  return 0;
}

}  // namespace
}  // namespace simexit

int main(int argc, char** argv) { return simexit::Main(argc, argv); }
