// Use-case tests: the request side and the workflow together, on the real
// SQLite store (in memory) with fakes for the HLR and the SMS gateway.

#include <gtest/gtest.h>

#include <array>
#include <functional>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/common/time_zone.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/jobs/worker.hpp"
#include "simexit/service/auth_service.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/service/sms_outbox.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/service/termination_workflow.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/service_world.hpp"

namespace simexit {
namespace {

constexpr UnixSeconds kStart = testing::kTestStart;  // 2026-09-21

class TerminationFlowTest : public ::testing::Test {
 protected:
  TerminationFlowTest()
      : auth_(ctx_, HashHex("sk_admin_test")),
        terminations_(ctx_),
        operators_(ctx_),
        workflow_(ctx_) {
    EXPECT_TRUE(world_.migrated);
    Policy policy;
    policy.termination_fee = Money::Tiyn(500'00);
    policy.quarantine_days = 90;
    Result<OperatorRecord> kcell = operators_.CreateOperator("kcell", "Kcell", policy, "ru");
    EXPECT_TRUE(kcell) << kcell.error().message;
    kcell_id_ = kcell->id;
    Result<OperatorRecord> beeline =
        operators_.CreateOperator("beeline", "Beeline", Policy{}, "kk");
    EXPECT_TRUE(beeline);
    beeline_id_ = beeline->id;
    AddLine("kcell", "+77011234567", "001010000000001", Money::Tiyn(2'500'00), Money::Tiyn(300'00),
            Money::Zero());
    AddLine("kcell", "+77011234568", "001010000000002", Money::Tiyn(200'00), Money::Zero(),
            Money::Tiyn(1'200'00));
    AddLine("beeline", "+77051234567", "001010000000003", Money::Zero(), Money::Zero(),
            Money::Zero());
  }

  void AddLine(const std::string& op, const std::string& msisdn, const std::string& imsi,
               Money main, Money bonus, Money charges) {
    static int n = 0;
    NewLine line;
    line.operator_code = op;
    line.msisdn = msisdn;
    const std::string body = "89770100000000" + std::to_string(10000 + ++n);
    line.iccid = body + Iccid::LuhnDigit(body);
    line.imsi = imsi;
    line.main_balance = main;
    line.bonus_balance = bonus;
    line.outstanding_charges = charges;
    line.holder_name = "TESTOV TEST";
    line.document_kind = "iin";
    line.document_number = "900101300017";
    line.language = "en";
    Result<void> added = store_->Transact([&](StoreTx& tx) -> Result<void> {
      Result<std::int64_t> id = operators_.AddLine(tx, line, clock_.Now());
      if (!id) return Fail(id.error());
      return {};
    });
    ASSERT_TRUE(added) << added.error().message;
    ASSERT_TRUE(hlr_.Provision(*Imsi::Parse(imsi), *Msisdn::Parse(msisdn)));
  }

  // Signs in as the holder of `msisdn` through the SMS code.
  Caller SignIn(const std::string& msisdn) {
    const std::size_t before = sms_.sent().size();
    Result<OtpRequested> requested = auth_.RequestOtp(msisdn);
    EXPECT_TRUE(requested) << requested.error().message;
    EXPECT_EQ(sms_.sent().size(), before + 1);
    const std::string code = CodeFrom(sms_.sent().back().text);
    Result<SignedIn> session = auth_.VerifyOtp(msisdn, code);
    EXPECT_TRUE(session) << session.error().message;
    Result<Caller> caller = auth_.Authenticate(session->token);
    EXPECT_TRUE(caller);
    return *caller;
  }

  static std::string CodeFrom(const std::string& text) {
    std::string digits;
    for (char c : text) {
      if (c >= '0' && c <= '9') {
        digits += c;
      } else if (digits.size() == 6) {
        break;
      } else {
        digits.clear();
      }
    }
    return digits;
  }

  Worker MakeWorker(const std::string& owner) {
    WorkerOptions options;
    options.owner = owner;
    options.backoff_base_seconds = 1;
    return Worker(*store_, clock_, [this](const std::string& k, const std::string& p) {
      return workflow_.Run(k, p);
    }, options);
  }

  void RunJobs() {
    Worker worker = MakeWorker("test-worker");
    Result<int> ran = worker.RunUntilIdle();
    ASSERT_TRUE(ran) << ran.error().message;
  }

  TerminationRecord Reload(const std::string& id) {
    return TransactValue<TerminationRecord>(*store_,
                                            [&](StoreTx& tx) { return tx.GetTermination(id); })
        .value();
  }

  LineRecord LineOf(const std::string& msisdn) {
    return TransactValue<LineRecord>(*store_,
                                     [&](StoreTx& tx) { return tx.GetLineByMsisdn(msisdn); })
        .value();
  }

  int CountPostings(const std::string& termination_id) {
    std::vector<PostingRecord> all = TransactValue<std::vector<PostingRecord>>(
                                         *store_, [&](StoreTx& tx) {
                                           return tx.ListPostings(std::nullopt);
                                         })
                                         .value();
    int n = 0;
    for (const PostingRecord& p : all) n += p.termination_id == termination_id ? 1 : 0;
    return n;
  }

  Money LedgerTotal() {
    return TransactValue<Money>(*store_, [](StoreTx& tx) { return tx.LedgerTotal(); }).value();
  }

  testing::ServiceWorld world_;
  std::unique_ptr<SqliteStore>& store_ = world_.store;
  testing::FakeHlr& hlr_ = world_.hlr;
  testing::MemorySmsGateway& sms_ = world_.sms;
  ManualClock& clock_ = world_.clock;
  Random& random_ = world_.random;
  CertificateSigner& signer_ = world_.signer;
  ServiceContext& ctx_ = world_.ctx;
  AuthService auth_;
  TerminationService terminations_;
  OperatorService operators_;
  TerminationWorkflow workflow_;
  std::int64_t kcell_id_ = 0;
  std::int64_t beeline_id_ = 0;
};

CreateTerminationRequest OnlineRequest(const std::string& msisdn) {
  CreateTerminationRequest r;
  r.msisdn = msisdn;
  r.channel = "online";
  r.refund = RefundRequest{"iban", "KZ86125KZT5004100100"};
  return r;
}

// Every test line's holder: TESTOV TEST, IIN 900101300017.
PresentedDocument HolderIin() {
  PresentedDocument d;
  d.kind = DocumentKind::kIin;
  d.number = "900101300017";
  d.full_name = "Тестов Тест";
  return d;
}

CreateTerminationRequest StoreRequest(const std::string& msisdn) {
  CreateTerminationRequest r = OnlineRequest(msisdn);
  r.channel = "store";
  r.document = HolderIin();
  return r;
}

CreateTerminationRequest ProxyRequest(const std::string& msisdn) {
  CreateTerminationRequest r = OnlineRequest(msisdn);
  r.channel = "proxy";
  PresentedDocument attorney;
  attorney.kind = DocumentKind::kPassport;
  attorney.mrz =
      "P<KAZTESTOVA<<AIGERIM<<<<<<<<<<<<<<<<<<<<<<<\n"
      "N123456785KAZ8506151F3306150850615400016<<84";
  r.attorney_document = attorney;
  PowerOfAttorney poa;
  poa.number = "POA-1";
  poa.issued_on = "2026-01-10";
  poa.valid_until = "2027-01-10";
  poa.issuer = "Notary A. Bekova, Almaty";
  poa.principal_document = "900101300017";
  poa.scope = {"termination"};
  r.power_of_attorney = poa;
  return r;
}

TEST_F(TerminationFlowTest, OnlineJourneyEndsTerminatedWithBalancedLedgerAndCertificate) {
  Caller holder = SignIn("87011234567");
  Result<QuoteView> quote = terminations_.Quote(holder, "+77011234567", Channel::kOnline);
  ASSERT_TRUE(quote);
  EXPECT_EQ(quote->quote.fee, Money::Tiyn(500'00));
  EXPECT_EQ(quote->quote.refund, Money::Tiyn(2'000'00));
  EXPECT_EQ(quote->quote.forfeited_bonus, Money::Tiyn(300'00));

  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+7 701 123 45 67"), std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
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
  EXPECT_EQ(*line.quarantine_until, clock_.Now() + 90 * 86400);

  Result<CertificateRecord> cert = terminations_.Certificate(holder, t.id);
  ASSERT_TRUE(cert) << cert.error().message;
  EXPECT_TRUE(VerifyCertificate(cert->document, signer_.public_key_hex()));
  EXPECT_EQ(cert->document.find("900101300017"), std::string::npos);  // no document number

  std::vector<std::string> kinds;
  for (const SmsMessage& m : sms_.sent()) kinds.push_back(m.kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "termination_received"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "terminated"), kinds.end());
  EXPECT_NE(sms_.sent().back().text.find(t.certificate_serial), std::string::npos);

  // The number comes back to the pool when quarantine ends.
  clock_.Advance(90 * 86400 + 1);
  RunJobs();
  EXPECT_EQ(LineOf("+77011234567").status, LineStatus::kAvailable);
}

TEST_F(TerminationFlowTest, NextHolderOfARecycledNumberCannotSeeThePreviousHoldersHistory) {
  Caller first = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(first, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  RunJobs();
  clock_.Advance(91 * 86400);
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
    Result<std::int64_t> id = tx.InsertHolder(next);
    if (!id) return Fail(id.error());
    Result<LineRecord> line = tx.GetLineByMsisdn("+77011234567");
    if (!line) return Fail(line.error());
    line->holder_id = *id;
    line->status = LineStatus::kActive;
    return tx.UpdateLine(*line);
  }));
  Caller second = SignIn("+77011234567");
  EXPECT_NE(second.holder_id, first.holder_id);
  Result<TerminationDetail> old = terminations_.Get(second, created->termination.id);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().reason, "termination_not_found");
  Result<std::vector<TerminationRecord>> list = terminations_.List(second, std::nullopt, 100);
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
  EXPECT_TRUE(terminations_.GetLine(second, "+77011234567"));
}

TEST_F(TerminationFlowTest, EveryStepRunTwiceRepeatsNothing) {
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  const std::string id = created->termination.id;
  // As if the worker crashed after each step's commit and the job ran again.
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(workflow_.Settle(id));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(workflow_.Deprovision(id));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(workflow_.IssueCertificate(id));
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

TEST_F(TerminationFlowTest, SubscriberAlreadyAbsentFromHlrStillCompletes) {
  ASSERT_TRUE(hlr_.Remove(*Imsi::Parse("001010000000001")));
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
}

TEST_F(TerminationFlowTest, ScheduledTerminationCancelledNeverTouchesHlr) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.scheduled_for = FormatRfc3339(kStart + 3 * 86400);
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->termination.state, TerminationState::kScheduled);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kScheduled);

  Result<TerminationRecord> cancelled =
      terminations_.Cancel(holder, created->termination.id, "staying after all");
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->state, TerminationState::kCancelled);
  clock_.Advance(4 * 86400);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kCancelled);
  EXPECT_TRUE(hlr_.Has("001010000000001"));
  EXPECT_EQ(hlr_.remove_calls(), 0);
  EXPECT_EQ(CountPostings(created->termination.id), 0);
  EXPECT_EQ(LineOf("+77011234567").status, LineStatus::kActive);
}

TEST_F(TerminationFlowTest, HolderIsRemindedTheDayBeforeInTheirZoneAndTexts) {
  Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
  ASSERT_TRUE(op);
  Policy policy = op->policy;
  policy.sms_templates = {{"termination_reminder", {{"en", "Tomorrow ({date}) {msisdn} closes."}}}};
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  Caller holder = SignIn("+77011234567");
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  // 19:30 UTC is already the next day in Almaty (UTC+5).
  request.scheduled_for = FormatRfc3339(kStart + 3 * 86400 + 19 * 3600 + 1800);
  ASSERT_TRUE(terminations_.Create(holder, request, std::nullopt));
  RunJobs();
  const std::string date = FormatDateInZone(kStart + 3 * 86400 + 19 * 3600 + 1800, "Asia/Almaty");
  EXPECT_NE(date, FormatDate(kStart + 3 * 86400));
  EXPECT_EQ(sms_.sent().back().kind, "termination_scheduled");
  EXPECT_NE(sms_.sent().back().text.find(date), std::string::npos);
  clock_.Advance(2 * 86400 + 20 * 3600);
  RunJobs();
  EXPECT_EQ(sms_.sent().back().kind, "termination_reminder");
  EXPECT_EQ(sms_.sent().back().text, "Tomorrow (" + date + ") +77011234567 closes.");
}

TEST_F(TerminationFlowTest, CancelledTerminationSendsNoReminder) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.scheduled_for = FormatDate(kStart + 3 * 86400);
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_TRUE(created);
  ASSERT_TRUE(terminations_.Cancel(holder, created->termination.id, ""));
  clock_.Advance(3 * 86400);
  RunJobs();
  for (const SmsMessage& m : sms_.sent()) EXPECT_NE(m.kind, "termination_reminder");
}

