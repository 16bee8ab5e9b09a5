// The operator's dashboard (GET /v1/dashboard) and the retry of its failed
// background work (POST /v1/jobs/{id}/retry, POST /v1/sms/{id}/retry). Rules,
// confinement and errors are OperatorService's (service/operator_service.hpp).

#include <boost/json.hpp>

#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/routes.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

// Ids in paths are positive decimal integers; anything else names nothing.
std::optional<std::int64_t> PathId(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const std::int64_t id = std::stoll(text);
  if (id <= 0) {
    return std::nullopt;
  }
  return id;
}

json::object JobJson(const JobRecord& job) {
  return json::object{{"id", job.id},
                      {"kind", job.kind},
                      {"state", ToString(job.state)},
                      {"attempts", job.attempts},
                      {"last_error", job.last_error},
                      {"run_at", FormatRfc3339(job.run_at)},
                      {"updated_at", FormatRfc3339(job.updated_at)}};
}

json::object SmsJson(const SmsRecord& sms) {
  return json::object{
      {"id", sms.id},
      {"kind", sms.kind},
      {"state", ToString(sms.state)},
      {"recipient", sms.recipient},
      {"termination_id",
       sms.termination_id.empty() ? json::value(nullptr) : json::value(sms.termination_id)},
      {"attempts", sms.attempts},
      {"last_error", sms.last_error},
      {"updated_at", FormatRfc3339(sms.updated_at)}};
}

json::object DashboardJson(const DashboardView& view) {
  json::object by_state;
  for (TerminationState state : kAllTerminationStates) {
    auto it = view.tally.by_state.find(state);
    by_state[ToString(state)] = it == view.tally.by_state.end() ? 0 : it->second;
  }
  json::object by_channel;
  for (Channel channel : kAllChannels) {
    auto it = view.tally.by_channel.find(channel);
    by_channel[ToString(channel)] = it == view.tally.by_channel.end() ? 0 : it->second;
  }
  json::array per_day;
  for (std::int64_t day = view.first_day; day < view.first_day + kDashboardDays; ++day) {
    auto it = view.tally.per_day.find(day);
    per_day.push_back(json::object{{"date", FormatDate(day * 86'400)},
                                   {"count", it == view.tally.per_day.end() ? 0 : it->second}});
  }
  json::object out{{"by_state", std::move(by_state)},
                   {"by_channel", std::move(by_channel)},
                   {"per_day", std::move(per_day)}};
  if (view.may_retry) {
    json::array jobs;
    for (const JobRecord& job : view.dead_jobs) {
      jobs.push_back(JobJson(job));
    }
    json::array sms;
    for (const SmsRecord& m : view.failed_sms) {
      sms.push_back(SmsJson(m));
    }
    out["dead_jobs"] = std::move(jobs);
    out["failed_sms"] = std::move(sms);
  } else {
    out["dead_jobs"] = nullptr;
    out["failed_sms"] = nullptr;
  }
  return out;
}

}  // namespace

void AddDashboardRoutes(Router& router, ApiServices& s) {
  router.Add("GET", "/v1/dashboard", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      Result<DashboardView> view = s.operators.Dashboard(caller);
      if (!view) {
        return ProblemFromError(view.error());
      }
      return Json(200, DashboardJson(*view));
    });
  });

  router.Add("POST", "/v1/jobs/{id}/retry", [&s](const HttpRequest& request, const PathParams& p) {
    return WithCaller(s, request, [&](const Caller& caller) {
      const std::optional<std::int64_t> id = PathId(p.at("id"));
      if (!id) {
        return ProblemFor("job_not_found", "no such job");
      }
      Result<JobRecord> job = s.operators.RetryJob(caller, *id);
      if (!job) {
        return ProblemFromError(job.error());
      }
      return Json(200, JobJson(*job));
    });
  });

  router.Add("POST", "/v1/sms/{id}/retry", [&s](const HttpRequest& request, const PathParams& p) {
    return WithCaller(s, request, [&](const Caller& caller) {
      const std::optional<std::int64_t> id = PathId(p.at("id"));
      if (!id) {
        return ProblemFor("sms_not_found", "no such SMS");
      }
      Result<SmsRecord> sms = s.operators.RetrySms(caller, *id);
      if (!sms) {
        return ProblemFromError(sms.error());
      }
      return Json(200, SmsJson(*sms));
    });
  });
}

}  // namespace simexit::api
