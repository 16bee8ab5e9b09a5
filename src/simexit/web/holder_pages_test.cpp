// The holder's pages, dispatched straight to the router (no sockets) over the
// real services on the in-memory SQLite store: the whole journey, the CSRF
// and session rules, and API problems shown next to their fields.

#include <gtest/gtest.h>

#include <regex>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/service_world.hpp"
#include "simexit/web/page.hpp"

namespace simexit::web {
namespace {

using api::HttpRequest;
using api::HttpResponse;

constexpr const char* kMsisdn = "+77011234567";

class HolderPagesTest : public ::testing::Test {
 protected:
  HolderPagesTest()
      : auth_(ctx_, HashHex("sk_admin_test")),
        terminations_(ctx_),
        operators_(ctx_),
        staff_(ctx_),
        uploads_(ctx_, blobs_, 1024),
        services_{auth_, terminations_, operators_, staff_, uploads_, signer_},
        router_(api::BuildRouter(services_)) {
    EXPECT_TRUE(world_.migrated);
    EXPECT_TRUE(operators_.CreateOperator("kcell", "Kcell", Policy{}, "ru"));
    NewLine line;
    line.operator_code = "kcell";
    line.msisdn = kMsisdn;
    line.iccid = std::string("897701000000010001") + Iccid::LuhnDigit("897701000000010001");
    line.imsi = "001010000000001";
    line.main_balance = Money::Tiyn(2'500'00);
    line.bonus_balance = Money::Tiyn(300'00);
    line.holder_name = "TESTOV TEST";
    line.document_kind = "iin";
    line.document_number = "900101300017";
    line.language = "en";
    Result<void> added = world_.store->Transact([&](StoreTx& tx) -> Result<void> {
      SIMEXIT_TRY(operators_.AddLine(tx, line, world_.clock.Now()));
      return {};
    });
    EXPECT_TRUE(added) << added.error().message;
  }

  // A browser: keeps cookies, sends forms.
  HttpResponse Call(const std::string& method, const std::string& path,
                    const std::string& body = "") {
    HttpRequest request;
    request.method = method;
    request.target = path;
    request.path = path.substr(0, path.find('?'));
    if (const std::size_t q = path.find('?'); q != std::string::npos) {
      request.query = ParseForm(path.substr(q + 1)).value_or(std::map<std::string, std::string>{});
    }
    request.body = body;
    request.remote_address = "127.0.0.1";
    std::string cookie;
    for (const auto& [name, value] : cookies_) {
      cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
    }
    if (!cookie.empty()) {
      request.headers["cookie"] = cookie;
    }
    HttpResponse response = router_.Dispatch(request);
    for (const auto& [name, value] : response.headers) {
      if (name != "Set-Cookie") {
        continue;
      }
      const std::string pair = value.substr(0, value.find(';'));
      const std::string cookie_name = pair.substr(0, pair.find('='));
      const std::string cookie_value = pair.substr(pair.find('=') + 1);
      if (value.find("Max-Age=0") != std::string::npos) {
        cookies_.erase(cookie_name);
      } else {
        cookies_[cookie_name] = cookie_value;
      }
    }
    if (response.content_type.rfind("text/html", 0) == 0) {
      last_page_ = response.body;
    }
    return response;
  }

  // The CSRF token of the last page's forms.
  std::string Csrf() const {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(last_page_, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")))
        << last_page_;
    return m.size() > 1 ? m[1].str() : "";
  }

  static std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) {
        return v;
      }
    }
    return "";
  }

  std::string SmsCode() const {
    const std::string text = world_.sms.sent().back().text;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(text, m, std::regex("([0-9]{6})")));
    return m[1].str();
  }

  void SignIn() {
    ASSERT_EQ(Call("GET", "/my").status, 200u);
    ASSERT_EQ(Call("POST", "/my/code", "csrf=" + Csrf() + "&msisdn=8+701+123+4567").status, 200u)
        << last_page_;
    HttpResponse signed_in =
        Call("POST", "/my/sign-in", "csrf=" + Csrf() + "&msisdn=%2B77011234567&code=" + SmsCode());
    ASSERT_EQ(signed_in.status, 303u) << signed_in.body;
    ASSERT_EQ(Header(signed_in, "Location"), "/my/line");
  }

