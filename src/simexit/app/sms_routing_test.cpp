#include "simexit/app/sms_routing.hpp"

#include <gtest/gtest.h>

#include "simexit/testing/fakes.hpp"

namespace simexit::app {
namespace {

TEST(SmsRoutingTest, SendsThroughTheOperatorsGatewayOrTheFallback) {
  auto kcell = std::make_unique<testing::MemorySmsGateway>();
  auto fallback = std::make_unique<testing::MemorySmsGateway>();
  testing::MemorySmsGateway* kcell_ptr = kcell.get();
  testing::MemorySmsGateway* fallback_ptr = fallback.get();
  std::map<std::string, std::unique_ptr<SmsGateway>> routes;
  routes["kcell"] = std::move(kcell);
  SmsRouting routing(std::move(routes), std::move(fallback));

  SmsMessage to_kcell;
  to_kcell.recipient = "+77011234567";
  to_kcell.operator_code = "kcell";
  to_kcell.text = "a";
  ASSERT_TRUE(routing.Send(to_kcell));
  SmsMessage to_beeline = to_kcell;
  to_beeline.operator_code = "beeline";
  ASSERT_TRUE(routing.Send(to_beeline));
  EXPECT_EQ(kcell_ptr->sent().size(), 1u);
  EXPECT_EQ(fallback_ptr->sent().size(), 1u);
  EXPECT_EQ(routing.Describe(),
            "kcell: in-memory test gateway; other operators: in-memory test gateway");
}

}  // namespace
}  // namespace simexit::app
