// Notices through the outbox: SMSC outages, refusals, validity, delivery reports.

#include "simexit/common/clock.hpp"
#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST_F(TerminationFlowTest, SmscOutageDelaysNoticesButLosesAndRepeatsNothing) {
  Caller holder = SignIn("+77011234567");
  sms_.FailNext(3);
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  const std::size_t before = sms_.sent().size();
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  for (int i = 0; i < 6; ++i) {
    clock_.Advance(120);
    RunJobs();
  }
  std::vector<std::string> kinds;
  for (std::size_t i = before; i < sms_.sent().size(); ++i) {
    kinds.push_back(sms_.sent()[i].kind);
  }
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"terminated", "termination_received"}));
  EXPECT_TRUE(Outbox(*store_, SmsState::kQueued).empty());
  for (const SmsRecord& m : Outbox(*store_)) {
    if (m.kind == "sign_in_code") {
      continue;
    }
    EXPECT_EQ(m.state, SmsState::kSubmitted) << m.kind;
    EXPECT_EQ(m.language, "en");
    EXPECT_EQ(m.termination_id, created->termination.id);
  }
}

TEST_F(TerminationFlowTest, RefusedNoticeEndsFailedWithoutRetrying) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.scheduled_for = At(FormatDate(kStart + 3 * kSecondsPerDay));
  ASSERT_TRUE(terminations_.Create(holder, request, std::nullopt));
  sms_.FailNext(1, ErrorCode::kInvalidArgument);
  const std::size_t before = sms_.sent().size();
  RunJobs();
  clock_.Advance(600);
  RunJobs();
  EXPECT_EQ(sms_.sent().size(), before);
  std::vector<SmsRecord> failed = Outbox(*store_, SmsState::kFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].kind, "termination_scheduled");
  EXPECT_EQ(failed[0].attempts, 1);
  EXPECT_NE(failed[0].last_error.find("sms_rejected"), std::string::npos);
}

TEST_F(TerminationFlowTest, QueuedNoticeExpiresAfterItsValidity) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.scheduled_for = At(FormatDate(kStart + 3 * kSecondsPerDay));
  ASSERT_TRUE(terminations_.Create(holder, request, std::nullopt));
  sms_.FailNext(1000);
  RunJobs();
  clock_.Advance(SmsOutbox::kValiditySeconds + 1);
  RunJobs();
  std::vector<SmsRecord> expired = Outbox(*store_, SmsState::kExpired);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].kind, "termination_scheduled");
}

TEST_F(TerminationFlowTest, DeliveryReportsAreMatchedByReferenceEvenWhenCutTo8Bits) {
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  RunJobs();
  std::vector<SmsRecord> submitted = Outbox(*store_, SmsState::kSubmitted);
  ASSERT_GE(submitted.size(), 2u);
  SmsOutbox& outbox = workflow_.outbox();
  // Like osmo-msc: a message id shared by every message, the reference cut to 8 bits.
  for (const SmsRecord& m : submitted) {
    DeliveryReport report;
    report.message_id = "msg_id_not_implemented";
    report.recipient = m.recipient;
    report.user_message_reference = SmsOutbox::UserMessageReference(m.id) & 0xFF;
    report.state = DeliveryState::kDelivered;
    Result<std::int64_t> matched = outbox.RecordDeliveryReport(report);
    ASSERT_THAT(matched, IsOk());
    EXPECT_EQ(*matched, m.id);
  }
  EXPECT_TRUE(Outbox(*store_, SmsState::kSubmitted).empty());
  DeliveryReport stray;
  stray.recipient = "+77011234567";
  stray.user_message_reference = 250;
  stray.state = DeliveryState::kDelivered;
  Result<std::int64_t> none = outbox.RecordDeliveryReport(stray);
  ASSERT_THAT(none, IsError(ErrorCode::kNotFound, "sms_not_found"));
}

// One batch settles each row on its own, in order: a row no longer queued is
// not sent again, one the SMSC refuses ends failed (its job is done), one it
// cannot take now stays queued for its job's retry, an unknown id fails alone.
TEST_F(TerminationFlowTest, SendBatchSettlesEachRowOnItsOwn) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    SmsRecord sms;
    sms.recipient = "+7701000000" + std::to_string(i);
    sms.kind = "bench";
    sms.language = "en";
    sms.text = "hello " + std::to_string(i);
    ids.push_back(*TransactValue<std::int64_t>(
        *store_, [&](StoreTx& tx) { return SmsOutbox::Queue(tx, sms, clock_.Now()); }));
  }
  SmsRecord done =
      *TransactValue<SmsRecord>(*store_, [&](StoreTx& tx) { return tx.GetSms(ids[0]); });
  done.state = SmsState::kSubmitted;
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) { return tx.UpdateSms(done); }));
  const std::size_t before = sms_.sent().size();
  SmsOutbox& outbox = workflow_.outbox();

  sms_.FailNext(1, ErrorCode::kInvalidArgument);  // ids[1]
  std::vector<std::int64_t> batch = ids;
  batch.push_back(424242);
  std::vector<Result<void>> outcomes = outbox.SendBatch(batch);
  ASSERT_EQ(outcomes.size(), 6u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_THAT(outcomes[i], IsOk()) << i;
  }
  EXPECT_THAT(outcomes[5], IsError(ErrorCode::kNotFound));
  auto state_of = [&](std::int64_t id) {
    return TransactValue<SmsRecord>(*store_, [&](StoreTx& tx) { return tx.GetSms(id); })->state;
  };
  EXPECT_EQ(state_of(ids[0]), SmsState::kSubmitted);
  EXPECT_EQ(state_of(ids[1]), SmsState::kFailed);
  EXPECT_EQ(state_of(ids[2]), SmsState::kSubmitted);
  EXPECT_EQ(state_of(ids[4]), SmsState::kSubmitted);
  ASSERT_EQ(sms_.sent().size(), before + 3) << "ids[0] was not sent again";

  // The SMSC down for one message of a batch: that one stays queued.
  SmsRecord again =
      *TransactValue<SmsRecord>(*store_, [&](StoreTx& tx) { return tx.GetSms(ids[2]); });
  again.state = SmsState::kQueued;
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) { return tx.UpdateSms(again); }));
  sms_.FailNext(1);
  outcomes = outbox.SendBatch({ids[2], ids[3]});
  EXPECT_THAT(outcomes[0], IsError(ErrorCode::kUnavailable));
  EXPECT_THAT(outcomes[1], IsOk());
  EXPECT_EQ(state_of(ids[2]), SmsState::kQueued);
  EXPECT_EQ(state_of(ids[3]), SmsState::kSubmitted);
}

}  // namespace
}  // namespace simexit
