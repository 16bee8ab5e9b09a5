#include "simexit/api/router.hpp"

#include <boost/url/pct_string_view.hpp>
#include <stdexcept>
#include <string_view>

#include "simexit/api/problem.hpp"

namespace simexit::api {
namespace {

// "/a/b/" -> {"a", "b", ""}; the leading '/' is dropped.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  while (true) {
    const std::size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return parts;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, RouteHandler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  std::vector<Segment> segments;
  for (std::string_view part : SplitPath(pattern)) {
    if (!part.empty() && part.front() == '{') {
      if (part.size() < 3 || part.back() != '}') {
        throw std::invalid_argument("malformed parameter in route pattern: " + pattern);
      }
      std::string name(part.substr(1, part.size() - 2));
      for (const Segment& existing : segments) {
        if (existing.is_param && existing.text == name) {
          throw std::invalid_argument("repeated parameter in route pattern: " + pattern);
        }
      }
      segments.push_back(Segment{true, std::move(name)});
    } else {
      if (part.find_first_of("{}") != std::string_view::npos) {
        throw std::invalid_argument("malformed segment in route pattern: " + pattern);
      }
      segments.push_back(Segment{false, std::string(part)});
    }
  }
  for (Route& route : routes_) {
    if (route.pattern == pattern) {
      if (!route.handlers.emplace(std::move(method), std::move(handler)).second) {
        throw std::invalid_argument("route added twice: " + pattern);
      }
      return;
    }
  }
  Route route;
  route.pattern = std::move(pattern);
  route.segments = std::move(segments);
  route.handlers.emplace(std::move(method), std::move(handler));
  routes_.push_back(std::move(route));
}

void Router::Wrap(const std::string& method, const std::string& pattern,
                  const std::function<RouteHandler(RouteHandler)>& wrap) {
  for (Route& route : routes_) {
    if (route.pattern == pattern) {
      auto it = route.handlers.find(method);
      if (it != route.handlers.end()) {
        it->second = wrap(std::move(it->second));
        return;
      }
    }
  }
  throw std::invalid_argument("no route to wrap: " + method + " " + pattern);
}

HttpResponse Router::Dispatch(const HttpRequest& request) const {
  const std::vector<std::string_view> parts = SplitPath(request.path);

  const Route* best = nullptr;
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) {
      continue;
    }
    bool matches = true;
    for (std::size_t i = 0; i < parts.size() && matches; ++i) {
      const Segment& segment = route.segments[i];
      matches = segment.is_param ? !parts[i].empty() : segment.text == parts[i];
    }
    if (!matches) {
      continue;
    }
    if (best == nullptr) {
      best = &route;
      continue;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const bool best_literal = !best->segments[i].is_param;
      const bool this_literal = !route.segments[i].is_param;
      if (best_literal != this_literal) {
        if (this_literal) {
          best = &route;
        }
        break;
      }
    }
  }

  if (best == nullptr) {
    return ProblemFor("route_not_found", "No resource exists at this path.");
  }
  const auto handler = best->handlers.find(request.method);
  if (handler == best->handlers.end()) {
    std::string allow;
    for (const auto& [method, unused] : best->handlers) {
      if (!allow.empty()) {
        allow += ", ";
      }
      allow += method;
    }
    HttpResponse response =
        ProblemFor("method_not_allowed", "This resource does not support " + request.method + ".");
    response.headers.emplace_back("Allow", allow);
    return response;
  }

  PathParams params;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Segment& segment = best->segments[i];
    if (!segment.is_param) {
      continue;
    }
    auto encoded = boost::urls::make_pct_string_view(parts[i]);
    if (!encoded) {
      return ProblemFor("invalid_path", "The path contains invalid percent-encoding.");
    }
    params[segment.text] = encoded->decode();
  }
  return handler->second(request, params);
}

}  // namespace simexit::api
