#pragma once
// The double-entry ledger, in integer tiyn.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// ListPostings is ordered by id (the order written).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/ledger.hpp"
#include "simexit/domain/money.hpp"

namespace simexit {

struct PostingRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::int64_t line_id = 0;
  std::string termination_id;  // empty for opening balances
  Posting posting;
  UnixSeconds created_at = 0;

  bool operator==(const PostingRecord&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class LedgerRepository {
 public:
  virtual ~LedgerRepository() = default;

  // Ledger. InsertPosting refuses an unbalanced posting (kInternal, problem code
  // "unbalanced_posting"). At most one posting of a kind per termination
  // (kAlreadyExists "duplicate"): this is what makes settlement exactly-once.
  virtual Result<std::int64_t> InsertPosting(const PostingRecord& posting) = 0;
  virtual Result<std::vector<PostingRecord>> ListPostings(std::optional<std::int64_t> line_id) = 0;
  // Sum of all ledger entries (0 in a healthy ledger).
  virtual Result<Money> LedgerTotal() = 0;
};

}  // namespace simexit
