// The operator console through the router (no sockets) over the real services
// on the in-memory SQLite store: finding lines by number, ICCID and document;
// a request opened per channel with the API's checks and its problems next to
// their fields; the phone code; the review queue, a decision and the four-eyes
// refusal; cancel; another operator's request not found; what each role sees.

#include <gtest/gtest.h>

#include <regex>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/service_world.hpp"
#include "simexit/web/page.hpp"
#include "simexit/web/test_browser.hpp"

namespace simexit::web {
namespace {

using api::HttpRequest;
using api::HttpResponse;
using testing::Browser;
using testing::Location;

constexpr const char* kPassword = "correct horse battery";

std::string IccidOf(const std::string& body) { return body + Iccid::LuhnDigit(body); }

class ConsolePagesTest : public ::testing::Test {
 protected:
  ConsolePagesTest()
      : auth_(ctx_, HashHex("sk_admin_test")),
        terminations_(ctx_),
        operators_(ctx_),
        staff_(ctx_),
        uploads_(ctx_, blobs_, 1 << 20),
        services_{auth_, terminations_, operators_, staff_, uploads_, signer_},
        router_(api::BuildRouter(services_)) {
    EXPECT_TRUE(world_.migrated);
    EXPECT_TRUE(operators_.CreateOperator("kcell", "Kcell", Policy{}, "ru"));
    EXPECT_TRUE(operators_.CreateOperator("beeline", "Beeline", Policy{}, "kk"));
    AddLine("kcell", "+77011234567", "001010000000001", "897701000000010001");
    AddLine("kcell", "+77011234568", "001010000000002", "897701000000010002");
    AddLine("beeline", "+77051234567", "001010000000003", "897701000000010003");
    for (const auto& [name, role] :
         {std::pair{"store", StaffRole::kAgentStore}, std::pair{"phone", StaffRole::kAgentPhone},
          std::pair{"office1", StaffRole::kBackOffice},
          std::pair{"office2", StaffRole::kBackOffice}}) {
      NewStaff person{std::string("kcell.") + name, std::string("Kcell ") + name, role, kPassword};
      EXPECT_TRUE(staff_.AddStaff(Caller::System("cli"), "kcell", person));
    }
    NewStaff other{"beeline.store", "Beeline store", StaffRole::kAgentStore, kPassword};
    EXPECT_TRUE(staff_.AddStaff(Caller::System("cli"), "beeline", other));
  }

  void AddLine(const std::string& op, const std::string& msisdn, const std::string& imsi,
               const std::string& iccid_body) {
    NewLine line;
    line.operator_code = op;
    line.msisdn = msisdn;
    line.iccid = IccidOf(iccid_body);
    line.imsi = imsi;
    line.main_balance = Money::Tiyn(2'500'00);
    line.holder_name = "TESTOV TEST";
    line.document_kind = "iin";
    line.document_number = "900101300017";
    line.language = "en";
    Result<void> added = world_.store->Transact([&](StoreTx& tx) -> Result<void> {
      SIMEXIT_TRY(operators_.AddLine(tx, line, world_.clock.Now()));
      return {};
    });
    ASSERT_TRUE(added) << added.error().message;
  }

  Browser SignedIn(const std::string& username) {
    Browser b{&router_, {}, ""};
    EXPECT_EQ(b.Call("GET", "/console?lang=en").status, 200u);
    HttpResponse in =
        b.Call("POST", "/console/sign-in",
               "csrf=" + b.Csrf() + "&username=" + username + "&password=correct+horse+battery");
    EXPECT_EQ(in.status, 303u) << in.body;
    EXPECT_EQ(b.Call("GET", "/console").status, 200u);
    return b;
  }

  std::vector<TerminationRecord> Terminations() {
    return terminations_.List(Caller::System("test"), std::nullopt, 100).value();
  }

  std::string PhoneCode() const {
    std::smatch m;
    const std::string text = world_.sms.sent().back().text;
    EXPECT_TRUE(std::regex_search(text, m, std::regex("code ([0-9]{6})"))) << text;
    return m.size() > 1 ? m[1].str() : "";
  }

