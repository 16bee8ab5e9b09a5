#include "simexit/domain/settlement.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace simexit {
namespace {

Money T(std::int64_t tiyn) { return Money::Tiyn(tiyn); }

Policy PolicyWith(Money fee, Money minimum_refund) {
  Policy policy;
  policy.termination_fee = fee;
  policy.minimum_refund = minimum_refund;
  return policy;
}

// Conservation plus the sign and echo guarantees every quote must meet.
void ExpectInvariants(const LineBalances& in, const Policy& policy, const SettlementQuote& q) {
  EXPECT_EQ(q.main_balance + q.bonus_balance + q.amount_due,
            q.outstanding_charges + q.fee + q.refund + q.forfeited_main + q.forfeited_bonus);
  EXPECT_EQ(q.main_balance, in.main_balance);
  EXPECT_EQ(q.bonus_balance, in.bonus_balance);
  EXPECT_EQ(q.outstanding_charges, in.outstanding_charges);
  EXPECT_EQ(q.fee, policy.termination_fee);
  EXPECT_FALSE(q.amount_due.IsNegative());
  EXPECT_FALSE(q.refund.IsNegative());
  EXPECT_FALSE(q.forfeited_main.IsNegative());
  EXPECT_FALSE(q.applied_from_balance.IsNegative());
  EXPECT_EQ(q.applied_from_balance + q.refund + q.forfeited_main, q.main_balance);
  EXPECT_EQ(q.refund_below_minimum, q.forfeited_main.IsPositive());
  // A holder who owes money gets nothing back.
  if (q.amount_due.IsPositive()) {
    EXPECT_TRUE(q.refund.IsZero());
    EXPECT_TRUE(q.forfeited_main.IsZero());
  }
  if (q.refund.IsPositive()) {
    EXPECT_GE(q.refund, policy.minimum_refund);
  }
}

SettlementQuote Quote(const LineBalances& in, const Policy& policy) {
  SettlementQuote q = QuoteSettlement(in, policy, Channel::kOnline);
  ExpectInvariants(in, policy, q);
  return q;
}

TEST(SettlementTest, DebtLeavesAmountDue) {
  // 50.00 balance against 120.00 charges + 10.00 fee: 80.00 still due.
  SettlementQuote q = Quote({T(5000), T(0), T(12000)}, PolicyWith(T(1000), T(10000)));
  EXPECT_EQ(q.applied_from_balance, T(5000));
  EXPECT_EQ(q.amount_due, T(8000));
  EXPECT_EQ(q.refund, T(0));
  EXPECT_EQ(q.forfeited_main, T(0));
  EXPECT_FALSE(q.refund_below_minimum);
}

TEST(SettlementTest, BalanceExactlyCoversChargesAndFee) {
  SettlementQuote q = Quote({T(13000), T(0), T(12000)}, PolicyWith(T(1000), T(10000)));
  EXPECT_EQ(q.applied_from_balance, T(13000));
  EXPECT_EQ(q.amount_due, T(0));
  EXPECT_EQ(q.refund, T(0));
  EXPECT_EQ(q.forfeited_main, T(0));
  EXPECT_FALSE(q.refund_below_minimum);
}

TEST(SettlementTest, RemainderAboveMinimumIsRefunded) {
  SettlementQuote q = Quote({T(250000), T(0), T(30000)}, PolicyWith(T(0), T(10000)));
  EXPECT_EQ(q.applied_from_balance, T(30000));
  EXPECT_EQ(q.amount_due, T(0));
  EXPECT_EQ(q.refund, T(220000));
  EXPECT_EQ(q.forfeited_main, T(0));
  EXPECT_FALSE(q.refund_below_minimum);
}

TEST(SettlementTest, RemainderBelowMinimumIsForfeited) {
  // 99.99 left over, minimum 100.00: the operator keeps it.
  SettlementQuote q = Quote({T(10999), T(0), T(1000)}, PolicyWith(T(0), T(10000)));
  EXPECT_EQ(q.amount_due, T(0));
  EXPECT_EQ(q.refund, T(0));
  EXPECT_EQ(q.forfeited_main, T(9999));
  EXPECT_TRUE(q.refund_below_minimum);
}

TEST(SettlementTest, RemainderExactlyAtMinimumIsRefunded) {
  SettlementQuote q = Quote({T(11000), T(0), T(1000)}, PolicyWith(T(0), T(10000)));
  EXPECT_EQ(q.refund, T(10000));
  EXPECT_EQ(q.forfeited_main, T(0));
  EXPECT_FALSE(q.refund_below_minimum);
}

TEST(SettlementTest, ZeroMinimumRefundsEveryTiyn) {
  SettlementQuote q = Quote({T(1), T(0), T(0)}, PolicyWith(T(0), T(0)));
  EXPECT_EQ(q.refund, T(1));
  EXPECT_FALSE(q.refund_below_minimum);
}

TEST(SettlementTest, BonusOnlyIsForfeitedNeverRefunded) {
  SettlementQuote q = Quote({T(0), T(500000), T(0)}, PolicyWith(T(0), T(10000)));
  EXPECT_EQ(q.applied_from_balance, T(0));
  EXPECT_EQ(q.amount_due, T(0));
  EXPECT_EQ(q.refund, T(0));
  EXPECT_EQ(q.forfeited_main, T(0));
  EXPECT_EQ(q.forfeited_bonus, T(500000));
  EXPECT_FALSE(q.refund_below_minimum);
}

TEST(SettlementTest, BonusDoesNotPayCharges) {
  SettlementQuote q = Quote({T(0), T(500000), T(2000)}, PolicyWith(T(0), T(10000)));
  EXPECT_EQ(q.amount_due, T(2000));
  EXPECT_EQ(q.forfeited_bonus, T(500000));
}

TEST(SettlementTest, FeeOnlyIsDueWhenThereIsNoBalance) {
  SettlementQuote q = Quote({T(0), T(0), T(0)}, PolicyWith(T(50000), T(10000)));
  EXPECT_EQ(q.applied_from_balance, T(0));
  EXPECT_EQ(q.amount_due, T(50000));
  EXPECT_EQ(q.refund, T(0));
}

TEST(SettlementTest, FeeIsTakenFromBalanceBeforeRefund) {
  SettlementQuote q = Quote({T(100000), T(0), T(0)}, PolicyWith(T(50000), T(10000)));
  EXPECT_EQ(q.applied_from_balance, T(50000));
  EXPECT_EQ(q.amount_due, T(0));
  EXPECT_EQ(q.refund, T(50000));
}

TEST(SettlementTest, EverythingZero) {
  SettlementQuote q = Quote({T(0), T(0), T(0)}, PolicyWith(T(0), T(10000)));
  EXPECT_EQ(q, SettlementQuote{});
}

TEST(SettlementTest, InvariantsHoldExhaustivelyOnSmallAmounts) {
  for (std::int64_t minimum = 0; minimum <= 4; ++minimum) {
    for (std::int64_t fee = 0; fee <= 3; ++fee) {
      const Policy policy = PolicyWith(T(fee), T(minimum));
      for (std::int64_t main = 0; main <= 8; ++main) {
        for (std::int64_t bonus = 0; bonus <= 2; ++bonus) {
          for (std::int64_t charges = 0; charges <= 5; ++charges) {
            SCOPED_TRACE(testing::Message() << "main=" << main << " bonus=" << bonus << " charges="
                                            << charges << " fee=" << fee << " minimum=" << minimum);
            SettlementQuote q = Quote({T(main), T(bonus), T(charges)}, policy);
            const std::int64_t remaining = main - charges - fee;
            EXPECT_EQ(q.amount_due, T(remaining < 0 ? -remaining : 0));
            const bool refunded = remaining > 0 && remaining >= minimum;
            EXPECT_EQ(q.refund, T(refunded ? remaining : 0));
          }
        }
      }
    }
  }
}

TEST(SettlementTest, ToJsonHasDecimalStringsAndCurrency) {
  SettlementQuote q = Quote({T(10999), T(300), T(1000)}, PolicyWith(T(0), T(10000)));
  boost::json::object json = q.ToJson();
  EXPECT_EQ(json.at("main_balance").as_string(), "109.99");
  EXPECT_EQ(json.at("bonus_balance").as_string(), "3.00");
  EXPECT_EQ(json.at("outstanding_charges").as_string(), "10.00");
  EXPECT_EQ(json.at("fee").as_string(), "0.00");
  EXPECT_EQ(json.at("applied_from_balance").as_string(), "10.00");
  EXPECT_EQ(json.at("amount_due").as_string(), "0.00");
  EXPECT_EQ(json.at("refund").as_string(), "0.00");
  EXPECT_EQ(json.at("forfeited_main").as_string(), "99.99");
  EXPECT_EQ(json.at("forfeited_bonus").as_string(), "3.00");
  EXPECT_EQ(json.at("refund_below_minimum").as_bool(), true);
  EXPECT_EQ(json.at("currency").as_string(), "KZT");
  EXPECT_EQ(json.size(), 11u);
}

TEST(SettlementTest, ChannelFeeReplacesTheGeneralFee) {
  Policy policy = PolicyWith(T(1000), T(10000));
  policy.channel_fees[Channel::kStore] = T(50000);
  const LineBalances in{T(100000), T(0), T(0)};
  EXPECT_EQ(QuoteSettlement(in, policy, Channel::kStore).fee, T(50000));
  EXPECT_EQ(QuoteSettlement(in, policy, Channel::kStore).refund, T(50000));
  EXPECT_EQ(QuoteSettlement(in, policy, Channel::kOnline).fee, T(1000));
  EXPECT_EQ(QuoteSettlement(in, policy, Channel::kMail).fee, T(1000));
}

}  // namespace
}  // namespace simexit
