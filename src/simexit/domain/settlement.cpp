#include "simexit/domain/settlement.hpp"

#include <cassert>

namespace simexit {

boost::json::object SettlementQuote::ToJson() const {
  boost::json::object out;
  out["outstanding_charges"] = outstanding_charges.ToDecimalString();
  out["fee"] = fee.ToDecimalString();
  out["main_balance"] = main_balance.ToDecimalString();
  out["bonus_balance"] = bonus_balance.ToDecimalString();
  out["applied_from_balance"] = applied_from_balance.ToDecimalString();
  out["amount_due"] = amount_due.ToDecimalString();
  out["refund"] = refund.ToDecimalString();
  out["forfeited_main"] = forfeited_main.ToDecimalString();
  out["forfeited_bonus"] = forfeited_bonus.ToDecimalString();
  out["refund_below_minimum"] = refund_below_minimum;
  out["currency"] = kCurrency;
  return out;
}

SettlementQuote QuoteSettlement(const LineBalances& balances, const Policy& policy,
                                Channel channel) {
  const Money fee = policy.FeeFor(channel);
  assert(!balances.main_balance.IsNegative());
  assert(!balances.bonus_balance.IsNegative());
  assert(!balances.outstanding_charges.IsNegative());
  assert(!fee.IsNegative());
  assert(!policy.minimum_refund.IsNegative());

  SettlementQuote quote;
  quote.outstanding_charges = balances.outstanding_charges;
  quote.fee = fee;
  quote.main_balance = balances.main_balance;
  quote.bonus_balance = balances.bonus_balance;

  const Money charges_total = balances.outstanding_charges + fee;
  quote.applied_from_balance = Min(balances.main_balance, charges_total);
  quote.amount_due = charges_total - quote.applied_from_balance;
  const Money remaining = balances.main_balance - quote.applied_from_balance;
  quote.refund =
      remaining.IsPositive() && remaining >= policy.minimum_refund ? remaining : Money::Zero();
  quote.forfeited_main = remaining - quote.refund;
  quote.forfeited_bonus = balances.bonus_balance;
  quote.refund_below_minimum = quote.forfeited_main.IsPositive();
  return quote;
}

}  // namespace simexit