TEST_F(TerminationFlowTest, ScheduledTerminationRunsWhenDue) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.scheduled_for = FormatDate(kStart + 2 * 86400);
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  clock_.Advance(2 * 86400);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
}

TEST_F(TerminationFlowTest, CancelRefusedOnceDeprovisioningStarted) {
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  ASSERT_TRUE(workflow_.Settle(created->termination.id));
  Result<TerminationRecord> cancelled = terminations_.Cancel(holder, created->termination.id, "");
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().reason, "illegal_transition");
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kDeprovisioning);
}

TEST_F(TerminationFlowTest, OnlineClosureWithDebtIsRefused) {
  Caller holder = SignIn("+77011234568");
  CreateTerminationRequest request;
  request.msisdn = "+77011234568";
  request.channel = "online";
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "debt_outstanding");
  Result<LineView> line = terminations_.GetLine(holder, "+77011234568");
  ASSERT_TRUE(line);
  EXPECT_FALSE(line->open_termination);
}

TEST_F(TerminationFlowTest, DebtIsCollectedBeforeDeprovisioning) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationRequest request = StoreRequest("+77011234568");
  request.refund.reset();
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  RunJobs();
  TerminationRecord t = Reload(created->termination.id);
  ASSERT_EQ(t.state, TerminationState::kAwaitingPayment);
  ASSERT_TRUE(t.settlement);
  EXPECT_EQ(t.settlement->amount_due, Money::Tiyn(1'500'00));  // 1200 + 500 fee - 200
  EXPECT_TRUE(hlr_.Has("001010000000002"));

  Result<TerminationRecord> wrong = terminations_.RecordPayment(op, t.id, Money::Tiyn(100'00));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().reason, "wrong_amount");
  ASSERT_TRUE(terminations_.RecordPayment(op, t.id, Money::Tiyn(1'500'00)));
  RunJobs();
  EXPECT_EQ(Reload(t.id).state, TerminationState::kTerminated);
  EXPECT_FALSE(hlr_.Has("001010000000002"));
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  EXPECT_EQ(CountPostings(t.id), 2);  // settlement + payment
}

TEST_F(TerminationFlowTest, CancellingWhileAwaitingPaymentReversesTheSettlement) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationRequest request = StoreRequest("+77011234568");
  request.refund.reset();
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  RunJobs();
  ASSERT_EQ(Reload(created->termination.id).state, TerminationState::kAwaitingPayment);
  ASSERT_TRUE(terminations_.Cancel(op, created->termination.id, "customer changed their mind"));
  LineRecord line = LineOf("+77011234568");
  EXPECT_EQ(line.status, LineStatus::kActive);
  EXPECT_EQ(line.main_balance, Money::Tiyn(200'00));
  EXPECT_EQ(line.outstanding_charges, Money::Tiyn(1'200'00));
  EXPECT_EQ(LedgerTotal(), Money::Zero());
  EXPECT_EQ(CountPostings(created->termination.id), 2);  // settlement + its reversal
  EXPECT_TRUE(hlr_.Has("001010000000002"));
  // The line can be closed again later, from its real balances.
  Result<QuoteView> quote = terminations_.Quote(op, "+77011234568", Channel::kStore);
  ASSERT_TRUE(quote);
  EXPECT_EQ(quote->quote.amount_due, Money::Tiyn(1'500'00));
}

TEST_F(TerminationFlowTest, ReviewedChannelWaitsForApproval) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationRequest request = ProxyRequest("+77011234567");
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->termination.state, TerminationState::kInReview);
  RunJobs();
  EXPECT_TRUE(hlr_.Has("001010000000001"));
  // Holders cannot review; another operator cannot see it.
  Caller holder = SignIn("+77011234567");
  EXPECT_EQ(terminations_.Review(holder, created->termination.id, true, "", "").error().reason,
            "termination_not_found");
  EXPECT_EQ(terminations_.Review(Caller::Operator(beeline_id_, 2), created->termination.id, true,
                                 "", "")
                .error()
                .reason,
            "termination_not_found");
  // Four eyes: the key that opened it cannot decide it.
  EXPECT_EQ(terminations_.Review(op, created->termination.id, true, "", "").error().reason,
            "review_own_request");
  const Caller reviewer = Caller::Operator(kcell_id_, 7);
  Result<TerminationRecord> approved =
      terminations_.Review(reviewer, created->termination.id, true, "", "");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->reviewed_by, "api_key:7");
  EXPECT_EQ(approved->state, TerminationState::kSettling);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  Result<TerminationRecord> again =
      terminations_.Review(reviewer, created->termination.id, true, "", "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "illegal_transition");
}

