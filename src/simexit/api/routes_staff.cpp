// The staff routes: password sign-in for operators' staff, and managing an
// operator's staff (operator_admin for its own operator, admins for all).
// Confinement and errors are StaffService's (service/staff_service.hpp).

#include <boost/json.hpp>

#include "simexit/api/commands.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/routes.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

// Never the password hash (StaffView has none anyway).
json::object StaffJson(const StaffView& view) {
  const StaffRecord& s = view.staff;
  return json::object{
      {"id", s.id},
      {"username", s.username},
      {"full_name", s.full_name},
      {"role", ToString(s.role)},
      {"operator",
       view.operator_code.empty() ? json::value(nullptr) : json::value(view.operator_code)},
      {"disabled", s.disabled},
      {"locked_until", TimeOrNull(s.locked_until)},
      {"last_login_at", TimeOrNull(s.last_login_at)},
      {"created_at", FormatRfc3339(s.created_at)},
      {"updated_at", FormatRfc3339(s.updated_at)},
  };
}

// The staff JSON, with the generated password when there is one (shown once).
json::object WithPassword(const StaffView& view, const std::string& password) {
  json::object out = StaffJson(view);
  if (!password.empty()) {
    out["password"] = password;
  }
  return out;
}

HttpResponse StaffNotFound() { return ProblemFor("staff_not_found", "no such staff member"); }

// Staff ids in paths are positive decimal integers; anything else names no one.
std::optional<std::int64_t> StaffId(const std::string& text) {
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

}  // namespace

void AddStaffRoutes(Router& router, ApiServices& s) {
  router.Add("POST", "/v1/staff/login", [&s](const HttpRequest& request, const PathParams&) {
    Result<LoginCommand> login = DecodeBody<LoginCommand>(request.body);
    if (!login) {
      return ProblemFromError(login.error());
    }
    Result<StaffSignedIn> session =
        s.staff.Login(login->username, login->password, ClientOf(request), request.request_id);
    if (!session) {
      HttpResponse problem = ProblemFromError(session.error());
      if (session.error().problem_code == "busy") {
        problem.headers.emplace_back("Retry-After", "1");  // a hash takes ~0.1 s
      }
      return problem;
    }
    return Json(200, json::object{{"token", session->token},
                                  {"token_type", "Bearer"},
                                  {"expires_at", FormatRfc3339(session->expires_at)},
                                  {"staff", StaffJson(session->staff)}});
  });

  router.Add("POST", "/v1/staff/logout", [&s](const HttpRequest& request, const PathParams&) {
    const std::string bearer = BearerOf(request);
    if (bearer.empty()) {
      return Unauthenticated();
    }
    if (Result<void> done = s.staff.Logout(bearer); !done) {
      return ProblemFromError(done.error());
    }
    HttpResponse response;
    response.status = 204;
    response.content_type.clear();
    return response;
  });

  router.Add("GET", "/v1/staff/me", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.staff_id == 0) {
        return ProblemFor("staff_not_found", "this credential does not belong to a staff member");
      }
      Result<StaffView> me = s.staff.GetStaff(caller, caller.staff_id);
      if (!me) {
        return ProblemFromError(me.error());
      }
      return Json(200, StaffJson(*me));
    });
  });

  router.Add("GET", "/v1/staff/{id}", [&s](const HttpRequest& request, const PathParams& p) {
    return WithCaller(s, request, [&](const Caller& caller) {
      std::optional<std::int64_t> id = StaffId(p.at("id"));
      if (!id) {
        return StaffNotFound();
      }
      Result<StaffView> staff = s.staff.GetStaff(caller, *id);
      if (!staff) {
        return ProblemFromError(staff.error());
      }
      return Json(200, StaffJson(*staff));
    });
  });

  router.Add("GET", "/v1/operators/{code}/staff",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<std::vector<StaffView>> list = s.staff.ListStaff(caller, p.at("code"));
                 if (!list) {
                   return ProblemFromError(list.error());
                 }
                 json::array items;
                 for (const StaffView& view : *list) {
                   items.push_back(StaffJson(view));
                 }
                 return Json(200, json::object{{"items", std::move(items)}});
               });
             });

  router.Add("POST", "/v1/operators/{code}/staff",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<NewStaff> staff = DecodeBody<NewStaff>(request.body);
                 if (!staff) {
                   return ProblemFromError(staff.error());
                 }
                 Result<CreatedStaff> created = s.staff.AddStaff(caller, p.at("code"), *staff);
                 if (!created) {
                   return ProblemFromError(created.error());
                 }
                 HttpResponse response = Json(201, WithPassword(created->staff, created->password));
                 response.headers.emplace_back(
                     "Location", "/v1/staff/" + std::to_string(created->staff.staff.id));
                 return response;
               });
             });

  for (const bool disable : {true, false}) {
    router.Add("POST", disable ? "/v1/staff/{id}/disable" : "/v1/staff/{id}/enable",
               [&s, disable](const HttpRequest& request, const PathParams& p) {
                 return WithCaller(s, request, [&](const Caller& caller) {
                   if (Result<EmptyCommand> body = DecodeBody<EmptyCommand>(request.body); !body) {
                     return ProblemFromError(body.error());
                   }
                   std::optional<std::int64_t> id = StaffId(p.at("id"));
                   if (!id) {
                     return StaffNotFound();
                   }
                   Result<StaffView> staff = disable ? s.staff.DisableStaff(caller, *id)
                                                     : s.staff.EnableStaff(caller, *id);
                   if (!staff) {
                     return ProblemFromError(staff.error());
                   }
                   return Json(200, StaffJson(*staff));
                 });
               });
  }

  router.Add("POST", "/v1/staff/{id}/reset-password",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<ResetPasswordCommand> reset_command =
                     DecodeBody<ResetPasswordCommand>(request.body);
                 if (!reset_command) {
                   return ProblemFromError(reset_command.error());
                 }
                 std::optional<std::int64_t> id = StaffId(p.at("id"));
                 if (!id) {
                   return StaffNotFound();
                 }
                 Result<PasswordReset> reset =
                     s.staff.ResetPassword(caller, *id, reset_command->password);
                 if (!reset) {
                   return ProblemFromError(reset.error());
                 }
                 return Json(200, WithPassword(reset->staff, reset->password));
               });
             });
}

}  // namespace simexit::api
