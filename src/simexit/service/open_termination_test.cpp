// Opening a termination (TerminationService::Create) through every channel.

#include "simexit/common/clock.hpp"
#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST_F(TerminationFlowTest, OnlineJourneyEndsTerminatedWithBalancedLedgerAndCertificate) {
  Caller holder = SignIn("87011234567");
  Result<QuoteView> quote = terminations_.Quote(holder, Number("+77011234567"), Channel::kOnline);
  ASSERT_TRUE(quote);
  EXPECT_EQ(quote->quote.fee, Money::Tiyn(500'00));
  EXPECT_EQ(quote->quote.refund, Money::Tiyn(2'000'00));
  EXPECT_EQ(quote->quote.forfeited_bonus, Money::Tiyn(300'00));

  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+7 701 123 45 67"), std::nullopt);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->termination.state, TerminationState::kSettling);

  RunJobs();
  TerminationRecord t = Reload(created->termination.id);
  EXPECT_EQ(t.state, TerminationState::kTerminated);
  EXPECT_FALSE(hlr_.Has("001010000000001"));
  EXPECT_TRUE(hlr_.Has("001010000000002"));  // other lines untouched
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  EXPECT_EQ(CountPostings(t.id), 1);

  LineRecord line = LineOf("+77011234567");
  EXPECT_EQ(line.status, LineStatus::kQuarantined);
  ASSERT_TRUE(line.quarantine_until);
  EXPECT_EQ(*line.quarantine_until, clock_.Now() + 90 * kSecondsPerDay);

  Result<CertificateRecord> cert = terminations_.Certificate(holder, t.id);
  ASSERT_THAT(cert, IsOk());
  EXPECT_TRUE(VerifyCertificate(cert->document, signer_.public_key_hex()));
  EXPECT_EQ(cert->document.find("900101300017"), std::string::npos);  // no document number

  std::vector<std::string> kinds;
  for (const SmsMessage& m : sms_.sent()) {
    kinds.push_back(m.kind);
  }
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "termination_received"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "terminated"), kinds.end());
  EXPECT_NE(sms_.sent().back().text.find(t.certificate_serial), std::string::npos);

  // The number comes back to the pool when quarantine ends.
  clock_.Advance(90 * kSecondsPerDay + 1);
  RunJobs();
  EXPECT_EQ(LineOf("+77011234567").status, LineStatus::kAvailable);
}

TEST_F(TerminationFlowTest, NextHolderOfARecycledNumberCannotSeeThePreviousHoldersHistory) {
  Caller first = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(first, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  RunJobs();
  clock_.Advance(91 * kSecondsPerDay);
  RunJobs();
  ASSERT_EQ(LineOf("+77011234567").status, LineStatus::kAvailable);
  // The operator hands the number to someone else.
  ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> Result<void> {
    HolderRecord next;
    next.operator_id = kcell_id_;
    next.full_name = "NEW PERSON";
    next.document_kind = DocumentKind::kPassport;
    next.document_number = "N77777777";
    next.document_country = "GBR";
    SIMEXIT_ASSIGN_OR_RETURN(std::int64_t id, tx.InsertHolder(next));
    SIMEXIT_ASSIGN_OR_RETURN(LineRecord line, tx.GetLineByMsisdn(Number("+77011234567")));
    line.holder_id = id;
    line.status = LineStatus::kActive;
    return tx.UpdateLine(line);
  }));
  Caller second = SignIn("+77011234567");
  EXPECT_NE(second.holder_id, first.holder_id);
  Result<TerminationDetail> old = terminations_.Get(second, created->termination.id);
  ASSERT_THAT(old, IsError(ErrorCode::kNotFound, "termination_not_found"));
  Result<std::vector<TerminationRecord>> list = terminations_.List(second, std::nullopt, 100);
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
  EXPECT_TRUE(terminations_.GetLine(second, Number("+77011234567")));
}

TEST_F(TerminationFlowTest, OnlineClosureWithDebtIsRefused) {
  Caller holder = SignIn("+77011234568");
  CreateTerminationCommand request = OnlineRequest("+77011234568");
  request.refund.reset();
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kFailedPrecondition, "debt_outstanding"));
  Result<LineView> line = terminations_.GetLine(holder, Number("+77011234568"));
  ASSERT_TRUE(line);
  EXPECT_FALSE(line->open_termination);
}

