// The dormancy sweep on the real SQLite store with the workflow's fakes:
// warnings through the outbox, closure through the workflow, and the lines
// it must leave alone.

#include "simexit/service/dormancy_sweep.hpp"

#include <algorithm>

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

constexpr const char* kDormant = "+77011234567";
constexpr const char* kFresh = "+77011234568";
constexpr UnixSeconds kDay = kSecondsPerDay;

class DormancySweepTest : public TerminationFlowTest {
 protected:
  DormancySweepTest() : sweep_(ctx_) {
    // Every line paid today, except kDormant: 150 days ago, the day of its
    // first warning under the default policy (180, 30, 14).
    for (const char* msisdn : {kDormant, kFresh, "+77051234567"}) {
      SetPaidActivity(msisdn, clock_.Now());
    }
    SetPaidActivity(kDormant, clock_.Now() - 150 * kDay);
  }

  void SetPaidActivity(const std::string& msisdn, UnixSeconds at) {
    LineRecord line = LineOf(msisdn);
    line.last_paid_activity_at = at;
    ASSERT_TRUE(store_->Transact([&](StoreTx& tx) { return tx.UpdateLine(line); }));
  }

  DormancyTally Sweep() {
    Result<DormancyTally> tally = sweep_.Run("kcell");
    EXPECT_TRUE(tally) << tally.error().message;
    return tally.value_or(DormancyTally{});
  }

  std::vector<SmsRecord> Notices(const std::string& kind) {
    std::vector<SmsRecord> out;
    for (SmsRecord& sms : Outbox(*store_)) {
      if (sms.kind == kind) {
        out.push_back(std::move(sms));
      }
    }
    return out;
  }

  std::optional<TerminationRecord> OpenTermination(const std::string& msisdn) {
    const std::int64_t line_id = LineOf(msisdn).id;
    return TransactValue<std::optional<TerminationRecord>>(
               *store_, [&](StoreTx& tx) { return tx.FindOpenTermination(line_id); })
        .value();
  }

  DormancySweep sweep_;
};

TEST_F(DormancySweepTest, WarnsTwiceThenClosesThroughTheWorkflow) {
  EXPECT_EQ(Sweep(), (DormancyTally{1, 0, 0, 0}));
  std::vector<SmsRecord> first = Notices("dormancy_warning");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].recipient, kDormant);
  EXPECT_EQ(first[0].language, "en");
  // The closing day (first warning + 30 + 14 days) and where to keep the line.
  EXPECT_THAT(first[0].text,
              ::testing::HasSubstr(FormatDateInZone(clock_.Now() + 44 * kDay, "Asia/Almaty")));
  EXPECT_THAT(first[0].text, ::testing::HasSubstr(ctx_.public_url + "/my"));

  // The same day again: nothing more.
  EXPECT_EQ(Sweep(), (DormancyTally{}));
  EXPECT_EQ(Notices("dormancy_warning").size(), 1u);

  clock_.Advance(29 * kDay);
  EXPECT_EQ(Sweep(), (DormancyTally{}));
  clock_.Advance(1 * kDay);
  EXPECT_EQ(Sweep(), (DormancyTally{0, 1, 0, 0}));
  EXPECT_EQ(Sweep(), (DormancyTally{}));
  EXPECT_EQ(Notices("dormancy_final").size(), 1u);

  clock_.Advance(14 * kDay);
  EXPECT_EQ(Sweep(), (DormancyTally{0, 0, 1, 0}));
  std::optional<TerminationRecord> t = OpenTermination(kDormant);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->channel, Channel::kSystem);
  EXPECT_EQ(t->reason, "dormant");
  EXPECT_EQ(t->requested_by, DormancySweep::kActor);
  // Held by its own termination now: counted, not repeated.
  EXPECT_EQ(Sweep(), (DormancyTally{0, 0, 0, 1}));

  RunJobs();
  const TerminationRecord done = Reload(t->id);
  EXPECT_EQ(done.state, TerminationState::kTerminated);
  EXPECT_FALSE(hlr_.Has("001010000000001"));
  EXPECT_EQ(LineOf(kDormant).status, LineStatus::kQuarantined);
  EXPECT_GE(CountPostings(t->id), 1);  // settled
  EXPECT_EQ(Notices("terminated").size(), 1u);
  // The fresh line was never touched.
  EXPECT_FALSE(OpenTermination(kFresh));
  EXPECT_EQ(LineOf(kFresh).status, LineStatus::kActive);
}

