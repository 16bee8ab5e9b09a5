#pragma once
// The shared ground of the termination use-case tests (open_termination_test.cpp,
// review_test.cpp, ...): the request side and the workflow together, on the
// real SQLite store (in memory) with fakes for the HLR and the SMS gateway.
// Three lines: kcell +77011234567 (refund due), kcell +77011234568 (debt),
// beeline +77051234567 (empty).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <functional>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/common/time_zone.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/jobs/worker.hpp"
#include "simexit/service/auth_service.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/service/sms_outbox.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/service/termination_workflow.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/matchers.hpp"
#include "simexit/testing/service_world.hpp"
#include "simexit/testing/values.hpp"

namespace simexit {

inline constexpr UnixSeconds kStart = testing::kTestStart;  // 2026-09-21

// A checked number, date or time for commands (the API decodes them; tests
// write them).
inline Msisdn Number(std::string_view text) { return testing::TestMsisdn(text); }
inline CivilDate Date(std::string_view text) { return ParseIsoDate(text).value(); }
inline UnixSeconds At(const std::string& rfc3339_or_date) {
  UnixSeconds at = 0;
  EXPECT_TRUE(ParseRfc3339(rfc3339_or_date, &at)) << rfc3339_or_date;
  return at;
}

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
      SIMEXIT_TRY(operators_.AddLine(tx, line, clock_.Now()));
      return {};
    });
    ASSERT_TRUE(added) << added.error().message;
    ASSERT_TRUE(hlr_.Provision(*Imsi::Parse(imsi), *Msisdn::Parse(msisdn)));
  }

  // Signs in as the holder of `msisdn` through the SMS code.
  Caller SignIn(const std::string& msisdn) {
    const std::size_t before = sms_.sent().size();
    Result<SignInCodeRequested> requested = auth_.RequestSignInCode(Number(msisdn));
    EXPECT_TRUE(requested) << requested.error().message;
    EXPECT_EQ(sms_.sent().size(), before + 1);
    const std::string code = CodeFrom(sms_.sent().back().text);
    Result<SignedIn> session = auth_.VerifySignInCode(Number(msisdn), code);
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
    // SMS in batches, as `simexit serve` runs them.
    std::vector<BatchedJobs> batched{
        {JobKind::kSendSms, 64, [this](JobKind k, const std::vector<std::string>& p) {
           return workflow_.RunBatch(k, p);
         }}};
    return Worker(
        *store_, clock_, [this](JobKind k, const std::string& p) { return workflow_.Run(k, p); },
        options, std::move(batched));
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
    return TransactValue<LineRecord>(
               *store_, [&](StoreTx& tx) { return tx.GetLineByMsisdn(Number(msisdn)); })
        .value();
  }

  int CountPostings(const std::string& termination_id) {
    std::vector<PostingRecord> all =
        TransactValue<std::vector<PostingRecord>>(*store_, [&](StoreTx& tx) {
          return tx.ListPostings(std::nullopt);
        }).value();
    int n = 0;
    for (const PostingRecord& p : all) {
      n += p.termination_id == termination_id ? 1 : 0;
    }
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

inline CreateTerminationCommand OnlineRequest(const std::string& msisdn) {
  return CreateTerminationCommand{Number(msisdn),
                                  Channel::kOnline,
                                  std::nullopt,
                                  RefundInstruction{RefundMethod::kIban, "KZ86125KZT5004100100"},
                                  "",
                                  std::nullopt,
                                  std::nullopt,
                                  std::nullopt,
                                  std::nullopt,
                                  {},
                                  std::nullopt};
}

// Every test line's holder: TESTOV TEST, IIN 900101300017.
inline PresentedDocument HolderIin() {
  PresentedDocument d;
  d.kind = DocumentKind::kIin;
  d.number = "900101300017";
  d.full_name = "Тестов Тест";
  return d;
}

inline CreateTerminationCommand StoreRequest(const std::string& msisdn) {
  CreateTerminationCommand r = OnlineRequest(msisdn);
  r.channel = Channel::kStore;
  r.document = HolderIin();
  return r;
}

inline CreateTerminationCommand ProxyRequest(const std::string& msisdn) {
  CreateTerminationCommand r = OnlineRequest(msisdn);
  r.channel = Channel::kProxy;
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

inline std::vector<SmsRecord> Outbox(Store& store, std::optional<SmsState> state = std::nullopt) {
  SmsFilter filter;
  filter.state = state;
  return TransactValue<std::vector<SmsRecord>>(store,
                                               [&](StoreTx& tx) { return tx.ListSms(filter); })
      .value();
}

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
    CreateTerminationCommand request = OnlineRequest("+77011234567");
    request.channel = Channel::kPhone;
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
        if (at != std::string::npos) {
          return it->text.substr(at + 5, 6);
        }
        return CodeFrom(it->text);
      }
    }
    return "";
  }
};

}  // namespace simexit
