#include "simexit/domain/ledger.hpp"

#include <cassert>
#include <utility>

namespace simexit {
namespace {

std::string LineAccount(std::int64_t line_id, const char* name) {
  return "line:" + std::to_string(line_id) + ":" + name;
}

// Appends a debit to `debit` and the matching credit to `credit`, unless zero.
void Transfer(Posting& posting, std::string debit, std::string credit, Money amount) {
  assert(!amount.IsNegative());
  if (amount.IsZero()) {
    return;
  }
  posting.entries.push_back({std::move(debit), amount});
  posting.entries.push_back({std::move(credit), -amount});
}

}  // namespace

bool Posting::Balanced() const { return Total().IsZero(); }

Money Posting::Total() const {
  Money total;
  for (const LedgerEntry& entry : entries) {
    total += entry.amount;
  }
  return total;
}

std::string LineMainAccount(std::int64_t line_id) { return LineAccount(line_id, "main"); }

std::string LineBonusAccount(std::int64_t line_id) { return LineAccount(line_id, "bonus"); }

std::string LineChargesAccount(std::int64_t line_id) { return LineAccount(line_id, "charges"); }

std::string OperatorAccount(std::int64_t operator_id, std::string_view name) {
  return "operator:" + std::to_string(operator_id) + ":" + std::string(name);
}

Posting OpeningBalancePosting(std::int64_t line_id, std::int64_t operator_id,
                              const LineBalances& balances) {
  Posting posting{kOpeningBalancePosting, {}};
  const std::string prepaid = OperatorAccount(operator_id, kPrepaidAccount);
  Transfer(posting, prepaid, LineMainAccount(line_id), balances.main_balance);
  Transfer(posting, prepaid, LineBonusAccount(line_id), balances.bonus_balance);
  Transfer(posting, LineChargesAccount(line_id), OperatorAccount(operator_id, kChargesAccount),
           balances.outstanding_charges);
  assert(posting.Balanced());
  return posting;
}

Posting SettlementPosting(std::int64_t line_id, std::int64_t operator_id,
                          const SettlementQuote& quote) {
  Posting posting{kSettlementPosting, {}};
  const std::string main = LineMainAccount(line_id);
  const std::string charges = LineChargesAccount(line_id);
  const std::string forfeited = OperatorAccount(operator_id, kForfeitedAccount);
  Transfer(posting, charges, OperatorAccount(operator_id, kFeesAccount), quote.fee);
  Transfer(posting, main, charges, quote.applied_from_balance);
  Transfer(posting, main, OperatorAccount(operator_id, kRefundsPayableAccount), quote.refund);
  Transfer(posting, main, forfeited, quote.forfeited_main);
  Transfer(posting, LineBonusAccount(line_id), forfeited, quote.forfeited_bonus);
  assert(posting.Balanced());
  return posting;
}

Posting PaymentPosting(std::int64_t line_id, std::int64_t operator_id, Money amount) {
  Posting posting{kPaymentPosting, {}};
  Transfer(posting, OperatorAccount(operator_id, kPaymentsAccount), LineChargesAccount(line_id),
           amount);
  return posting;
}

std::map<std::string, Money> Balances(const std::vector<Posting>& postings) {
  std::map<std::string, Money> balances;
  for (const Posting& posting : postings) {
    for (const LedgerEntry& entry : posting.entries) {
      balances[entry.account] += entry.amount;
    }
  }
  return balances;
}

}  // namespace simexit