  testing::ServiceWorld world_;
  ServiceContext& ctx_ = world_.ctx;
  CertificateSigner& signer_ = world_.signer;
  AuthService auth_;
  TerminationService terminations_;
  OperatorService operators_;
  StaffService staff_;
  testing::MemoryBlobStore blobs_;
  UploadService uploads_;
  api::ApiServices services_;
  api::Router router_;
};

TEST_F(ConsolePagesTest, FindsLinesByNumberIccidAndDocumentOfTheOwnOperatorOnly) {
  Browser store = SignedIn("kcell.store");
  EXPECT_EQ(store.Call("GET", "/console/lines?iccid=" + IccidOf("897701000000010002")).status,
            200u);
  EXPECT_TRUE(store.Shows("id=\"line\" data-msisdn=\"+77011234568\"")) << store.page;
  EXPECT_TRUE(store.Shows("iin ********0017"));
  EXPECT_FALSE(store.Shows("900101300017"));
  // The holder's document finds both of their Kcell lines, not the Beeline one.
  EXPECT_EQ(store.Call("GET", "/console/lines?document=9001+0130+0017").status, 200u);
  EXPECT_TRUE(store.Shows("+77011234567"));
  EXPECT_TRUE(store.Shows("+77011234568"));
  EXPECT_FALSE(store.Shows("+77051234567"));
  // Another operator's ICCID finds nothing; its number is not found; a bad ICCID says so.
  EXPECT_EQ(store.Call("GET", "/console/lines?iccid=" + IccidOf("897701000000010003")).status,
            404u);
  EXPECT_TRUE(store.Shows("id=\"no-lines\""));
  EXPECT_EQ(store.Call("GET", "/console/lines?msisdn=%2B77051234567").status, 404u);
  EXPECT_TRUE(store.Shows("data-code=\"line_not_found\""));
  EXPECT_EQ(store.Call("GET", "/console/lines?iccid=8977").status, 400u);
  EXPECT_TRUE(store.Shows("data-code=\"invalid_iccid\""));
}

TEST_F(ConsolePagesTest, EachRoleSeesTheRequestsItMayOpen) {
  auto channels = [&](const std::string& user) {
    Browser b = SignedIn(user);
    b.Call("GET", "/console/lines?msisdn=%2B77011234567");
    std::string found;
    for (const char* c : {"store", "proxy", "phone", "mail"}) {
      if (b.Shows(std::string("data-channel=\"") + c + "\"")) {
        found += std::string(c) + " ";
      }
    }
    return found + (b.Shows("href=\"/console/reviews\"") ? "review" : "");
  };
  EXPECT_EQ(channels("kcell.store"), "store proxy ");
  EXPECT_EQ(channels("kcell.phone"), "phone ");
  EXPECT_EQ(channels("kcell.office1"), "mail review");
}

TEST_F(ConsolePagesTest, StoreRequestShowsTheFailingMrzCheckDigitThenOpens) {
  Browser store = SignedIn("kcell.store");
  ASSERT_EQ(store.Call("GET", "/console/requests/new?channel=store&msisdn=%2B77011234567").status,
            200u);
  EXPECT_TRUE(store.Shows("id=\"document_mrz\""));
  // ICAO 9303's specimen with the document number's check digit changed.
  const std::string bad_mrz =
      "P%3CUTOERIKSSON%3C%3CANNA%3CMARIA%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C%3C"
      "%0AL898902C35UTO7408122F1204159ZE184226B%3C%3C%3C%3C%3C10";
  EXPECT_EQ(store.Post("/console/requests",
                       "channel=store&msisdn=%2B77011234567&document_kind="
                       "passport&document_mrz=" +
                           bad_mrz),
            "400");
  EXPECT_TRUE(store.Shows("id=\"document_mrz-error\" data-code=\"mrz_check_digit\"")) << store.page;
  EXPECT_TRUE(store.Shows("Wrong check digit: document number."));
  EXPECT_TRUE(Terminations().empty());

  // A document of someone else: the API's one answer, on the number.
  EXPECT_EQ(store.Post("/console/requests",
                       "channel=store&msisdn=%2B77011234567&document_kind=iin"
                       "&document_number=900101300027&document_full_name="
                       "Testov+Test&refund_method=iban&refund_destination="
                       "KZ86125KZT5004100100"),
            "400");
  EXPECT_TRUE(store.Shows("id=\"document_number-error\" data-code=\"document_mismatch\""))
      << store.page;

  HttpResponse opened = store.Call(
      "POST", "/console/requests",
      "csrf=" + store.Csrf() +
          "&channel=store&msisdn=%2B77011234567&document_kind=iin&document_number=900101300017"
          "&document_full_name=Testov+Test&refund_method=iban&refund_destination="
          "KZ86125KZT5004100100&attempt=abc123");
  ASSERT_EQ(opened.status, 303u) << opened.body;
  ASSERT_EQ(Terminations().size(), 1u);
  const TerminationRecord t = Terminations().front();
  EXPECT_EQ(Location(opened), "/console/terminations/" + t.id);
  EXPECT_EQ(t.channel, Channel::kStore);
  EXPECT_EQ(store.Call("GET", Location(opened)).status, 200u);
  EXPECT_TRUE(store.Shows("id=\"timeline\""));
  EXPECT_TRUE(store.Shows("/application-form?lang=en"));
  EXPECT_EQ(store.Call("GET", "/console/terminations/" + t.id + "/application-form").status, 200u);
  EXPECT_NE(store.page.find("900101300017"), std::string::npos);  // the paper shows it in full
}

TEST_F(ConsolePagesTest, PhoneRequestConfirmedByTheCodeThenReviewedWithFourEyes) {
  Browser phone = SignedIn("kcell.phone");
  phone.Call("GET", "/console/requests/new?channel=phone&msisdn=%2B77011234567");
  HttpResponse opened = phone.Call("POST", "/console/requests",
                                   "csrf=" + phone.Csrf() +
                                       "&channel=phone&msisdn=%2B77011234567&refund_method=iban"
                                       "&refund_destination=KZ86125KZT5004100100");
  ASSERT_EQ(opened.status, 303u) << opened.body;
  const std::string path = Location(opened);
  phone.Call("GET", path);
  EXPECT_TRUE(phone.Shows("id=\"phone-waiting\""));
  EXPECT_EQ(phone.Post(path + "/confirm", "code=000000"), "401");
  EXPECT_TRUE(phone.Shows("id=\"code-error\" data-code=\"invalid_code\"")) << phone.page;
  EXPECT_EQ(phone.Post(path + "/resend", ""), "200");
  EXPECT_TRUE(phone.Shows("A new code was sent to the line."));
  EXPECT_EQ(phone.Post(path + "/confirm", "code=" + PhoneCode()), "303");
  phone.Call("GET", path);
  EXPECT_TRUE(phone.Shows("data-state=\"in_review\"")) << phone.page;
  EXPECT_FALSE(phone.Shows("id=\"review\""));  // a phone agent does not review

  Browser office = SignedIn("kcell.office1");
  EXPECT_EQ(office.Call("GET", "/console/reviews").status, 200u);
  EXPECT_TRUE(office.Shows(path.substr(path.rfind('/') + 1)));
  office.Call("GET", path);
  EXPECT_FALSE(office.Shows("id=\"four-eyes\""));
  EXPECT_EQ(office.Post(path + "/decision", "decision=reject&reason_code="), "400");
  EXPECT_TRUE(office.Shows("id=\"reason_code-error\" data-code=\"reason_code_required\""))
      << office.page;
  EXPECT_EQ(office.Post(path + "/decision", "decision=reject&reason_code=holder_not_reachable"),
            "303");
  office.Call("GET", path);
  EXPECT_TRUE(office.Shows("data-state=\"rejected\""));
}

TEST_F(ConsolePagesTest, MailRequestWithAnUploadedScanIsDecidedByAnotherClerk) {
  Browser clerk = SignedIn("kcell.office1");
  clerk.Call("GET", "/console/requests/new?channel=mail&msisdn=%2B77011234567");
  EXPECT_TRUE(clerk.Shows("class=\"uploader\""));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(clerk.page, m, std::regex("data-csrf=\"([0-9a-f]+)\"")));
  const std::string pdf = "%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";
  EXPECT_EQ(clerk.Call("POST", "/console/uploads?filename=scan.pdf", pdf).status, 403u);
  HttpResponse up = clerk.Call("POST", "/console/uploads?filename=scan.pdf", pdf,
                               {{"x-csrf-token", m[1].str()}, {"content-type", "application/pdf"}});
  ASSERT_EQ(up.status, 201u) << up.body;
  const std::string id = up.body.substr(up.body.find("upl_"), 28);

