// The operator console's first pages, under /console: staff sign in with
// their password (StaffService::Login: Argon2id, lock-out), see who they are
// and their role, find a line by its number (TerminationService::GetLine:
// the caller's operator only, the holder's document masked as the API masks
// it), and sign out (the session ends on the server too).

#include <boost/json.hpp>

#include "simexit/api/commands.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/web/page.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

namespace json = boost::json;
using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

std::string ProblemText(const PageContext& ctx, const std::string& code) {
  if (std::optional<MessageKey> key = MessageKey::Find("error." + code)) {
    return std::string(ctx.T(*key));
  }
  return ctx.F("error.generic", {{"code", code}});
}

Html ProblemAlert(const PageContext& ctx, const std::string& code) {
  Html h;
  h << "<p class=\"alert\" role=\"alert\" data-code=\"" << Text(code) << "\">"
    << Text(ProblemText(ctx, code)) << "</p>";
  return h;
}

std::string RoleText(const PageContext& ctx, StaffRole role) {
  if (auto key = MessageKey::Find(std::string("role.") + ToString(role))) {
    return std::string(ctx.T(*key));
  }
  return ToString(role);
}

HttpResponse SignInPage(const PageContext& ctx, const std::string& username,
                        const std::optional<std::string>& problem, unsigned status = 200) {
  Html main;
  main << "<h1>" << Text(ctx.T("console.signin.title")) << "</h1>";
  if (problem) main << ProblemAlert(ctx, *problem);
  main << "<form class=\"card\" method=\"post\" action=\"/console/sign-in\">" << ctx.CsrfField()
       << "<label for=\"username\">" << Text(ctx.T("console.username"))
       << "</label><input type=\"text\" id=\"username\" name=\"username\" value=\""
       << Text(username) << "\" autocomplete=\"username\" required><label for=\"password\">"
       << Text(ctx.T("console.password"))
       << "</label><input type=\"password\" id=\"password\" name=\"password\" "
          "autocomplete=\"current-password\" required><button type=\"submit\">"
       << Text(ctx.T("console.sign_in")) << "</button></form>";
  return Page(ctx, ctx.T("console.signin.title"), main, status, PageOptions{false, "/console"});
}

// Runs `fn` with the signed-in staff member, or shows the sign-in page.
template <typename Fn>
HttpResponse WithStaff(api::ApiServices& s, const PageContext& ctx, Fn&& fn) {
  if (!ctx.staff_session().empty()) {
    Result<Caller> caller = s.auth.Authenticate(ctx.staff_session());
    if (caller && caller->staff_id != 0) return fn(*caller);
  }
  HttpResponse response = SignInPage(ctx, "", std::nullopt);
  if (!ctx.staff_session().empty()) {
    response.headers.emplace_back("Set-Cookie", ctx.Cookie(kStaffSessionCookie, "", 0));
  }
  return response;
}

// Who is signed in, the sign-out button and the search form: the top of
// every console page.
Html ConsoleTop(api::ApiServices& s, const PageContext& ctx, const Caller& caller,
                const std::string& msisdn) {
  Html h;
  h << "<h1>" << Text(ctx.T("console.title")) << "</h1>";
  if (Result<StaffView> me = s.staff.GetStaff(caller, caller.staff_id)) {
    h << "<p id=\"signed-in-as\" data-role=\"" << Text(ToString(me->staff.role)) << "\">"
      << Text(ctx.F("console.signed_in_as",
                    {{"name", me->staff.full_name},
                     {"role", RoleText(ctx, me->staff.role)},
                     {"operator", me->operator_code.empty() ? "simexit" : me->operator_code}}))
      << "</p>";
  }
  h << "<form method=\"post\" action=\"/console/sign-out\">" << ctx.CsrfField()
    << "<button type=\"submit\" class=\"secondary\">" << Text(ctx.T("web.sign_out"))
    << "</button></form><h2>" << Text(ctx.T("console.find_line"))
    << "</h2><form class=\"card\" method=\"get\" action=\"/console/lines\" role=\"search\">"
       "<label for=\"msisdn\">"
    << Text(ctx.T("console.msisdn")) << "</label><input type=\"tel\" id=\"msisdn\" name=\"msisdn\" "
    << "value=\"" << Text(msisdn) << "\" inputmode=\"tel\" required><button type=\"submit\">"
    << Text(ctx.T("console.find")) << "</button></form>";
  return h;
}

