// The staff routes, dispatched straight to the router (no sockets) over the
// real services on the in-memory SQLite store. Argon2id makes every sign-in
// cost ~0.1 s: the tests sign in rarely.

#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/service_world.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

constexpr UnixSeconds kStart = testing::kTestStart;  // 2026-09-21
constexpr const char* kPassword = "correct horse battery";

class StaffRoutesTest : public ::testing::Test {
 protected:
  StaffRoutesTest()
      : auth_(ctx_, HashHex("sk_admin_test")),
        terminations_(ctx_),
        operators_(ctx_),
        staff_(ctx_),
        uploads_(ctx_, blobs_, 1024),
        services_{auth_, terminations_, operators_, staff_, uploads_, signer_},
        router_(BuildRouter(services_)) {
    EXPECT_TRUE(world_.migrated);
    EXPECT_TRUE(operators_.CreateOperator("kcell", "Kcell", Policy{}, "ru"));
    EXPECT_TRUE(operators_.CreateOperator("beeline", "Beeline", Policy{}, "kk"));
  }

  HttpResponse Call(const std::string& method, const std::string& path,
                    const std::string& body = "", const std::string& bearer = "") {
    HttpRequest request;
    request.method = method;
    request.target = path;
    request.path = path;
    request.body = body;
    if (!bearer.empty()) {
      request.headers["authorization"] = "Bearer " + bearer;
    }
    return router_.Dispatch(request);
  }

  static json::object Body(const HttpResponse& response) {
    return json::parse(response.body).as_object();
  }
  static std::string Code(const HttpResponse& response) {
    return std::string(Body(response).at("code").as_string());
  }

  void AddStaff(const std::string& op, const std::string& username, const std::string& role) {
    NewStaff staff{username, "Test Person", *ParseStaffRole(role), std::string(kPassword)};
    Result<CreatedStaff> created = staff_.AddStaff(Caller::System("cli"), op, staff);
    ASSERT_TRUE(created) << created.error().message;
  }

  std::string SignIn(const std::string& username) {
    HttpResponse response =
        Call("POST", "/v1/staff/login",
             json::serialize(json::object{{"username", username}, {"password", kPassword}}));
    EXPECT_EQ(response.status, 200u) << response.body;
    return std::string(Body(response).at("token").as_string());
  }

  testing::ServiceWorld world_;
  std::unique_ptr<SqliteStore>& store_ = world_.store;
  testing::FakeHlr& hlr_ = world_.hlr;
  testing::MemorySmsGateway& sms_ = world_.sms;
  ManualClock& clock_ = world_.clock;
  Random& random_ = world_.random;
  CertificateSigner& signer_ = world_.signer;
  ServiceContext& ctx_ = world_.ctx;
  AuthService auth_;
  TerminationService terminations_;
  OperatorService operators_;
  StaffService staff_;
  testing::MemoryBlobStore blobs_;
  UploadService uploads_;
  ApiServices services_;
  Router router_;
};

TEST_F(StaffRoutesTest, LoginMeLogout) {
  AddStaff("kcell", "aigerim", "agent_store");
  HttpResponse login =
      Call("POST", "/v1/staff/login",
           json::serialize(json::object{{"username", "aigerim"}, {"password", kPassword}}));
  ASSERT_EQ(login.status, 200u) << login.body;
  json::object body = Body(login);
  const std::string token(body.at("token").as_string());
  EXPECT_EQ(token.rfind("ss_", 0), 0u);
  EXPECT_EQ(body.at("token_type").as_string(), "Bearer");
  EXPECT_EQ(body.at("expires_at").as_string(), FormatRfc3339(kStart + 8 * kSecondsPerHour));
  const json::object& staff = body.at("staff").as_object();
  EXPECT_EQ(staff.at("username").as_string(), "aigerim");
  EXPECT_EQ(staff.at("role").as_string(), "agent_store");
  EXPECT_EQ(staff.at("operator").as_string(), "kcell");
  EXPECT_FALSE(staff.contains("password_hash"));
  EXPECT_EQ(login.body.find("argon2"), std::string::npos);

  HttpResponse me = Call("GET", "/v1/staff/me", "", token);
  ASSERT_EQ(me.status, 200u) << me.body;
  EXPECT_EQ(Body(me).at("username").as_string(), "aigerim");

  HttpResponse out = Call("POST", "/v1/staff/logout", "", token);
  EXPECT_EQ(out.status, 204u);
  EXPECT_TRUE(out.body.empty());
  EXPECT_EQ(Call("GET", "/v1/staff/me", "", token).status, 401u);
  EXPECT_EQ(Call("POST", "/v1/staff/logout", "", token).status, 401u);
  EXPECT_EQ(Call("POST", "/v1/staff/logout").status, 401u);

  // An API key is no staff member.
  EXPECT_EQ(Code(Call("GET", "/v1/staff/me", "", "sk_admin_test")), "staff_not_found");
}