  std::size_t Terminations() {
    Result<std::vector<TerminationRecord>> all =
        terminations_.List(Caller::System("test"), std::nullopt, 100);
    return all ? all->size() : 999;
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
  std::map<std::string, std::string> cookies_;
  std::string last_page_;
};

TEST_F(HolderPagesTest, SignInSetsAStrictHttpOnlySessionCookie) {
  HttpResponse page = Call("GET", "/my?lang=kk");
  EXPECT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("<html lang=\"kk\">"), std::string::npos);
  EXPECT_NE(page.body.find("Мобильді нөмірді жабу"), std::string::npos);
  EXPECT_NE(Header(page, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(Header(page, "X-Frame-Options"), "DENY");
  ASSERT_EQ(Call("POST", "/my/code", "csrf=" + Csrf() + "&msisdn=%2B77011234567").status, 200u);
  HttpResponse signed_in =
      Call("POST", "/my/sign-in", "csrf=" + Csrf() + "&msisdn=%2B77011234567&code=" + SmsCode());
  ASSERT_EQ(signed_in.status, 303u);
  bool session_cookie = false;
  for (const auto& [name, value] : signed_in.headers) {
    if (name == "Set-Cookie" && value.rfind("simexit_session=st_", 0) == 0) {
      session_cookie = true;
      EXPECT_NE(value.find("HttpOnly"), std::string::npos);
      EXPECT_NE(value.find("SameSite=Strict"), std::string::npos);
    }
  }
  EXPECT_TRUE(session_cookie);
  HttpResponse line = Call("GET", "/my/line");
  EXPECT_EQ(line.status, 200u);
  // The language chosen on the first page stays (cookie); money as people read it.
  EXPECT_NE(line.body.find("<html lang=\"kk\">"), std::string::npos);
  EXPECT_NE(line.body.find("2\u00a0500,00\u00a0₸"), std::string::npos);
  EXPECT_NE(line.body.find("Kcell"), std::string::npos);
  // The "before you go" checklist, in the page's language.
  EXPECT_NE(line.body.find("id=\"checklist\""), std::string::npos);
  EXPECT_NE(line.body.find("Кетер алдында"), std::string::npos);

  // Signing out ends the session on the server: a copy of the old cookie
  // signs nobody in, and its token is refused by the API too.
  const std::string token = cookies_.at("simexit_session");
  ASSERT_TRUE(auth_.Authenticate(token));
  EXPECT_EQ(Call("POST", "/my/sign-out", "csrf=" + Csrf()).status, 303u);
  EXPECT_EQ(cookies_.count("simexit_session"), 0u);
  EXPECT_EQ(Header(Call("GET", "/my/line"), "Location"), "/my");
  cookies_["simexit_session"] = token;
  EXPECT_EQ(Header(Call("GET", "/my/line"), "Location"), "/my");
  EXPECT_FALSE(auth_.Authenticate(token));
}

TEST_F(HolderPagesTest, ANewCodeTooSoonIsRefusedOnTheCodePage) {
  ASSERT_EQ(Call("GET", "/my?lang=en").status, 200u);
  ASSERT_EQ(Call("POST", "/my/code", "csrf=" + Csrf() + "&msisdn=%2B77011234567").status, 200u);
  const std::size_t sent = world_.sms.sent().size();
  HttpResponse again =
      Call("POST", "/my/code", "csrf=" + Csrf() + "&msisdn=%2B77011234567&resend=1");
  EXPECT_EQ(again.status, 429u);
  EXPECT_NE(again.body.find("class=\"alert\" role=\"alert\" data-code=\"resend_too_soon\""),
            std::string::npos)
      << again.body;
  EXPECT_NE(again.body.find("id=\"code\""), std::string::npos);  // still the code page
  EXPECT_EQ(world_.sms.sent().size(), sent);
}

TEST_F(HolderPagesTest, EveryPostNeedsThisBrowsersCsrfToken) {
  ASSERT_EQ(Call("GET", "/my").status, 200u);
  const std::size_t sent = world_.sms.sent().size();
  EXPECT_EQ(Call("POST", "/my/code", "msisdn=%2B77011234567").status, 403u);
  EXPECT_EQ(Call("POST", "/my/code", "csrf=00&msisdn=%2B77011234567").status, 403u);
  EXPECT_EQ(world_.sms.sent().size(), sent);  // nothing happened

  SignIn();
  // The token of the page before sign-in no longer passes: it was the
  // anonymous session's.
  const std::string anonymous_token = Csrf();
  EXPECT_EQ(Call("POST", "/my/close/review", "when=now&refund_method=iban").status, 403u);
  EXPECT_EQ(Call("POST", "/my/close", "action=confirm&when=now").status, 403u);
  EXPECT_EQ(Call("POST", "/my/close/review", "csrf=" + anonymous_token + "&when=now").status, 403u);
  EXPECT_EQ(Terminations(), 0u);
}

TEST_F(HolderPagesTest, ProblemsShowNextToTheirFieldAndChangeNothing) {
  ASSERT_EQ(Call("GET", "/my?lang=ru").status, 200u);
  HttpResponse bad_number = Call("POST", "/my/code", "csrf=" + Csrf() + "&msisdn=12");
  EXPECT_EQ(bad_number.status, 400u);
  EXPECT_NE(bad_number.body.find("id=\"msisdn-error\" data-code=\"invalid_msisdn\""),
            std::string::npos)
      << bad_number.body;
  EXPECT_NE(bad_number.body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(bad_number.body.find("Введите номер телефона"), std::string::npos);

  SignIn();
  Call("GET", "/my/close");
  HttpResponse bad_refund =
      Call("POST", "/my/close/review",
           "csrf=" + Csrf() + "&when=now&refund_method=iban&refund_destination=KZ00");
  EXPECT_EQ(bad_refund.status, 400u);
  EXPECT_NE(bad_refund.body.find("id=\"refund_destination-error\" data-code=\"invalid_refund\""),
            std::string::npos)
      << bad_refund.body;
  HttpResponse no_refund = Call("POST", "/my/close", "csrf=" + Csrf() + "&action=confirm&when=now");
  EXPECT_EQ(no_refund.status, 409u) << no_refund.body;
  EXPECT_NE(no_refund.body.find("data-code=\"refund_method_required\""), std::string::npos);
  EXPECT_EQ(Terminations(), 0u);
}

TEST_F(HolderPagesTest, CloseOnADateThenCancel) {
  SignIn();
  Call("GET", "/my/close");
  const std::string form = "csrf=" + Csrf() +
                           "&when=date&close_date=2026-10-01&refund_method=bank_card"
                           "&refund_destination=4400+4300+1234+5671";
  HttpResponse review = Call("POST", "/my/close/review", form);
  ASSERT_EQ(review.status, 200u) << review.body;
  EXPECT_EQ(Terminations(), 0u);  // the confirmation step changes nothing
  std::smatch attempt;
  ASSERT_TRUE(std::regex_search(review.body, attempt,
                                std::regex("name=\"attempt\" value=\"([0-9a-f]+)\"")));
  const std::string confirm = "csrf=" + Csrf() +
                              "&when=date&close_date=2026-10-01&refund_method=bank_card"
                              "&refund_destination=4400+4300+1234+5671&action=confirm&attempt=" +
                              attempt[1].str();
  HttpResponse created = Call("POST", "/my/close", confirm);
  ASSERT_EQ(created.status, 303u) << created.body;
  const std::string location = Header(created, "Location");
  ASSERT_EQ(location.rfind("/my/terminations/trm_", 0), 0u) << location;
  // A second click on the same confirmation opens nothing new.
  EXPECT_EQ(Header(Call("POST", "/my/close", confirm), "Location"), location);
  EXPECT_EQ(Terminations(), 1u);

  HttpResponse page = Call("GET", location);
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("data-state=\"scheduled\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("/cancel\""), std::string::npos);
  EXPECT_EQ(Call("POST", location + "/cancel", "csrf=" + Csrf()).status, 303u);
  page = Call("GET", location);
  EXPECT_NE(page.body.find("data-state=\"cancelled\""), std::string::npos);
  EXPECT_EQ(page.body.find("/cancel\""), std::string::npos);  // nothing left to cancel

  // Another line's holder (or a made-up id) sees "not found".
  EXPECT_EQ(Call("GET", "/my/terminations/trm_000000000000000000000000").status, 404u);
}

TEST_F(HolderPagesTest, AContactNumberForNoticesAfterClosure) {
  SignIn();
  HttpResponse close = Call("GET", "/my/close?lang=en");
  EXPECT_NE(close.body.find("name=\"contact_msisdn\""), std::string::npos);
  const std::string form = "csrf=" + Csrf() +
                           "&when=date&close_date=2026-10-01&refund_method=bank_card"
                           "&refund_destination=4400+4300+1234+5671";
  // A national number without its country: refused next to the field, nothing made.
  HttpResponse bad = Call("POST", "/my/close/review", form + "&contact_msisdn=87011234567");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_NE(bad.body.find("id=\"contact_msisdn-error\" data-code=\"invalid_contact_msisdn\""),
            std::string::npos)
      << bad.body;
  EXPECT_NE(bad.body.find("value=\"87011234567\""), std::string::npos);  // kept as typed
  // Without one, the confirmation step says what the proof is.
  HttpResponse none = Call("POST", "/my/close/review", form);
  ASSERT_EQ(none.status, 200u) << none.body;
  EXPECT_NE(none.body.find("this page and the certificate you download are your proof"),
            std::string::npos);
  HttpResponse review =
      Call("POST", "/my/close/review", form + "&contact_msisdn=%2B44+7911+123456");
  ASSERT_EQ(review.status, 200u) << review.body;
  EXPECT_NE(review.body.find("id=\"review-contact\">+447911123456<"), std::string::npos)
      << review.body;
  EXPECT_EQ(Terminations(), 0u);
  HttpResponse created =
      Call("POST", "/my/close", form + "&contact_msisdn=%2B447911123456&action=confirm&attempt=c1");
  ASSERT_EQ(created.status, 303u) << created.body;
  HttpResponse page = Call("GET", Header(created, "Location"));
  EXPECT_NE(page.body.find("id=\"contact\">+447911123456<"), std::string::npos) << page.body;
  Result<std::vector<TerminationRecord>> all =
      terminations_.List(Caller::System("test"), std::nullopt, 10);
  ASSERT_TRUE(all && all->size() == 1u);
  ASSERT_TRUE(all->front().contact_msisdn);
  EXPECT_EQ(all->front().contact_msisdn->e164(), "+447911123456");
}

// The problems the holder's pages can meet (the services' contracts behind
// each page) have words of their own, not the generic sentence.
TEST(HolderPageTexts, EveryProblemAHolderCanMeetHasItsText) {
  for (const char* code :
       {"invalid_msisdn", "invalid_field", "too_many_codes", "resend_too_soon", "invalid_code",
        "too_many_attempts", "invalid_schedule", "invalid_refund", "refund_method_required",
        "channel_not_allowed", "line_not_active", "debt_outstanding", "termination_exists",
        "idempotency_key_reused", "line_not_found", "illegal_transition", "termination_not_found",
        "certificate_not_ready", "invalid_contact_msisdn"}) {
    EXPECT_TRUE(MessageKey::Find(std::string("error.") + code)) << code;
  }
}

TEST_F(HolderPagesTest, AssetsAreServedVersioned) {
  HttpResponse css = Call("GET", StylesheetPath());
  EXPECT_EQ(css.status, 200u);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_NE(Header(css, "Cache-Control").find("immutable"), std::string::npos);
  EXPECT_EQ(Call("GET", ScriptPath()).status, 200u);
  EXPECT_EQ(Call("GET", "/assets/site.css").status, 404u);
}

}  // namespace
}  // namespace simexit::web

