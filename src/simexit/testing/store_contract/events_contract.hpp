#pragma once
// Store contract: EventOutboxRepository and WebhookEndpointRepository: the
// event outbox, webhook endpoints and their deliveries.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {
namespace events_contract {

inline OutboxEventRecord SampleEvent(std::int64_t operator_id, const std::string& key,
                                     UnixSeconds time) {
  OutboxEventRecord e;
  e.operator_id = operator_id;
  e.type = "kz.simexit.termination.state_changed";
  e.source = "/simexit/operators/kcell";
  e.subject = key;
  e.ordering_key = key;
  e.data = R"({"termination_id":")" + key + R"("})";
  e.time = time;
  return e;
}

inline WebhookEndpointRecord SampleEndpoint(std::int64_t operator_id, const std::string& url) {
  WebhookEndpointRecord w;
  w.operator_id = operator_id;
  w.url = url;
  w.event_types = {"kz.simexit.termination.state_changed", "kz.simexit.number.released"};
  w.secret = "whsec_0123456789abcdef";
  w.created_by = "staff:7";
  w.created_at = 1'700'000'000;
  return w;
}

inline WebhookDeliveryRecord SampleDelivery(const OutboxEventRecord& e, std::int64_t endpoint_id) {
  WebhookDeliveryRecord d;
  d.event_id = e.id;
  d.endpoint_id = endpoint_id;
  d.operator_id = e.operator_id;
  d.ordering_key = e.ordering_key;
  d.next_attempt_at = e.time;
  d.created_at = e.time;
  d.updated_at = e.time;
  return d;
}

}  // namespace events_contract

TEST_P(StoreContractTest, OutboxEventsAreAppendedWithGrowingIdsAndListedAfterAnId) {
  using namespace events_contract;
  LineRecord line = SeedLine();
  OutboxEventRecord a = SampleEvent(line.operator_id, "trm_a", 100);
  a.id = Tx([&](StoreTx& tx) { return tx.AppendOutboxEvent(a); });
  OutboxEventRecord b = SampleEvent(line.operator_id, "trm_b", 101);
  b.ordering_key = "";
  b.id = Tx([&](StoreTx& tx) { return tx.AppendOutboxEvent(b); });
  EXPECT_GT(b.id, a.id);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetOutboxEvent(a.id); }), a);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListOutboxEvents(line.operator_id, 0, 10); }),
            (std::vector<OutboxEventRecord>{a, b}));
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListOutboxEvents(std::nullopt, a.id, 10); }),
            (std::vector<OutboxEventRecord>{b}));
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListOutboxEvents(std::nullopt, 0, 1); }),
            (std::vector<OutboxEventRecord>{a}));
  EXPECT_TRUE(
      Tx([&](StoreTx& tx) { return tx.ListOutboxEvents(line.operator_id + 1, 0, 10); }).empty());
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetOutboxEvent(999); }).problem_code,
            "event_not_found");
}

TEST_P(StoreContractTest, WebhookEndpointsRoundTripAndRemovedOnesAreNotListed) {
  using namespace events_contract;
  LineRecord line = SeedLine();
  WebhookEndpointRecord a = SampleEndpoint(line.operator_id, "http://127.0.0.1:9000/hook");
  a.id = Tx([&](StoreTx& tx) { return tx.InsertWebhookEndpoint(a); });
  WebhookEndpointRecord b = SampleEndpoint(line.operator_id, "http://crm.example/events");
  b.event_types = {};
  b.id = Tx([&](StoreTx& tx) { return tx.InsertWebhookEndpoint(b); });
  EXPECT_GT(b.id, a.id);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetWebhookEndpoint(b.id); }), b);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListWebhookEndpoints(line.operator_id); }),
            (std::vector<WebhookEndpointRecord>{a, b}));
  EXPECT_TRUE(
      Tx([&](StoreTx& tx) { return tx.ListWebhookEndpoints(line.operator_id + 1); }).empty());

  TxDo([&](StoreTx& tx) { return tx.RemoveWebhookEndpoint(a.id, 1'700'000'500); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListWebhookEndpoints(std::nullopt); }),
            (std::vector<WebhookEndpointRecord>{b}));
  // Still readable (its deliveries name it), with the time it went.
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetWebhookEndpoint(a.id); }).removed_at,
            std::optional<UnixSeconds>(1'700'000'500));
  EXPECT_EQ(TxDoError([&](StoreTx& tx) {
              return tx.RemoveWebhookEndpoint(a.id, 1'700'000'900);
            }).problem_code,
            "webhook_not_found");
  EXPECT_EQ(TxDoError([](StoreTx& tx) { return tx.RemoveWebhookEndpoint(999, 1); }).problem_code,
            "webhook_not_found");
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetWebhookEndpoint(999); }).problem_code,
            "webhook_not_found");
}

