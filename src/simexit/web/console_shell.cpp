// What every console page shares (console_shell.hpp).

#include "simexit/web/console_shell.hpp"

#include <cctype>

#include "simexit/api/route_helpers.hpp"
#include "simexit/common/time_zone.hpp"

namespace simexit::web {

std::optional<StaffMember> SignedInStaff(api::ApiServices& s, const PageContext& ctx) {
  if (ctx.staff_session().empty()) {
    return std::nullopt;
  }
  Result<Caller> caller = s.auth.Authenticate(ctx.staff_session());
  if (!caller || caller->staff_id == 0) {
    return std::nullopt;
  }
  Result<StaffView> view = s.staff.GetStaff(*caller, caller->staff_id);
  if (!view) {
    return std::nullopt;
  }
  return StaffMember{*caller, view->staff.role, view->staff.full_name, view->operator_code};
}

api::HttpResponse SignInAgain(const PageContext& ctx) {
  api::HttpResponse response = StaffSignInPage(ctx, "", std::nullopt);
  if (!ctx.staff_session().empty()) {
    response.headers.emplace_back("Set-Cookie", ctx.Cookie(kStaffSessionCookie, "", 0));
  }
  return response;
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

std::string StateText(const PageContext& ctx, const std::string& state) {
  if (auto key = MessageKey::Find("state." + state)) {
    return std::string(ctx.T(*key));
  }
  return state;
}

std::string ChannelText(const PageContext& ctx, Channel channel) {
  if (auto key = MessageKey::Find(std::string("console.channel.") + ToString(channel))) {
    return std::string(ctx.T(*key));
  }
  return ToString(channel);
}

Html DetailRow(const PageContext& ctx, MessageKey label, const std::string& value) {
  Html h;
  h << "<dt>" << Text(ctx.T(label)) << "</dt><dd>" << Text(value) << "</dd>";
  return h;
}

Html QueueTableHead(const PageContext& ctx, std::string_view id,
                    std::initializer_list<MessageKey> columns) {
  Html h;
  h << "<table class=\"queue\" id=\"" << Text(id) << "\"><thead><tr>";
  for (const MessageKey& column : columns) {
    h << "<th scope=\"col\">" << Text(ctx.T(column)) << "</th>";
  }
  h << "</tr></thead><tbody>";
  return h;
}

Html TimelineEntry(UnixSeconds at, const std::string& what, const std::string& actor,
                   const std::string& detail) {
  Html h;
  h << "<li><time datetime=\"" << Text(FormatRfc3339(at)) << "\">"
    << Text(FormatDateTime(at, kConsoleTimeZone)) << "</time> " << Text(what)
    << " <span class=\"actor\">" << Text(actor) << "</span>";
  if (!detail.empty()) {
    h << "<br><span class=\"detail\">" << Text(detail) << "</span>";
  }
  h << "</li>";
  return h;
}

std::string TerminationPath(const std::string& id) { return "/console/terminations/" + id; }

std::string UrlComponent(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

Html ConsoleTop(const PageContext& ctx, const StaffMember& me) {
  Html h;
  h << "<div class=\"console-top\"><p id=\"signed-in-as\" data-role=\"" << Text(ToString(me.role))
    << "\">"
    << Text(ctx.F("console.signed_in_as",
                  {{"name", me.full_name},
                   {"role", RoleText(ctx, me.role)},
                   {"operator", me.operator_code.empty() ? "simexit" : me.operator_code}}))
    << "</p><nav class=\"sections\" aria-label=\"" << Text(ctx.T("console.nav.label"))
    << "\"><a href=\"/console\">" << Text(ctx.T("console.find_line")) << "</a>";
  if (me.May(Permission::kReview)) {
    h << "<a href=\"/console/reviews\">" << Text(ctx.T("console.nav.review")) << "</a>";
  }
  if (me.May(Permission::kOpenStore) || me.May(Permission::kOpenMail) ||
      me.May(Permission::kReview)) {
    h << "<a href=\"/console/reactivations\">" << Text(ctx.T("console.nav.reactivations"))
      << "</a>";
  }
  h << "<a href=\"/console/dashboard\">" << Text(ctx.T("console.nav.dashboard")) << "</a>";
  h << "</nav><form method=\"post\" action=\"/console/sign-out\">" << ctx.CsrfField()
    << "<button type=\"submit\" class=\"secondary\">" << Text(ctx.T("web.sign_out"))
    << "</button></form></div>";
  return h;
}

Html SearchForm(const PageContext& ctx, const LineQuery& query) {
  Html h;
  h << "<h2>" << Text(ctx.T("console.find_line"))
    << "</h2><form class=\"card search\" method=\"get\" action=\"/console/lines\" "
       "role=\"search\"><p class=\"hint\" id=\"search-hint\">"
    << Text(ctx.T("console.search.hint")) << "</p><label for=\"msisdn\">"
    << Text(ctx.T("console.msisdn")) << "</label><input type=\"tel\" id=\"msisdn\" name=\"msisdn\" "
    << "value=\"" << Text(query.msisdn)
    << "\" inputmode=\"tel\" aria-describedby=\"search-hint\"><label for=\"iccid\">"
    << Text(ctx.T("console.search.iccid"))
    << "</label><input type=\"text\" id=\"iccid\" name=\"iccid\" inputmode=\"numeric\" value=\""
    << Text(query.iccid) << "\"><label for=\"holder_document\">"
    << Text(ctx.T("console.search.document"))
    << "</label><input type=\"text\" id=\"holder_document\" name=\"document\" autocomplete=\"off\" "
       "value=\""
    << Text(query.document) << "\"><button type=\"submit\">" << Text(ctx.T("console.find"))
    << "</button></form>";
  return h;
}

api::HttpResponse ConsolePage(const PageContext& ctx, std::string_view title, const Html& main,
                              unsigned status) {
  Html page;
  page << "<h1>" << Text(title) << "</h1>" << main;
  // The switcher stays on a page shown by GET; after a POST it leads to the console's home.
  return Page(ctx, title, page, status,
              PageOptions{true, ctx.request().method == "GET" ? ctx.request().path
                                                              : std::string("/console")});
}

Html LineCard(const PageContext& ctx, const StaffMember& me, const LineView& view) {
  const LineRecord& line = view.line;
  Html h;
  h << "<div class=\"card line\" id=\"line\" data-msisdn=\"" << Text(line.msisdn.e164())
    << "\"><h2>" << Text(line.msisdn.e164()) << "</h2><dl><dt>" << Text(ctx.T("web.line.operator"))
    << "</dt><dd>" << Text(view.op.name) << "</dd><dt>" << Text(ctx.T("console.line.iccid"))
    << "</dt><dd>" << Text(line.iccid.digits()) << "</dd><dt>" << Text(ctx.T("web.line.status"))
    << "</dt><dd>";
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
    h << "<a class=\"open-request\" href=\"" << Text(TerminationPath(view.open_termination->id))
      << "\">" << Text(view.open_termination->id) << "</a> — "
      << Text(StateText(ctx, ToString(view.open_termination->state)));
  } else {
    h << Text(ctx.T("console.none"));
  }
  h << "</dd></dl>";
  if (!view.open_termination && line.status == LineStatus::kActive) {
    Html links;
    bool any = false;
    for (Channel channel : {Channel::kStore, Channel::kProxy, Channel::kPhone, Channel::kMail}) {
      std::optional<Permission> needed = PermissionToOpen(channel);
      if (!needed || !me.May(*needed)) {
        continue;
      }
      any = true;
      links << "<li><a class=\"button secondary\" data-channel=\"" << Text(ToString(channel))
            << "\" href=\"/console/requests/new?channel=" << Text(ToString(channel))
            << "&amp;msisdn=" << Text(UrlComponent(line.msisdn.e164())) << "\">"
            << Text(ChannelText(ctx, channel)) << "</a></li>";
    }
    if (any) {
      h << "<h3>" << Text(ctx.T("console.line.new_request")) << "</h3><ul class=\"actions\">"
        << links << "</ul>";
    }
  }
  // A closed number resting in quarantine may go back to its former holder.
  if (line.status == LineStatus::kQuarantined &&
      (me.May(Permission::kOpenStore) || me.May(Permission::kOpenMail))) {
    h << "<p><a class=\"button secondary\" id=\"reactivate\" "
         "href=\"/console/reactivations/new?msisdn="
      << Text(UrlComponent(line.msisdn.e164())) << "\">" << Text(ctx.T("console.line.reactivate"))
      << "</a></p>";
  }
  h << "</div>";
  return h;
}

}  // namespace simexit::web
