// The background steps after a request is approved: settle, deprovision,
// certify, remind, run on the scheduled date.

#include "simexit/common/clock.hpp"
#include "simexit/domain/notices.hpp"
#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST_F(TerminationFlowTest, EveryStepRunTwiceRepeatsNothing) {
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  const std::string id = created->termination.id;
  // As if the worker crashed after each step's commit and the job ran again.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(workflow_.Settle(id));
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(workflow_.Deprovision(id));
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(workflow_.IssueCertificate(id));
  }
  RunJobs();
  EXPECT_EQ(Reload(id).state, TerminationState::kTerminated);
  EXPECT_EQ(CountPostings(id), 1);
  EXPECT_EQ(hlr_.remove_calls(), 1);
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  Result<TerminationDetail> detail = terminations_.Get(holder, id);
  ASSERT_TRUE(detail);
  int completes = 0, certificates = 0;
  for (const TerminationEventRecord& e : detail->events) {
    completes += e.event == "complete" ? 1 : 0;
    certificates += e.event == "certificate_issued" ? 1 : 0;
  }
  EXPECT_EQ(completes, 1);
  EXPECT_EQ(certificates, 1);
}

TEST_F(TerminationFlowTest, TheFinalNoticeGoesToTheContactNumberWhenGiven) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand command = OnlineRequest("+77011234567");
  command.contact_msisdn = ContactMsisdn::Parse("+44 7911 123456").value();
  Result<CreatedTermination> created = terminations_.Create(holder, command, std::nullopt);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->termination.contact_msisdn->e164(), "+447911123456");
  RunJobs();
  ASSERT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  std::vector<std::string> to_contact;
  for (const auto& sms : sms_.sent()) {
    if (sms.recipient == "+447911123456") {
      to_contact.push_back(sms.kind);
    }
    if (sms.kind == ToString(Notice::kTerminated)) {
      EXPECT_EQ(sms.recipient, "+447911123456");
      EXPECT_NE(sms.text.find("/verify/SX-"), std::string::npos) << sms.text;
    }
  }
  // Only the notice after closure: the others go to the line while it works.
  EXPECT_EQ(to_contact, std::vector<std::string>{ToString(Notice::kTerminated)});
}

TEST_F(TerminationFlowTest, WithoutAContactNumberTheFinalNoticeGoesToTheLine) {
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  RunJobs();
  int finals = 0;
  for (const auto& sms : sms_.sent()) {
    if (sms.kind != ToString(Notice::kTerminated)) {
      continue;
    }
    ++finals;
    EXPECT_EQ(sms.recipient, "+77011234567");
  }
  EXPECT_EQ(finals, 1);
}

TEST_F(TerminationFlowTest, AttachedSubscriberIsDetachedFromTheMsc) {
  testing::FakeVlr vlr;
  vlr.Attach("001010000000001");
  ctx_.vlr_for = [&](const std::string& code) -> Vlr* { return code == "kcell" ? &vlr : nullptr; };
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  vlr.FailNext(ErrorCode::kUnavailable);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kDeprovisioning);
  EXPECT_TRUE(vlr.Attached("001010000000001"));
  clock_.Advance(60);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  EXPECT_FALSE(vlr.Attached("001010000000001"));
  EXPECT_FALSE(hlr_.Has("001010000000001"));
  Result<TerminationDetail> detail = terminations_.Get(holder, created->termination.id);
  ASSERT_TRUE(detail);
  bool detached = false;
  for (const TerminationEventRecord& e : detail->events) {
    detached = detached || (e.event == "msc_detached" && e.detail.find("detached") == 0);
  }
  EXPECT_TRUE(detached);
}

TEST_F(TerminationFlowTest, HlrOutageIsRetriedWithBackoff) {
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  hlr_.FailNext(ErrorCode::kUnavailable, 1);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kDeprovisioning);
  EXPECT_TRUE(hlr_.Has("001010000000001"));
  clock_.Advance(60);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  EXPECT_FALSE(hlr_.Has("001010000000001"));
}

