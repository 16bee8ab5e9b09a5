// Events for billing and CRM: CloudEvents bodies, signatures, back-off, and
// deliveries through the worker to a fake receiver (ordering, retries, dead
// letters, removal), plus the checks on registering an endpoint.

#include "simexit/service/event_outbox.hpp"

#include <boost/json.hpp>
#include <map>

#include "simexit/common/hmac.hpp"
#include "simexit/service/event_delivery.hpp"
#include "simexit/service/termination_test_fixture.hpp"
#include "simexit/service/webhook_service.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;

// A billing system that records every POST and answers from a script: the
// next `fail` POSTs get kUnavailable (no answer), then 2xx.
class FakeReceiver : public WebhookClient {
 public:
  struct Received {
    std::string url;
    std::map<std::string, std::string> headers;
    std::string body;
  };

  Result<int> Post(const WebhookRequest& request) override {
    Received r{request.url, {}, request.body};
    for (const auto& [name, value] : request.headers) {
      r.headers[name] = value;
    }
    received.push_back(std::move(r));
    if (fail > 0) {
      --fail;
      return Fail(ErrorCode::kUnavailable, "webhook_timeout", "no answer");
    }
    return status;
  }

  std::vector<Received> received;
  int fail = 0;
  int status = 204;
};

boost::json::object Body(const FakeReceiver::Received& r) {
  return boost::json::parse(r.body).as_object();
}

class EventsTest : public TerminationFlowTest {
 protected:
  EventsTest() : webhooks_(ctx_), delivery_(ctx_) {
    ctx_.webhooks = &receiver_;
    ctx_.listen_host = "127.0.0.1";
    ctx_.listen_port = 8080;
  }

  CreatedWebhook Register(const std::string& op, const std::string& url,
                          std::vector<std::string> types = {}) {
    Result<CreatedWebhook> created = webhooks_.Register(
        Caller::System("test"), NewWebhook{op, *WebhookUrl::Parse(url), std::move(types)});
    EXPECT_TRUE(created) << created.error().message;
    return *created;
  }

  Error RegisterError(const Caller& caller, const std::string& op, const std::string& url,
                      std::vector<std::string> types = {}) {
    Result<CreatedWebhook> created =
        webhooks_.Register(caller, NewWebhook{op, *WebhookUrl::Parse(url), std::move(types)});
    EXPECT_FALSE(created);
    return created ? Error{} : created.error();
  }

  std::vector<WebhookDeliveryView> Deliveries(std::optional<WebhookDeliveryState> state) {
    return webhooks_.Deliveries(Caller::System("test"), "kcell", state, 1000).value();
  }

  // The ids and to_states of the state changes received, in arrival order.
  std::vector<std::string> StatesReceived() {
    std::vector<std::string> out;
    for (const FakeReceiver::Received& r : receiver_.received) {
      boost::json::object body = Body(r);
      if (body.at("type").as_string() == kTerminationStateChanged) {
        out.emplace_back(body.at("data").at("to_state").as_string());
      }
    }
    return out;
  }

  FakeReceiver receiver_;
  WebhookService webhooks_;
  EventDelivery delivery_;
};

TEST(CloudEventTest, EnvelopeHasTheCloudEventsAttributesAndIsStable) {
  OutboxEventRecord e;
  e.id = 42;
  e.type = std::string(kNumberReleased);
  e.source = "/simexit/operators/kcell";
  e.subject = "+77011234567";
  e.data = R"({"msisdn":"+77011234567"})";
  e.time = 1'790'000'000;
  const std::string body = CloudEventJson(e);
  EXPECT_EQ(body, CloudEventJson(e));
  boost::json::object json = boost::json::parse(body).as_object();
  EXPECT_EQ(json.at("specversion"), "1.0");
  EXPECT_EQ(json.at("id"), "evt_42");
  EXPECT_EQ(json.at("source"), "/simexit/operators/kcell");
  EXPECT_EQ(json.at("type"), "kz.simexit.number.released");
  EXPECT_EQ(json.at("subject"), "+77011234567");
  EXPECT_EQ(json.at("time"), "2026-09-21T14:13:20Z");
  EXPECT_EQ(json.at("datacontenttype"), "application/json");
  EXPECT_EQ(json.at("data").at("msisdn"), "+77011234567");
}