TEST_F(TerminationFlowTest, RefundOwedWithoutAnInstructionIsFlaggedForTheOperator) {
  // At request time the 2000.00 left after the fee is below a 5000.00 minimum,
  // so no refund method is asked for; then the operator lowers the minimum.
  Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
  ASSERT_TRUE(op);
  Policy policy = op->policy;
  policy.minimum_refund = Money::Tiyn(5'000'00);
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.refund.reset();
  request.scheduled_for = At(FormatDate(kStart + 2 * kSecondsPerDay));
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_THAT(created, IsOk());
  policy.minimum_refund = Money::Tiyn(100'00);
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  clock_.Advance(2 * kSecondsPerDay);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  Result<TerminationDetail> detail = terminations_.Get(holder, created->termination.id);
  ASSERT_TRUE(detail);
  bool flagged = false;
  for (const TerminationEventRecord& e : detail->events) {
    flagged = flagged || e.event == "refund_instruction_needed";
  }
  EXPECT_TRUE(flagged);
}

TEST_F(TerminationFlowTest, RefundDestinationIsRequiredWhenMoneyIsReturned) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.refund.reset();
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kFailedPrecondition, "refund_method_required"));
}

TEST_F(TerminationFlowTest, IdempotencyKeyReplaysAndRefusesAnotherBody) {
  Caller holder = SignIn("+77011234567");
  IdempotencyKey key{holder.actor, "k-1", "hash-a"};
  Result<CreatedTermination> first =
      terminations_.Create(holder, OnlineRequest("+77011234567"), key);
  ASSERT_TRUE(first);
  Result<CreatedTermination> again =
      terminations_.Create(holder, OnlineRequest("+77011234567"), key);
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->termination.id, first->termination.id);
  key.request_hash = "hash-b";
  Result<CreatedTermination> other =
      terminations_.Create(holder, OnlineRequest("+77011234567"), key);
  ASSERT_THAT(other, IsError(ErrorCode::kFailedPrecondition, "idempotency_key_reused"));
}

TEST_F(TerminationFlowTest, SecondOpenTerminationIsRefused) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.scheduled_for = At(FormatDate(kStart + 5 * kSecondsPerDay));
  ASSERT_TRUE(terminations_.Create(holder, request, std::nullopt));
  Result<CreatedTermination> again = terminations_.Create(holder, request, std::nullopt);
  ASSERT_THAT(again, IsError(ErrorCode::kFailedPrecondition, "termination_exists"));
}

TEST_F(TerminationFlowTest, ScheduleInThePastIsRefused) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationCommand request = OnlineRequest("+77011234567");
  request.scheduled_for = kStart - 10;
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kInvalidArgument, "invalid_schedule"));
}

TEST_F(TerminationFlowTest, ChannelNotAllowedByPolicy) {
  Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
  ASSERT_TRUE(op);
  Policy policy = op->policy;
  policy.allowed_channels = {Channel::kStore};
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kPermissionDenied, "channel_not_allowed"));
}

TEST_F(ChannelTest, StoreAgentChecksTheDocumentAndTakesThePaymentAtTheCounter) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  Result<CreatedTermination> created =
      terminations_.Create(agent, StoreRequest("+77011234568"), std::nullopt);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->termination.requested_by, "staff:10");
  RunJobs();
  const std::string id = created->termination.id;
  ASSERT_EQ(Reload(id).state, TerminationState::kAwaitingPayment);
  // Only the counter takes money.
  EXPECT_THAT(
      terminations_.RecordPayment(Staff(11, StaffRole::kAgentPhone), id, Money::Tiyn(1'500'00)),
      IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  ASSERT_TRUE(terminations_.RecordPayment(agent, id, Money::Tiyn(1'500'00)));
  RunJobs();
  EXPECT_EQ(Reload(id).state, TerminationState::kTerminated);
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  TerminationDetail detail = Detail(id);
  ASSERT_EQ(detail.documents.size(), 1u);
  EXPECT_EQ(detail.documents[0].role, "holder");
  EXPECT_EQ(detail.documents[0].checked_by, "staff:10");
  bool paid_by_agent = false;
  for (const TerminationEventRecord& e : detail.events) {
    paid_by_agent = paid_by_agent || (e.event == "payment_received" && e.actor == "staff:10");
  }
  EXPECT_TRUE(paid_by_agent);
  Result<ApplicationForm> form = terminations_.Form(agent, id);
  ASSERT_THAT(form, IsOk());
  EXPECT_EQ(form->holder.full_name, "TESTOV TEST");
  EXPECT_EQ(form->quote.amount_due, Money::Tiyn(1'500'00));
}