  // Without the postmark: the problem on its field, nothing opened.
  const std::string fields =
      "channel=mail&msisdn=%2B77011234567&document_kind=iin&document_number=900101300017"
      "&document_full_name=Testov+Test&refund_method=iban&refund_destination=KZ86125KZT5004100100"
      "&upload_ids=" +
      id;
  EXPECT_EQ(clerk.Post("/console/requests", fields), "400");
  EXPECT_TRUE(clerk.Shows("id=\"postmarked_on-error\" data-code=\"postmark_required\""))
      << clerk.page;
  EXPECT_TRUE(Terminations().empty());
  HttpResponse opened = clerk.Call("POST", "/console/requests",
                                   "csrf=" + clerk.Csrf() + "&" + fields + "&postmarked_on=" +
                                       FormatRfc3339(world_.clock.Now()).substr(0, 10));
  ASSERT_EQ(opened.status, 303u) << opened.body;
  const std::string path = Location(opened);

  // Four eyes: the clerk who registered it is told, and refused.
  clerk.Call("GET", path);
  EXPECT_TRUE(clerk.Shows("id=\"four-eyes\""));
  EXPECT_TRUE(clerk.Shows("scan.pdf"));
  EXPECT_EQ(clerk.Post(path + "/decision", "decision=approve"), "409");
  EXPECT_TRUE(clerk.Shows("data-code=\"review_own_request\"")) << clerk.page;
  EXPECT_TRUE(clerk.Shows("data-state=\"in_review\""));

