#include "simexit/api/router.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace simexit::api {
namespace {

HttpRequest Request(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.target = request.path;
  return request;
}

std::string Code(const HttpResponse& response) {
  return std::string(boost::json::parse(response.body).at("code").as_string());
}

// Echoes the route's name and its parameters as "name:k=v,k=v".
RouteHandler Named(const std::string& name) {
  return [name](const HttpRequest&, const PathParams& params) {
    HttpResponse response;
    response.content_type = "text/plain";
    response.body = name + ":";
    for (const auto& [key, value] : params) {
      response.body += key + "=" + value + ",";
    }
    return response;
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/v1/lines/{msisdn}", Named("get_line"));
    router_.Add("DELETE", "/v1/lines/{msisdn}", Named("delete_line"));
    router_.Add("GET", "/v1/lines/export", Named("export"));
    router_.Add("GET", "/v1/lines/{msisdn}/terminations/{id}", Named("get_termination"));
    router_.Add("POST", "/v1/terminations", Named("create"));
    router_.Add("GET", "/", Named("root"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndParams) {
  EXPECT_EQ(router_.Dispatch(Request("POST", "/v1/terminations")).body, "create:");
  EXPECT_EQ(router_.Dispatch(Request("GET", "/v1/lines/77011234567")).body,
            "get_line:msisdn=77011234567,");
  EXPECT_EQ(router_.Dispatch(Request("DELETE", "/v1/lines/7701")).body, "delete_line:msisdn=7701,");
  EXPECT_EQ(router_.Dispatch(Request("GET", "/v1/lines/7701/terminations/t-9")).body,
            "get_termination:id=t-9,msisdn=7701,");
  EXPECT_EQ(router_.Dispatch(Request("GET", "/")).body, "root:");
}

TEST_F(RouterTest, ParamsArePercentDecoded) {
  EXPECT_EQ(router_.Dispatch(Request("GET", "/v1/lines/%2B7%20701%2Fx")).body,
            "get_line:msisdn=+7 701/x,");
}

TEST_F(RouterTest, LiteralBeatsParameter) {
  EXPECT_EQ(router_.Dispatch(Request("GET", "/v1/lines/export")).body, "export:");
}

TEST_F(RouterTest, UnknownPathIs404) {
  for (const char* path : {"/v1/nothing", "/v1/lines", "/v1/lines/", "/v1/lines//terminations/x",
                           "/v1/terminations/extra"}) {
    const HttpResponse response = router_.Dispatch(Request("GET", path));
    EXPECT_EQ(response.status, 404u) << path;
    EXPECT_EQ(response.content_type, "application/problem+json");
    EXPECT_EQ(Code(response), "route_not_found") << path;
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  const HttpResponse response = router_.Dispatch(Request("PUT", "/v1/lines/7701"));
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(Code(response), "method_not_allowed");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "DELETE, GET");
}

TEST_F(RouterTest, InvalidPercentEncodingInParamIs400) {
  const HttpResponse response = router_.Dispatch(Request("GET", "/v1/lines/77%zz"));
  EXPECT_EQ(response.status, 400u);
  EXPECT_EQ(Code(response), "invalid_path");
}

TEST(RouterAddTest, RejectsBadPatternsAndDuplicates) {
  Router router;
  router.Add("GET", "/a/{id}", Named("a"));
  EXPECT_THROW(router.Add("GET", "/a/{id}", Named("again")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "no-slash", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{}", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{id", Named("x")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{id}/{id}", Named("x")), std::invalid_argument);
  EXPECT_NO_THROW(router.Add("POST", "/a/{id}", Named("post")));
}

}  // namespace
}  // namespace simexit::api