TEST(CloudEventTest, SignatureIsHmacOfTimestampDotBody) {
  const std::string body = R"({"id":"evt_1"})";
  EXPECT_EQ(WebhookSignature("whsec_x", 1'790'000'000, body),
            "v1," + HmacSha256Base64("whsec_x", "1790000000." + body));
  EXPECT_NE(WebhookSignature("whsec_x", 1'790'000'001, body),
            WebhookSignature("whsec_x", 1'790'000'000, body));
}

TEST(CloudEventTest, BackoffDoublesUpToItsCap) {
  WebhookSettings s;
  s.backoff_base_seconds = 10;
  s.backoff_max_seconds = 60;
  EXPECT_EQ(EventDelivery::BackoffSeconds(1, s), 10);
  EXPECT_EQ(EventDelivery::BackoffSeconds(2, s), 20);
  EXPECT_EQ(EventDelivery::BackoffSeconds(3, s), 40);
  EXPECT_EQ(EventDelivery::BackoffSeconds(4, s), 60);
  EXPECT_EQ(EventDelivery::BackoffSeconds(1000, s), 60);
}

TEST_F(EventsTest, EveryStateChangeArrivesInOrderSignedWithTheSecret) {
  CreatedWebhook hook = Register("kcell", "http://127.0.0.1:9000/billing");
  Caller holder = SignIn("+77011234567");
  Result<CreatedTermination> created =
      terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt);
  ASSERT_TRUE(created);
  RunJobs();
  ASSERT_EQ(Reload(created->termination.id).state, TerminationState::kTerminated);
  EXPECT_EQ(StatesReceived(),
            (std::vector<std::string>{"submitted", "verified", "approved", "settling",
                                      "deprovisioning", "terminated"}));
  for (const FakeReceiver::Received& r : receiver_.received) {
    EXPECT_EQ(r.url, "http://127.0.0.1:9000/billing");
    EXPECT_EQ(r.headers.at("Content-Type"), "application/cloudevents+json");
    EXPECT_EQ(r.headers.at("Simexit-Event-Id"), Body(r).at("id").as_string());
    const UnixSeconds ts = std::stoll(r.headers.at("Simexit-Timestamp"));
    EXPECT_EQ(r.headers.at("Simexit-Signature"), WebhookSignature(hook.secret, ts, r.body));
    EXPECT_EQ(Body(r).at("subject").as_string(), created->termination.id);
    EXPECT_EQ(Body(r).at("source"), "/simexit/operators/kcell");
  }
  EXPECT_TRUE(Deliveries(WebhookDeliveryState::kPending).empty());
  EXPECT_EQ(Deliveries(WebhookDeliveryState::kDelivered).size(), receiver_.received.size());
}

TEST_F(EventsTest, AFailingReceiverGetsTheSameIdAgainAndLaterEventsWait) {
  Register("kcell", "http://127.0.0.1:9000/billing", {std::string(kTerminationStateChanged)});
  receiver_.fail = 2;
  Caller holder = SignIn("+77011234567");
  ASSERT_TRUE(terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt));
  RunJobs();
  // The first event failed once and waits for its back-off; nothing after it went.
  ASSERT_EQ(receiver_.received.size(), 1u);
  for (int i = 0; i < 10 && !Deliveries(WebhookDeliveryState::kPending).empty(); ++i) {
    clock_.Advance(ctx_.webhook_settings.backoff_max_seconds);
    RunJobs();
  }
  EXPECT_TRUE(Deliveries(WebhookDeliveryState::kPending).empty());
  // Three tries of the first event, all with its id, then the rest in order.
  const std::string first = receiver_.received[0].headers.at("Simexit-Event-Id");
  EXPECT_EQ(receiver_.received[1].headers.at("Simexit-Event-Id"), first);
  EXPECT_EQ(receiver_.received[2].headers.at("Simexit-Event-Id"), first);
  std::vector<std::string> states = StatesReceived();
  states.erase(states.begin(), states.begin() + 2);  // the repeats of "submitted"
  EXPECT_EQ(states, (std::vector<std::string>{"submitted", "verified", "approved", "settling",
                                              "deprovisioning", "terminated"}));
}

TEST_F(EventsTest, ADeadDeliveryIsListedAndSentAgainOnRetry) {
  ctx_.webhook_settings.max_attempts = 2;
  Register("kcell", "http://127.0.0.1:9000/billing");
  receiver_.status = 500;
  Caller holder = SignIn("+77011234567");
  ASSERT_TRUE(terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt));
  for (int i = 0; i < 20; ++i) {
    clock_.Advance(ctx_.webhook_settings.backoff_max_seconds);
    RunJobs();
  }
  std::vector<WebhookDeliveryView> dead = Deliveries(WebhookDeliveryState::kDead);
  ASSERT_EQ(dead.size(), 6u);  // each state change, two attempts each, one after the other
  EXPECT_EQ(dead.back().delivery.attempts, 2);
  EXPECT_EQ(dead.back().delivery.last_error, "http_status: the endpoint answered 500");
  EXPECT_EQ(receiver_.received.size(), 12u);

  receiver_.status = 200;
  const std::int64_t oldest = dead.back().delivery.id;
  Result<WebhookDeliveryView> retried =
      webhooks_.RetryDelivery(Caller::System("test"), "kcell", oldest);
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->delivery.state, WebhookDeliveryState::kPending);
  RunJobs();
  ASSERT_EQ(receiver_.received.size(), 13u);
  EXPECT_EQ(receiver_.received.back().headers.at("Simexit-Event-Id"), dead.back().event_id);
  EXPECT_EQ(Deliveries(WebhookDeliveryState::kDead).size(), 5u);
  EXPECT_THAT(webhooks_.RetryDelivery(Caller::System("test"), "kcell", oldest),
              IsError(ErrorCode::kFailedPrecondition, "delivery_not_dead"));
  EXPECT_THAT(webhooks_.RetryDelivery(Caller::System("test"), "beeline", oldest),
              IsError(ErrorCode::kNotFound, "webhook_delivery_not_found"));
}

