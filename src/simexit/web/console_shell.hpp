#pragma once
// What every console page shares (internal to web/): the signed-in staff
// member and their role, the top of each page (who is signed in, the
// sections their role may use, sign-out), the line search, the line card,
// problems in the page's language. Pages show only what the role may do
// (domain/roles.hpp); the services refuse the rest anyway.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/api/routes.hpp"
#include "simexit/domain/roles.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/web/forms.hpp"
#include "simexit/web/page.hpp"

namespace simexit::web {

// The signed-in staff member of a console request.
struct StaffMember {
  Caller caller;
  StaffRole role = StaffRole::kAgentStore;
  std::string full_name;
  std::string operator_code;  // "" for admins

  bool May(Permission permission) const { return RoleAllows(role, permission); }
};

// The staff sign-in page (console_pages.cpp), with a problem code above the form.
api::HttpResponse StaffSignInPage(const PageContext& ctx, const std::string& username,
                                  const std::optional<std::string>& problem, unsigned status = 200);

// Runs `fn(const StaffMember&)` for the signed-in staff member, or answers
// the sign-in page (dropping a stale cookie).
template <typename Fn>
api::HttpResponse WithStaff(api::ApiServices& s, const PageContext& ctx, Fn&& fn);

// The member behind the page's staff cookie, if any.
std::optional<StaffMember> SignedInStaff(api::ApiServices& s, const PageContext& ctx);
api::HttpResponse SignInAgain(const PageContext& ctx);

template <typename Fn>
api::HttpResponse WithStaff(api::ApiServices& s, const PageContext& ctx, Fn&& fn) {
  if (std::optional<StaffMember> me = SignedInStaff(s, ctx)) {
    return fn(*me);
  }
  return SignInAgain(ctx);
}

// The values typed into the line search (one of the three is used).
struct LineQuery {
  std::string msisdn;
  std::string iccid;
  std::string document;
};

// The top of every console page: the title, who is signed in, the sections
// the role may use, sign-out.
Html ConsoleTop(const PageContext& ctx, const StaffMember& me);
// The search form (GET /console/lines).
Html SearchForm(const PageContext& ctx, const LineQuery& query);
// A console page: the layout with the script, the language switcher on the page itself.
api::HttpResponse ConsolePage(const PageContext& ctx, std::string_view title, const Html& main,
                              unsigned status = 200);

// A problem code as an alert, in the page's language.
Html ProblemAlert(const PageContext& ctx, const std::string& code);
std::string RoleText(const PageContext& ctx, StaffRole role);
std::string StateText(const PageContext& ctx, const std::string& state);
std::string ChannelText(const PageContext& ctx, Channel channel);

// The line card: operator, status, balances, the holder with the document
// masked as the API masks it, the open request; and the requests the role
// may open on it.
Html LineCard(const PageContext& ctx, const StaffMember& me, const LineView& view);

// The zone the console shows times in.
inline constexpr const char* kConsoleTimeZone = "Asia/Almaty";

// One <dt>label</dt><dd>value</dd> of a detail list.
Html DetailRow(const PageContext& ctx, MessageKey label, const std::string& value);
// A list's table up to its <tbody>: class "queue", id `id`, a column per key.
Html QueueTableHead(const PageContext& ctx, std::string_view id,
                    std::initializer_list<MessageKey> columns);
// One <li> of a timeline: when (kConsoleTimeZone), what happened, who did it, the detail if any.
Html TimelineEntry(UnixSeconds at, const std::string& what, const std::string& actor,
                   const std::string& detail);

// "/console/terminations/<id>"
std::string TerminationPath(const std::string& id);
// `text` percent-encoded for a query value or path segment.
std::string UrlComponent(std::string_view text);

}  // namespace simexit::web