Html LineCard(const PageContext& ctx, const LineView& view) {
  const LineRecord& line = view.line;
  Html h;
  h << "<div class=\"card\" id=\"line\"><h2>" << Text(line.msisdn) << "</h2><dl><dt>"
    << Text(ctx.T("web.line.operator")) << "</dt><dd>" << Text(view.op.name) << "</dd><dt>"
    << Text(ctx.T("web.line.status")) << "</dt><dd>";
  if (auto key = MessageKey::Find(std::string("line_status.") + ToString(line.status))) {
    h << Text(ctx.T(*key));
  }
  h << "</dd><dt>" << Text(ctx.T("web.line.main_balance")) << "</dt><dd>"
    << Text(FormatMoney(line.main_balance)) << "</dd><dt>" << Text(ctx.T("web.line.bonus_balance"))
    << "</dt><dd>" << Text(FormatMoney(line.bonus_balance)) << "</dd><dt>"
    << Text(ctx.T("web.line.outstanding_charges")) << "</dt><dd>"
    << Text(FormatMoney(line.outstanding_charges)) << "</dd>";
  if (view.holder) {
    h << "<dt>" << Text(ctx.T("console.holder")) << "</dt><dd>" << Text(view.holder->full_name)
      << "</dd><dt>" << Text(ctx.T("console.document")) << "</dt><dd id=\"document\">"
      << Text(ToString(view.holder->document_kind)) << " "
      << Text(api::MaskNumber(view.holder->document_number)) << "</dd>";
  }
  h << "<dt>" << Text(ctx.T("console.open_request")) << "</dt><dd>";
  if (view.open_termination) {
    std::string state = ToString(view.open_termination->state);
    if (auto key = MessageKey::Find("state." + state)) state = ctx.T(*key);
    h << Text(view.open_termination->id) << " — " << Text(state);
  } else {
    h << Text(ctx.T("console.none"));
  }
  h << "</dd></dl></div>";
  return h;
}

}  // namespace

void AddConsolePages(api::Router& router, api::ApiServices& s) {
  router.Add("GET", "/console", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithStaff(s, ctx, [&](const Caller& caller) {
      return Page(ctx, ctx.T("console.title"), ConsoleTop(s, ctx, caller, ""), 200,
                  PageOptions{false, "/console"});
    });
  });

  router.Add("POST", "/console/sign-in", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    std::optional<std::map<std::string, std::string>> form = ParseForm(request.body);
    if (!form || !ctx.CsrfValid(*form)) return SignInPage(ctx, "", std::string("csrf"), 403);
    const std::string username = (*form)["username"];
    Result<api::LoginCommand> login = api::DecodeBody<api::LoginCommand>(
        json::serialize(json::object{{"username", username}, {"password", (*form)["password"]}}));
    if (!login) return SignInPage(ctx, username, login.error().problem_code, 400);
    Result<StaffSignedIn> session =
        s.staff.Login(login->username, login->password, api::ClientOf(request), request.request_id);
    if (!session) {
      return SignInPage(ctx, username, session.error().problem_code,
                        api::HttpStatusFor(session.error().code));
    }
    HttpResponse response = Redirect(ctx, "/console");
    response.headers.emplace_back("Set-Cookie",
                                  ctx.Cookie(kStaffSessionCookie, session->token, -1));
    return response;
  });

  router.Add("POST", "/console/sign-out", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    std::optional<std::map<std::string, std::string>> form = ParseForm(request.body);
    if (!form || !ctx.CsrfValid(*form)) return SignInPage(ctx, "", std::string("csrf"), 403);
    if (!ctx.staff_session().empty()) (void)s.staff.Logout(ctx.staff_session());
    HttpResponse response = Redirect(ctx, "/console");
    response.headers.emplace_back("Set-Cookie", ctx.Cookie(kStaffSessionCookie, "", 0));
    return response;
  });

  router.Add("GET", "/console/lines", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithStaff(s, ctx, [&](const Caller& caller) {
      std::string typed;
      if (auto it = request.query.find("msisdn"); it != request.query.end()) typed = it->second;
      Html main = ConsoleTop(s, ctx, caller, typed);
      unsigned status = 200;
      Result<Msisdn> msisdn = Msisdn::Parse(typed);
      if (!msisdn) {
        main << ProblemAlert(ctx, msisdn.error().problem_code);
        status = 400;
      } else if (Result<LineView> view = s.terminations.GetLine(caller, *msisdn)) {
        main << LineCard(ctx, *view);
      } else {
        main << ProblemAlert(ctx, view.error().problem_code);
        status = api::HttpStatusFor(view.error().code);
      }
      return Page(ctx, ctx.T("console.title"), main, status, PageOptions{false, "/console"});
    });
  });
}

}  // namespace simexit::web
