// Use-case tests: the request side and the workflow together, on the real
// SQLite store (in memory) with fakes for the HLR and the SMS gateway.

#include <gtest/gtest.h>

#include <array>

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

namespace simexit {
namespace {

constexpr UnixSeconds kStart = 1'790'000'000;  // 2026-09-21

CertificateSigner TestSigner() {
  std::array<unsigned char, 32> seed{};
  seed.fill(7);
  return CertificateSigner::FromSeed(seed);
}

class TerminationFlowTest : public ::testing::Test {
 protected:
  TerminationFlowTest()
      : store_(std::move(*SqliteStore::Open(":memory:"))),
        clock_(kStart),
        signer_(TestSigner()),
        ctx_{*store_, hlr_, sms_, clock_, random_, signer_, std::string(32, 'k'),
             "http://127.0.0.1:8080", {}},
        auth_(ctx_, HashHex("sk_admin_test")),
        terminations_(ctx_),
        operators_(ctx_),
        workflow_(ctx_) {
    EXPECT_TRUE(store_->Migrate());
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

  std::unique_ptr<SqliteStore> store_;
  testing::FakeHlr hlr_;
  testing::MemorySmsGateway sms_;
  ManualClock clock_;
  SodiumRandom random_;
  CertificateSigner signer_;
  ServiceContext ctx_;
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
  CreateTerminationRequest request;
  request.msisdn = "+77011234568";
  request.channel = "store";
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
  CreateTerminationRequest request;
  request.msisdn = "+77011234568";
  request.channel = "store";
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
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.channel = "proxy";
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->termination.state, TerminationState::kInReview);
  RunJobs();
  EXPECT_TRUE(hlr_.Has("001010000000001"));
  // Holders cannot review; another operator cannot see it.
  Caller holder = SignIn("+77011234567");
  EXPECT_EQ(terminations_.Review(holder, created->termination.id, true, "").error().reason,
            "termination_not_found");
  EXPECT_EQ(terminations_.Review(Caller::Operator(beeline_id_, 2), created->termination.id, true,
                                 "")
                .error()
                .reason,
            "termination_not_found");
  Result<TerminationRecord> approved = terminations_.Review(op, created->termination.id, true, "");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->state, TerminationState::kSettling);
  RunJobs();
  EXPECT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  Result<TerminationRecord> again = terminations_.Review(op, created->termination.id, true, "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "illegal_transition");
}

TEST_F(TerminationFlowTest, RejectionNeedsAReasonAndTellsTheHolder) {
  const Caller op = Caller::Operator(kcell_id_, 1);
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.channel = "mail";
  Result<CreatedTermination> created = terminations_.Create(op, request, std::nullopt);
  ASSERT_TRUE(created);
  Result<TerminationRecord> no_reason = terminations_.Review(op, created->termination.id, false, "");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().reason, "reason_required");
  Result<TerminationRecord> rejected =
      terminations_.Review(op, created->termination.id, false, "signature does not match");
  ASSERT_TRUE(rejected);
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
  CreateTerminationRequest request = OnlineRequest("+77011234567");
  request.channel = "store";
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

}  // namespace
}  // namespace simexit