TEST_F(ChannelTest, StoreRequestWithoutOrWithTheWrongDocumentChangesNothing) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  CreateTerminationCommand request = StoreRequest("+77011234567");
  request.document.reset();
  Result<CreatedTermination> created = terminations_.Create(agent, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kInvalidArgument, "document_required"));
  EXPECT_EQ(created.error().field, "document");
  request = StoreRequest("+77011234567");
  request.document->full_name = "Иванова Ольга";
  created = terminations_.Create(agent, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kInvalidArgument, "document_mismatch"));
  const Error wrong_name = created.error();
  EXPECT_EQ(wrong_name.field, "document");
  request = StoreRequest("+77011234567");
  request.document->number = "850615400016";
  created = terminations_.Create(agent, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kInvalidArgument, "document_mismatch"));
  // A wrong number answers exactly like a wrong name: no oracle for the number.
  EXPECT_EQ(created.error().field, wrong_name.field);
  EXPECT_EQ(created.error().message, wrong_name.message);
  EXPECT_FALSE(
      LineView(terminations_.GetLine(agent, Number("+77011234567")).value()).open_termination);
}

TEST_F(ChannelTest, MismatchesAreAuditedAndThrottledPerLine) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  CreateTerminationCommand wrong = StoreRequest("+77011234567");
  wrong.document->number = "850615400016";
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(terminations_.Create(agent, wrong, std::nullopt),
                IsError(ErrorCode::kInvalidArgument, "document_mismatch"));
  }
  // The sixth within the hour is refused, even with the right document.
  Result<CreatedTermination> throttled =
      terminations_.Create(agent, StoreRequest("+77011234567"), std::nullopt);
  ASSERT_THAT(throttled, IsError(ErrorCode::kResourceExhausted, "too_many_mismatches"));
  EXPECT_EQ(throttled.error().field, "document");
  // Another line is not affected.
  CreateTerminationCommand other = StoreRequest("+77011234568");
  other.document->number = "850615400016";
  EXPECT_THAT(terminations_.Create(agent, other, std::nullopt),
              IsError(ErrorCode::kInvalidArgument, "document_mismatch"));

  std::vector<AuditRecord> trail =
      TransactValue<std::vector<AuditRecord>>(*store_, [](StoreTx& tx) {
        return tx.ListAudit("+77011234567", 20);
      }).value();
  int mismatches = 0;
  for (const AuditRecord& record : trail) {
    if (record.action == "document_mismatch") {
      ++mismatches;
      EXPECT_EQ(record.actor, "staff:10");
      EXPECT_EQ(record.detail.find("850615400016"), std::string::npos);
    }
  }
  EXPECT_EQ(mismatches, 5);

  clock_.Advance(3601);
  EXPECT_THAT(terminations_.Create(agent, StoreRequest("+77011234567"), std::nullopt), IsOk());
}

