// Finding a line in the console (GET /console/lines): by its number
// (TerminationService::GetLine), by the SIM's ICCID or by the holder's
// document number or IIN (TerminationService::FindLines). Only the staff
// member's operator's lines: another's number is "not found" as in the API,
// another's ICCID or document finds nothing.

#include "simexit/api/route_helpers.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/web/console_shell.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

constexpr int kMaxLinesFound = 50;

std::string QueryValue(const HttpRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string() : it->second;
}

// Several lines: a table linking each to its card.
Html LineTable(const PageContext& ctx, const std::vector<LineView>& views) {
  Html h;
  h << "<h2>" << Text(ctx.T("console.search.results")) << "</h2><table class=\"lines\"><thead><tr>"
    << "<th scope=\"col\">" << Text(ctx.T("console.msisdn")) << "</th><th scope=\"col\">"
    << Text(ctx.T("console.holder")) << "</th><th scope=\"col\">" << Text(ctx.T("web.line.status"))
    << "</th></tr></thead><tbody>";
  for (const LineView& view : views) {
    h << "<tr><td><a href=\"/console/lines?msisdn=" << Text(UrlComponent(view.line.msisdn.e164()))
      << "\">" << Text(view.line.msisdn.e164()) << "</a></td><td>"
      << Text(view.holder ? view.holder->full_name : std::string()) << "</td><td>";
    if (auto key = MessageKey::Find(std::string("line_status.") + ToString(view.line.status))) {
      h << Text(ctx.T(*key));
    }
    h << "</td></tr>";
  }
  h << "</tbody></table>";
  return h;
}

HttpResponse LinesPage(api::ApiServices& s, const PageContext& ctx, const StaffMember& me,
                       const LineQuery& query) {
  Html main = ConsoleTop(ctx, me);
  main << SearchForm(ctx, query);
  unsigned status = 200;
  if (!query.msisdn.empty() || (query.iccid.empty() && query.document.empty())) {
    Result<Msisdn> msisdn = Msisdn::Parse(query.msisdn);
    if (!msisdn) {
      main << ProblemAlert(ctx, msisdn.error().problem_code);
      status = 400;
    } else if (Result<LineView> view = s.terminations.GetLine(me.caller, *msisdn)) {
      main << LineCard(ctx, me, *view);
    } else {
      main << ProblemAlert(ctx, view.error().problem_code);
      status = api::HttpStatusFor(view.error().code);
    }
    return ConsolePage(ctx, ctx.T("console.title"), main, status);
  }
  LineSearch search;
  if (!query.iccid.empty()) {
    Result<Iccid> iccid = Iccid::Parse(query.iccid);
    if (!iccid) {
      main << ProblemAlert(ctx, iccid.error().problem_code);
      return ConsolePage(ctx, ctx.T("console.title"), main, 400);
    }
    search.iccid = *iccid;
  } else {
    search.holder_document = query.document;
  }
  Result<std::vector<LineView>> found = s.terminations.FindLines(me.caller, search, kMaxLinesFound);
  if (!found) {
    main << ProblemAlert(ctx, found.error().problem_code);
    status = api::HttpStatusFor(found.error().code);
  } else if (found->empty()) {
    main << "<p class=\"alert\" role=\"status\" id=\"no-lines\">"
         << Text(ctx.T("console.search.none")) << "</p>";
    status = 404;
  } else if (found->size() == 1) {
    main << LineCard(ctx, me, found->front());
  } else {
    main << LineTable(ctx, *found);
  }
  return ConsolePage(ctx, ctx.T("console.title"), main, status);
}

}  // namespace

void AddConsoleLinePages(api::Router& router, api::ApiServices& s) {
  router.Add("GET", "/console/lines", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithStaff(s, ctx, [&](const StaffMember& me) {
      return LinesPage(s, ctx, me,
                       LineQuery{QueryValue(request, "msisdn"), QueryValue(request, "iccid"),
                                 QueryValue(request, "document")});
    });
  });
}

}  // namespace simexit::web