TEST_F(EventsTest, FiltersRemovalAndOtherOperatorsDecideWhoGetsWhat) {
  CreatedWebhook releases =
      Register("kcell", "http://127.0.0.1:9000/numbers", {std::string(kNumberReleased)});
  CreatedWebhook removed = Register("kcell", "http://127.0.0.1:9000/gone");
  Register("beeline", "http://127.0.0.1:9000/beeline");
  ASSERT_TRUE(webhooks_.Remove(Caller::System("test"), "kcell", removed.endpoint.id));
  Caller holder = SignIn("+77011234567");
  ASSERT_TRUE(terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt));
  RunJobs();
  EXPECT_TRUE(receiver_.received.empty());  // no release yet; the others want nothing of kcell
  clock_.Advance(181 * kSecondsPerDay);
  RunJobs();
  ASSERT_EQ(receiver_.received.size(), 1u);
  EXPECT_EQ(receiver_.received[0].url, "http://127.0.0.1:9000/numbers");
  boost::json::object body = Body(receiver_.received[0]);
  EXPECT_EQ(body.at("type"), "kz.simexit.number.released");
  EXPECT_EQ(body.at("subject"), "+77011234567");
  EXPECT_THAT(webhooks_.Remove(Caller::System("test"), "kcell", removed.endpoint.id),
              IsError(ErrorCode::kNotFound, "webhook_not_found"));
  EXPECT_THAT(webhooks_.Remove(Caller::System("test"), "beeline", releases.endpoint.id),
              IsError(ErrorCode::kNotFound, "webhook_not_found"));
}

TEST_F(EventsTest, RegisteringRefusesHttpsSelfUnknownTypesAndOtherOperators) {
  const Caller cli = Caller::System("test");
  EXPECT_EQ(RegisterError(cli, "kcell", "https://crm.example/hook").problem_code,
            "webhook_tls_unsupported");
  EXPECT_EQ(RegisterError(cli, "kcell", "http://127.0.0.1:8080/v1/x").problem_code,
            "webhook_points_at_self");
  EXPECT_EQ(RegisterError(cli, "kcell", "http://localhost:8080/").problem_code,
            "webhook_points_at_self");
  Error unknown = RegisterError(cli, "kcell", "http://127.0.0.1:9000/", {"kz.simexit.nope"});
  EXPECT_EQ(unknown.problem_code, "unknown_event_type");
  EXPECT_EQ(unknown.field, "event_types");
  EXPECT_EQ(RegisterError(cli, "kcell", "http://127.0.0.1:9000/",
                          {std::string(kReviewDecided), std::string(kReviewDecided)})
                .problem_code,
            "unknown_event_type");
  const Caller beeline_admin = Caller::Staff(9, beeline_id_, StaffRole::kOperatorAdmin);
  EXPECT_EQ(RegisterError(beeline_admin, "kcell", "http://127.0.0.1:9000/").problem_code,
            "operator_not_found");
  const Caller kcell_agent = Caller::Staff(10, kcell_id_, StaffRole::kAgentStore);
  EXPECT_EQ(RegisterError(kcell_agent, "kcell", "http://127.0.0.1:9000/").problem_code,
            "insufficient_role");
  EXPECT_TRUE(webhooks_.List(cli, "kcell")->empty());
  // Another port on this host is another service: allowed.
  EXPECT_EQ(Register("kcell", "http://127.0.0.1:8081/").endpoint.url, "http://127.0.0.1:8081/");
}

}  // namespace
}  // namespace simexit