TEST_F(TerminationFlowTest, RejectionNeedsAReasonAndTellsTheHolder) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationRequest request = ProxyRequest("+77011234567");
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  const Caller reviewer = Caller::Operator(kcell_id_, 7);
  Result<TerminationRecord> no_code =
      terminations_.Review(reviewer, created->termination.id, false, "", "why");
  ASSERT_FALSE(no_code);
  EXPECT_EQ(no_code.error().reason, "reason_code_required");
  EXPECT_EQ(no_code.error().field, "reason_code");
  EXPECT_EQ(terminations_.Review(reviewer, created->termination.id, false, "because", "x")
                .error()
                .reason,
            "invalid_reason_code");
  EXPECT_EQ(terminations_.Review(reviewer, created->termination.id, false, "other", "")
                .error()
                .reason,
            "reason_required");
  Result<TerminationRecord> rejected = terminations_.Review(
      reviewer, created->termination.id, false, "other", "signature does not match");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->reason_code, "other");
  EXPECT_EQ(rejected->state, TerminationState::kRejected);
  RunJobs();
  EXPECT_EQ(sms_.sent().back().kind, "termination_rejected");
  EXPECT_NE(sms_.sent().back().text.find("signature does not match"), std::string::npos);
  EXPECT_TRUE(hlr_.Has("001010000000001"));
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
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.refund.reset();
  request.scheduled_for = FormatDate(kStart + 2 * 86400);
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  policy.minimum_refund = Money::Tiyn(100'00);
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  clock_.Advance(2 * 86400);
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
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.refund.reset();
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "refund_method_required");
}

