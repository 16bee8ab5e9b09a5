#include "simexit/web/page.hpp"

#include <gtest/gtest.h>

#include "simexit/web/html.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

TEST(Html, DataIsEscapedAndLiteralsAreMarkup) {
  Html h;
  h << "<p title=\"" << Text("\"><script>x</script>") << "\">" << Text("O'Brien & <b>") << "</p>";
  EXPECT_EQ(
      h.str(),
      "<p title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">O&#39;Brien &amp; &lt;b&gt;</p>");
}

TEST(Form, DecodesUrlEncodingAndRefusesBrokenEscapes) {
  auto form = ParseForm("msisdn=%2B7+701+100+0001&csrf=ab&empty=&csrf=second");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->at("msisdn"), "+7 701 100 0001");
  EXPECT_EQ(form->at("csrf"), "ab");  // the first wins
  EXPECT_EQ(form->at("empty"), "");
  EXPECT_EQ(ParseForm("a=%zz"), std::nullopt);
  EXPECT_EQ(ParseForm("a=%4"), std::nullopt);
  EXPECT_EQ(ParseForm("")->size(), 0u);
}

TEST(Cookies, ParsesTheHeader) {
  auto cookies = ParseCookies("simexit_lang=kk; simexit_csrf=abc ;x=1=2");
  EXPECT_EQ(cookies.at("simexit_lang"), "kk");
  EXPECT_EQ(cookies.at("simexit_csrf"), "abc");
  EXPECT_EQ(cookies.at("x"), "1=2");
}

TEST(AcceptLanguage, PicksTheBestSupportedLanguage) {
  EXPECT_EQ(LanguageFromAcceptLanguage("de-DE,de;q=0.9,kk;q=0.5,ru;q=0.7"), Language::kRu);
  EXPECT_EQ(LanguageFromAcceptLanguage("zh-CN"), Language::kZh);
  EXPECT_EQ(LanguageFromAcceptLanguage("EN-us, ru;q=0.1"), Language::kEn);
  EXPECT_EQ(LanguageFromAcceptLanguage("de, fr"), std::nullopt);
  EXPECT_EQ(LanguageFromAcceptLanguage(""), std::nullopt);
}

TEST(Formats, MoneyAsPeopleReadIt) {
  EXPECT_EQ(FormatMoney(Money::Tiyn(1'000'00)), "1\u00a0000,00\u00a0₸");
  EXPECT_EQ(FormatMoney(Money::Tiyn(1'234'567'50)), "1\u00a0234\u00a0567,50\u00a0₸");
  EXPECT_EQ(FormatMoney(Money::Tiyn(5)), "0,05\u00a0₸");
  EXPECT_EQ(FormatMoney(Money::Tiyn(-200'00)), "-200,00\u00a0₸");
  EXPECT_EQ(FormatDateTime(1'790'000'000, "Asia/Almaty"), "2026-09-21 19:13");
  EXPECT_EQ(FormatDateTime(1'790'000'000, "Mars/Olympus"), "2026-09-21 14:13 UTC");
}

api::HttpRequest Get(const std::string& cookie = "", const std::string& accept = "",
                     const std::string& lang = "") {
  api::HttpRequest request;
  request.method = "GET";
  request.path = "/my";
  if (!cookie.empty()) {
    request.headers["cookie"] = cookie;
  }
  if (!accept.empty()) {
    request.headers["accept-language"] = accept;
  }
  if (!lang.empty()) {
    request.query["lang"] = lang;
  }
  return request;
}

TEST(PageContext, LanguageFromQueryThenCookieThenAcceptLanguage) {
  EXPECT_EQ(PageContext(Get("simexit_lang=kk", "en", "zh")).language(), Language::kZh);
  EXPECT_EQ(PageContext(Get("simexit_lang=kk", "en", "xx")).language(), Language::kKk);
  EXPECT_EQ(PageContext(Get("", "en-GB,ru;q=0.5")).language(), Language::kEn);
  EXPECT_EQ(PageContext(Get()).language(), kFallbackLanguage);

  // ?lang= is remembered; the cookie alone is not set again.
  const api::HttpRequest chosen = Get("", "", "en");
  api::HttpResponse response;
  PageContext(chosen).AddCookies(response);
  bool lang_cookie = false;
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie" && value.rfind("simexit_lang=en;", 0) == 0) {
      lang_cookie = true;
    }
  }
  EXPECT_TRUE(lang_cookie);
}

TEST(PageContext, CsrfTokenIsTheBrowsersAndTheSessionsOwn) {
  const std::string secret(32, 'a');
  const api::HttpRequest plain = Get("simexit_csrf=" + secret);
  const PageContext ctx(plain);
  const std::string token = ctx.CsrfToken();
  EXPECT_TRUE(ctx.CsrfValid({{"csrf", token}}));
  EXPECT_FALSE(ctx.CsrfValid({{"csrf", token.substr(1) + "0"}}));
  EXPECT_FALSE(ctx.CsrfValid({}));
  // Another browser (secret) or another session gets another token.
  const api::HttpRequest other = Get("simexit_csrf=" + std::string(32, 'b'));
  EXPECT_FALSE(PageContext(other).CsrfValid({{"csrf", token}}));
  const api::HttpRequest signed_in = Get("simexit_csrf=" + secret + "; simexit_session=st_x");
  EXPECT_FALSE(PageContext(signed_in).CsrfValid({{"csrf", token}}));
  // A browser without the cookie never passes: no page gave it a form.
  const PageContext fresh{Get()};
  EXPECT_FALSE(fresh.CsrfValid({{"csrf", fresh.CsrfToken()}}));
}

TEST(PageContext, CookiesAreHttpOnlyStrictAndSecureOverHttps) {
  api::HttpRequest request = Get();
  EXPECT_EQ(PageContext(request).Cookie("a", "b", -1), "a=b; Path=/; HttpOnly; SameSite=Strict");
  // The header alone proves nothing (the server sets `https` only for a
  // trusted proxy's header or an https public URL; http_server_test.cpp).
  request.headers["x-forwarded-proto"] = "https";
  EXPECT_EQ(PageContext(request).Cookie("a", "b", -1), "a=b; Path=/; HttpOnly; SameSite=Strict");
  request.https = true;
  EXPECT_EQ(PageContext(request).Cookie("a", "", 0),
            "a=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
}

TEST(ConfirmPage, ButtonBeforeAndOutcomeAfterInThePagesLook) {
  api::HttpRequest request = Get("", "", "en");
  request.path = "/confirm/cf_abc";
  const api::HttpResponse before = ConfirmPage(request, "cf_abc\"def", std::nullopt);
  EXPECT_NE(before.body.find("<form class=\"card\" method=\"post\" "
                             "action=\"/confirm/cf_abc&quot;def?lang=en\">"),
            std::string::npos)
      << before.body;
  EXPECT_NE(before.body.find(StylesheetPath()), std::string::npos);
  request.query["lang"] = "kk";
  const api::HttpResponse done = ConfirmPage(request, "cf_abc", std::string("confirmed"));
  EXPECT_NE(done.body.find("data-code=\"confirmed\""), std::string::npos);
  EXPECT_NE(done.body.find("Рахмет: өтінім расталды."), std::string::npos);
  EXPECT_EQ(done.body.find("method=\"post\" action=\"/confirm"), std::string::npos);
  const api::HttpResponse late =
      ConfirmPage(request, "cf_abc", std::string("confirmation_expired"), 404);
  EXPECT_EQ(late.status, 404u);
  EXPECT_NE(late.body.find("data-code=\"confirmation_expired\""), std::string::npos);
}

}  // namespace
}  // namespace simexit::web
