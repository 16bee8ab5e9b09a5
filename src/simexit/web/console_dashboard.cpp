// The operator's dashboard (GET /console/dashboard, OperatorService::Dashboard
// as GET /v1/dashboard): requests by state and by channel, a chart of the
// requests per day over the last 30 days (SVG drawn here, no script), and for
// roles that may retry (operator_admin) the dead-lettered jobs and failed SMS,
// each with a retry button (OperatorService::RetryJob and RetrySms, as
// POST /v1/jobs/{id}/retry and POST /v1/sms/{id}/retry).

#include <algorithm>

#include "simexit/api/problem.hpp"
#include "simexit/web/console_shell.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

constexpr std::int64_t kDaySeconds = 86'400;
// The chart's drawing area (SVG user units; the stylesheet scales it).
constexpr int kChartWidth = 600;
constexpr int kChartHeight = 160;
constexpr int kBarGap = 2;
constexpr int kAxisSpace = 18;

std::string Count(std::int64_t n) { return std::to_string(n); }

// One table of counts: a row per name.
Html CountTable(const PageContext& ctx, const char* id, MessageKey what,
                const std::vector<std::pair<std::string, std::int64_t>>& rows) {
  Html h;
  h << "<table class=\"counts\" id=\"" << Text(id) << "\"><thead><tr><th scope=\"col\">"
    << Text(ctx.T(what)) << "</th><th scope=\"col\">" << Text(ctx.T("console.dashboard.count"))
    << "</th></tr></thead><tbody>";
  for (const auto& [name, count] : rows) {
    h << "<tr><th scope=\"row\">" << Text(name) << "</th><td>" << Text(Count(count))
      << "</td></tr>";
  }
  h << "</tbody></table>";
  return h;
}

// Bars of requests per day, drawn on the server: an image with a text
// alternative, and the same numbers in a table below it.
Html DayChart(const PageContext& ctx, const DashboardView& view) {
  std::vector<std::pair<std::string, std::int64_t>> days;
  std::int64_t most = 0;
  for (std::int64_t day = view.first_day; day < view.first_day + kDashboardDays; ++day) {
    auto it = view.tally.per_day.find(day);
    const std::int64_t n = it == view.tally.per_day.end() ? 0 : it->second;
    days.emplace_back(FormatDate(day * kDaySeconds), n);
    most = std::max(most, n);
  }
  const std::string label =
      ctx.F("console.dashboard.chart_label",
            {{"from", days.front().first}, {"to", days.back().first}, {"max", Count(most)}});
  const int slot = kChartWidth / kDashboardDays;
  const int plot = kChartHeight - kAxisSpace;
  Html h;
  h << "<figure class=\"chart\" id=\"per-day\"><svg viewBox=\"0 0 " << Text(Count(kChartWidth))
    << " " << Text(Count(kChartHeight)) << "\" role=\"img\" aria-label=\"" << Text(label)
    << "\" xmlns=\"http://www.w3.org/2000/svg\"><line class=\"axis\" x1=\"0\" y1=\""
    << Text(Count(plot)) << "\" x2=\"" << Text(Count(kChartWidth)) << "\" y2=\""
    << Text(Count(plot)) << "\"/>";
  for (std::size_t i = 0; i < days.size(); ++i) {
    const std::int64_t n = days[i].second;
    const std::int64_t height = most == 0 ? 0 : std::max<std::int64_t>(n * (plot - 4) / most, 1);
    const std::int64_t bar_height = n == 0 ? 0 : height;
    h << "<rect class=\"bar\" data-date=\"" << Text(days[i].first) << "\" data-count=\""
      << Text(Count(n)) << "\" x=\"" << Text(Count(static_cast<std::int64_t>(i) * slot + kBarGap))
      << "\" y=\"" << Text(Count(plot - bar_height)) << "\" width=\""
      << Text(Count(slot - 2 * kBarGap)) << "\" height=\"" << Text(Count(bar_height))
      << "\"><title>" << Text(days[i].first + ": " + Count(n)) << "</title></rect>";
  }
  h << "<text class=\"tick\" x=\"0\" y=\"" << Text(Count(kChartHeight - 4)) << "\">"
    << Text(days.front().first) << "</text><text class=\"tick end\" x=\""
    << Text(Count(kChartWidth)) << "\" y=\"" << Text(Count(kChartHeight - 4)) << "\">"
    << Text(days.back().first) << "</text></svg><figcaption>" << Text(label)
    << "</figcaption></figure><details><summary>" << Text(ctx.T("console.dashboard.numbers"))
    << "</summary>" << CountTable(ctx, "per-day-table", "console.dashboard.day", days)
    << "</details>";
  return h;
}