TEST_F(TerminationFlowTest, OperatorCannotSeeAnotherOperatorsLine) {
  const Caller beeline = Caller::Operator(beeline_id_, 2);
  Result<LineView> line = terminations_.GetLine(beeline, "+77011234567");
  ASSERT_FALSE(line);
  EXPECT_EQ(line.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(line.error().reason, "line_not_found");
  CreateTerminationRequest request = StoreRequest("+77011234567");
  Result<CreatedTermination> created = terminations_.Create(beeline, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "line_not_found");
}

TEST_F(TerminationFlowTest, HolderCannotSeeAnotherLine) {
  Caller holder = SignIn("+77011234567");
  Result<LineView> line = terminations_.GetLine(holder, "+77011234568");
  ASSERT_FALSE(line);
  EXPECT_EQ(line.error().reason, "line_not_found");
}

TEST_F(TerminationFlowTest, IdempotencyKeyReplaysAndRefusesAnotherBody) {
  Caller holder = SignIn("+77011234567");
  IdempotencyKey key{holder.actor, "k-1", "hash-a"};
  Result<CreatedTermination> first = terminations_.Create(holder, OnlineRequest("+77011234567"), key);
  ASSERT_TRUE(first);
  Result<CreatedTermination> again = terminations_.Create(holder, OnlineRequest("+77011234567"), key);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->termination.id, first->termination.id);
  key.request_hash = "hash-b";
  Result<CreatedTermination> other = terminations_.Create(holder, OnlineRequest("+77011234567"), key);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().reason, "idempotency_key_reused");
}

TEST_F(TerminationFlowTest, WrongCodesBurnTheCode) {
  ASSERT_TRUE(auth_.RequestOtp("+77011234567"));
  const std::string code = CodeFrom(sms_.sent().back().text);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 4; ++i) {
    Result<SignedIn> r = auth_.VerifyOtp("+77011234567", wrong);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "invalid_code");
  }
  Result<SignedIn> fifth = auth_.VerifyOtp("+77011234567", wrong);
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().reason, "too_many_attempts");
  Result<SignedIn> right = auth_.VerifyOtp("+77011234567", code);
  ASSERT_FALSE(right);
  EXPECT_EQ(right.error().reason, "too_many_attempts");
}

TEST_F(TerminationFlowTest, CodeExpiresAndIsSingleUse) {
  ASSERT_TRUE(auth_.RequestOtp("+77011234567"));
  const std::string code = CodeFrom(sms_.sent().back().text);
  clock_.Advance(301);
  Result<SignedIn> late = auth_.VerifyOtp("+77011234567", code);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().reason, "code_expired");

  clock_.Advance(60);
  ASSERT_TRUE(auth_.RequestOtp("+77011234567"));
  const std::string second = CodeFrom(sms_.sent().back().text);
  ASSERT_TRUE(auth_.VerifyOtp("+77011234567", second));
  Result<SignedIn> reused = auth_.VerifyOtp("+77011234567", second);
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().reason, "invalid_code");
}