  Browser other = SignedIn("kcell.office2");
  other.Call("GET", "/console/reviews");
  EXPECT_TRUE(other.Shows("id=\"queue\""));
  EXPECT_EQ(other.Post(path + "/decision", "decision=approve"), "303");
  EXPECT_NE(Terminations().front().state, TerminationState::kInReview);
}

TEST_F(ConsolePagesTest, AnotherOperatorsRequestIsNotFoundAndCancelWorksForTheOwn) {
  Browser phone = SignedIn("kcell.phone");
  phone.Call("GET", "/console/requests/new?channel=phone&msisdn=%2B77011234567");
  HttpResponse opened = phone.Call("POST", "/console/requests",
                                   "csrf=" + phone.Csrf() +
                                       "&channel=phone&msisdn=%2B77011234567&refund_method=iban"
                                       "&refund_destination=KZ86125KZT5004100100");
  ASSERT_EQ(opened.status, 303u) << opened.body;
  const std::string path = Location(opened);

  Browser beeline = SignedIn("beeline.store");
  EXPECT_EQ(beeline.Call("GET", "/console/requests/new?channel=store&msisdn=%2B77011234567").status,
            404u);
  EXPECT_TRUE(beeline.Shows("data-code=\"line_not_found\""));
  EXPECT_FALSE(beeline.Shows("id=\"request\""));
  EXPECT_EQ(beeline.Call("GET", path).status, 404u);
  EXPECT_TRUE(beeline.Shows("data-code=\"termination_not_found\""));
  EXPECT_FALSE(beeline.Shows("+77011234567"));
  EXPECT_EQ(beeline.Post(path + "/cancel", "cancel_reason=x"), "404");
  EXPECT_EQ(beeline.Call("GET", path + "/application-form").status, 404u);

  phone.Call("GET", path);
  ASSERT_TRUE(phone.Shows("id=\"cancel\"")) << phone.page;
  EXPECT_EQ(phone.Call("POST", path + "/cancel", "cancel_reason=no+token").status, 403u);
  EXPECT_EQ(phone.Post(path + "/cancel", "cancel_reason=changed+mind"), "303");
  phone.Call("GET", path);
  EXPECT_TRUE(phone.Shows("data-state=\"cancelled\""));
  EXPECT_FALSE(phone.Shows("id=\"cancel\""));
  EXPECT_FALSE(phone.Shows("id=\"phone-waiting\""));
}

TEST_F(ConsolePagesTest, TheDashboardCountsAndItsAdminRetriesAFailedSms) {
  NewStaff admin{"kcell.admin", "Kcell admin", StaffRole::kOperatorAdmin, kPassword};
  ASSERT_TRUE(staff_.AddStaff(Caller::System("cli"), "kcell", admin));
  // A failed notice of each operator.
  std::map<std::string, std::int64_t> failed;
  for (const char* code : {"kcell", "beeline"}) {
    Result<void> added = world_.store->Transact([&](StoreTx& tx) -> Result<void> {
      SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperatorByCode(code));
      SmsRecord sms;
      sms.operator_id = op.id;
      sms.recipient = "+77011234567";
      sms.kind = "termination_received";
      sms.language = "en";
      sms.text = "Your request was received.";
      sms.state = SmsState::kFailed;
      sms.last_error = "sms_rejected: refused";
      sms.created_at = world_.clock.Now();
      sms.updated_at = sms.created_at;
      SIMEXIT_ASSIGN_OR_RETURN(failed[code], tx.InsertSms(sms));
      return {};
    });
    ASSERT_TRUE(added) << added.error().message;
  }
  const std::string kcell_sms = std::to_string(failed["kcell"]);
  const std::string beeline_sms = std::to_string(failed["beeline"]);

