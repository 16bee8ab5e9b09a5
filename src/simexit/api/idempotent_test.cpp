// The Idempotency-Key wrapper (idempotent.hpp) over the real SQLite store: a
// counting handler stands for a route, so every test sees whether it ran.

#include "simexit/api/idempotent.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

#include "simexit/api/problem.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/service/idempotency_sweep.hpp"
#include "simexit/testing/service_world.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

class IdempotentTest : public ::testing::Test {
 protected:
  IdempotentTest() : requests_(*world_.store, world_.clock, world_.random) {
    EXPECT_TRUE(world_.migrated);
    handler_ = Idempotent(
        [](const HttpRequest& request) -> std::optional<std::string> {
          const std::string who = request.Header("x-caller");
          return who.empty() ? std::nullopt : std::optional<std::string>(who);
        },
        requests_,
        [this](const HttpRequest& request, const PathParams&) { return Route(request); });
  }

  // Answers 201 with a new id and a Location, or what next_ says.
  HttpResponse Route(const HttpRequest& request) {
    ++runs_;
    if (throws_) {
      throw std::runtime_error("boom");
    }
    if (next_status_ != 0) {
      return ProblemFor(next_status_ == 503 ? "store_unavailable" : "illegal_transition", "no");
    }
    HttpResponse response = Json(201, json::object{{"id", runs_}, {"body", request.body}});
    response.headers.emplace_back("Location", "/v1/things/" + std::to_string(runs_));
    return response;
  }

  HttpResponse Call(const std::string& key, const std::string& body = "{}",
                    const std::string& caller = "api_key:1",
                    const std::string& path = "/v1/things") {
    HttpRequest request;
    request.method = "POST";
    request.target = path;
    request.path = path;
    request.body = body;
    if (!key.empty()) {
      request.headers["idempotency-key"] = key;
    }
    if (!caller.empty()) {
      request.headers["x-caller"] = caller;
    }
    return handler_(request, {});
  }

  static std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) {
        return v;
      }
    }
    return "";
  }
  static std::string Code(const HttpResponse& r) {
    return std::string(json::parse(r.body).at("code").as_string());
  }

  testing::ServiceWorld world_;
  IdempotentRequests requests_;
  RouteHandler handler_;
  int runs_ = 0;
  unsigned next_status_ = 0;
  bool throws_ = false;
};

TEST_F(IdempotentTest, WithoutAKeyEveryCallRuns) {
  EXPECT_EQ(Call("").status, 201u);
  EXPECT_EQ(Call("").status, 201u);
  EXPECT_EQ(runs_, 2);
}

TEST_F(IdempotentTest, AnUnauthenticatedCallRunsAsWithoutAKey) {
  EXPECT_EQ(Call("k", "{}", "").status, 201u);
  EXPECT_EQ(Call("k", "{}", "").status, 201u);
  EXPECT_EQ(runs_, 2);
}

TEST_F(IdempotentTest, ARepeatIsTheFirstAnswerReplayed) {
  HttpResponse first = Call("k-1");
  HttpResponse again = Call("k-1");
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(again.status, 201u);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.content_type, first.content_type);
  EXPECT_EQ(Header(again, "Location"), "/v1/things/1");
  EXPECT_EQ(Header(again, "Idempotent-Replayed"), "true");
  EXPECT_EQ(Header(first, "Idempotent-Replayed"), "");
}

TEST_F(IdempotentTest, KeysAreTheCallersOwn) {
  Call("k-1", "{}", "api_key:1");
  HttpResponse other = Call("k-1", "{}", "api_key:2");
  EXPECT_EQ(runs_, 2);
  EXPECT_EQ(Header(other, "Idempotent-Replayed"), "");
}

TEST_F(IdempotentTest, AKeyWithAnotherRequestIsRefused) {
  Call("k-1", R"({"a":1})");
  HttpResponse body = Call("k-1", R"({"a":2})");
  EXPECT_EQ(body.status, 409u);
  EXPECT_EQ(Code(body), "idempotency_key_reused");
  HttpResponse path = Call("k-1", R"({"a":1})", "api_key:1", "/v1/other");
  EXPECT_EQ(Code(path), "idempotency_key_reused");
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotentTest, AKeyOver200CharactersIsRefused) {
  HttpResponse r = Call(std::string(201, 'k'));
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(Code(r), "invalid_idempotency_key");
  EXPECT_EQ(runs_, 0);
  EXPECT_EQ(Call(std::string(200, 'k')).status, 201u);
}