TEST_F(TerminationFlowTest, CodesAreRateLimited) {
  ASSERT_TRUE(auth_.RequestOtp("+77011234567"));
  Result<OtpRequested> soon = auth_.RequestOtp("+77011234567");
  ASSERT_FALSE(soon);
  EXPECT_EQ(soon.error().reason, "resend_too_soon");
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(61);
    ASSERT_TRUE(auth_.RequestOtp("+77011234567"));
  }
  clock_.Advance(61);
  Result<OtpRequested> sixth = auth_.RequestOtp("+77011234567");
  ASSERT_FALSE(sixth);
  EXPECT_EQ(sixth.error().reason, "too_many_codes");
}

TEST_F(TerminationFlowTest, UnknownNumberGetsTheSameAnswerAndNoSms) {
  const std::size_t before = sms_.sent().size();
  Result<OtpRequested> r = auth_.RequestOtp("+77771234567");
  ASSERT_TRUE(r);
  EXPECT_EQ(sms_.sent().size(), before);
  EXPECT_EQ(r->expires_in_seconds, 300);
}

std::vector<SmsRecord> Outbox(Store& store, std::optional<SmsState> state = std::nullopt) {
  SmsFilter filter;
  filter.state = state;
  return TransactValue<std::vector<SmsRecord>>(store, [&](StoreTx& tx) {
           return tx.ListSms(filter);
         })
      .value();
}

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
  for (std::size_t i = before; i < sms_.sent().size(); ++i) kinds.push_back(sms_.sent()[i].kind);
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"terminated", "termination_received"}));
  EXPECT_TRUE(Outbox(*store_, SmsState::kQueued).empty());
  for (const SmsRecord& m : Outbox(*store_)) {
    if (m.kind == "sign_in_code") continue;
    EXPECT_EQ(m.state, SmsState::kSubmitted) << m.kind;
    EXPECT_EQ(m.language, "en");
    EXPECT_EQ(m.termination_id, created->termination.id);
  }
}

TEST_F(TerminationFlowTest, RefusedNoticeEndsFailedWithoutRetrying) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.scheduled_for = FormatDate(kStart + 3 * 86400);
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
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.scheduled_for = FormatDate(kStart + 3 * 86400);
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
    report.recipient = m.to;
    report.user_message_reference = SmsOutbox::UserMessageReference(m.id) & 0xFF;
    report.state = DeliveryState::kDelivered;
    Result<std::int64_t> matched = outbox.RecordDeliveryReport(report);
    ASSERT_TRUE(matched) << matched.error().message;
    EXPECT_EQ(*matched, m.id);
  }
  EXPECT_TRUE(Outbox(*store_, SmsState::kSubmitted).empty());
  DeliveryReport stray;
  stray.recipient = "+77011234567";
  stray.user_message_reference = 250;
  stray.state = DeliveryState::kDelivered;
  Result<std::int64_t> none = outbox.RecordDeliveryReport(stray);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().reason, "sms_not_found");
}

TEST_F(TerminationFlowTest, SignInCodeIsRecordedMasked) {
  ASSERT_TRUE(auth_.RequestOtp("+77011234567"));
  const std::string code = CodeFrom(sms_.sent().back().text);
  std::vector<SmsRecord> rows = Outbox(*store_);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "sign_in_code");
  EXPECT_EQ(rows[0].state, SmsState::kSubmitted);
  EXPECT_EQ(rows[0].text.find(code), std::string::npos);
  EXPECT_NE(rows[0].text.find("******"), std::string::npos);
}

TEST_F(TerminationFlowTest, EverySignInAttemptIsAudited) {
  ASSERT_TRUE(auth_.RequestOtp("+77011234567"));
  const std::string code = CodeFrom(sms_.sent().back().text);
  EXPECT_FALSE(auth_.RequestOtp("+77011234567"));  // cool-down
  EXPECT_FALSE(auth_.VerifyOtp("+77011234567", code == "000000" ? "111111" : "000000"));
  ASSERT_TRUE(auth_.VerifyOtp("+77011234567", code));
  ASSERT_TRUE(auth_.RequestOtp("+77771234567"));  // unknown number
  std::vector<AuditRecord> trail = TransactValue<std::vector<AuditRecord>>(*store_, [](StoreTx& tx) {
                                     return tx.ListAudit("+77011234567", 10);
                                   }).value();
  std::vector<std::string> actions;
  for (auto it = trail.rbegin(); it != trail.rend(); ++it) actions.push_back(it->action);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"otp_sent", "otp_refused", "otp_wrong", "otp_verified"}));
  EXPECT_EQ(trail[2].detail, "resend_too_soon");
  for (const AuditRecord& a : trail) EXPECT_EQ(a.detail.find(code), std::string::npos);
  std::vector<AuditRecord> unknown = TransactValue<std::vector<AuditRecord>>(
                                         *store_, [](StoreTx& tx) {
                                           return tx.ListAudit("+77771234567", 10);
                                         })
                                         .value();
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].action, "otp_not_sent");
}

TEST_F(TerminationFlowTest, CodesAreStoredOnlyHashed) {
  ASSERT_TRUE(auth_.RequestOtp("+77011234567"));
  const std::string code = CodeFrom(sms_.sent().back().text);
  std::optional<OtpChallengeRecord> challenge =
      TransactValue<std::optional<OtpChallengeRecord>>(*store_, [](StoreTx& tx) {
        return tx.LatestOtpChallenge("+77011234567");
      }).value();
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->code_hash.find(code), std::string::npos);
  EXPECT_EQ(challenge->code_hash.size(), 64u);
}

TEST_F(TerminationFlowTest, SecondOpenTerminationIsRefused) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.scheduled_for = FormatDate(kStart + 5 * 86400);
  ASSERT_TRUE(terminations_.Create(holder, request, std::nullopt));
  Result<CreatedTermination> again = terminations_.Create(holder, request, std::nullopt);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "termination_exists");
}