namespace simexit::web {
namespace {

// The console's first pages share the fixture: a Kcell line and the services.
TEST_F(HolderPagesTest, ConsoleSignInFindALineAndSignOut) {
  NewStaff person{"aigerim", "Aigerim Testova", StaffRole::kAgentStore, "correct horse battery"};
  ASSERT_TRUE(staff_.AddStaff(Caller::System("cli"), "kcell", person));
  ASSERT_EQ(Call("GET", "/console?lang=en").status, 200u);
  EXPECT_NE(last_page_.find("action=\"/console/sign-in\""), std::string::npos);

  HttpResponse wrong =
      Call("POST", "/console/sign-in", "csrf=" + Csrf() + "&username=aigerim&password=nope");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_NE(wrong.body.find("data-code=\"invalid_credentials\""), std::string::npos);
  EXPECT_EQ(Call("POST", "/console/sign-in",
                 "username=aigerim&password=correct+horse+battery")  // no CSRF token
                .status,
            403u);

  HttpResponse in = Call("POST", "/console/sign-in",
                         "csrf=" + Csrf() + "&username=aigerim&password=correct+horse+battery");
  ASSERT_EQ(in.status, 303u) << in.body;
  ASSERT_EQ(cookies_.count("simexit_staff"), 1u);
  const std::string token = cookies_["simexit_staff"];
  HttpResponse home = Call("GET", "/console");
  EXPECT_NE(home.body.find("data-role=\"agent_store\""), std::string::npos) << home.body;
  EXPECT_NE(home.body.find("Aigerim Testova, store agent (kcell)"), std::string::npos);

  HttpResponse line = Call("GET", "/console/lines?msisdn=%2B77011234567");
  EXPECT_EQ(line.status, 200u);
  EXPECT_NE(line.body.find("TESTOV TEST"), std::string::npos);
  EXPECT_NE(line.body.find("iin ********0017"), std::string::npos) << line.body;
  EXPECT_EQ(line.body.find("900101300017"), std::string::npos);  // masked as the API masks it
  EXPECT_EQ(Call("GET", "/console/lines?msisdn=%2B77019999999").status, 404u);
  EXPECT_EQ(Call("GET", "/console/lines?msisdn=12").status, 400u);

  EXPECT_EQ(Call("POST", "/console/sign-out", "csrf=" + Csrf()).status, 303u);
  EXPECT_EQ(cookies_.count("simexit_staff"), 0u);
  EXPECT_FALSE(auth_.Authenticate(token));  // ended on the server, not only in the browser
  EXPECT_NE(Call("GET", "/console/lines?msisdn=%2B77011234567").body.find("/console/sign-in"),
            std::string::npos);
}

}  // namespace
}  // namespace simexit::web