Html RetryButton(const PageContext& ctx, const std::string& action) {
  Html h;
  h << "<form method=\"post\" action=\"" << Text(action) << "\">" << ctx.CsrfField()
    << "<button type=\"submit\" class=\"secondary\">" << Text(ctx.T("console.dashboard.retry"))
    << "</button></form>";
  return h;
}

Html FailedWork(const PageContext& ctx, const DashboardView& view) {
  Html h;
  h << "<h2>" << Text(ctx.T("console.dashboard.dead_jobs")) << "</h2>";
  if (view.dead_jobs.empty()) {
    h << "<p id=\"dead-jobs-none\">" << Text(ctx.T("console.dashboard.none")) << "</p>";
  } else {
    h << "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\""
      << Text(ctx.T("console.dashboard.dead_jobs"))
      << "\"><table class=\"queue\" id=\"dead-jobs\"><thead><tr><th scope=\"col\">#</th><th "
         "scope=\"col\">"
      << Text(ctx.T("console.dashboard.kind")) << "</th><th scope=\"col\">"
      << Text(ctx.T("console.dashboard.attempts")) << "</th><th scope=\"col\">"
      << Text(ctx.T("console.dashboard.error")) << "</th><th scope=\"col\">"
      << Text(ctx.T("console.dashboard.action")) << "</th></tr></thead><tbody>";
    for (const JobRecord& job : view.dead_jobs) {
      const std::string id = Count(job.id);
      h << "<tr data-id=\"" << Text(id) << "\"><td>" << Text(id) << "</td><td>" << Text(job.kind)
        << "</td><td>" << Text(Count(job.attempts)) << "</td><td>" << Text(job.last_error)
        << "</td><td>" << RetryButton(ctx, "/console/dashboard/jobs/" + id + "/retry")
        << "</td></tr>";
    }
    h << "</tbody></table></div>";
  }
  h << "<h2>" << Text(ctx.T("console.dashboard.failed_sms")) << "</h2>";
  if (view.failed_sms.empty()) {
    h << "<p id=\"failed-sms-none\">" << Text(ctx.T("console.dashboard.none")) << "</p>";
    return h;
  }
  h << "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\""
    << Text(ctx.T("console.dashboard.failed_sms"))
    << "\"><table class=\"queue\" id=\"failed-sms\"><thead><tr><th scope=\"col\">#</th><th "
       "scope=\"col\">"
    << Text(ctx.T("console.dashboard.kind")) << "</th><th scope=\"col\">"
    << Text(ctx.T("console.dashboard.recipient")) << "</th><th scope=\"col\">"
    << Text(ctx.T("console.dashboard.error")) << "</th><th scope=\"col\">"
    << Text(ctx.T("console.dashboard.action")) << "</th></tr></thead><tbody>";
  for (const SmsRecord& sms : view.failed_sms) {
    const std::string id = Count(sms.id);
    h << "<tr data-id=\"" << Text(id) << "\"><td>" << Text(id) << "</td><td>" << Text(sms.kind)
      << "</td><td>" << Text(sms.recipient) << "</td><td>" << Text(sms.last_error) << "</td><td>"
      << RetryButton(ctx, "/console/dashboard/sms/" + id + "/retry") << "</td></tr>";
  }
  h << "</tbody></table></div>";
  return h;
}

