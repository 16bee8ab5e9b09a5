#pragma once
// Ledger: double-entry postings for the money that moves when a line closes.
//
// Sign convention: an entry's amount is positive for a debit and negative for
// a credit, so every balanced posting sums to zero, and so does the whole ledger.
//   - line:<id>:main, line:<id>:bonus: the holder's prepaid balances. They are
//     liabilities of the operator to the holder, so they carry CREDIT
//     (negative) balances while money is held.
//   - line:<id>:charges: the holder's unpaid charges, a receivable (asset) of
//     the operator: a DEBIT (positive) balance while money is owed.
//   - operator:<id>:<name>: the operator's side.
//       prepaid          (debit)  counterpart of the balances brought in
//       charges          (credit) counterpart of the charges brought in (revenue)
//       fees             (credit) termination fees earned
//       forfeited        (credit) balances the operator keeps (bonus, main below minimum)
//       refunds_payable  (credit) owed back to the holder, paid out by the operator
//       payments         (debit)  money received from the holder to clear a debt
//
// Life of a line's money: OpeningBalancePosting when the line enters simexit,
// SettlementPosting with the quote, then PaymentPosting for the amount due (if
// any). After all three, the line's main, bonus and charges accounts are zero.
// Postings leave out zero-amount entries (a posting may have no entries).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/domain/money.hpp"
#include "simexit/domain/settlement.hpp"

namespace simexit {

struct LedgerEntry {
  std::string account;
  Money amount;  // positive = debit, negative = credit

  friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

struct Posting {
  std::string kind;  // "opening_balance", "settlement" or "payment"
  std::vector<LedgerEntry> entries;

  // True when debits equal credits (Total() is zero).
  bool Balanced() const;
  // The sum of all entries.
  Money Total() const;

  bool operator==(const Posting&) const = default;
};

// Posting kinds.
inline constexpr const char* kOpeningBalancePosting = "opening_balance";
inline constexpr const char* kSettlementPosting = "settlement";
inline constexpr const char* kPaymentPosting = "payment";

// Operator account names (the <name> in operator:<id>:<name>).
inline constexpr std::string_view kFeesAccount = "fees";
inline constexpr std::string_view kChargesAccount = "charges";
inline constexpr std::string_view kForfeitedAccount = "forfeited";
inline constexpr std::string_view kRefundsPayableAccount = "refunds_payable";
inline constexpr std::string_view kPrepaidAccount = "prepaid";
inline constexpr std::string_view kPaymentsAccount = "payments";

// "line:<id>:main"
std::string LineMainAccount(std::int64_t line_id);
// "line:<id>:bonus"
std::string LineBonusAccount(std::int64_t line_id);
// "line:<id>:charges"
std::string LineChargesAccount(std::int64_t line_id);
// "operator:<id>:<name>", name one of the k*Account constants above.
std::string OperatorAccount(std::int64_t operator_id, std::string_view name);

// Records a line's balances on entry:
//   Cr line:main (main), Cr line:bonus (bonus), Dr operator:prepaid (main + bonus),
//   Dr line:charges (outstanding), Cr operator:charges (outstanding).
// Negative balances are a broken invariant (asserted).
Posting OpeningBalancePosting(std::int64_t line_id, std::int64_t operator_id,
                              const LineBalances& balances);

// Settles the line according to `quote` (made from the same balances):
//   Dr line:charges / Cr operator:fees                 fee
//   Dr line:main    / Cr line:charges                  applied_from_balance
//   Dr line:main    / Cr operator:refunds_payable      refund
//   Dr line:main    / Cr operator:forfeited            forfeited_main
//   Dr line:bonus   / Cr operator:forfeited            forfeited_bonus
// Afterwards line:main and line:bonus are zero and line:charges holds amount_due.
Posting SettlementPosting(std::int64_t line_id, std::int64_t operator_id,
                          const SettlementQuote& quote);

// The holder paid `amount` (normally the quote's amount_due):
//   Dr operator:payments / Cr line:charges.
// A negative amount is a broken invariant (asserted).
Posting PaymentPosting(std::int64_t line_id, std::int64_t operator_id, Money amount);

// The balance of every account that appears in `postings` (accounts that net
// to zero are kept, with a zero balance).
std::map<std::string, Money> Balances(const std::vector<Posting>& postings);

}  // namespace simexit
