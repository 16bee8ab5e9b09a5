// Reactivation (ReactivationService): a quarantined number given back to its
// former holder at a store or by a reviewed posted application, and the
// worker's provision_reactivation step.

#include "simexit/service/reactivation_service.hpp"

#include <boost/json.hpp>

#include "simexit/service/event_outbox.hpp"
#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

constexpr const char* kPhysical = "+77011234567";  // kcell, physical SIM, refund due
constexpr const char* kNewImsi = "001010000000091";

std::string NewIccidDigits() {
  const std::string body = "8977010000000099001";
  return body + Iccid::LuhnDigit(body);
}

class ReactivationTest : public ChannelTest {
 protected:
  ReactivationTest() : reactivations_(ctx_) {}

  // Closes `msisdn` online as its holder and runs the workflow to the end:
  // the line rests in quarantine, its subscriber gone from the HLR.
  std::string Close(const std::string& msisdn) {
    Result<CreatedTermination> created =
        terminations_.Create(SignIn(msisdn), OnlineRequest(msisdn), std::nullopt);
    EXPECT_THAT(created, IsOk());
    RunJobs();
    EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
    EXPECT_EQ(LineOf(msisdn).status, LineStatus::kQuarantined);
    return created->termination.id;
  }

  // An eSIM line of kcell, +77011230000 (IMSI 001010000000050).
  void AddEsimLine() {
    NewLine line;
    line.operator_code = "kcell";
    line.msisdn = "+77011230000";
    const std::string body = "8977010000000055001";
    line.iccid = body + Iccid::LuhnDigit(body);
    line.imsi = "001010000000050";
    line.kind = "esim";
    line.main_balance = Money::Tiyn(1'000'00);  // covers the fee: closed online
    line.holder_name = "TESTOV TEST";
    line.document_kind = "iin";
    line.document_number = "900101300017";
    line.language = "en";
    ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> Result<void> {
      SIMEXIT_TRY(operators_.AddLine(tx, line, clock_.Now()));
      return {};
    }));
    ASSERT_TRUE(hlr_.Provision(*Imsi::Parse(line.imsi), *Msisdn::Parse(line.msisdn)));
  }

  static OpenReactivationCommand AtStore(const std::string& msisdn, bool new_sim = true) {
    OpenReactivationCommand c{Number(msisdn), Channel::kStore, HolderIin(),
                              std::nullopt,   std::nullopt,    std::nullopt};
    if (new_sim) {
      c.iccid = Iccid::Parse(NewIccidDigits()).value();
      c.imsi = Imsi::Parse(kNewImsi).value();
    }
    return c;
  }

  static OpenReactivationCommand ByMail(const std::string& msisdn) {
    OpenReactivationCommand c = AtStore(msisdn);
    c.channel = Channel::kMail;
    c.postmarked_on = Date("2026-09-20");
    return c;
  }

  ReactivationRecord Stored(const std::string& id) {
    return TransactValue<ReactivationRecord>(*store_,
                                             [&](StoreTx& tx) { return tx.GetReactivation(id); })
        .value();
  }

  std::vector<std::string> AuditActions(const std::string& msisdn) {
    std::vector<AuditRecord> trail =
        TransactValue<std::vector<AuditRecord>>(*store_, [&](StoreTx& tx) {
          return tx.ListAudit(msisdn, 100);
        }).value();
    std::vector<std::string> actions;
    actions.reserve(trail.size());
    for (const AuditRecord& record : trail) {
      actions.push_back(record.action);
    }
    return actions;
  }

  void SetReactivationDays(int days) {
    Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
    ASSERT_TRUE(op);
    Policy policy = op->policy;
    policy.reactivation_days = days;
    ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  }

  // The SMS sent to `msisdn` of `kind`, in order.
  std::vector<std::string> SentTexts(const std::string& msisdn, const std::string& kind) {
    std::vector<std::string> texts;
    for (const SmsMessage& sms : sms_.sent()) {
      if (sms.recipient == msisdn && sms.kind == kind) {
        texts.push_back(sms.text);
      }
    }
    return texts;
  }

  ReactivationService reactivations_;
};