TEST_F(ChannelTest, EachRoleOpensOnlyItsChannels) {
  CreateTerminationCommand store = StoreRequest("+77011234567");
  EXPECT_THAT(terminations_.Create(Staff(11, StaffRole::kAgentPhone), store, std::nullopt),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(terminations_.Create(Staff(12, StaffRole::kBackOffice), store, std::nullopt),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  CreateTerminationCommand online = OnlineRequest("+77011234567");
  EXPECT_THAT(terminations_.Create(Staff(10, StaffRole::kAgentStore), online, std::nullopt),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  // Not even an admin signed in as staff: online requests are the holder's.
  EXPECT_THAT(terminations_.Create(Caller::Staff(30, 0, StaffRole::kAdmin), online, std::nullopt),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  // Another operator's staff learn nothing: not found, whatever the role.
  EXPECT_THAT(
      terminations_.Create(Staff(20, StaffRole::kOperatorAdmin, beeline_id_), store, std::nullopt),
      IsError(ErrorCode::kNotFound, "line_not_found"));
}

TEST_F(ChannelTest, ProxyNeedsAValidPowerOfAttorneyAndIsReviewed) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  struct Case {
    std::function<void(CreateTerminationCommand&)> change;
    const char* reason;
    const char* field;
  };
  const Case cases[] = {
      {[](CreateTerminationCommand& r) { r.power_of_attorney.reset(); },
       "power_of_attorney_required", "power_of_attorney"},
      {[](CreateTerminationCommand& r) { r.power_of_attorney->valid_until = "2026-09-01"; },
       "power_of_attorney_expired", "power_of_attorney.valid_until"},
      {[](CreateTerminationCommand& r) { r.power_of_attorney->issued_on = "2026-12-01"; },
       "power_of_attorney_not_yet_valid", "power_of_attorney.issued_on"},
      {[](CreateTerminationCommand& r) {
         r.power_of_attorney->principal_document = "850615400016";
       },
       "power_of_attorney_wrong_principal", "power_of_attorney.principal_document"},
      {[](CreateTerminationCommand& r) { r.power_of_attorney->scope = {"tariff_change"}; },
       "power_of_attorney_out_of_scope", "power_of_attorney.scope"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    CreateTerminationCommand request = ProxyRequest("+77011234567");
    c.change(request);
    Result<CreatedTermination> created = terminations_.Create(agent, request, std::nullopt);
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().problem_code, c.reason);
    EXPECT_EQ(created.error().field, c.field);
  }
  Result<CreatedTermination> created =
      terminations_.Create(agent, ProxyRequest("+77011234567"), std::nullopt);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->termination.state, TerminationState::kInReview);
  TerminationDetail detail = Detail(created->termination.id);
  ASSERT_EQ(detail.documents.size(), 1u);
  EXPECT_EQ(detail.documents[0].role, "attorney");
  EXPECT_TRUE(detail.documents[0].mrz_checked);
  ASSERT_TRUE(detail.power_of_attorney);
  EXPECT_EQ(detail.power_of_attorney->attorney_document_id, detail.documents[0].id);
  // The store agent cannot decide; back office can.
  EXPECT_THAT(terminations_.Review(agent, created->termination.id, ReviewDecision{true, "", ""}),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  Result<TerminationRecord> approved = terminations_.Review(
      Staff(12, StaffRole::kBackOffice), created->termination.id, ReviewDecision{true, "", ""});
  ASSERT_THAT(approved, IsOk());
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  bool told = false;
  for (const auto& sms : sms_.sent()) {
    told = told || sms.kind == "termination_approved";
  }
  EXPECT_TRUE(told);
}

TEST_F(ChannelTest, MailIsAlwaysReviewedAndKeepsItsScans) {
  Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
  Policy policy = op->policy;
  policy.review_channels.clear();
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  const Caller back_office = Staff(12, StaffRole::kBackOffice);
  CreateTerminationCommand request = StoreRequest("+77011234567");
  request.channel = Channel::kMail;
  request.postmarked_on = Date("2026-09-15");
  Result<CreatedTermination> created = terminations_.Create(back_office, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kInvalidArgument, "scans_required"));
  request.upload_ids = {AddUpload(beeline_id_)};
  created = terminations_.Create(back_office, request, std::nullopt);
  ASSERT_THAT(created, IsError(ErrorCode::kNotFound, "upload_not_found"));
  EXPECT_EQ(created.error().field, "upload_ids[0]");
  request.upload_ids = {AddUpload(kcell_id_)};
  // A malformed date never gets here (api/termination_json_test.cpp); one in
  // the future (beyond a day of slack) is refused.
  request.postmarked_on = Date("2026-09-25");
  EXPECT_THAT(terminations_.Create(back_office, request, std::nullopt),
              IsError(ErrorCode::kInvalidArgument, "invalid_postmark"));
  request.postmarked_on = Date("2026-09-15");
  created = terminations_.Create(back_office, request, std::nullopt);
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->termination.state, TerminationState::kInReview);
  EXPECT_EQ(created->termination.postmarked_on, Date("2026-09-15"));
  TerminationDetail detail = Detail(created->termination.id);
  ASSERT_EQ(detail.uploads.size(), 1u);
  EXPECT_EQ(detail.uploads[0].id, request.upload_ids[0]);
  // The scans are the operator's records: the holder's view has none.
  Result<TerminationDetail> mine =
      terminations_.Get(SignIn("+77011234567"), created->termination.id);
  ASSERT_THAT(mine, IsOk());
  EXPECT_TRUE(mine->uploads.empty());
  EXPECT_EQ(mine->documents.size(), 1u);
  // The same scan cannot be used twice.
  CreateTerminationCommand again = StoreRequest("+77011234568");
  again.channel = Channel::kMail;
  again.postmarked_on = Date("2026-09-15");
  again.upload_ids = request.upload_ids;
  EXPECT_THAT(terminations_.Create(back_office, again, std::nullopt),
              IsError(ErrorCode::kFailedPrecondition, "upload_in_use"));
  // Four eyes: whoever registered it cannot decide it.
  EXPECT_THAT(terminations_.Review(back_office, created->termination.id,
                                   ReviewDecision{false, "document_unreadable", ""}),
              IsError(ErrorCode::kFailedPrecondition, "review_own_request"));
  Result<TerminationRecord> rejected =
      terminations_.Review(Staff(13, StaffRole::kBackOffice), created->termination.id,
                           ReviewDecision{false, "document_unreadable", ""});
  ASSERT_THAT(rejected, IsOk());
  RunJobs();
  EXPECT_EQ(sms_.sent().back().kind, "termination_rejected");
  EXPECT_NE(sms_.sent().back().text.find("cannot be read"), std::string::npos);
}

}  // namespace
}  // namespace simexit