// The page, with what a retry came to above it (a notice, or a problem code).
HttpResponse DashboardPage(api::ApiServices& s, const PageContext& ctx, const StaffMember& me,
                           const std::optional<std::string>& problem = std::nullopt,
                           unsigned status = 200) {
  Html main = ConsoleTop(ctx, me);
  if (problem) {
    main << ProblemAlert(ctx, *problem);
  }
  if (ctx.request().query.contains("retried")) {
    main << "<p class=\"notice\" role=\"status\" id=\"retried\">"
         << Text(ctx.T("console.dashboard.retried")) << "</p>";
  }
  Result<DashboardView> view = s.operators.Dashboard(me.caller);
  if (!view) {
    main << ProblemAlert(ctx, view.error().problem_code);
    return ConsolePage(ctx, ctx.T("console.nav.dashboard"), main,
                       api::HttpStatusFor(view.error().code));
  }
  std::vector<std::pair<std::string, std::int64_t>> states;
  for (TerminationState state : kAllTerminationStates) {
    auto it = view->tally.by_state.find(state);
    states.emplace_back(StateText(ctx, ToString(state)),
                        it == view->tally.by_state.end() ? 0 : it->second);
  }
  std::vector<std::pair<std::string, std::int64_t>> channels;
  for (Channel channel : kAllChannels) {
    auto it = view->tally.by_channel.find(channel);
    channels.emplace_back(ChannelText(ctx, channel),
                          it == view->tally.by_channel.end() ? 0 : it->second);
  }
  main << "<div class=\"tallies\"><section><h2>" << Text(ctx.T("console.dashboard.by_state"))
       << "</h2>" << CountTable(ctx, "by-state", "console.t.state", states)
       << "</section><section><h2>" << Text(ctx.T("console.dashboard.by_channel")) << "</h2>"
       << CountTable(ctx, "by-channel", "console.t.channel", channels) << "</section></div><h2>"
       << Text(ctx.T("console.dashboard.per_day")) << "</h2>" << DayChart(ctx, *view);
  if (view->may_retry) {
    main << FailedWork(ctx, *view);
  }
  return ConsolePage(ctx, ctx.T("console.nav.dashboard"), main, status);
}

std::optional<std::int64_t> PathId(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

// A retry button's POST: CSRF and the staff session checked, then `retry(me,
// id)`; back to the dashboard, or the dashboard with the refusal above it.
template <typename Retry>
HttpResponse RetryAction(api::ApiServices& s, const HttpRequest& request, const std::string& id,
                         const char* not_found, Retry&& retry) {
  const PageContext ctx(request);
  if (!CheckedForm(ctx)) {
    return StaffSignInPage(ctx, "", std::string("csrf"), 403);
  }
  return WithStaff(s, ctx, [&](const StaffMember& me) {
    const std::optional<std::int64_t> number = PathId(id);
    if (!number) {
      return DashboardPage(s, ctx, me, std::string(not_found), 404);
    }
    Result<void> done = retry(me, *number);
    if (!done) {
      return DashboardPage(s, ctx, me, done.error().problem_code,
                           api::HttpStatusFor(done.error().code));
    }
    return Redirect(ctx, "/console/dashboard?retried=1");
  });
}

}  // namespace

void AddConsoleDashboardPages(api::Router& router, api::ApiServices& s) {
  router.Add("GET", "/console/dashboard", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithStaff(s, ctx, [&](const StaffMember& me) { return DashboardPage(s, ctx, me); });
  });
  router.Add("POST", "/console/dashboard/jobs/{id}/retry",
             [&s](const HttpRequest& request, const PathParams& p) {
               return RetryAction(s, request, p.at("id"), "job_not_found",
                                  [&](const StaffMember& me, std::int64_t id) -> Result<void> {
                                    SIMEXIT_TRY(s.operators.RetryJob(me.caller, id));
                                    return {};
                                  });
             });
  router.Add("POST", "/console/dashboard/sms/{id}/retry",
             [&s](const HttpRequest& request, const PathParams& p) {
               return RetryAction(s, request, p.at("id"), "sms_not_found",
                                  [&](const StaffMember& me, std::int64_t id) -> Result<void> {
                                    SIMEXIT_TRY(s.operators.RetrySms(me.caller, id));
                                    return {};
                                  });
             });
}

}  // namespace simexit::web
