#include "simexit/api/problem.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "simexit/common/log.hpp"

namespace simexit::api {
namespace {

boost::json::object Body(const HttpResponse& response) {
  return boost::json::parse(response.body).as_object();
}

TEST(ProblemTest, HasRfc9457MembersCodeRequestIdAndExtras) {
  RequestIdScope scope("req-1");
  const HttpResponse response =
      Problem(422, "invalid_msisdn", "Invalid MSISDN", "Expected 11 digits.",
              {{"field", "msisdn"}, {"code", "forged"}});

  EXPECT_EQ(response.status, 422u);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = Body(response);
  EXPECT_EQ(body.at("type").as_string(), "https://simexit.dev/problems/invalid_msisdn");
  EXPECT_EQ(body.at("title").as_string(), "Invalid MSISDN");
  EXPECT_EQ(body.at("status").to_number<int>(), 422);
  EXPECT_EQ(body.at("detail").as_string(), "Expected 11 digits.");
  EXPECT_EQ(body.at("code").as_string(), "invalid_msisdn");
  EXPECT_EQ(body.at("request_id").as_string(), "req-1");
  EXPECT_EQ(body.at("field").as_string(), "msisdn");
}

TEST(ProblemTest, StatusForEveryErrorCode) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), 400u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), 401u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kAlreadyExists), 409u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kFailedPrecondition), 409u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), 429u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), 500u);
}

TEST(ProblemTest, FromErrorUsesReasonAndMessage) {
  const HttpResponse response =
      ProblemFromError(Error{ErrorCode::kNotFound, "line_not_found", "No such line."});
  EXPECT_EQ(response.status, 404u);
  const auto body = Body(response);
  EXPECT_EQ(body.at("code").as_string(), "line_not_found");
  EXPECT_EQ(body.at("detail").as_string(), "No such line.");
}

TEST(ProblemTest, FromErrorWithoutReasonUsesCodeName) {
  const HttpResponse response = ProblemFromError(Error{ErrorCode::kUnavailable, "", "HLR down"});
  EXPECT_EQ(response.status, 503u);
  EXPECT_EQ(Body(response).at("code").as_string(), "unavailable");
}

TEST(ProblemTest, StorageFullIs503WithRetryAfter) {
  const HttpResponse response = ProblemFromError(
      Error{ErrorCode::kUnavailable, "storage_full", "the database's disk is full"});
  EXPECT_EQ(response.status, 503u);
  EXPECT_EQ(Body(response).at("code").as_string(), "storage_full");
  EXPECT_THAT(response.headers,
              ::testing::Contains(std::pair<std::string, std::string>("Retry-After", "30")));
  const HttpResponse other =
      ProblemFromError(Error{ErrorCode::kUnavailable, "hlr_unavailable", "HLR down"});
  EXPECT_TRUE(other.headers.empty());
}

TEST(ProblemTest, EveryStoreOutageIs503WithRetryAfter) {
  for (const auto& [code, seconds] : {std::pair<std::string, std::string>{"store_unavailable", "5"},
                                      {"database_busy", "1"},
                                      {"database_unavailable", "5"}}) {
    const HttpResponse response =
        ProblemFromError(Error{ErrorCode::kUnavailable, code, "the database cannot be reached"});
    EXPECT_EQ(response.status, 503u) << code;
    EXPECT_EQ(Body(response).at("code").as_string(), code);
    EXPECT_THAT(response.headers,
                ::testing::Contains(std::pair<std::string, std::string>("Retry-After", seconds)))
        << code;
  }
}

TEST(ProblemTest, InternalDetailIsNotLeakedButIsLogged) {
  std::vector<std::string> lines;
  SetLogSinkForTesting([&lines](std::string_view line) { lines.emplace_back(line); });
  const HttpResponse response =
      ProblemFromError(Error{ErrorCode::kInternal, "database_error", "page 7 checksum mismatch"});
  SetLogSinkForTesting({});

  EXPECT_EQ(response.status, 500u);
  EXPECT_EQ(response.body.find("checksum"), std::string::npos);
  EXPECT_EQ(Body(response).at("code").as_string(), "database_error");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("page 7 checksum mismatch"), std::string::npos);
}

TEST(ProblemTest, FromErrorTakesTheStatusFromTheCatalogue) {
  const HttpResponse response = ProblemFromError(
      Error{ErrorCode::kInvalidArgument, "upload_too_large", "more than 10485760 bytes"});
  EXPECT_EQ(response.status, 413u);
  EXPECT_EQ(Body(response).at("title").as_string(), "Request body too large");
  EXPECT_EQ(ProblemFromError(Error{ErrorCode::kUnauthenticated, "invalid_code", "wrong"}).status,
            401u);
  EXPECT_EQ(ProblemFromError(Error{ErrorCode::kInvalidArgument, "invalid_code", "digits"}).status,
            400u);
}

TEST(ProblemTest, FromErrorFallsBackToTheErrorCodeAndLogsAnUncataloguedReason) {
  std::vector<std::string> lines;
  SetLogSinkForTesting([&lines](std::string_view line) { lines.emplace_back(line); });
  const HttpResponse response =
      ProblemFromError(Error{ErrorCode::kNotFound, "no_such_reason", "gone"});
  SetLogSinkForTesting({});

  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(Body(response).at("code").as_string(), "no_such_reason");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("problem_not_in_catalogue"), std::string::npos);
}

TEST(ProblemTest, ProblemForLooksTheStatusUp) {
  const HttpResponse not_allowed = ProblemFor("method_not_allowed", "no PATCH here");
  EXPECT_EQ(not_allowed.status, 405u);
  EXPECT_EQ(Body(not_allowed).at("title").as_string(), "Method not allowed");
  EXPECT_EQ(Body(not_allowed).at("detail").as_string(), "no PATCH here");
  EXPECT_EQ(ProblemFor("route_not_found", "nothing here").status, 404u);
  EXPECT_EQ(ProblemFor("headers_too_large", "too large").status, 431u);
  EXPECT_EQ(ProblemFor("too_many_connections", "busy").status, 503u);
}

TEST(JsonTest, SerializesWithStatusAndJsonType) {
  const HttpResponse response = Json(201, boost::json::object{{"id", "t1"}});
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"id":"t1"})");
}

}  // namespace
}  // namespace simexit::api