TEST_P(StoreContractTest, WebhookDeliveriesRoundTripFilterAndFindTheNextOfAChain) {
  using namespace events_contract;
  LineRecord line = SeedLine();
  const std::int64_t op = line.operator_id;
  const std::int64_t hook = Tx([&](StoreTx& tx) {
    return tx.InsertWebhookEndpoint(SampleEndpoint(op, "http://127.0.0.1:9000/a"));
  });
  const std::int64_t other = Tx([&](StoreTx& tx) {
    return tx.InsertWebhookEndpoint(SampleEndpoint(op, "http://127.0.0.1:9000/b"));
  });
  std::vector<OutboxEventRecord> events;
  for (const char* key : {"trm_a", "trm_b", "trm_a"}) {
    OutboxEventRecord e = SampleEvent(op, key, 200 + static_cast<int>(events.size()));
    e.id = Tx([&](StoreTx& tx) { return tx.AppendOutboxEvent(e); });
    events.push_back(e);
  }
  std::vector<WebhookDeliveryRecord> d;
  for (const OutboxEventRecord& e : events) {
    WebhookDeliveryRecord r = SampleDelivery(e, hook);
    r.id = Tx([&](StoreTx& tx) { return tx.InsertWebhookDelivery(r); });
    d.push_back(r);
  }
  WebhookDeliveryRecord elsewhere = SampleDelivery(events[0], other);
  elsewhere.id = Tx([&](StoreTx& tx) { return tx.InsertWebhookDelivery(elsewhere); });

  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetWebhookDelivery(d[1].id); }), d[1]);
  EXPECT_EQ(TxError([&](StoreTx& tx) {
              return tx.InsertWebhookDelivery(SampleDelivery(events[0], hook));
            }).problem_code,
            "duplicate");

  // The chain of trm_a on `hook`: its first pending delivery goes next.
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FirstPendingWebhookDelivery(hook, "trm_a"); }), d[0]);
  d[0].state = WebhookDeliveryState::kDelivered;
  d[0].attempts = 2;
  d[0].last_error = "";
  d[0].updated_at = 300;
  d[0].delivered_at = 300;
  TxDo([&](StoreTx& tx) { return tx.UpdateWebhookDelivery(d[0]); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetWebhookDelivery(d[0].id); }), d[0]);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FirstPendingWebhookDelivery(hook, "trm_a"); }), d[2]);
  d[2].state = WebhookDeliveryState::kDead;
  d[2].attempts = 12;
  d[2].next_attempt_at = 900;
  d[2].last_error = "http_status: 500";
  d[2].updated_at = 900;
  TxDo([&](StoreTx& tx) { return tx.UpdateWebhookDelivery(d[2]); });
  EXPECT_FALSE(
      Tx([&](StoreTx& tx) { return tx.FirstPendingWebhookDelivery(hook, "trm_a"); }).has_value());
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FirstPendingWebhookDelivery(other, "trm_a"); }),
            elsewhere);

  WebhookDeliveryFilter dead;
  dead.state = WebhookDeliveryState::kDead;
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListWebhookDeliveries(dead); }),
            (std::vector<WebhookDeliveryRecord>{d[2]}));
  WebhookDeliveryFilter of_hook;
  of_hook.endpoint_id = hook;
  of_hook.operator_id = op;
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListWebhookDeliveries(of_hook); }),
            (std::vector<WebhookDeliveryRecord>{d[2], d[1], d[0]}));
  of_hook.limit = 1;
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListWebhookDeliveries(of_hook); }),
            (std::vector<WebhookDeliveryRecord>{d[2]}));
  WebhookDeliveryFilter other_operator;
  other_operator.operator_id = op + 1;
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListWebhookDeliveries(other_operator); }).empty());

  WebhookDeliveryRecord missing = d[1];
  missing.id = 999;
  EXPECT_EQ(TxDoError([&](StoreTx& tx) { return tx.UpdateWebhookDelivery(missing); }).problem_code,
            "webhook_delivery_not_found");
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetWebhookDelivery(999); }).problem_code,
            "webhook_delivery_not_found");
}

}  // namespace simexit::testing
