#pragma once
// Pieces shared by the route files (routes.cpp, routes_staff.cpp): reading the
// bearer credential and running a handler with the authenticated caller.

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "simexit/api/problem.hpp"
#include "simexit/api/routes.hpp"

namespace simexit::api {

// The credential of "Authorization: Bearer <credential>", or "" when absent.
inline std::string BearerOf(const HttpRequest& request) {
  // The scheme name is case-insensitive (RFC 9110 section 11.1).
  const std::string header = request.Header("authorization");
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  return header.substr(kScheme.size());
}

inline HttpResponse UnauthenticatedProblem() {
  return Problem(401, "unauthenticated", "Authentication required",
                 "send 'Authorization: Bearer <token or API key>'");
}

// Runs `fn` with the authenticated caller, or answers 401.
template <typename Fn>
HttpResponse WithCaller(ApiServices& s, const HttpRequest& request, Fn&& fn) {
  const std::string bearer = BearerOf(request);
  if (bearer.empty()) return UnauthenticatedProblem();
  Result<Caller> caller = s.auth.Authenticate(bearer);
  if (!caller) return ProblemFromError(caller.error());
  return fn(*caller);
}

inline boost::json::value TimeOrNull(const std::optional<UnixSeconds>& t) {
  return t ? boost::json::value(FormatRfc3339(*t)) : boost::json::value(nullptr);
}

}  // namespace simexit::api
