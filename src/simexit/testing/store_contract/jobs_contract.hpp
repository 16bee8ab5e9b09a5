#pragma once
// Store contract: JobRepository: enqueue, claim, lease, finish, retry.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, EnqueueWithUsedDedupeKeyIsANoOp) {
  std::int64_t first =
      Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("settle", "settle:trm_1", 1000)); });
  JobRecord changed = SampleJob("other", "settle:trm_1", 5);
  changed.payload = "{}";
  std::int64_t second = Tx([&](StoreTx& tx) { return tx.EnqueueJob(changed); });
  EXPECT_EQ(second, first);
  JobRecord job = Tx([&](StoreTx& tx) { return tx.GetJob(first); });
  EXPECT_EQ(job.kind, "settle");
  EXPECT_EQ(job.payload, R"({"termination_id":"trm_1"})");
  EXPECT_EQ(job.dedupe_key, "settle:trm_1");
  EXPECT_EQ(job.state, JobState::kPending);
  EXPECT_EQ(job.run_at, 1000);
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(job.max_attempts, 5);
  EXPECT_EQ(job.lease_owner, "");
  EXPECT_EQ(job.created_at, 900);
  // Jobs without a dedupe key never collide.
  std::int64_t a = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("sms", "", 1)); });
  std::int64_t b = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("sms", "", 1)); });
  EXPECT_NE(a, b);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListJobs({}); }).size(), 3u);
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetJob(424242); }).problem_code, "not_found");
}

TEST_P(StoreContractTest, DropPendingJobsTakesOnlyPendingJobsOfThatKey) {
  auto enqueue = [&](const std::string& key, UnixSeconds run_at) {
    return Tx([&](StoreTx& tx) { return tx.EnqueueJob(SampleJob("step", key, run_at)); });
  };
  const std::int64_t running = enqueue("start_termination:trm_1:running", 500);
  const std::int64_t exact = enqueue("start_termination:trm_1", 1000);
  const std::int64_t suffixed = enqueue("start_termination:trm_1:1790000000", 1000);
  const std::int64_t other = enqueue("start_termination:trm_10", 1000);
  const std::int64_t wildcard = enqueue("start_terminationXtrm_1", 1000);  // '_' is no wildcard
  // Only the job due at 500 is leased at 600.
  ASSERT_EQ(Tx([](StoreTx& tx) { return tx.ClaimJobs("w", 600, 30, 10); }).size(), 1u);

  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.DropPendingJobs("start_termination:trm_1"); }), 2);
  EXPECT_EQ(TxError([&](StoreTx& tx) { return tx.GetJob(exact); }).problem_code, "not_found");
  EXPECT_EQ(TxError([&](StoreTx& tx) { return tx.GetJob(suffixed); }).problem_code, "not_found");
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(other); }).state, JobState::kPending);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(wildcard); }).state, JobState::kPending);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(running); }).state, JobState::kRunning);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.DropPendingJobs("start_termination:trm_1"); }), 0);
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.DropPendingJobs(""); }).problem_code,
            "invalid_dedupe_key");
}