TEST_F(TerminationFlowTest, ScheduleInThePastIsRefused) {
  Caller holder = SignIn("+77011234567");
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.scheduled_for = FormatRfc3339(kStart - 10);
  Result<CreatedTermination> created = terminations_.Create(holder, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "invalid_schedule");
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
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "channel_not_allowed");
}

// ------------------------------------------------------------------ channels

class ChannelTest : public TerminationFlowTest {
 protected:
  Caller Staff(std::int64_t id, StaffRole role, std::int64_t op = 0) {
    return Caller::Staff(id, op == 0 ? kcell_id_ : op, role);
  }
  std::string AddUpload(std::int64_t operator_id) {
    UploadRecord u;
    u.id = "upl_" + random_.Hex(12);
    u.operator_id = operator_id;
    u.content_type = "application/pdf";
    u.file_name = "application.pdf";
    u.size = 1234;
    u.sha256 = std::string(64, 'a');
    u.storage_key = "aa/" + std::string(64, 'a');
    u.uploaded_by = "staff:30";
    u.created_at = clock_.Now();
    EXPECT_TRUE(store_->Transact([&](StoreTx& tx) { return tx.InsertUpload(u); }));
    return u.id;
  }
  // A phone request for the first test line, as a call-centre agent opens it.
  Result<CreatedTermination> OpenPhoneRequest(const Caller& agent) {
    CreateTerminationRequest request = OnlineRequest("+77011234567");
    request.channel = "phone";
    return terminations_.Create(agent, request, std::nullopt);
  }
  TerminationDetail Detail(const std::string& id) {
    return terminations_.Get(Caller::Admin(0), id).value();
  }
  std::string LastConfirmationCode() {
    const std::vector<SmsMessage> sent = sms_.sent();
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
      if (it->kind == "phone_request_confirmation") {
        const std::size_t at = it->text.find("code ");
        if (at != std::string::npos) return it->text.substr(at + 5, 6);
        return CodeFrom(it->text);
      }
    }
    return "";
  }
};

TEST_F(ChannelTest, StoreAgentChecksTheDocumentAndTakesThePaymentAtTheCounter) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  Result<CreatedTermination> created =
      terminations_.Create(agent, StoreRequest("+77011234568"), std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->termination.requested_by, "staff:10");
  RunJobs();
  const std::string id = created->termination.id;
  ASSERT_EQ(Reload(id).state, TerminationState::kAwaitingPayment);
  // Only the counter takes money.
  EXPECT_EQ(terminations_.RecordPayment(Staff(11, StaffRole::kAgentPhone), id, Money::Tiyn(1'500'00))
                .error()
                .reason,
            "insufficient_role");
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
  ASSERT_TRUE(form) << form.error().message;
  EXPECT_EQ(form->holder.full_name, "TESTOV TEST");
  EXPECT_EQ(form->quote.amount_due, Money::Tiyn(1'500'00));
}

TEST_F(ChannelTest, StoreRequestWithoutOrWithTheWrongDocumentChangesNothing) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  CreateTerminationRequest request = StoreRequest("+77011234567");
  request.document.reset();
  Result<CreatedTermination> created = terminations_.Create(agent, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "document_required");
  EXPECT_EQ(created.error().field, "document");
  request = StoreRequest("+77011234567");
  request.document->full_name = "Иванова Ольга";
  created = terminations_.Create(agent, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "document_mismatch");
  EXPECT_EQ(created.error().field, "document.full_name");
  request = StoreRequest("+77011234567");
  request.document->number = "850615400016";
  created = terminations_.Create(agent, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "document_mismatch");
  EXPECT_EQ(created.error().field, "document.number");
  EXPECT_FALSE(LineView(terminations_.GetLine(agent, "+77011234567").value()).open_termination);
}

TEST_F(ChannelTest, EachRoleOpensOnlyItsChannels) {
  CreateTerminationRequest store = StoreRequest("+77011234567");
  EXPECT_EQ(terminations_.Create(Staff(11, StaffRole::kAgentPhone), store, std::nullopt)
                .error()
                .reason,
            "insufficient_role");
  EXPECT_EQ(terminations_.Create(Staff(12, StaffRole::kBackOffice), store, std::nullopt)
                .error()
                .reason,
            "insufficient_role");
  CreateTerminationRequest online = OnlineRequest("+77011234567");
  EXPECT_EQ(terminations_.Create(Staff(10, StaffRole::kAgentStore), online, std::nullopt)
                .error()
                .reason,
            "insufficient_role");
  // Not even an admin signed in as staff: online requests are the holder's.
  EXPECT_EQ(terminations_.Create(Caller::Staff(30, 0, StaffRole::kAdmin), online, std::nullopt)
                .error()
                .reason,
            "insufficient_role");
  // Another operator's staff learn nothing: not found, whatever the role.
  EXPECT_EQ(terminations_.Create(Staff(20, StaffRole::kOperatorAdmin, beeline_id_), store,
                                 std::nullopt)
                .error()
                .reason,
            "line_not_found");
}