TEST_F(IdempotentTest, ARefusalIsKeptAndReplayed) {
  next_status_ = 409;
  EXPECT_EQ(Code(Call("k-1")), "illegal_transition");
  next_status_ = 0;
  HttpResponse again = Call("k-1");
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(Code(again), "illegal_transition");
  EXPECT_EQ(Header(again, "Idempotent-Replayed"), "true");
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotentTest, AServerErrorReleasesTheClaim) {
  next_status_ = 503;
  EXPECT_EQ(Call("k-1").status, 503u);
  next_status_ = 0;
  HttpResponse retry = Call("k-1");
  EXPECT_EQ(retry.status, 201u);
  EXPECT_EQ(Header(retry, "Idempotent-Replayed"), "");
  EXPECT_EQ(runs_, 2);
}

TEST_F(IdempotentTest, AnExceptionReleasesTheClaim) {
  throws_ = true;
  EXPECT_THROW(Call("k-1"), std::runtime_error);
  throws_ = false;
  EXPECT_EQ(Call("k-1").status, 201u);
  EXPECT_EQ(runs_, 2);
}

// A claim left 'running' as if a process died between the work and the answer.
TEST_F(IdempotentTest, ARunningClaimIsInProgressThenTakenOverWhenStale) {
  const std::string hash = HashHex(std::string("POST /v1/things\n{}"));
  Result<IdempotentClaim> dead = requests_.Claim("api_key:1", "k-1", hash);
  ASSERT_TRUE(dead);
  ASSERT_EQ(dead->outcome, IdempotentClaim::Outcome::kRun);

  HttpResponse busy = Call("k-1");
  EXPECT_EQ(busy.status, 409u);
  EXPECT_EQ(Code(busy), "idempotency_request_in_progress");
  EXPECT_EQ(Header(busy, "Retry-After"), "1");
  world_.clock.Advance(IdempotentRequests::kStaleAfterSeconds - 1);
  EXPECT_EQ(Code(Call("k-1")), "idempotency_request_in_progress");
  EXPECT_EQ(runs_, 0);

  world_.clock.Advance(1);
  HttpResponse taken = Call("k-1");
  EXPECT_EQ(taken.status, 201u);
  EXPECT_EQ(runs_, 1);
  // The dead claim's holder can no longer store an answer over it.
  ASSERT_TRUE(
      requests_.Finish("api_key:1", "k-1", dead->claim_id, StoredResponse{500, "", "", ""}));
  HttpResponse replay = Call("k-1");
  EXPECT_EQ(replay.body, taken.body);
  EXPECT_EQ(Header(replay, "Idempotent-Replayed"), "true");
  EXPECT_EQ(runs_, 1);
}

// A key is kept a day: within it a repeat is replayed; after it, the next new
// key sweeps the old row away, and a repeat with the old key runs again.
TEST_F(IdempotentTest, AKeyIsKeptADayThenSweptByTheNextNewKey) {
  ASSERT_EQ(Call("old").status, 201u);
  world_.clock.Advance(kIdempotencyKeptSeconds);
  EXPECT_EQ(Header(Call("old"), "Idempotent-Replayed"), "true");
  world_.clock.Advance(1);
  ASSERT_EQ(Call("new").status, 201u);  // sweeps "old"
  EXPECT_EQ(runs_, 2);
  HttpResponse again = Call("old");
  EXPECT_EQ(again.status, 201u);
  EXPECT_EQ(Header(again, "Idempotent-Replayed"), "");
  EXPECT_EQ(runs_, 3);
  // "new" is a second old, not a day: still replayed.
  EXPECT_EQ(Header(Call("new"), "Idempotent-Replayed"), "true");
  EXPECT_EQ(runs_, 3);
}

TEST_F(IdempotentTest, EveryListedRouteIsAPost) {
  for (const IdempotentRoute& route : IdempotentRoutes()) {
    EXPECT_STREQ(route.method, "POST") << route.pattern;
    EXPECT_STRNE(route.pattern, "/v1/terminations");
  }
}

}  // namespace
}  // namespace simexit::api