TEST_P(StoreContractTest, JobLifecycle) {
  std::int64_t j1 = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("settle", "k1", 1000)); });
  std::int64_t j2 =
      Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("deprovision", "k2", 2000)); });
  std::int64_t j3 = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("sms", "k3", 5000)); });
  auto claim = [&](const std::string& owner, UnixSeconds now, int limit = 10) {
    return Tx([&](StoreTx& tx) { return tx.ClaimJobs(owner, now, 30, limit); });
  };
  auto error_of = [&](auto fn) {
    return TxError([&](StoreTx& tx) -> Result<bool> {
      Result<void> r = fn(tx);
      if (!r) {
        return Fail(r.error());
      }
      return true;
    });
  };
  auto ok = [&](auto fn) {
    Tx([&](StoreTx& tx) -> Result<bool> {
      Must(fn(tx));
      return true;
    });
  };

  // Claims respect run_at.
  EXPECT_TRUE(claim("a", 999).empty());
  std::vector<JobRecord> got = claim("a", 1000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, j1);
  EXPECT_EQ(got[0].state, JobState::kRunning);
  EXPECT_EQ(got[0].attempts, 1);
  EXPECT_EQ(got[0].lease_owner, "a");
  EXPECT_EQ(got[0].lease_until, 1030);
  // Leased: nobody else gets it while the lease lasts (lease_until itself included).
  EXPECT_TRUE(claim("b", 1010).empty());
  EXPECT_TRUE(claim("b", 1030).empty());
  Error lost = error_of([&](StoreTx& tx) { return tx.CompleteJob(j1, "b"); });
  EXPECT_EQ(lost.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(lost.problem_code, "lease_lost");

  // The lease expires: another owner takes the job over.
  got = claim("b", 1031);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, j1);
  EXPECT_EQ(got[0].attempts, 2);
  EXPECT_EQ(got[0].lease_owner, "b");
  EXPECT_EQ(error_of([&](StoreTx& tx) { return tx.CompleteJob(j1, "a"); }).problem_code,
            "lease_lost");
  ok([&](StoreTx& tx) { return tx.CompleteJob(j1, "b"); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(j1); }).state, JobState::kDone);
  EXPECT_EQ(error_of([&](StoreTx& tx) { return tx.CompleteJob(j1, "b"); }).problem_code,
            "lease_lost");
  EXPECT_TRUE(claim("a", 1'000'000'000, 0).empty());
  Error missing = error_of([](StoreTx& tx) { return tx.CompleteJob(424242, "a"); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.problem_code, "not_found");

  // Failure with a retry time.
  got = claim("a", 2000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, j2);
  EXPECT_EQ(
      error_of([&](StoreTx& tx) { return tx.FailJob(j2, "b", "x", 2100, false); }).problem_code,
      "lease_lost");
  ok([&](StoreTx& tx) { return tx.FailJob(j2, "a", "hlr unavailable", 2100, false); });
  JobRecord j2_state = Tx([&](StoreTx& tx) { return tx.GetJob(j2); });
  EXPECT_EQ(j2_state.state, JobState::kPending);
  EXPECT_EQ(j2_state.run_at, 2100);
  EXPECT_EQ(j2_state.last_error, "hlr unavailable");
  EXPECT_EQ(j2_state.lease_owner, "");
  EXPECT_EQ(j2_state.attempts, 1);
  EXPECT_TRUE(claim("a", 2099).empty());
  got = claim("a", 2100);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attempts, 2);

  // Dead-lettering: a dead job is never claimed again.
  ok([&](StoreTx& tx) { return tx.FailJob(j2, "a", "gave up", 0, true); });
  j2_state = Tx([&](StoreTx& tx) { return tx.GetJob(j2); });
  EXPECT_EQ(j2_state.state, JobState::kDead);
  EXPECT_EQ(j2_state.run_at, 2100);
  EXPECT_EQ(j2_state.last_error, "gave up");
  got = claim("a", 1'000'000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, j3);
  std::vector<JobRecord> dead = Tx([](StoreTx& tx) {
    return tx.ListJobs(JobFilter{JobState::kDead, std::nullopt, 100});
  });
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].id, j2);
  EXPECT_EQ(Tx([](StoreTx& tx) {
              return tx.ListJobs(JobFilter{std::nullopt, "sms", 100});
            }).size(),
            1u);
  EXPECT_EQ(Tx([](StoreTx& tx) {
              return tx.ListJobs(JobFilter{std::nullopt, std::nullopt, 2});
            }).size(),
            2u);

  // Retry: dead back to pending, due now, attempts reset. Running/done: refused.
  ok([&](StoreTx& tx) { return tx.RetryJob(j2, 3000); });
  j2_state = Tx([&](StoreTx& tx) { return tx.GetJob(j2); });
  EXPECT_EQ(j2_state.state, JobState::kPending);
  EXPECT_EQ(j2_state.run_at, 3000);
  EXPECT_EQ(j2_state.attempts, 0);
  Error running = error_of([&](StoreTx& tx) { return tx.RetryJob(j3, 3000); });
  EXPECT_EQ(running.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(running.problem_code, "job_not_retryable");
  EXPECT_EQ(error_of([&](StoreTx& tx) { return tx.RetryJob(j1, 3000); }).problem_code,
            "job_not_retryable");
  EXPECT_EQ(error_of([](StoreTx& tx) { return tx.RetryJob(424242, 3000); }).problem_code,
            "not_found");

  // Releasing leases: back to pending, the attempt not counted; others untouched.
  JobRecord j3_state = Tx([&](StoreTx& tx) { return tx.GetJob(j3); });
  EXPECT_EQ(j3_state.attempts, 1);
  ok([](StoreTx& tx) { return tx.ReleaseLeases("b"); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(j3); }).state, JobState::kRunning);
  ok([](StoreTx& tx) { return tx.ReleaseLeases("a"); });
  j3_state = Tx([&](StoreTx& tx) { return tx.GetJob(j3); });
  EXPECT_EQ(j3_state.state, JobState::kPending);
  EXPECT_EQ(j3_state.attempts, 0);
  EXPECT_EQ(j3_state.lease_owner, "");
  EXPECT_EQ(j3_state.run_at, 5000);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(j1); }).state, JobState::kDone);
}