TEST_F(StaffRoutesTest, LoginErrors) {
  HttpResponse wrong =
      Call("POST", "/v1/staff/login",
           json::serialize(json::object{{"username", "nobody"}, {"password", "whatever it is"}}));
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(Code(wrong), "invalid_credentials");
  HttpResponse missing =
      Call("POST", "/v1/staff/login", json::serialize(json::object{{"username", "nobody"}}));
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(Code(missing), "invalid_field");
  HttpResponse extra =
      Call("POST", "/v1/staff/login", R"({"username":"a","password":"b","remember":true})");
  EXPECT_EQ(extra.status, 400u);
  EXPECT_EQ(Code(extra), "unknown_field");
}

TEST_F(StaffRoutesTest, OperatorAdminManagesItsOwnStaffAndPolicy) {
  AddStaff("kcell", "boss", "operator_admin");
  AddStaff("beeline", "other", "agent_store");
  const std::string token = SignIn("boss");

  HttpResponse added =
      Call("POST", "/v1/operators/kcell/staff",
           R"({"username":"newcomer","full_name":"New Comer","role":"back_office"})", token);
  ASSERT_EQ(added.status, 201u) << added.body;
  json::object created = Body(added);
  const std::string password(created.at("password").as_string());
  EXPECT_EQ(password.size(), 20u);
  EXPECT_FALSE(created.contains("password_hash"));
  const std::int64_t id = created.at("id").as_int64();
  bool has_location = false;
  for (const auto& [name, value] : added.headers) {
    if (name == "Location") {
      has_location = value == "/v1/staff/" + std::to_string(id);
    }
  }
  EXPECT_TRUE(has_location);

  HttpResponse chosen = Call(
      "POST", "/v1/operators/kcell/staff",
      R"({"username":"chosen","full_name":"Chosen","role":"agent_phone","password":"twelve chars ok"})",
      token);
  ASSERT_EQ(chosen.status, 201u) << chosen.body;
  EXPECT_FALSE(Body(chosen).contains("password"));

  HttpResponse bad = Call("POST", "/v1/operators/kcell/staff",
                          R"({"username":"X","full_name":"Name","role":"agent_store"})", token);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(Code(bad), "invalid_staff");
  EXPECT_EQ(Body(bad).at("field").as_string(), "username");
  HttpResponse dup = Call("POST", "/v1/operators/kcell/staff",
                          R"({"username":"other","full_name":"Name","role":"agent_store"})", token);
  EXPECT_EQ(dup.status, 409u);
  EXPECT_EQ(Code(dup), "duplicate");

  // Another operator: 404, never 403.
  HttpResponse there = Call("POST", "/v1/operators/beeline/staff",
                            R"({"username":"spy","full_name":"Spy","role":"agent_store"})", token);
  EXPECT_EQ(there.status, 404u);
  EXPECT_EQ(Code(there), "operator_not_found");
  EXPECT_EQ(Call("GET", "/v1/operators/beeline/staff", "", token).status, 404u);

  HttpResponse list = Call("GET", "/v1/operators/kcell/staff", "", token);
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(Body(list).at("items").as_array().size(), 3u);
  EXPECT_EQ(list.body.find("password"), std::string::npos);

  HttpResponse reset =
      Call("POST", "/v1/staff/" + std::to_string(id) + "/reset-password", "", token);
  ASSERT_EQ(reset.status, 200u) << reset.body;
  EXPECT_NE(std::string(Body(reset).at("password").as_string()), password);
  HttpResponse disabled = Call("POST", "/v1/staff/" + std::to_string(id) + "/disable", "", token);
  ASSERT_EQ(disabled.status, 200u) << disabled.body;
  EXPECT_TRUE(Body(disabled).at("disabled").as_bool());
  EXPECT_EQ(Call("POST", "/v1/staff/not-a-number/disable", "", token).status, 404u);
  EXPECT_EQ(Call("POST", "/v1/staff/99999/disable", "", token).status, 404u);

  HttpResponse policy =
      Call("PUT", "/v1/operators/kcell/policy", R"({"quarantine_days":120})", token);
  ASSERT_EQ(policy.status, 200u) << policy.body;
  EXPECT_EQ(Body(policy).at("policy").at("quarantine_days").as_int64(), 120);
  HttpResponse other_policy =
      Call("PUT", "/v1/operators/beeline/policy", R"({"quarantine_days":120})", token);
  EXPECT_EQ(other_policy.status, 404u);
  EXPECT_EQ(Code(other_policy), "operator_not_found");
}

