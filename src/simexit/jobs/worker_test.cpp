// The worker against the real SQLite store (one file shared by every
// connection, as several workers share it in production).

#include "simexit/jobs/worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/testing/temp_dir.hpp"

namespace simexit {
namespace {

// The worker's renewal thread reads the clock while the test moves it.
class AtomicClock final : public Clock {
 public:
  explicit AtomicClock(UnixSeconds now) : now_(now) {}
  UnixSeconds Now() const override { return now_.load(); }
  void Advance(std::int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<UnixSeconds> now_;
};

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<SqliteStore>> opened = SqliteStore::Open(dir_.File("jobs.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Migrate());
  }

  std::int64_t Enqueue(const std::string& kind) {
    JobRecord job;
    job.kind = kind;
    job.payload = "{}";
    job.run_at = clock_.Now();
    return *TransactValue<std::int64_t>(*store_, [&](StoreTx& tx) { return tx.EnqueueJob(job); });
  }

  JobRecord Job(std::int64_t id) {
    return *TransactValue<JobRecord>(*store_, [&](StoreTx& tx) { return tx.GetJob(id); });
  }

  std::vector<JobRecord> Claim(const std::string& owner) {
    return *TransactValue<std::vector<JobRecord>>(
        *store_, [&](StoreTx& tx) { return tx.ClaimJobs(owner, clock_.Now(), 60, 10); });
  }

  static WorkerOptions Options(const std::string& owner) {
    WorkerOptions options;
    options.owner = owner;
    options.lease_seconds = 10;
    options.renew_interval_ms = 20;
    return options;
  }

  testing::TempDir dir_;
  AtomicClock clock_{1'800'000'000};
  std::unique_ptr<SqliteStore> store_;
};

// A step that runs three leases long keeps its job: the lease is renewed while
// it runs, so another worker claiming meanwhile gets nothing, and the job ends
// done by its first worker, attempted once.
TEST_F(WorkerTest, LongStepKeepsItsLeaseWhileItRuns) {
  const std::int64_t id = Enqueue("settle");
  std::vector<JobRecord> stolen;
  UnixSeconds lease_seen = 0;
  Worker worker(
      *store_, clock_,
      [&](JobKind, const std::string&) -> Result<void> {
        for (int i = 0; i < 3; ++i) {
          clock_.Advance(9);  // nearly a lease each time
          const UnixSeconds now = clock_.Now();
          // Wait (bounded) for a renewal to reach past the new now.
          for (int wait = 0; wait < 500 && Job(id).lease_until <= now; ++wait) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
          lease_seen = Job(id).lease_until;
          for (const JobRecord& job : Claim("thief")) {
            stolen.push_back(job);
          }
        }
        return {};
      },
      Options("w1"));

  ASSERT_EQ(*worker.RunOnce(), 1);
  EXPECT_GT(lease_seen, clock_.Now());
  EXPECT_TRUE(stolen.empty());
  JobRecord done = Job(id);
  EXPECT_EQ(done.state, JobState::kDone);
  EXPECT_EQ(done.attempts, 1);
}

// A worker that stops renewing (it died) loses the job after one lease.
TEST_F(WorkerTest, LeaseNotRenewedExpiresAndAnotherWorkerTakesOver) {
  const std::int64_t id = Enqueue("settle");
  ASSERT_EQ(Claim("dead-worker").size(), 1u);
  clock_.Advance(61);
  std::atomic<int> ran{0};
  Worker worker(
      *store_, clock_,
      [&](JobKind, const std::string&) -> Result<void> {
        ++ran;
        return {};
      },
      Options("w2"));
  ASSERT_EQ(*worker.RunOnce(), 1);
  EXPECT_EQ(ran.load(), 1);
  JobRecord done = Job(id);
  EXPECT_EQ(done.state, JobState::kDone);
  EXPECT_EQ(done.attempts, 2);
}

// A job reached in the lease's last second still runs: like the store's claim
// (lease_until < now), the worker counts a lease as expired only once its
// second has passed. A job reached later is left to the next claim.
TEST_F(WorkerTest, JobReachedInTheLeasesLastSecondRunsOneLaterDoesNot) {
  const std::int64_t first = Enqueue("settle");
  const std::int64_t second = Enqueue("settle");
  const std::int64_t third = Enqueue("settle");
  std::vector<std::int64_t> ran;
  WorkerOptions options = Options("w3");
  options.renew_interval_ms = 60'000;  // no renewal during the batch
  Worker worker(
      *store_, clock_,
      [&](JobKind, const std::string& payload) -> Result<void> {
        ran.push_back(static_cast<std::int64_t>(ran.size()));
        // The first job ends exactly at lease_until, the second one past it.
        clock_.Advance(ran.size() == 1 ? options.lease_seconds : 1);
        (void)payload;
        return {};
      },
      options);
  ASSERT_EQ(*worker.RunOnce(), 3);
  EXPECT_EQ(ran.size(), 2u);
  EXPECT_EQ(Job(first).state, JobState::kDone);
  EXPECT_EQ(Job(second).state, JobState::kDone);
  EXPECT_EQ(Job(third).state, JobState::kRunning);
}

// Jobs of a batched kind run together: the ordinary claim (2 here) is topped
// up to the kind's limit, the other kinds run one at a time first, and each
// batched job's outcome is recorded as its own: done, retried later, or dead.
TEST_F(WorkerTest, BatchedKindRunsTogetherAndEachOutcomeIsRecorded) {
  std::vector<std::int64_t> sms;
  for (int i = 0; i < 5; ++i) {
    sms.push_back(Enqueue("send_sms"));
  }
  const std::int64_t settle = Enqueue("settle");
  const std::int64_t later = Enqueue("send_sms");
  std::vector<std::string> order;
  std::vector<std::size_t> batch_sizes;
  WorkerOptions options = Options("wb");
  options.batch = 2;
  Worker worker(
      *store_, clock_,
      [&](JobKind kind, const std::string&) -> Result<void> {
        order.push_back(ToString(kind));
        return {};
      },
      options,
      {BatchedJobs{
          JobKind::kSendSms, 4, [&](JobKind kind, const std::vector<std::string>& payloads) {
            order.push_back(std::string(ToString(kind)) + " x" + std::to_string(payloads.size()));
            batch_sizes.push_back(payloads.size());
            std::vector<Result<void>> outcomes(payloads.size());
            if (batch_sizes.size() == 1) {
              outcomes.at(1) = Fail(ErrorCode::kUnavailable, "smsc_busy", "try later");
              outcomes.at(2) = Fail(ErrorCode::kInvalidArgument, "bad_payload", "no");
            }
            return outcomes;
          }}});

  ASSERT_EQ(*worker.RunOnce(), 4);
  // The claim of 2 took two SMS jobs; the top-up brought the batch to 4.
  EXPECT_EQ(order, (std::vector<std::string>{"send_sms x4"}));
  EXPECT_EQ(Job(sms[0]).state, JobState::kDone);
  JobRecord retried = Job(sms[1]);
  EXPECT_EQ(retried.state, JobState::kPending);
  EXPECT_GT(retried.run_at, clock_.Now());
  EXPECT_NE(retried.last_error.find("smsc_busy"), std::string::npos);
  EXPECT_EQ(Job(sms[2]).state, JobState::kDead);
  EXPECT_EQ(Job(sms[3]).state, JobState::kDone);
  EXPECT_EQ(Job(sms[4]).state, JobState::kPending);
  EXPECT_EQ(Job(settle).state, JobState::kPending);

  order.clear();
  // Next round: the settle job (claimed with the oldest SMS left) runs on its
  // own before the batch.
  ASSERT_EQ(*worker.RunOnce(), 3);
  EXPECT_EQ(order, (std::vector<std::string>{"settle", "send_sms x2"}));
  EXPECT_EQ(Job(settle).state, JobState::kDone);
  EXPECT_EQ(Job(later).state, JobState::kDone);
  EXPECT_EQ(batch_sizes, (std::vector<std::size_t>{4, 2}));
}

}  // namespace
}  // namespace simexit
