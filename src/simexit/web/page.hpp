#pragma once
// What every page shares: the language it is shown in, cookies, the CSRF
// token of its forms, the layout around its content, and people's formats for
// money and times. docs/web.md explains the choices.
//
// Language: ?lang= (remembered in a cookie), else that cookie, else the
// browser's Accept-Language, else kFallbackLanguage.
// Cookies: all HttpOnly, SameSite=Strict, Path=/, and Secure when the request
// came over https (HttpRequest::https: server.public_url is https, or a
// trusted proxy said so with X-Forwarded-Proto).
// CSRF: every form carries a hidden "csrf" field derived from a random
// per-browser secret (cookie) and the holder's and staff sessions, checked on
// every POST.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/api/http_server.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/common/time_zone.hpp"
#include "simexit/domain/language.hpp"
#include "simexit/domain/messages.hpp"
#include "simexit/domain/money.hpp"
#include "simexit/web/html.hpp"

namespace simexit::web {

inline constexpr std::string_view kSessionCookie = "simexit_session";
inline constexpr std::string_view kCsrfCookie = "simexit_csrf";
inline constexpr std::string_view kLanguageCookie = "simexit_lang";
inline constexpr std::string_view kStaffSessionCookie = "simexit_staff";

// "a=1; b=2" -> {a: 1, b: 2}; the first of a repeated name wins.
std::map<std::string, std::string> ParseCookies(std::string_view header);

// An application/x-www-form-urlencoded body ('+' is a space); the first of a
// repeated name wins. nullopt when a %-escape is malformed.
std::optional<std::map<std::string, std::string>> ParseForm(std::string_view body);

// The best supported language of an Accept-Language header (by q, then
// order; "ru-RU" counts as "ru"); nullopt when none is supported.
std::optional<Language> LanguageFromAcceptLanguage(std::string_view header);

// One request to a page, read once.
class PageContext {
 public:
  explicit PageContext(const api::HttpRequest& request);

  const api::HttpRequest& request() const { return *request_; }
  Language language() const { return language_; }
  std::string_view T(MessageKey key) const { return Text(key, language_); }
  std::string F(MessageKey key, const std::map<std::string, std::string>& params) const {
    return Format(key, language_, params);
  }

  // The holder's bearer token from the session cookie ("" when none).
  const std::string& session() const { return session_; }
  // The staff member's session token from the console's cookie ("" when none).
  const std::string& staff_session() const { return staff_session_; }
  // The form field value every form of this page carries.
  std::string CsrfToken() const;
  // Whether `form` carries this browser's token (constant-time).
  bool CsrfValid(const std::map<std::string, std::string>& form) const;
  // <input type="hidden" name="csrf" value="...">
  Html CsrfField() const;

  // Whether the browser reached us over https (Secure cookies).
  bool secure() const { return secure_; }

  // Set-Cookie headers this response must carry: the CSRF secret when the
  // browser had none, the language when ?lang= chose it.
  void AddCookies(api::HttpResponse& response) const;
  // A cookie header value with the attributes above; max_age 0 deletes it,
  // a negative max_age makes a session cookie.
  std::string Cookie(std::string_view name, std::string_view value, long max_age) const;

 private:
  const api::HttpRequest* request_;
  Language language_ = kFallbackLanguage;
  bool language_from_query_ = false;
  std::string csrf_secret_;
  bool new_csrf_secret_ = false;
  std::string session_;
  std::string staff_session_;
  bool secure_ = false;
};

struct PageOptions {
  // The page's script (progressive help for forms); pages without such forms
  // leave it out.
  bool script = true;
  // Where the language switcher's links lead (with ?lang=): the page itself
  // for GET, /my otherwise, unless set here.
  std::optional<std::string> switcher_path;
};

// A whole page: the layout (header with the language switcher, and sign-out
// when signed in) around `main`, with security headers and cookies.
api::HttpResponse Page(const PageContext& ctx, std::string_view title, const Html& main,
                       unsigned status = 200, const PageOptions& options = {});

// 303 See Other to `location` (a path of ours), with the context's cookies.
api::HttpResponse Redirect(const PageContext& ctx, const std::string& location);

// The security headers of every HTML answer (strict CSP, no framing).
void AddSecurityHeaders(api::HttpResponse& response);

// Paths of the asset files (versioned: they change when their content does).
const std::string& StylesheetPath();
const std::string& ScriptPath();

}  // namespace simexit::web
