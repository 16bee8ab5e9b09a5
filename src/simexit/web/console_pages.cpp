// The operator console's entry, under /console: staff sign in with their
// password (StaffService::Login: Argon2id, lock-out), see who they are, their
// role and what it lets them do, and sign out (the session ends on the server
// too). The other console pages: console_lines.cpp (finding lines),
// console_requests.cpp (opening requests per channel), console_terminations.cpp
// (a request's detail and what staff do with it), console_reviews.cpp (the
// review queue).

#include <boost/json.hpp>

#include "simexit/api/commands.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/web/console_shell.hpp"
#include "simexit/web/forms.hpp"
#include "simexit/web/page.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {

namespace json = boost::json;
using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

HttpResponse StaffSignInPage(const PageContext& ctx, const std::string& username,
                             const std::optional<std::string>& problem, unsigned status) {
  Html main;
  main << "<h1>" << Text(ctx.T("console.signin.title")) << "</h1>";
  if (problem) {
    main << ProblemAlert(ctx, *problem);
  }
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

void AddConsolePages(api::Router& router, api::ApiServices& s) {
  router.Add("GET", "/console", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithStaff(s, ctx, [&](const StaffMember& me) {
      Html main = ConsoleTop(ctx, me);
      main << SearchForm(ctx, LineQuery{});
      return ConsolePage(ctx, ctx.T("console.title"), main);
    });
  });

  router.Add("POST", "/console/sign-in", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    std::optional<Form> form = CheckedForm(ctx);
    if (!form) {
      return StaffSignInPage(ctx, "", std::string("csrf"), 403);
    }
    const std::string username = Field(*form, "username");
    Result<api::LoginCommand> login = api::DecodeBody<api::LoginCommand>(json::serialize(
        json::object{{"username", username}, {"password", Field(*form, "password")}}));
    if (!login) {
      return StaffSignInPage(ctx, username, login.error().problem_code, 400);
    }
    Result<StaffSignedIn> session =
        s.staff.Login(login->username, login->password, api::ClientOf(request), request.request_id);
    if (!session) {
      return StaffSignInPage(ctx, username, session.error().problem_code,
                             api::HttpStatusFor(session.error().code));
    }
    HttpResponse response = Redirect(ctx, "/console");
    response.headers.emplace_back("Set-Cookie",
                                  ctx.Cookie(kStaffSessionCookie, session->token, -1));
    return response;
  });

  router.Add("POST", "/console/sign-out", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    std::optional<Form> form = CheckedForm(ctx);
    if (!form) {
      return StaffSignInPage(ctx, "", std::string("csrf"), 403);
    }
    if (!ctx.staff_session().empty()) {
      (void)s.staff.Logout(ctx.staff_session());
    }
    HttpResponse response = Redirect(ctx, "/console");
    response.headers.emplace_back("Set-Cookie", ctx.Cookie(kStaffSessionCookie, "", 0));
    return response;
  });

  AddConsoleLinePages(router, s);
  AddConsoleRequestPages(router, s);
  AddConsoleTerminationPages(router, s);
  AddConsoleReviewPages(router, s);
  AddConsoleDashboardPages(router, s);
}

}  // namespace simexit::web