TEST_F(ChannelTest, ProxyNeedsAValidPowerOfAttorneyAndIsReviewed) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  struct Case {
    std::function<void(CreateTerminationRequest&)> change;
    const char* reason;
    const char* field;
  };
  const Case cases[] = {
      {[](CreateTerminationRequest& r) { r.power_of_attorney.reset(); },
       "power_of_attorney_required", "power_of_attorney"},
      {[](CreateTerminationRequest& r) { r.power_of_attorney->valid_until = "2026-09-01"; },
       "power_of_attorney_expired", "power_of_attorney.valid_until"},
      {[](CreateTerminationRequest& r) { r.power_of_attorney->issued_on = "2026-12-01"; },
       "power_of_attorney_not_yet_valid", "power_of_attorney.issued_on"},
      {[](CreateTerminationRequest& r) { r.power_of_attorney->principal_document = "850615400016"; },
       "power_of_attorney_wrong_principal", "power_of_attorney.principal_document"},
      {[](CreateTerminationRequest& r) { r.power_of_attorney->scope = {"tariff_change"}; },
       "power_of_attorney_out_of_scope", "power_of_attorney.scope"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    CreateTerminationRequest request = ProxyRequest("+77011234567");
    c.change(request);
    Result<CreatedTermination> created = terminations_.Create(agent, request, std::nullopt);
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().reason, c.reason);
    EXPECT_EQ(created.error().field, c.field);
  }
  Result<CreatedTermination> created =
      terminations_.Create(agent, ProxyRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->termination.state, TerminationState::kInReview);
  TerminationDetail detail = Detail(created->termination.id);
  ASSERT_EQ(detail.documents.size(), 1u);
  EXPECT_EQ(detail.documents[0].role, "attorney");
  EXPECT_TRUE(detail.documents[0].mrz_checked);
  ASSERT_TRUE(detail.power_of_attorney);
  EXPECT_EQ(detail.power_of_attorney->attorney_document_id, detail.documents[0].id);
  // The store agent cannot decide; back office can.
  EXPECT_EQ(terminations_.Review(agent, created->termination.id, true, "", "").error().reason,
            "insufficient_role");
  Result<TerminationRecord> approved = terminations_.Review(
      Staff(12, StaffRole::kBackOffice), created->termination.id, true, "", "");
  ASSERT_TRUE(approved) << approved.error().message;
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  bool told = false;
  for (const auto& sms : sms_.sent()) told = told || sms.kind == "termination_approved";
  EXPECT_TRUE(told);
}

TEST_F(ChannelTest, PhoneRequestWaitsForTheHoldersCode) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_TRUE(created) << created.error().message;
  ASSERT_TRUE(created->confirmation);
  EXPECT_TRUE(created->confirmation->sent);
  EXPECT_EQ(created->confirmation->expires_at, clock_.Now() + 30 * 60);
  const std::string id = created->termination.id;
  EXPECT_EQ(created->termination.state, TerminationState::kSubmitted);
  const std::string code = LastConfirmationCode();
  ASSERT_EQ(code.size(), 6u);
  // The outbox keeps the text with the code masked.
  std::vector<SmsRecord> rows = SmsOutbox(ctx_).List(SmsFilter{}).value();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().kind, "phone_request_confirmation");
  EXPECT_EQ(rows.front().text.find(code), std::string::npos);
  // Nothing moves until the holder confirms.
  RunJobs();
  EXPECT_EQ(Reload(id).state, TerminationState::kSubmitted);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  Result<TerminationRecord> refused = terminations_.ConfirmByCode(id, wrong);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "invalid_code");
  EXPECT_EQ(Detail(id).confirmation->attempts, 1);
  Result<TerminationRecord> confirmed = terminations_.ConfirmByCode(id, code);
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->state, TerminationState::kInReview);  // phone is reviewed by default
  EXPECT_EQ(terminations_.ConfirmByCode(id, code).error().reason, "already_confirmed");
  // The phone agent cannot decide it; back office approves.
  EXPECT_EQ(terminations_.Review(agent, id, true, "", "").error().reason, "insufficient_role");
  ASSERT_TRUE(terminations_.Review(Staff(12, StaffRole::kBackOffice), id, true, "", ""));
  RunJobs();
  EXPECT_EQ(Reload(id).state, TerminationState::kTerminated);
}

TEST_F(ChannelTest, UnconfirmedPhoneRequestExpires) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_TRUE(created) << created.error().message;
  const std::string id = created->termination.id;
  const std::string code = LastConfirmationCode();
  clock_.Advance(31 * 60);
  Result<TerminationRecord> late = terminations_.ConfirmByCode(id, code);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().reason, "confirmation_expired");
  RunJobs();
  TerminationRecord t = Reload(id);
  EXPECT_EQ(t.state, TerminationState::kCancelled);
  EXPECT_EQ(t.reason_code, "confirmation_expired");
  EXPECT_EQ(terminations_.ConfirmByCode(id, code).error().reason, "confirmation_expired");
  EXPECT_TRUE(hlr_.Has("001010000000001"));
}

TEST_F(ChannelTest, ResentCodeReplacesTheOldOneAndMovesTheWindow) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_TRUE(created) << created.error().message;
  const std::string id = created->termination.id;
  const std::string first = LastConfirmationCode();
  clock_.Advance(20 * 60);
  Result<PendingConfirmation> resent = terminations_.ResendConfirmation(agent, id);
  ASSERT_TRUE(resent) << resent.error().message;
  const std::string second = LastConfirmationCode();
  clock_.Advance(20 * 60);
  RunJobs();  // the first window's job finds a newer window and leaves it
  EXPECT_EQ(Reload(id).state, TerminationState::kSubmitted);
  if (first != second) {
    EXPECT_EQ(terminations_.ConfirmByCode(id, first).error().reason, "invalid_code");
  }
  ASSERT_TRUE(terminations_.ConfirmByCode(id, second));
}

