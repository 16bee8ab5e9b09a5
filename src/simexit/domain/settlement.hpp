#pragma once
// Settlement: what happens to a line's money when it is closed.
//
// QuoteSettlement is a pure function of the line's balances and the operator's
// policy. Rules, in order:
//   charges_total  = outstanding_charges + policy.FeeFor(channel)
//   applied        = min(main_balance, charges_total)   // balance pays charges first
//   amount_due     = charges_total - applied             // holder still owes this
//   remaining      = main_balance - applied
//   refund         = remaining if remaining > 0 and remaining >= policy.minimum_refund, else 0
//   forfeited_main = remaining - refund                  // too small to refund; operator keeps it
//   forfeited_bonus = bonus_balance                      // bonus is never refunded
// Conservation (always holds):
//   main + bonus + amount_due == outstanding + fee + refund + forfeited_main + forfeited_bonus

#include <boost/json/object.hpp>

#include "simexit/domain/money.hpp"
#include "simexit/domain/policy.hpp"

namespace simexit {

// A line's balances as reported by the operator's billing. None is negative:
// a debt is an outstanding charge, never a negative main balance.
struct LineBalances {
  Money main_balance;
  Money bonus_balance;
  Money outstanding_charges;

  friend bool operator==(const LineBalances&, const LineBalances&) = default;
};

struct SettlementQuote {
  Money outstanding_charges;
  Money fee;
  Money main_balance;
  Money bonus_balance;
  Money applied_from_balance;         // main balance used to pay charges + fee
  Money amount_due;                   // what the holder still has to pay (>= 0)
  Money refund;                       // paid back to the holder (>= 0)
  Money forfeited_main;               // main left below policy.minimum_refund, kept by the operator
  Money forfeited_bonus;              // bonus balance is never refunded
  bool refund_below_minimum = false;  // true when forfeited_main > 0

  // Every amount as a decimal string ("1500.50") under the field's name, plus
  // "refund_below_minimum" (bool) and "currency": "KZT".
  boost::json::object ToJson() const;

  friend bool operator==(const SettlementQuote&, const SettlementQuote&) = default;
};

// Applies the rules above for a request through `channel` (the fee depends on
// it). Negative balances, a negative fee or a negative minimum_refund are
// broken invariants (asserted): parse and validate first.
SettlementQuote QuoteSettlement(const LineBalances& balances, const Policy& policy,
                                Channel channel);

}  // namespace simexit