TEST_F(StaffRoutesTest, AgentMayNotManageStaffOrPolicy) {
  AddStaff("kcell", "agent", "agent_store");
  const std::string token = SignIn("agent");
  HttpResponse add =
      Call("POST", "/v1/operators/kcell/staff",
           R"({"username":"newcomer","full_name":"New","role":"agent_store"})", token);
  EXPECT_EQ(add.status, 403u);
  EXPECT_EQ(Code(add), "insufficient_role");
  HttpResponse policy = Call("PUT", "/v1/operators/kcell/policy", "{}", token);
  EXPECT_EQ(policy.status, 403u);
  EXPECT_EQ(Code(policy), "insufficient_role");
  EXPECT_EQ(Call("GET", "/v1/operators/kcell/staff", "", token).status, 403u);
}

}  // namespace
}  // namespace simexit::api

namespace simexit::api {
namespace {

// The signed audit export (docs/audit.md) for the operator's admin; the
// sign-ins themselves are records of the operator's chain.
TEST_F(StaffRoutesTest, AuditExportIsTheOperatorAdminsAndSigned) {
  AddStaff("kcell", "dana", "operator_admin");
  AddStaff("kcell", "aigerim", "agent_store");
  AddStaff("beeline", "bolat", "operator_admin");
  const std::string dana = SignIn("dana");
  const std::string aigerim = SignIn("aigerim");
  const std::string bolat = SignIn("bolat");
  const auto fetch = [&](const std::string& code, const std::string& from, const std::string& to,
                         const std::string& bearer) {
    HttpRequest request;
    request.method = "GET";
    request.path = "/v1/operators/" + code + "/audit-export";
    request.target = request.path + "?from=" + from + "&to=" + to;
    if (!from.empty()) {
      request.query["from"] = from;
    }
    if (!to.empty()) {
      request.query["to"] = to;
    }
    request.headers["authorization"] = "Bearer " + bearer;
    return router_.Dispatch(request);
  };

  HttpResponse ok = fetch("kcell", "2026-09-21", "2026-09-21", dana);
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.content_type, "application/x-ndjson; charset=utf-8");
  EXPECT_NE(ok.body.find(R"("format":"simexit-audit-export/1")"), std::string::npos);
  EXPECT_NE(ok.body.find(R"("action":"staff_login_ok")"), std::string::npos);
  EXPECT_NE(ok.body.find("operator kcell"), std::string::npos) << "staff_added, in kcell's chain";
  EXPECT_EQ(ok.body.find("beeline"), std::string::npos) << "another operator's records";
  std::string signature;
  for (const auto& [name, value] : ok.headers) {
    if (name == "Simexit-Signature") {
      signature = value;
    }
  }
  EXPECT_EQ(signature.size(), 88u) << "64 bytes in base64";

  HttpResponse reversed = fetch("kcell", "2026-09-22", "2026-09-21", dana);
  EXPECT_EQ(reversed.status, 400u);
  EXPECT_EQ(Code(reversed), "invalid_date_range");
  HttpResponse bad_day = fetch("kcell", "2026-02-30", "2026-09-21", dana);
  EXPECT_EQ(bad_day.status, 400u);
  EXPECT_EQ(Code(bad_day), "invalid_date");
  EXPECT_EQ(Code(fetch("kcell", "2026-09-21", "", dana)), "invalid_query");
  HttpResponse agent = fetch("kcell", "2026-09-21", "2026-09-21", aigerim);
  EXPECT_EQ(agent.status, 403u);
  EXPECT_EQ(Code(agent), "insufficient_role");
  HttpResponse theirs = fetch("kcell", "2026-09-21", "2026-09-21", bolat);
  EXPECT_EQ(theirs.status, 404u);
  EXPECT_EQ(Code(theirs), "operator_not_found");
  EXPECT_EQ(fetch("kcell", "2026-09-21", "2026-09-21", "sk_admin_test").status, 200u);
}

}  // namespace
}  // namespace simexit::api
