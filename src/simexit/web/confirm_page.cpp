// The page behind the link in a phone request's SMS (/confirm/{token}), in the
// pages' look and languages. GET shows one button and changes nothing (link
// previews and scanners follow links); the button POSTs. The token in the
// path is the proof, so the form needs no CSRF token (docs/web.md).

#include "simexit/web/page.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {

api::HttpResponse ConfirmPage(const api::HttpRequest& request, const std::string& token,
                              const std::optional<std::string>& outcome, unsigned status) {
  const PageContext ctx(request);
  Html main;
  main << "<h1>" << Text(ctx.T("confirm.title")) << "</h1>";
  if (!outcome) {
    main << "<p>" << Text(ctx.T("confirm.text"))
         << "</p><form class=\"card\" method=\"post\" action=\"/confirm/" << Text(token)
         << "?lang=" << Text(ToString(ctx.language())) << "\"><button type=\"submit\">"
         << Text(ctx.T("confirm.button")) << "</button></form>";
  } else if (*outcome == "confirmed") {
    main << "<p id=\"outcome\" class=\"notice\" role=\"status\" data-code=\"confirmed\">"
         << Text(ctx.T("confirm.confirmed")) << "</p>";
  } else {
    main << "<p id=\"outcome\" class=\"alert\" role=\"alert\" data-code=\"" << Text(*outcome)
         << "\">" << Text(ctx.T("confirm.refused")) << " (" << Text(*outcome) << ")</p>";
  }
  // No script; the switcher stays on this page only for a token of our shape
  // (the routes pass "" for any other).
  return Page(ctx, ctx.T("confirm.title"), main, status,
              PageOptions{false, token.empty() ? "/my" : "/confirm/" + token});
}

}  // namespace simexit::web
