// The operator's dashboard and the retry of its failed work
// (OperatorService::Dashboard, RetryJob, RetrySms) on the real store.

#include <boost/json.hpp>

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

class DashboardTest : public TerminationFlowTest {
 protected:
  // A kcell request through to the certificate; its first notice fails for
  // good (the SMSC refused it).
  void SetUp() override {
    Caller holder = SignIn("+77011234567");
    Result<CreatedTermination> created =
        terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
    ASSERT_THAT(created, IsOk());
    kcell_termination_ = created->termination.id;
    sms_.FailNext(1, ErrorCode::kInvalidArgument);
    RunJobs();
    ASSERT_EQ(Reload(kcell_termination_).state, TerminationState::kTerminated);
    kcell_job_ = DeadJob(kcell_termination_);
    orphan_job_ = DeadJob("trm_000000000000000000000000");
    std::vector<SmsRecord> failed = Sms(SmsState::kFailed);
    ASSERT_EQ(failed.size(), 1u);
    failed_sms_ = failed.front().id;
  }

  // A job for `termination_id` that no step knows: dead at its first run.
  std::int64_t DeadJob(const std::string& termination_id) {
    JobRecord job;
    job.kind = "reticulate_splines";
    job.dedupe_key = "reticulate_splines:" + termination_id;
    job.payload = boost::json::serialize(boost::json::object{{"termination_id", termination_id}});
    job.run_at = clock_.Now();
    const std::int64_t id = TransactValue<std::int64_t>(*store_, [&](StoreTx& tx) {
                              return tx.EnqueueJob(job);
                            }).value();
    RunJobs();
    return id;
  }

  std::vector<SmsRecord> Sms(SmsState state) {
    SmsFilter filter;
    filter.state = state;
    return TransactValue<std::vector<SmsRecord>>(*store_,
                                                 [&](StoreTx& tx) { return tx.ListSms(filter); })
        .value();
  }

  JobRecord Job(std::int64_t id) {
    return TransactValue<JobRecord>(*store_, [&](StoreTx& tx) { return tx.GetJob(id); }).value();
  }

  Caller KcellAdmin() const { return Caller::Staff(1, kcell_id_, StaffRole::kOperatorAdmin); }
  Caller KcellStore() const { return Caller::Staff(2, kcell_id_, StaffRole::kAgentStore); }
  Caller BeelineAdmin() const { return Caller::Staff(3, beeline_id_, StaffRole::kOperatorAdmin); }

  std::string kcell_termination_;
  std::int64_t kcell_job_ = 0;
  std::int64_t orphan_job_ = 0;
  std::int64_t failed_sms_ = 0;
};

TEST_F(DashboardTest, CountsTheOperatorsRequestsAndListsItsFailedWork) {
  Result<DashboardView> view = operators_.Dashboard(KcellAdmin());
  ASSERT_THAT(view, IsOk());
  EXPECT_EQ(view->tally.by_state,
            (std::map<TerminationState, std::int64_t>{{TerminationState::kTerminated, 1}}));
  EXPECT_EQ(view->tally.by_channel, (std::map<Channel, std::int64_t>{{Channel::kOnline, 1}}));
  const std::int64_t today = (clock_.Now() + kDashboardUtcOffset) / 86'400;
  EXPECT_EQ(view->first_day, today - 29);
  EXPECT_EQ(view->tally.per_day, (std::map<std::int64_t, std::int64_t>{{today, 1}}));
  EXPECT_TRUE(view->may_retry);
  ASSERT_EQ(view->dead_jobs.size(), 1u);  // not the job of no operator's
  EXPECT_EQ(view->dead_jobs.front().id, kcell_job_);
  ASSERT_EQ(view->failed_sms.size(), 1u);
  EXPECT_EQ(view->failed_sms.front().id, failed_sms_);

  Result<DashboardView> beeline = operators_.Dashboard(BeelineAdmin());
  ASSERT_THAT(beeline, IsOk());
  EXPECT_TRUE(beeline->tally.by_state.empty());
  EXPECT_TRUE(beeline->dead_jobs.empty());
  EXPECT_TRUE(beeline->failed_sms.empty());

  Result<DashboardView> admin = operators_.Dashboard(Caller::Admin(0));
  ASSERT_THAT(admin, IsOk());
  EXPECT_EQ(admin->dead_jobs.size(), 2u);
}