TEST_P(StoreContractTest, RenewedLeaseKeepsARunningJobFromBeingTakenOver) {
  const std::int64_t mine = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("k", "", 100)); });
  const std::int64_t done = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("k", "", 100)); });
  ASSERT_EQ(Tx([](StoreTx& tx) { return tx.ClaimJobs("a", 1000, 60, 10); }).size(), 2u);
  TxDo([&](StoreTx& tx) { return tx.CompleteJob(done, "a"); });

  // Past the first lease (1060) but inside the renewed one (1100): nobody else gets it.
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.RenewLeases("a", 1100); }), 1);
  JobRecord renewed = Tx([&](StoreTx& tx) { return tx.GetJob(mine); });
  EXPECT_EQ(renewed.lease_until, 1100);
  EXPECT_EQ(renewed.state, JobState::kRunning);
  EXPECT_EQ(renewed.attempts, 1);
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ClaimJobs("b", 1080, 60, 10); }).empty());
  // Another owner renews nothing; a done job keeps no lease.
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.RenewLeases("b", 5000); }), 0);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(done); }).lease_until, 0);

  // Once it expired and another worker claimed it, the old owner renews nothing.
  ASSERT_EQ(Tx([](StoreTx& tx) { return tx.ClaimJobs("b", 1101, 60, 10); }).size(), 1u);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.RenewLeases("a", 2000); }), 0);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(mine); }).lease_until, 1161);
}

TEST_P(StoreContractTest, ClaimHandsOutDueJobsOldestFirstUpToTheLimit) {
  std::vector<std::int64_t> ids;
  for (UnixSeconds run_at : {300, 100, 200, 100}) {
    ids.push_back(Tx([&](StoreTx& tx) { return tx.EnqueueJob(SampleJob("k", "", run_at)); }));
  }
  std::vector<JobRecord> got = Tx([](StoreTx& tx) { return tx.ClaimJobs("w", 1000, 60, 3); });
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].id, ids[1]);
  EXPECT_EQ(got[1].id, ids[3]);
  EXPECT_EQ(got[2].id, ids[2]);
  got = Tx([](StoreTx& tx) { return tx.ClaimJobs("w", 1000, 60, 3); });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, ids[0]);
}