TEST_F(DormancySweepTest, PaidActivityAfterAWarningStopsTheClock) {
  EXPECT_EQ(Sweep(), (DormancyTally{1, 0, 0, 0}));
  clock_.Advance(10 * kDay);
  SetPaidActivity(kDormant, clock_.Now());
  SetPaidActivity(kFresh, clock_.Now());
  clock_.Advance(60 * kDay);  // past the old deadline and grace
  EXPECT_EQ(Sweep(), (DormancyTally{}));
  EXPECT_FALSE(OpenTermination(kDormant));
  // A new dormancy starts from the activity, with a new first warning (to
  // both lines, idle as long by then).
  clock_.Advance(90 * kDay);
  EXPECT_EQ(Sweep(), (DormancyTally{2, 0, 0, 0}));
  std::vector<SmsRecord> warnings = Notices("dormancy_warning");
  EXPECT_EQ(std::count_if(warnings.begin(), warnings.end(),
                          [](const SmsRecord& sms) { return sms.recipient == kDormant; }),
            2);
}

TEST_F(DormancySweepTest, SigningInKeepsTheLine) {
  EXPECT_EQ(Sweep(), (DormancyTally{1, 0, 0, 0}));
  clock_.Advance(35 * kDay);
  SignIn(kDormant);
  const std::int64_t line_id = LineOf(kDormant).id;
  const DormancyMarks marks = TransactValue<DormancyMarks>(*store_, [&](StoreTx& tx) {
                                return tx.GetDormancyMarks(line_id);
                              }).value();
  EXPECT_EQ(marks.kept_at, clock_.Now());
  clock_.Advance(30 * kDay);
  EXPECT_EQ(Sweep(), (DormancyTally{}));
  EXPECT_TRUE(Notices("dormancy_final").empty());
  EXPECT_FALSE(OpenTermination(kDormant));
}

TEST_F(DormancySweepTest, ALineWithAnOpenTerminationIsLeftAlone) {
  const Caller agent = Caller::Staff(30, kcell_id_, StaffRole::kAgentStore);
  Result<CreatedTermination> created = terminations_.Create(
      agent,
      [] {
        CreateTerminationCommand r = StoreRequest(kDormant);
        r.scheduled_for = kStart + 10 * kDay;
        return r;
      }(),
      std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  const std::size_t before = Outbox(*store_).size();
  EXPECT_EQ(Sweep(), (DormancyTally{0, 0, 0, 1}));
  EXPECT_EQ(Outbox(*store_).size(), before);
}

TEST_F(DormancySweepTest, TheDryRunPlansWithoutActing) {
  Result<std::vector<DormancyPlanItem>> plan = sweep_.Plan("kcell");
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].line.msisdn, Number(kDormant));
  EXPECT_EQ((*plan)[0].decision.step, DormancyStep::kFirstWarning);
  EXPECT_TRUE(Notices("dormancy_warning").empty());
  EXPECT_EQ(sweep_.Run("nosuch").error().problem_code, "operator_not_found");
}

TEST_F(DormancySweepTest, TheDailyJobRunsOnlyForOperatorsThatAskForIt) {
  auto sweep_jobs = [&] {
    JobFilter filter;
    filter.kind = "dormancy_sweep";
    return TransactValue<std::vector<JobRecord>>(*store_,
                                                 [&](StoreTx& tx) { return tx.ListJobs(filter); })
        .value();
  };
  ASSERT_TRUE(
      store_->Transact([&](StoreTx& tx) { return ScheduleDormancySweeps(tx, clock_.Now()); }));
  EXPECT_TRUE(sweep_jobs().empty());

  Policy policy = TransactValue<OperatorRecord>(
                      *store_, [](StoreTx& tx) { return tx.GetOperatorByCode("kcell"); })
                      .value()
                      .policy;
  policy.dormancy_sweep = true;
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(1), "kcell", policy));
  ASSERT_EQ(sweep_jobs().size(), 1u);
  RunJobs();
  EXPECT_EQ(Notices("dormancy_warning").size(), 1u);
  // Tomorrow's is queued, not yet due; it runs tomorrow.
  std::vector<JobRecord> jobs = sweep_jobs();
  ASSERT_EQ(jobs.size(), 2u);
  const auto pending = std::find_if(jobs.begin(), jobs.end(), [](const JobRecord& job) {
    return job.state == JobState::kPending;
  });
  ASSERT_NE(pending, jobs.end());
  EXPECT_GT(pending->run_at, clock_.Now());
  clock_.Advance(kDay);
  RunJobs();
  EXPECT_EQ(sweep_jobs().size(), 3u);

  // Turned off: the next job ends the chain.
  policy.dormancy_sweep = false;
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(1), "kcell", policy));
  clock_.Advance(kDay);
  RunJobs();
  clock_.Advance(kDay);
  RunJobs();
  EXPECT_EQ(sweep_jobs().size(), 3u);
}

}  // namespace
}  // namespace simexit