TEST_F(ChannelTest, ResendsAreLimited) {
  const Caller agent = Staff(11, StaffRole::kAgentPhone);
  Result<CreatedTermination> created = OpenPhoneRequest(agent);
  ASSERT_TRUE(created) << created.error().message;
  for (int i = 0; i < TerminationService::kMaxConfirmationResends; ++i) {
    ASSERT_TRUE(terminations_.ResendConfirmation(agent, created->termination.id)) << i;
  }
  const std::size_t sent = sms_.sent().size();
  Result<PendingConfirmation> more =
      terminations_.ResendConfirmation(agent, created->termination.id);
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().reason, "too_many_codes");
  EXPECT_EQ(sms_.sent().size(), sent);
  // The last code still works.
  ASSERT_TRUE(terminations_.ConfirmByCode(created->termination.id, LastConfirmationCode()));
}

TEST_F(ChannelTest, MailIsAlwaysReviewedAndKeepsItsScans) {
  Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
  Policy policy = op->policy;
  policy.review_channels.clear();
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  const Caller back_office = Staff(12, StaffRole::kBackOffice);
  CreateTerminationRequest request = StoreRequest("+77011234567");
  request.channel = "mail";
  request.postmarked_on = "2026-09-15";
  Result<CreatedTermination> created = terminations_.Create(back_office, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "scans_required");
  request.upload_ids = {AddUpload(beeline_id_)};
  created = terminations_.Create(back_office, request, std::nullopt);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "upload_not_found");
  EXPECT_EQ(created.error().field, "upload_ids[0]");
  request.upload_ids = {AddUpload(kcell_id_)};
  request.postmarked_on = "2026-13-01";
  EXPECT_EQ(terminations_.Create(back_office, request, std::nullopt).error().reason,
            "invalid_postmark");
  request.postmarked_on = "2026-09-15";
  created = terminations_.Create(back_office, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->termination.state, TerminationState::kInReview);
  EXPECT_EQ(created->termination.postmarked_on, "2026-09-15");
  TerminationDetail detail = Detail(created->termination.id);
  ASSERT_EQ(detail.uploads.size(), 1u);
  EXPECT_EQ(detail.uploads[0].id, request.upload_ids[0]);
  // The scans are the operator's records: the holder's view has none.
  Result<TerminationDetail> mine = terminations_.Get(SignIn("+77011234567"), created->termination.id);
  ASSERT_TRUE(mine) << mine.error().message;
  EXPECT_TRUE(mine->uploads.empty());
  EXPECT_EQ(mine->documents.size(), 1u);
  // The same scan cannot be used twice.
  CreateTerminationRequest again = StoreRequest("+77011234568");
  again.channel = "mail";
  again.postmarked_on = "2026-09-15";
  again.upload_ids = request.upload_ids;
  EXPECT_EQ(terminations_.Create(back_office, again, std::nullopt).error().reason,
            "upload_in_use");
  // Four eyes: whoever registered it cannot decide it.
  EXPECT_EQ(terminations_.Review(back_office, created->termination.id, false, "document_unreadable",
                                 "")
                .error()
                .reason,
            "review_own_request");
  Result<TerminationRecord> rejected = terminations_.Review(
      Staff(13, StaffRole::kBackOffice), created->termination.id, false, "document_unreadable", "");
  ASSERT_TRUE(rejected) << rejected.error().message;
  RunJobs();
  EXPECT_EQ(sms_.sent().back().kind, "termination_rejected");
  EXPECT_NE(sms_.sent().back().text.find("cannot be read"), std::string::npos);
}

TEST_F(ChannelTest, ReviewQueueIsOldestFirstWithItsAge) {
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  Result<CreatedTermination> first =
      terminations_.Create(agent, ProxyRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(first) << first.error().message;
  clock_.Advance(3600);
  CreateTerminationRequest second_request = ProxyRequest("+77011234568");
  second_request.refund.reset();
  Result<CreatedTermination> second = terminations_.Create(agent, second_request, std::nullopt);
  ASSERT_TRUE(second) << second.error().message;
  clock_.Advance(47 * 3600 + 1);
  Result<std::vector<ReviewItem>> queue =
      terminations_.ReviewQueue(Staff(12, StaffRole::kBackOffice), 100);
  ASSERT_TRUE(queue) << queue.error().message;
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ((*queue)[0].termination.id, first->termination.id);
  EXPECT_TRUE((*queue)[0].overdue);
  EXPECT_EQ((*queue)[0].waiting_seconds, 48 * 3600 + 1);
  EXPECT_FALSE((*queue)[1].overdue);
  EXPECT_EQ((*queue)[0].sla_seconds, 48 * 3600);
  // Other operators see none of it; agents cannot see the queue.
  Result<std::vector<ReviewItem>> other =
      terminations_.ReviewQueue(Staff(20, StaffRole::kBackOffice, beeline_id_), 100);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
  EXPECT_EQ(terminations_.ReviewQueue(agent, 100).error().reason, "insufficient_role");
}

TEST_F(ChannelTest, ChannelFeeIsCharged) {
  Result<OperatorRecord> op = operators_.GetOperator(Caller::Admin(0), "kcell");
  Policy policy = op->policy;
  policy.channel_fees[Channel::kStore] = Money::Tiyn(1'000'00);
  ASSERT_TRUE(operators_.SetPolicy(Caller::Admin(0), "kcell", policy));
  const Caller agent = Staff(10, StaffRole::kAgentStore);
  EXPECT_EQ(terminations_.Quote(agent, "+77011234567", Channel::kStore)->quote.fee,
            Money::Tiyn(1'000'00));
  EXPECT_EQ(terminations_.Quote(agent, "+77011234567", Channel::kOnline)->quote.fee,
            Money::Tiyn(500'00));
}

}  // namespace
}  // namespace simexit