TEST_F(ReactivationTest, StoreAgentGivesAPhysicalLineBackOnANewSim) {
  const std::string termination_id = Close(kPhysical);
  const LineRecord closed = LineOf(kPhysical);
  const int postings = CountPostings(termination_id);
  const Caller agent = Staff(10, StaffRole::kAgentStore);

  // The old SIM went with the closure: a physical line needs a new one.
  Result<OpenedReactivation> opened =
      reactivations_.Open(agent, AtStore(kPhysical, false), std::nullopt);
  ASSERT_THAT(opened, IsError(ErrorCode::kInvalidArgument, "sim_required"));
  EXPECT_EQ(opened.error().field, "iccid");

  opened = reactivations_.Open(agent, AtStore(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  const ReactivationRecord& r = opened->reactivation;
  EXPECT_EQ(r.state, ReactivationState::kProvisioning);
  EXPECT_EQ(r.termination_id, termination_id);
  EXPECT_EQ(r.requested_by, "staff:10");
  EXPECT_TRUE(r.new_sim);
  EXPECT_EQ(r.imsi.digits(), kNewImsi);
  EXPECT_FALSE(hlr_.Has(kNewImsi));  // the worker provisions it

  RunJobs();
  EXPECT_EQ(Stored(r.id).state, ReactivationState::kReactivated);
  const LineRecord line = LineOf(kPhysical);
  EXPECT_EQ(line.status, LineStatus::kActive);
  EXPECT_EQ(line.holder_id, closed.holder_id);
  EXPECT_EQ(line.iccid.digits(), NewIccidDigits());
  EXPECT_EQ(line.imsi.digits(), kNewImsi);
  EXPECT_FALSE(line.quarantine_until);
  ASSERT_TRUE(hlr_.Has(kNewImsi));
  EXPECT_EQ(hlr_.Lookup(*Imsi::Parse(kNewImsi))->msisdn, "77011234567");
  EXPECT_FALSE(hlr_.Has("001010000000001"));
  // Nothing of the settlement comes back.
  EXPECT_EQ(CountPostings(termination_id), postings);
  EXPECT_EQ(line.main_balance, closed.main_balance);
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  // The holder hears of it on the new SIM, once, in their language.
  EXPECT_THAT(
      SentTexts(kPhysical, "line_reactivated"),
      ::testing::ElementsAre("Line +77011234567 is yours again and active (no. " + r.id + ")."));

  Result<ReactivationDetail> detail = reactivations_.Get(agent, r.id);
  ASSERT_THAT(detail, IsOk());
  std::vector<std::string> events;
  events.reserve(detail->events.size());
  for (const ReactivationEventRecord& e : detail->events) {
    events.push_back(e.event);
  }
  EXPECT_THAT(events, ::testing::ElementsAre("created", "approve", "start_provisioning",
                                             "hlr_provisioned", "complete"));
  EXPECT_EQ(detail->deadline, r.closed_at + 30 * kSecondsPerDay);
  // Audited like a termination: every change in the operator's audit trail.
  const std::vector<std::string> audit = AuditActions(kPhysical);
  for (const char* action : {"reactivation_created", "reactivation_approve",
                             "reactivation_start_provisioning", "reactivation_complete"}) {
    EXPECT_NE(std::find(audit.begin(), audit.end(), action), audit.end()) << action;
  }

  // The closure's release has nothing to do any more.
  clock_.Advance(200 * kSecondsPerDay);
  RunJobs();
  EXPECT_EQ(LineOf(kPhysical).status, LineStatus::kActive);
  EXPECT_EQ(LineOf(kPhysical).holder_id, closed.holder_id);
}

TEST_F(ReactivationTest, EveryStateChangeIsAnEventInTheOutbox) {
  Close(kPhysical);
  Result<OpenedReactivation> opened =
      reactivations_.Open(Staff(10, StaffRole::kAgentStore), AtStore(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  RunJobs();
  const std::vector<OutboxEventRecord> outbox =
      TransactValue<std::vector<OutboxEventRecord>>(*store_, [&](StoreTx& tx) {
        return tx.ListOutboxEvents(kcell_id_, 0, 1000);
      }).value();
  std::vector<std::string> changes;
  for (const OutboxEventRecord& e : outbox) {
    if (e.type != kReactivationStateChanged) {
      continue;
    }
    EXPECT_EQ(e.subject, opened->reactivation.id);
    EXPECT_EQ(e.ordering_key, opened->reactivation.id);
    const boost::json::object data = boost::json::parse(e.data).as_object();
    EXPECT_EQ(data.at("msisdn").as_string(), kPhysical);
    EXPECT_EQ(data.at("operator").as_string(), "kcell");
    changes.push_back(std::string(data.at("event").as_string()) + "->" +
                      std::string(data.at("to_state").as_string()));
  }
  EXPECT_THAT(changes,
              ::testing::ElementsAre("created->requested", "approve->approved",
                                     "start_provisioning->provisioning", "complete->reactivated"));
}

TEST_F(ReactivationTest, AnEsimDownloadsItsOldProfileAgain) {
  AddEsimLine();
  Close("+77011230000");
  const LineRecord closed = LineOf("+77011230000");
  EXPECT_FALSE(hlr_.Has("001010000000050"));
  Result<OpenedReactivation> opened = reactivations_.Open(
      Staff(10, StaffRole::kAgentStore), AtStore("+77011230000", false), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  EXPECT_FALSE(opened->reactivation.new_sim);
  EXPECT_EQ(opened->reactivation.iccid, closed.iccid);
  RunJobs();
  EXPECT_EQ(Stored(opened->reactivation.id).state, ReactivationState::kReactivated);
  const LineRecord line = LineOf("+77011230000");
  EXPECT_EQ(line.status, LineStatus::kActive);
  EXPECT_EQ(line.iccid, closed.iccid);
  EXPECT_EQ(line.imsi.digits(), "001010000000050");
  EXPECT_TRUE(hlr_.Has("001010000000050"));
}

TEST_F(ReactivationTest, APostedApplicationIsDecidedBySomeoneElse) {
  Close(kPhysical);
  const Caller clerk = Staff(12, StaffRole::kBackOffice);
  const Caller second = Staff(13, StaffRole::kBackOffice);
  OpenReactivationCommand mail = ByMail(kPhysical);
  mail.postmarked_on.reset();
  EXPECT_THAT(reactivations_.Open(clerk, mail, std::nullopt),
              IsError(ErrorCode::kInvalidArgument, "postmark_required"));
  // Only the back office registers posted applications.
  EXPECT_THAT(
      reactivations_.Open(Staff(10, StaffRole::kAgentStore), ByMail(kPhysical), std::nullopt),
      IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  Result<OpenedReactivation> opened = reactivations_.Open(clerk, ByMail(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  const std::string id = opened->reactivation.id;
  EXPECT_EQ(opened->reactivation.state, ReactivationState::kPendingReview);
  EXPECT_EQ(opened->reactivation.postmarked_on, Date("2026-09-20"));
  RunJobs();
  EXPECT_EQ(LineOf(kPhysical).status, LineStatus::kQuarantined);

  EXPECT_THAT(reactivations_.Approve(clerk, id),
              IsError(ErrorCode::kFailedPrecondition, "review_own_request"));
  EXPECT_THAT(reactivations_.Approve(Staff(10, StaffRole::kAgentStore), id),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(reactivations_.Approve(Staff(20, StaffRole::kBackOffice, beeline_id_), id),
              IsError(ErrorCode::kNotFound, "reactivation_not_found"));
  Result<ReactivationRecord> approved = reactivations_.Approve(second, id);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->state, ReactivationState::kProvisioning);
  EXPECT_EQ(approved->reviewed_by, "staff:13");
  EXPECT_THAT(reactivations_.Approve(second, id),
              IsError(ErrorCode::kFailedPrecondition, "illegal_transition"));
  RunJobs();
  EXPECT_EQ(Stored(id).state, ReactivationState::kReactivated);
  EXPECT_EQ(LineOf(kPhysical).status, LineStatus::kActive);
}

TEST_F(ReactivationTest, ARejectionSaysWhyAndLeavesTheNumberResting) {
  Close(kPhysical);
  Result<OpenedReactivation> opened =
      reactivations_.Open(Staff(12, StaffRole::kBackOffice), ByMail(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  const Caller second = Staff(13, StaffRole::kBackOffice);
  EXPECT_THAT(reactivations_.Reject(second, opened->reactivation.id, ""),
              IsError(ErrorCode::kInvalidArgument, "reason_required"));
  Result<ReactivationRecord> rejected =
      reactivations_.Reject(second, opened->reactivation.id, "signature does not match");
  ASSERT_THAT(rejected, IsOk());
  EXPECT_EQ(rejected->state, ReactivationState::kRejected);
  EXPECT_EQ(Stored(rejected->id).reason, "signature does not match");
  EXPECT_EQ(LineOf(kPhysical).status, LineStatus::kQuarantined);
  // A final reactivation no longer blocks a new one.
  EXPECT_THAT(
      reactivations_.Open(Staff(10, StaffRole::kAgentStore), AtStore(kPhysical), std::nullopt),
      IsOk());
}

TEST_F(ReactivationTest, OnlyTheFormerHolderGetsTheNumberBack) {
  Close(kPhysical);
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  OpenReactivationCommand other = AtStore(kPhysical);
  other.document->number = "850615400016";
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(reactivations_.Open(agent, other, std::nullopt),
                IsError(ErrorCode::kInvalidArgument, "document_mismatch"));
  }
  const std::vector<std::string> audit = AuditActions(kPhysical);
  EXPECT_EQ(std::count(audit.begin(), audit.end(), "document_mismatch"), 5);
  // Then the line refuses documents for the hour, even the right one.
  EXPECT_THAT(reactivations_.Open(agent, AtStore(kPhysical), std::nullopt),
              IsError(ErrorCode::kResourceExhausted, "too_many_mismatches"));
  EXPECT_EQ(LineOf(kPhysical).status, LineStatus::kQuarantined);
  EXPECT_TRUE(TransactValue<std::vector<ReactivationRecord>>(
                  *store_, [](StoreTx& tx) { return tx.ListReactivations(ReactivationFilter{}); })
                  .value()
                  .empty());
  OpenReactivationCommand no_document = AtStore(kPhysical);
  no_document.document.reset();
  EXPECT_THAT(reactivations_.Open(agent, no_document, std::nullopt),
              IsError(ErrorCode::kInvalidArgument, "document_required"));
}

TEST_F(ReactivationTest, EachRefusalIsSpecificAndChangesNothing) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  // Not closed at all.
  EXPECT_THAT(reactivations_.Open(agent, AtStore(kPhysical), std::nullopt),
              IsError(ErrorCode::kFailedPrecondition, "number_not_quarantined"));
  Close(kPhysical);
  OpenReactivationCommand online = AtStore(kPhysical);
  online.channel = Channel::kOnline;
  EXPECT_THAT(reactivations_.Open(agent, online, std::nullopt),
              IsError(ErrorCode::kInvalidArgument, "invalid_channel"));
  EXPECT_THAT(
      reactivations_.Open(Staff(11, StaffRole::kAgentPhone), AtStore(kPhysical), std::nullopt),
      IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(reactivations_.Open(Staff(20, StaffRole::kAgentStore, beeline_id_),
                                  AtStore(kPhysical), std::nullopt),
              IsError(ErrorCode::kNotFound, "line_not_found"));
  // The new SIM is another line's.
  OpenReactivationCommand taken = AtStore(kPhysical);
  taken.imsi = Imsi::Parse("001010000000002").value();
  EXPECT_THAT(reactivations_.Open(agent, taken, std::nullopt),
              IsError(ErrorCode::kFailedPrecondition, "sim_in_use"));
  SetReactivationDays(0);
  EXPECT_THAT(reactivations_.Open(agent, AtStore(kPhysical), std::nullopt),
              IsError(ErrorCode::kFailedPrecondition, "reactivation_disabled"));
  SetReactivationDays(30);
  ASSERT_THAT(reactivations_.Open(agent, AtStore(kPhysical), std::nullopt), IsOk());
  EXPECT_THAT(reactivations_.Open(agent, AtStore(kPhysical), std::nullopt),
              IsError(ErrorCode::kFailedPrecondition, "reactivation_exists"));
}

TEST_F(ReactivationTest, AfterTheWindowOrTheReleaseTheAnswerIsNo) {
  Close(kPhysical);
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  clock_.Advance(30 * kSecondsPerDay + 1);
  Result<OpenedReactivation> late = reactivations_.Open(agent, AtStore(kPhysical), std::nullopt);
  ASSERT_THAT(late, IsError(ErrorCode::kFailedPrecondition, "reactivation_window_closed"));
  EXPECT_NE(late.error().message.find("30 days"), std::string::npos);
  // A longer window on the policy reopens it while the number rests.
  SetReactivationDays(365);
  clock_.Advance(91 * kSecondsPerDay);
  RunJobs();  // quarantine (90 days) over: the number is released
  ASSERT_EQ(LineOf(kPhysical).status, LineStatus::kAvailable);
  EXPECT_THAT(reactivations_.Open(agent, AtStore(kPhysical), std::nullopt),
              IsError(ErrorCode::kFailedPrecondition, "number_released"));
}

TEST_F(ReactivationTest, TheWindowIsCheckedAgainOnApproval) {
  Close(kPhysical);
  Result<OpenedReactivation> opened =
      reactivations_.Open(Staff(12, StaffRole::kBackOffice), ByMail(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  clock_.Advance(31 * kSecondsPerDay);
  EXPECT_THAT(reactivations_.Approve(Staff(13, StaffRole::kBackOffice), opened->reactivation.id),
              IsError(ErrorCode::kFailedPrecondition, "reactivation_window_closed"));
  EXPECT_EQ(Stored(opened->reactivation.id).state, ReactivationState::kPendingReview);
}

TEST_F(ReactivationTest, ProvisioningIsRetriedAndSurvivesAnEarlierRun) {
  Close(kPhysical);
  Result<OpenedReactivation> opened =
      reactivations_.Open(Staff(10, StaffRole::kAgentStore), AtStore(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  const std::string id = opened->reactivation.id;
  // An earlier run created the subscriber, then stopped before the commit.
  ASSERT_TRUE(hlr_.Provision(*Imsi::Parse(kNewImsi), Number(kPhysical)));
  hlr_.FailNext(ErrorCode::kUnavailable);
  EXPECT_FALSE(
      workflow_.Run(JobKind::kProvisionReactivation, R"({"reactivation_id":")" + id + R"("})"));
  EXPECT_EQ(Stored(id).state, ReactivationState::kProvisioning);
  ASSERT_THAT(
      workflow_.Run(JobKind::kProvisionReactivation, R"({"reactivation_id":")" + id + R"("})"),
      IsOk());
  EXPECT_EQ(Stored(id).state, ReactivationState::kReactivated);
  // Done is done: a further run changes nothing, and tells the holder nothing more.
  EXPECT_THAT(
      workflow_.Run(JobKind::kProvisionReactivation, R"({"reactivation_id":")" + id + R"("})"),
      IsOk());
  RunJobs();
  EXPECT_EQ(SentTexts(kPhysical, "line_reactivated").size(), 1u);
  Result<ReactivationDetail> detail = reactivations_.Get(Caller::Admin(0), id);
  ASSERT_THAT(detail, IsOk());
  EXPECT_EQ(detail->events.size(), 5u);
  EXPECT_EQ(detail->events[3].detail, "subscriber was already in the HLR with the number");
}

// What the release_number job does when the quarantine ends.
void Release(Store& store, std::int64_t line_id) {
  ASSERT_TRUE(store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLine(line_id));
    line.status = LineStatus::kAvailable;
    line.holder_id = 0;
    return tx.UpdateLine(line);
  }));
}

TEST_F(ReactivationTest, ANumberReleasedBeforeProvisioningIsRefusedNotProvisioned) {
  Close(kPhysical);
  Result<OpenedReactivation> opened =
      reactivations_.Open(Staff(10, StaffRole::kAgentStore), AtStore(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  Release(*store_, opened->reactivation.line_id);
  RunJobs();
  const ReactivationRecord r = Stored(opened->reactivation.id);
  EXPECT_EQ(r.state, ReactivationState::kRefused);
  EXPECT_NE(r.reason.find("left quarantine"), std::string::npos) << r.reason;
  EXPECT_FALSE(hlr_.Has(kNewImsi));
  EXPECT_EQ(LineOf(kPhysical).status, LineStatus::kAvailable);
  EXPECT_THAT(SentTexts(kPhysical, "line_reactivated"), ::testing::IsEmpty());
}

TEST_F(ReactivationTest, ANumberReleasedWhileTheHlrIsWrittenIsRefusedAndTheSubscriberRemoved) {
  Close(kPhysical);
  Result<OpenedReactivation> opened =
      reactivations_.Open(Staff(10, StaffRole::kAgentStore), AtStore(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  const std::int64_t line_id = opened->reactivation.line_id;
  bool subscriber_was_created = false;
  ReactivationService racing(ctx_, [&](std::string_view point) {
    if (point == "provision_reactivation:after_hlr") {
      subscriber_was_created = hlr_.Has(kNewImsi);
      Release(*store_, line_id);
    }
  });
  ASSERT_THAT(racing.Provision(opened->reactivation.id), IsOk());
  EXPECT_TRUE(subscriber_was_created);
  EXPECT_EQ(Stored(opened->reactivation.id).state, ReactivationState::kRefused);
  EXPECT_FALSE(hlr_.Has(kNewImsi));
  const LineRecord line = LineOf(kPhysical);
  EXPECT_EQ(line.status, LineStatus::kAvailable);
  EXPECT_EQ(line.holder_id, 0);
}

TEST_F(ReactivationTest, AProvisioningThatFailsForGoodIsItsOperatorsToRetry) {
  Close(kPhysical);
  Result<OpenedReactivation> opened =
      reactivations_.Open(Staff(10, StaffRole::kAgentStore), AtStore(kPhysical), std::nullopt);
  ASSERT_THAT(opened, IsOk());
  hlr_.FailNext(ErrorCode::kInvalidArgument);  // osmo-hlr refused the command
  RunJobs();
  ASSERT_EQ(Stored(opened->reactivation.id).state, ReactivationState::kProvisioning);
  const Caller kcell_admin = Staff(14, StaffRole::kOperatorAdmin);
  Result<DashboardView> dashboard = operators_.Dashboard(kcell_admin);
  ASSERT_THAT(dashboard, IsOk());
  ASSERT_EQ(dashboard->dead_jobs.size(), 1u);
  const JobRecord dead = dashboard->dead_jobs.front();
  EXPECT_EQ(dead.kind, "provision_reactivation");
  EXPECT_THAT(operators_.RetryJob(Staff(24, StaffRole::kOperatorAdmin, beeline_id_), dead.id),
              IsError(ErrorCode::kNotFound, "job_not_found"));
  ASSERT_THAT(operators_.RetryJob(kcell_admin, dead.id), IsOk());
  RunJobs();
  EXPECT_EQ(Stored(opened->reactivation.id).state, ReactivationState::kReactivated);
  EXPECT_TRUE(hlr_.Has(kNewImsi));
}

TEST_F(ReactivationTest, AnIdempotencyKeyReplaysTheFirstOpening) {
  Close(kPhysical);
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  const IdempotencyKey key{"staff:10", "k-1", "hash-a"};
  Result<OpenedReactivation> first = reactivations_.Open(agent, AtStore(kPhysical), key);
  ASSERT_THAT(first, IsOk());
  Result<OpenedReactivation> again = reactivations_.Open(agent, AtStore(kPhysical), key);
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->reactivation.id, first->reactivation.id);
  EXPECT_THAT(
      reactivations_.Open(agent, AtStore(kPhysical), IdempotencyKey{"staff:10", "k-1", "hash-b"}),
      IsError(ErrorCode::kFailedPrecondition, "idempotency_key_reused"));
}

TEST_F(ReactivationTest, ListingIsConfinedToTheCallersOperator) {
  Close(kPhysical);
  ASSERT_THAT(
      reactivations_.Open(Staff(10, StaffRole::kAgentStore), AtStore(kPhysical), std::nullopt),
      IsOk());
  Result<std::vector<ReactivationRecord>> mine =
      reactivations_.List(Staff(12, StaffRole::kBackOffice), std::nullopt, 100);
  ASSERT_THAT(mine, IsOk());
  EXPECT_EQ(mine->size(), 1u);
  Result<std::vector<ReactivationRecord>> theirs =
      reactivations_.List(Staff(20, StaffRole::kBackOffice, beeline_id_), std::nullopt, 100);
  ASSERT_THAT(theirs, IsOk());
  EXPECT_TRUE(theirs->empty());
  EXPECT_THAT(reactivations_.Get(Staff(20, StaffRole::kBackOffice, beeline_id_), mine->front().id),
              IsError(ErrorCode::kNotFound, "reactivation_not_found"));
}

}  // namespace
}  // namespace simexit
