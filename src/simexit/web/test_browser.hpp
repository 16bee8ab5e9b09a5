#pragma once
// A browser of one staff member for page tests (no sockets): requests go
// straight to the router; it keeps its cookies and sends forms with the
// page's CSRF token. Test-only, header-only.

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>

#include "simexit/api/router.hpp"
#include "simexit/web/page.hpp"

namespace simexit::testing {

// A browser of one staff member: keeps its cookies, sends forms.
struct Browser {
  api::Router* router;
  std::map<std::string, std::string> cookies;
  std::string page;

  api::HttpResponse Call(const std::string& method, const std::string& path,
                         const std::string& body = "",
                         const std::map<std::string, std::string>& headers = {}) {
    api::HttpRequest request;
    request.method = method;
    request.target = path;
    request.path = path.substr(0, path.find('?'));
    if (const std::size_t q = path.find('?'); q != std::string::npos) {
      request.query =
          web::ParseForm(path.substr(q + 1)).value_or(std::map<std::string, std::string>{});
    }
    request.body = body;
    request.remote_address = "127.0.0.1";
    for (const auto& [name, value] : headers) {
      request.headers[name] = value;
    }
    std::string cookie;
    for (const auto& [name, value] : cookies) {
      cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
    }
    if (!cookie.empty()) {
      request.headers["cookie"] = cookie;
    }
    api::HttpResponse response = router->Dispatch(request);
    for (const auto& [name, value] : response.headers) {
      if (name != "Set-Cookie") {
        continue;
      }
      const std::string pair = value.substr(0, value.find(';'));
      if (value.find("Max-Age=0") != std::string::npos) {
        cookies.erase(pair.substr(0, pair.find('=')));
      } else {
        cookies[pair.substr(0, pair.find('='))] = pair.substr(pair.find('=') + 1);
      }
    }
    if (response.content_type.rfind("text/html", 0) == 0) {
      page = response.body;
    }
    return response;
  }

  std::string Csrf() const {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(page, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")))
        << page;
    return m.size() > 1 ? m[1].str() : "";
  }

  // The form's fields with the page's CSRF token.
  std::string Post(const std::string& path, const std::string& fields) {
    return std::to_string(
        Call("POST", path, "csrf=" + Csrf() + (fields.empty() ? "" : "&" + fields)).status);
  }

  bool Shows(const std::string& text) const { return page.find(text) != std::string::npos; }
};

inline std::string Location(const api::HttpResponse& r) {
  for (const auto& [n, v] : r.headers) {
    if (n == "Location") {
      return v;
    }
  }
  return "";
}

}  // namespace simexit::testing
