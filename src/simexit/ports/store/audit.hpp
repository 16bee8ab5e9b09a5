#pragma once
// The audit trail of what is not a termination's state (sign-in attempts,
// staff actions).
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// Records are only ever appended, each as a link of its operator's audit chain
// (audit_chain.hpp) in the same transaction.

#include <cstdint>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"

namespace simexit {

// The audit trail of things that are not a termination's state: sign-in
// attempts, today. Never holds a code, token or document number.
struct AuditRecord {
  std::int64_t id = 0;
  std::string actor;    // "holder", "api_key:3", "system"
  std::string action;   // "otp_sent", "otp_verified", "otp_wrong", "otp_expired", "otp_locked", ...
  std::string subject;  // what it is about, e.g. the E.164 number
  std::string detail;
  std::string request_id;
  UnixSeconds at = 0;
  // The operator whose audit chain (audit_chain.hpp) the record joins: the
  // operator of the line, staff member or API key concerned; "" when none.
  std::int64_t operator_id = 0;

  bool operator==(const AuditRecord&) const = default;
};

// Which audit records StoreTx::TallyAudit counts: those of `subject` whose
// action is one of `actions`, whose detail is one of `details` (any detail when
// empty), with id > after_id and at >= since.
struct AuditQuery {
  std::string subject;
  std::vector<std::string> actions;
  std::vector<std::string> details;
  std::int64_t after_id = 0;
  UnixSeconds since = 0;
};

struct AuditTally {
  int count = 0;
  std::int64_t newest_id = 0;  // 0 when count is 0
  UnixSeconds newest_at = 0;   // the `at` of the newest_id record
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // General audit trail. Newest first.
  virtual Result<std::int64_t> AppendAudit(const AuditRecord& record) = 0;
  virtual Result<std::vector<AuditRecord>> ListAudit(const std::string& subject, int limit) = 0;
  // How many records match, and the newest (sign-in throttling counts attempts
  // with this; uses the (subject, id) index).
  virtual Result<AuditTally> TallyAudit(const AuditQuery& query) = 0;
};

}  // namespace simexit