TEST_F(TerminationFlowTest, JobOfAnUnknownKindIsDeadLetteredAndTheRestRun) {
  // A row written by a newer build (or by hand) names a kind this build has
  // no step for: it goes dead at once, and the queue behind it keeps moving.
  JobRecord stranger;
  stranger.kind = "reticulate_splines";
  stranger.payload = "{}";
  const std::int64_t stranger_id = TransactValue<std::int64_t>(*store_, [&](StoreTx& tx) {
                                     return tx.EnqueueJob(stranger);
                                   }).value();
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_THAT(created, IsOk());
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  const JobRecord dead = TransactValue<JobRecord>(*store_, [&](StoreTx& tx) {
                           return tx.GetJob(stranger_id);
                         }).value();
  EXPECT_EQ(dead.state, JobState::kDead);
  EXPECT_EQ(dead.attempts, 1);
  EXPECT_THAT(dead.last_error, ::testing::StartsWith("unknown_job: "));
  EXPECT_THAT(dead.last_error, ::testing::HasSubstr("\"reticulate_splines\""));
}

TEST(JobKind, NamesRoundTripAndAreTheStoredOnes) {
  for (const auto& entry : kJobKindNames.entries()) {
    EXPECT_EQ(ParseJobKind(ToString(entry.value)), entry.value);
  }
  // Stored in jobs.kind: renaming one needs a migration.
  EXPECT_EQ(kJobKindNames.List(),
            "start_termination, settle, deprovision, issue_certificate, send_sms, "
            "release_number, send_reminder, expire_confirmation, deliver_webhook, "
            "provision_reactivation, dormancy_sweep, open_bulk_terminations");
  EXPECT_FALSE(ParseJobKind("Settle"));
  EXPECT_FALSE(ParseJobKind(""));
}

TEST_F(TerminationFlowTest, SubscriberAlreadyAbsentFromHlrStillCompletes) {
  ASSERT_TRUE(hlr_.Remove(*Imsi::Parse("001010000000001")));
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
}

TEST_F(TerminationFlowTest, ScheduledTerminationRunsWhenDue) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.scheduled_for = At(FormatDate(kStart + 2 * kSecondsPerDay));
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_THAT(created, IsOk());
  clock_.Advance(2 * kSecondsPerDay);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
}

TEST_F(TerminationFlowTest, HolderIsRemindedTheDayBeforeInTheirZoneAndTexts) {
  Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
  ASSERT_TRUE(op);
  Policy policy = op->policy;
  policy.sms_templates = {{"termination_reminder", {{"en", "Tomorrow ({date}) {msisdn} closes."}}}};
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  // 19:30 UTC is already the next day in Almaty (UTC+5).
  request.scheduled_for = kStart + 3 * kSecondsPerDay + 19 * kSecondsPerHour + 1800;
  ASSERT_TRUE(terminations_.Create(holder, request, std::nullopt));
  RunJobs();
  const std::string date =
      FormatDateInZone(kStart + 3 * kSecondsPerDay + 19 * kSecondsPerHour + 1800, "Asia/Almaty");
  EXPECT_NE(date, FormatDate(kStart + 3 * kSecondsPerDay));
  EXPECT_EQ(sms_.sent().back().kind, "termination_scheduled");
  EXPECT_NE(sms_.sent().back().text.find(date), std::string::npos);
  clock_.Advance(2 * kSecondsPerDay + 20 * kSecondsPerHour);
  RunJobs();
  EXPECT_EQ(sms_.sent().back().kind, "termination_reminder");
  EXPECT_EQ(sms_.sent().back().text, "Tomorrow (" + date + ") +77011234567 closes.");
}

TEST_F(TerminationFlowTest, CancelledTerminationSendsNoReminder) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.scheduled_for = At(FormatDate(kStart + 3 * kSecondsPerDay));
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_TRUE(created);
  ASSERT_TRUE(terminations_.Cancel(holder, created->termination.id, ""));
  clock_.Advance(3 * kSecondsPerDay);
  RunJobs();
  for (const SmsMessage& m : sms_.sent()) {
    EXPECT_NE(m.kind, "termination_reminder");
  }
}

}  // namespace
}  // namespace simexit
