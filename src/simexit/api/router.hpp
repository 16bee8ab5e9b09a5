#pragma once
// Maps (method, path pattern) to a handler.
//
// A pattern is a list of "/"-separated segments, e.g. "/v1/lines/{msisdn}".
// A literal segment matches the request's (still percent-encoded) segment
// exactly; "{name}" matches one non-empty segment and passes it to the handler
// percent-decoded as params["name"]. Segment counts must be equal, so
// "/v1/lines/" does not match "/v1/lines". When several patterns match, the
// most specific wins: at the first segment where they differ, a literal beats a
// parameter ("/v1/lines/export" beats "/v1/lines/{msisdn}").
//
// Dispatch answers by itself:
//  - 404 problem "route_not_found" when no pattern matches the path;
//  - 405 problem "method_not_allowed" with an Allow header listing the methods
//    of the best-matching pattern when the path matches but the method does not;
//  - 400 problem "invalid_path" when a parameter segment is not valid
//    percent-encoding.
//
// Thread-safety: Add() and Wrap() during set-up only; Dispatch() is const and may then be
// called concurrently.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "simexit/api/http_server.hpp"

namespace simexit::api {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

class Router {
 public:
  // Throws std::invalid_argument (a programming error at start-up) when the
  // pattern does not start with '/', has an empty or malformed "{...}"
  // segment, repeats a parameter name, or (method, pattern) is already added.
  void Add(std::string method, std::string pattern, RouteHandler handler);
  // Replaces the handler of (method, pattern) with wrap(handler), e.g. to add
  // Idempotency-Key handling (idempotent.hpp). Throws std::invalid_argument
  // when no such route was added.
  void Wrap(const std::string& method, const std::string& pattern,
            const std::function<RouteHandler(RouteHandler)>& wrap);

  HttpResponse Dispatch(const HttpRequest& request) const;

 private:
  struct Segment {
    bool is_param = false;
    std::string text;  // literal text, or the parameter name
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    std::map<std::string, RouteHandler> handlers;  // by method
  };

  std::vector<Route> routes_;
};

}  // namespace simexit::api