  // Every role sees the counts and the chart; the failed work is the admin's.
  Browser store = SignedIn("kcell.store");
  EXPECT_TRUE(store.Shows("href=\"/console/dashboard\""));
  ASSERT_EQ(store.Call("GET", "/console/dashboard").status, 200u);
  EXPECT_TRUE(store.Shows("id=\"by-state\""));
  EXPECT_TRUE(store.Shows("id=\"by-channel\""));
  EXPECT_TRUE(store.Shows("<svg viewBox=\"0 0 600 160\" role=\"img\""));
  EXPECT_FALSE(store.Shows("id=\"failed-sms\""));
  EXPECT_EQ(store.Post("/console/dashboard/sms/" + kcell_sms + "/retry", ""), "403");

  Browser boss = SignedIn("kcell.admin");
  ASSERT_EQ(boss.Call("GET", "/console/dashboard").status, 200u);
  EXPECT_TRUE(boss.Shows("<tr data-id=\"" + kcell_sms + "\">")) << boss.page;
  EXPECT_FALSE(boss.Shows("<tr data-id=\"" + beeline_sms + "\">"));
  EXPECT_TRUE(boss.Shows("action=\"/console/dashboard/sms/" + kcell_sms + "/retry\""));
  // Another operator's SMS is not there; a retried one is not failed any more.
  EXPECT_EQ(boss.Post("/console/dashboard/sms/" + beeline_sms + "/retry", ""), "404");
  EXPECT_TRUE(boss.Shows("data-code=\"sms_not_found\""));
  HttpResponse retried =
      boss.Call("POST", "/console/dashboard/sms/" + kcell_sms + "/retry", "csrf=" + boss.Csrf());
  ASSERT_EQ(retried.status, 303u) << retried.body;
  EXPECT_EQ(Location(retried), "/console/dashboard?retried=1");
  ASSERT_EQ(boss.Call("GET", "/console/dashboard?retried=1").status, 200u);
  EXPECT_TRUE(boss.Shows("id=\"retried\""));
  EXPECT_TRUE(boss.Shows("id=\"failed-sms-none\""));
  EXPECT_EQ(boss.Post("/console/dashboard/sms/" + kcell_sms + "/retry", ""), "409");
  EXPECT_TRUE(boss.Shows("data-code=\"sms_not_retryable\""));
  EXPECT_EQ(boss.Post("/console/dashboard/jobs/12345/retry", ""), "404");
  EXPECT_TRUE(boss.Shows("data-code=\"job_not_found\""));
}

}  // namespace
}  // namespace simexit::web