TEST_F(DashboardTest, OnlyRolesThatMayRetrySeeTheFailedWork) {
  Result<DashboardView> view = operators_.Dashboard(KcellStore());
  ASSERT_THAT(view, IsOk());
  EXPECT_FALSE(view->may_retry);
  EXPECT_TRUE(view->dead_jobs.empty());
  EXPECT_TRUE(view->failed_sms.empty());
  EXPECT_EQ(view->tally.by_state.at(TerminationState::kTerminated), 1);
  EXPECT_THAT(operators_.Dashboard(Caller::Holder(1, Number("+77011234567"))),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
}

TEST_F(DashboardTest, ADeadJobIsRetriedOnceByItsOperatorsAdmin) {
  EXPECT_THAT(operators_.RetryJob(KcellStore(), kcell_job_),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(operators_.RetryJob(BeelineAdmin(), kcell_job_),
              IsError(ErrorCode::kNotFound, "job_not_found"));
  EXPECT_THAT(operators_.RetryJob(KcellAdmin(), orphan_job_),
              IsError(ErrorCode::kNotFound, "job_not_found"));
  EXPECT_THAT(operators_.RetryJob(KcellAdmin(), 999'999),
              IsError(ErrorCode::kNotFound, "job_not_found"));
  EXPECT_EQ(Job(kcell_job_).state, JobState::kDead);  // refusals change nothing

  Result<JobRecord> retried = operators_.RetryJob(KcellAdmin(), kcell_job_);
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->state, JobState::kPending);
  EXPECT_EQ(retried->attempts, 0);
  EXPECT_THAT(operators_.RetryJob(KcellAdmin(), kcell_job_),
              IsError(ErrorCode::kFailedPrecondition, "job_not_retryable"));
  EXPECT_THAT(operators_.RetryJob(Caller::Admin(0), orphan_job_), IsOk());

  std::vector<AuditRecord> trail =
      TransactValue<std::vector<AuditRecord>>(*store_, [&](StoreTx& tx) {
        return tx.ListAudit("job:" + std::to_string(kcell_job_), 10);
      }).value();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail.front().action, "job_retried");
  EXPECT_EQ(trail.front().actor, KcellAdmin().actor);
}

TEST_F(DashboardTest, AFailedSmsIsSentAgain) {
  EXPECT_THAT(operators_.RetrySms(KcellStore(), failed_sms_),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(operators_.RetrySms(BeelineAdmin(), failed_sms_),
              IsError(ErrorCode::kNotFound, "sms_not_found"));
  const std::size_t sent = sms_.sent().size();
  Result<SmsRecord> retried = operators_.RetrySms(KcellAdmin(), failed_sms_);
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(retried->state, SmsState::kQueued);
  EXPECT_THAT(operators_.RetrySms(KcellAdmin(), failed_sms_),
              IsError(ErrorCode::kFailedPrecondition, "sms_not_retryable"));
  RunJobs();
  ASSERT_EQ(sms_.sent().size(), sent + 1);
  EXPECT_EQ(sms_.sent().back().recipient, "+77011234567");
  EXPECT_TRUE(Sms(SmsState::kFailed).empty());
  // A sign-in code is stored masked: never sent again, even when it failed.
  // (The closed line gets no code any more; the operator's other line does.)
  sms_.FailNext(1, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234568")));
  std::vector<SmsRecord> failed = Sms(SmsState::kFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed.front().kind, "sign_in_code");
  EXPECT_THAT(operators_.RetrySms(KcellAdmin(), failed.front().id),
              IsError(ErrorCode::kFailedPrecondition, "sms_not_retryable"));
}

}  // namespace
}  // namespace simexit
