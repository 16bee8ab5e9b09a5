#include "simexit/web/page.hpp"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "simexit/common/crypto.hpp"
#include "simexit/common/random.hpp"

namespace simexit::web {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::optional<std::string> FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) {
        return std::nullopt;
      }
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// The endonyms of the switcher: each language named in itself.
constexpr std::pair<Language, const char*> kLanguageEndonyms[] = {
    {Language::kKk, "Қазақша"},
    {Language::kRu, "Русский"},
    {Language::kEn, "English"},
    {Language::kZh, "中文"},
};

}  // namespace

std::map<std::string, std::string> ParseCookies(std::string_view header) {
  std::map<std::string, std::string> cookies;
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    const std::string_view part = Trim(header.substr(0, semi));
    if (const std::size_t eq = part.find('='); eq != std::string_view::npos) {
      cookies.emplace(std::string(Trim(part.substr(0, eq))),
                      std::string(Trim(part.substr(eq + 1))));
    }
    if (semi == std::string_view::npos) {
      break;
    }
    header.remove_prefix(semi + 1);
  }
  return cookies;
}

std::optional<std::map<std::string, std::string>> ParseForm(std::string_view body) {
  std::map<std::string, std::string> form;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view part = body.substr(0, amp);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      std::optional<std::string> name = FormDecode(part.substr(0, eq));
      std::optional<std::string> value =
          eq == std::string_view::npos ? std::string() : FormDecode(part.substr(eq + 1));
      if (!name || !value) {
        return std::nullopt;
      }
      form.emplace(std::move(*name), std::move(*value));
    }
    if (amp == std::string_view::npos) {
      break;
    }
    body.remove_prefix(amp + 1);
  }
  return form;
}

std::optional<Language> LanguageFromAcceptLanguage(std::string_view header) {
  std::optional<Language> best;
  double best_q = 0;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = Trim(header.substr(0, comma));
    double q = 1;
    if (const std::size_t semi = item.find(';'); semi != std::string_view::npos) {
      std::string_view param = Trim(item.substr(semi + 1));
      if (param.size() > 2 && param.substr(0, 2) == "q=") {
        q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
      }
      item = Trim(item.substr(0, semi));
    }
    std::string primary(item.substr(0, item.find('-')));
    std::transform(primary.begin(), primary.end(), primary.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::optional<Language> language = ParseLanguage(primary); language && q > best_q) {
      best = language;
      best_q = q;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    header.remove_prefix(comma + 1);
  }
  return best;
}

PageContext::PageContext(const api::HttpRequest& request) : request_(&request) {
  const std::map<std::string, std::string> cookies = ParseCookies(request.Header("cookie"));
  std::optional<Language> language;
  if (auto it = request.query.find("lang"); it != request.query.end()) {
    language = ParseLanguage(it->second);
    language_from_query_ = language.has_value();
  }
  if (!language) {
    if (auto it = cookies.find(std::string(kLanguageCookie)); it != cookies.end()) {
      language = ParseLanguage(it->second);
    }
  }
  if (!language) {
    language = LanguageFromAcceptLanguage(request.Header("accept-language"));
  }
  language_ = language.value_or(kFallbackLanguage);

  if (auto it = cookies.find(std::string(kCsrfCookie));
      it != cookies.end() && it->second.size() == 32) {
    csrf_secret_ = it->second;
  } else {
    static SodiumRandom random;
    csrf_secret_ = random.Hex(16);
    new_csrf_secret_ = true;
  }
  if (auto it = cookies.find(std::string(kSessionCookie)); it != cookies.end()) {
    session_ = it->second;
  }
  if (auto it = cookies.find(std::string(kStaffSessionCookie)); it != cookies.end()) {
    staff_session_ = it->second;
  }
  secure_ = request.https;
}

std::string PageContext::CsrfToken() const {
  return HashHex("simexit csrf\n" + csrf_secret_ + "\n" + session_ + "\n" + staff_session_);
}

bool PageContext::CsrfValid(const std::map<std::string, std::string>& form) const {
  if (new_csrf_secret_) {
    return false;  // a browser without the cookie sent no page's form
  }
  auto it = form.find("csrf");
  return it != form.end() && ConstantTimeEquals(it->second, CsrfToken());
}

Html PageContext::CsrfField() const {
  Html h;
  h << "<input type=\"hidden\" name=\"csrf\" value=\"" << Text(CsrfToken()) << "\">";
  return h;
}

std::string PageContext::Cookie(std::string_view name, std::string_view value, long max_age) const {
  std::string cookie = std::string(name) + "=" + std::string(value) + "; Path=/";
  if (max_age >= 0) {
    cookie += "; Max-Age=" + std::to_string(max_age);
  }
  cookie += "; HttpOnly; SameSite=Strict";
  if (secure_) {
    cookie += "; Secure";
  }
  return cookie;
}

void PageContext::AddCookies(api::HttpResponse& response) const {
  if (new_csrf_secret_) {
    response.headers.emplace_back("Set-Cookie", Cookie(kCsrfCookie, csrf_secret_, -1));
  }
  if (language_from_query_) {
    response.headers.emplace_back("Set-Cookie",
                                  Cookie(kLanguageCookie, ToString(language_), 365L * 86400));
  }
}

void AddSecurityHeaders(api::HttpResponse& response) {
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
      "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Cache-Control", "no-store");
}

api::HttpResponse Page(const PageContext& ctx, std::string_view title, const Html& main,
                       unsigned status, const PageOptions& options) {
  const std::string path = options.switcher_path           ? *options.switcher_path
                           : ctx.request().method == "GET" ? ctx.request().path
                                                           : "/my";
  Html h;
  h << "<!doctype html><html lang=\"" << Text(ToString(ctx.language()))
    << "\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
    << Text(title) << " · simexit</title><link rel=\"stylesheet\" href=\"" << Text(StylesheetPath())
    << "\">";
  if (options.script) {
    h << "<script src=\"" << Text(ScriptPath()) << "\" defer></script>";
  }
  h << "</head><body><a class=\"skip\" href=\"#main\">" << Text(ctx.T("web.skip_to_content"))
    << "</a><header class=\"top\">"
    << "<a class=\"brand\" href=\"/my\">simexit</a><nav class=\"langs\" aria-label=\""
    << Text(ctx.T("web.language")) << "\">";
  for (const auto& [language, endonym] : kLanguageEndonyms) {
    h << "<a href=\"" << Text(path) << "?lang=" << Text(ToString(language)) << "\" lang=\""
      << Text(ToString(language)) << "\" hreflang=\"" << Text(ToString(language)) << "\"";
    if (language == ctx.language()) {
      h << " aria-current=\"true\"";
    }
    h << ">" << Text(endonym) << "</a>";
  }
  h << "</nav>";
  if (!ctx.session().empty()) {
    h << "<form class=\"signout\" method=\"post\" action=\"/my/sign-out\">" << ctx.CsrfField()
      << "<button type=\"submit\" class=\"link\">" << Text(ctx.T("web.sign_out"))
      << "</button></form>";
  }
  h << "</header><main id=\"main\" tabindex=\"-1\">" << main << "</main><footer><p>"
    << Text(ctx.T("web.footer"))
    << " <a href=\"/v1/openapi.yaml\">API</a></p></footer></body></html>\n";
  api::HttpResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = h.Take();
  AddSecurityHeaders(response);
  ctx.AddCookies(response);
  return response;
}

api::HttpResponse Redirect(const PageContext& ctx, const std::string& location) {
  api::HttpResponse response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", location);
  AddSecurityHeaders(response);
  ctx.AddCookies(response);
  return response;
}

}  // namespace simexit::web
