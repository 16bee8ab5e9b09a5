#include "simexit/domain/ledger.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace simexit {
namespace {

constexpr std::int64_t kLine = 42;
constexpr std::int64_t kOperator = 7;

Money T(std::int64_t tiyn) { return Money::Tiyn(tiyn); }

Money BalanceOf(const std::map<std::string, Money>& balances, const std::string& account) {
  auto it = balances.find(account);
  return it == balances.end() ? Money::Zero() : it->second;
}

Money Sum(const std::map<std::string, Money>& balances) {
  Money total;
  for (const auto& [account, amount] : balances) {
    total += amount;
  }
  return total;
}

TEST(LedgerAccountTest, NamesFollowTheScheme) {
  EXPECT_EQ(LineMainAccount(42), "line:42:main");
  EXPECT_EQ(LineBonusAccount(42), "line:42:bonus");
  EXPECT_EQ(LineChargesAccount(42), "line:42:charges");
  EXPECT_EQ(OperatorAccount(7, kFeesAccount), "operator:7:fees");
  EXPECT_EQ(OperatorAccount(7, kChargesAccount), "operator:7:charges");
  EXPECT_EQ(OperatorAccount(7, kForfeitedAccount), "operator:7:forfeited");
  EXPECT_EQ(OperatorAccount(7, kRefundsPayableAccount), "operator:7:refunds_payable");
  EXPECT_EQ(OperatorAccount(7, kPrepaidAccount), "operator:7:prepaid");
  EXPECT_EQ(OperatorAccount(7, kPaymentsAccount), "operator:7:payments");
}

TEST(LedgerPostingTest, TotalAndBalanced) {
  Posting posting{"test", {{"a", T(500)}, {"b", T(-300)}}};
  EXPECT_EQ(posting.Total(), T(200));
  EXPECT_FALSE(posting.Balanced());
  posting.entries.push_back({"c", T(-200)});
  EXPECT_EQ(posting.Total(), T(0));
  EXPECT_TRUE(posting.Balanced());
  EXPECT_TRUE(Posting{}.Balanced());
}

TEST(LedgerPostingTest, OpeningBalanceCreditsHolderBalancesAndDebitsCharges) {
  Posting opening = OpeningBalancePosting(kLine, kOperator, {T(150000), T(2000), T(30000)});
  EXPECT_EQ(opening.kind, "opening_balance");
  EXPECT_TRUE(opening.Balanced());
  auto balances = Balances({opening});
  EXPECT_EQ(BalanceOf(balances, "line:42:main"), T(-150000));
  EXPECT_EQ(BalanceOf(balances, "line:42:bonus"), T(-2000));
  EXPECT_EQ(BalanceOf(balances, "line:42:charges"), T(30000));
  EXPECT_EQ(BalanceOf(balances, "operator:7:prepaid"), T(152000));
  EXPECT_EQ(BalanceOf(balances, "operator:7:charges"), T(-30000));
}

TEST(LedgerPostingTest, ZeroAmountsProduceNoEntries) {
  EXPECT_TRUE(OpeningBalancePosting(kLine, kOperator, {}).entries.empty());
  EXPECT_TRUE(PaymentPosting(kLine, kOperator, T(0)).entries.empty());
  Posting opening = OpeningBalancePosting(kLine, kOperator, {T(100), T(0), T(0)});
  EXPECT_EQ(opening.entries,
            (std::vector<LedgerEntry>{{"operator:7:prepaid", T(100)}, {"line:42:main", T(-100)}}));
}

TEST(LedgerPostingTest, SettlementWithRefundAndForfeitedBonus) {
  Policy policy;
  policy.termination_fee = T(1000);
  const LineBalances in{T(150000), T(2000), T(30000)};
  SettlementQuote quote = QuoteSettlement(in, policy, Channel::kOnline);
  Posting settlement = SettlementPosting(kLine, kOperator, quote);
  EXPECT_EQ(settlement.kind, "settlement");
  EXPECT_TRUE(settlement.Balanced());
  auto balances = Balances({OpeningBalancePosting(kLine, kOperator, in), settlement});
  EXPECT_EQ(BalanceOf(balances, "line:42:main"), T(0));
  EXPECT_EQ(BalanceOf(balances, "line:42:bonus"), T(0));
  EXPECT_EQ(BalanceOf(balances, "line:42:charges"), T(0));
  EXPECT_EQ(BalanceOf(balances, "operator:7:fees"), T(-1000));
  EXPECT_EQ(BalanceOf(balances, "operator:7:refunds_payable"), T(-119000));
  EXPECT_EQ(BalanceOf(balances, "operator:7:forfeited"), T(-2000));
  EXPECT_EQ(Sum(balances), T(0));
}

TEST(LedgerPostingTest, DebtStaysOnChargesUntilPaid) {
  Policy policy;
  policy.termination_fee = T(500);
  const LineBalances in{T(1000), T(0), T(4000)};
  SettlementQuote quote = QuoteSettlement(in, policy, Channel::kOnline);
  ASSERT_EQ(quote.amount_due, T(3500));
  std::vector<Posting> postings = {OpeningBalancePosting(kLine, kOperator, in),
                                   SettlementPosting(kLine, kOperator, quote)};
  EXPECT_EQ(BalanceOf(Balances(postings), "line:42:charges"), T(3500));
  EXPECT_EQ(BalanceOf(Balances(postings), "line:42:main"), T(0));

  Posting payment = PaymentPosting(kLine, kOperator, quote.amount_due);
  EXPECT_EQ(payment.kind, "payment");
  EXPECT_TRUE(payment.Balanced());
  postings.push_back(payment);
  auto balances = Balances(postings);
  EXPECT_EQ(BalanceOf(balances, "line:42:charges"), T(0));
  EXPECT_EQ(BalanceOf(balances, "operator:7:payments"), T(3500));
  EXPECT_EQ(Sum(balances), T(0));
}

TEST(LedgerPostingTest, ManyBalanceCombinationsCloseTheLineAccounts) {
  const std::int64_t amounts[] = {0, 1, 99, 9999, 10000, 10001, 250000};
  const std::int64_t fees[] = {0, 1, 10000};
  const std::int64_t minimums[] = {0, 10000};
  int cases = 0;
  for (std::int64_t main : amounts) {
    for (std::int64_t bonus : {std::int64_t{0}, std::int64_t{777}}) {
      for (std::int64_t charges : amounts) {
        for (std::int64_t fee : fees) {
          for (std::int64_t minimum : minimums) {
            SCOPED_TRACE(testing::Message() << "main=" << main << " bonus=" << bonus << " charges="
                                            << charges << " fee=" << fee << " minimum=" << minimum);
            Policy policy;
            policy.termination_fee = T(fee);
            policy.minimum_refund = T(minimum);
            const LineBalances in{T(main), T(bonus), T(charges)};
            const SettlementQuote quote = QuoteSettlement(in, policy, Channel::kOnline);
            std::vector<Posting> postings = {OpeningBalancePosting(kLine, kOperator, in),
                                             SettlementPosting(kLine, kOperator, quote)};
            if (quote.amount_due.IsPositive()) {
              postings.push_back(PaymentPosting(kLine, kOperator, quote.amount_due));
            }
            for (const Posting& posting : postings) {
              EXPECT_TRUE(posting.Balanced()) << posting.kind;
            }
            const auto balances = Balances(postings);
            EXPECT_EQ(BalanceOf(balances, LineMainAccount(kLine)), T(0));
            EXPECT_EQ(BalanceOf(balances, LineBonusAccount(kLine)), T(0));
            EXPECT_EQ(BalanceOf(balances, LineChargesAccount(kLine)), T(0));
            EXPECT_EQ(Sum(balances), T(0));
            // Where the money went matches the quote.
            EXPECT_EQ(BalanceOf(balances, OperatorAccount(kOperator, kFeesAccount)), -T(fee));
            EXPECT_EQ(BalanceOf(balances, OperatorAccount(kOperator, kRefundsPayableAccount)),
                      -quote.refund);
            EXPECT_EQ(BalanceOf(balances, OperatorAccount(kOperator, kForfeitedAccount)),
                      -(quote.forfeited_main + quote.forfeited_bonus));
            EXPECT_EQ(BalanceOf(balances, OperatorAccount(kOperator, kPaymentsAccount)),
                      quote.amount_due);
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 7 * 2 * 7 * 3 * 2);
}

TEST(LedgerBalancesTest, KeepsAccountsThatNetToZero) {
  auto balances = Balances(
      {Posting{"x", {{"a", T(5)}, {"b", T(-5)}}}, Posting{"y", {{"a", T(-5)}, {"b", T(5)}}}});
  ASSERT_EQ(balances.size(), 2u);
  EXPECT_EQ(balances.at("a"), T(0));
  EXPECT_EQ(balances.at("b"), T(0));
}

}  // namespace
}  // namespace simexit