TEST_P(StoreContractTest, ClaimOfKindTakesOnlyThatKindOldestFirst) {
  auto enqueue = [&](const std::string& kind, UnixSeconds run_at) {
    return Tx([&](StoreTx& tx) { return tx.EnqueueJob(SampleJob(kind, "", run_at)); });
  };
  const std::int64_t settle = enqueue("settle", 50);
  const std::int64_t late = enqueue("send_sms", 300);
  const std::int64_t early = enqueue("send_sms", 100);
  const std::int64_t future = enqueue("send_sms", 5000);
  auto claim = [&](const std::string& owner, UnixSeconds now, int limit) {
    return Tx([&](StoreTx& tx) { return tx.ClaimJobsOfKind(owner, now, 60, limit, "send_sms"); });
  };
  std::vector<JobRecord> got = claim("w", 1000, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, early);
  EXPECT_EQ(got[0].state, JobState::kRunning);
  EXPECT_EQ(got[0].lease_owner, "w");
  EXPECT_EQ(got[0].lease_until, 1060);
  EXPECT_EQ(got[0].attempts, 1);
  got = claim("w", 1000, 10);
  ASSERT_EQ(got.size(), 1u) << "not the settle job, not the one due later, not the leased one";
  EXPECT_EQ(got[0].id, late);
  EXPECT_TRUE(claim("w", 1000, 10).empty());
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(settle); }).state, JobState::kPending);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(future); }).state, JobState::kPending);
  // An expired lease is taken over, like ClaimJobs does.
  got = claim("v", 1061, 10);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, early);
  EXPECT_EQ(got[0].lease_owner, "v");
  EXPECT_EQ(got[0].attempts, 2);
  EXPECT_EQ(got[1].id, late);
  EXPECT_EQ(TxError([&](StoreTx& tx) {
              return tx.ClaimJobsOfKind("", 1000, 60, 1, "send_sms");
            }).problem_code,
            "invalid_owner");
}

// Needs two connections to one database: instantiated only for stores whose
// harness SharesDatabase(), so no instantiation ever skips.
class StoreConcurrencyContractTest : public StoreContractTest {};

TEST_P(StoreConcurrencyContractTest, ConcurrentClaimsNeverShareAJob) {
  ASSERT_TRUE(harness_->SharesDatabase());
  constexpr int kJobs = 120;
  Tx([&](StoreTx& tx) -> Result<bool> {
    for (int i = 0; i < kJobs; ++i) {
      Must(tx.EnqueueJob(SampleJob("k", "job:" + std::to_string(i), i)));
    }
    return true;
  });
  std::unique_ptr<Store> other = harness_->Open();
  ASSERT_NE(other, nullptr);
  auto worker = [](Store* store, std::string owner, std::vector<std::int64_t>* out, bool* failed) {
    while (true) {
      Result<std::vector<JobRecord>> got = TransactValue<std::vector<JobRecord>>(
          *store, [&](StoreTx& tx) { return tx.ClaimJobs(owner, 10'000, 3600, 2); });
      if (!got) {
        *failed = true;
        return;
      }
      if (got->empty()) {
        return;
      }
      for (const JobRecord& job : *got) {
        out->push_back(job.id);
      }
    }
  };
  std::vector<std::int64_t> a_ids;
  std::vector<std::int64_t> b_ids;
  bool a_failed = false;
  bool b_failed = false;
  std::thread a(worker, store_.get(), "a", &a_ids, &a_failed);
  std::thread b(worker, other.get(), "b", &b_ids, &b_failed);
  a.join();
  b.join();
  EXPECT_FALSE(a_failed);
  EXPECT_FALSE(b_failed);
  std::set<std::int64_t> all(a_ids.begin(), a_ids.end());
  for (std::int64_t id : b_ids) {
    EXPECT_TRUE(all.insert(id).second) << "job " << id << " claimed twice";
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(a_ids.size() + b_ids.size(), static_cast<std::size_t>(kJobs));
}

}  // namespace simexit::testing
