#pragma once
// Port to simexit's durable storage.
//
// The storage is split into repositories, one per aggregate, each a short
// interface in ports/store/ with its records and its contract: operators.hpp
// (operators, API keys), lines.hpp (lines, holders), terminations.hpp
// (terminations, their events, certificates), ledger.hpp, jobs.hpp, sms.hpp (the
// outbox), evidence.hpp (documents, powers of attorney, uploads, phone
// confirmations), staff.hpp (staff and their sessions), holder_sign_in.hpp
// (sign-in codes, holder sessions), audit.hpp, audit_chain.hpp (the
// tamper-evident chain of audit records and events), idempotency.hpp,
// idempotent_requests.hpp (the stored answers of other POSTs with a key),
// number_recycling.hpp (recycling check clients, their checks, number history),
// events.hpp (the event outbox, webhook endpoints and their deliveries),
// reactivations.hpp (quarantined numbers given back to their former holder),
// dormancy.hpp (the dormancy sweep's warnings and holders' keeps),
// bulk_terminations.hpp (bulk closures and their lines),
// and invariants.hpp (the rules between them, checked on a live database). Each has its
// own contract suite in testing/store_contract/.
//
// A transaction hands out the repositories: StoreTx is all of them at once, so
// a function that needs only lines takes `LineRepository&` and is passed the
// transaction.
//
// All reads and writes happen inside Store::Transact(): the callback gets a
// StoreTx, and everything it writes commits together or not at all. A
// termination's state change, its audit event, its ledger posting and the jobs
// it schedules are written in one transaction, so a crash between two steps
// loses nothing and repeats nothing.
//
// Records carry values that were validated at the edge (E.164 MSISDNs, digits
// for ICCID/IMSI); the store does not re-validate them.
//
// Errors: kUnavailable when the database is busy or unreachable (the caller may
// retry the whole transaction); kAlreadyExists on a unique-key conflict
// (problem code "duplicate"); kNotFound from Get* when the row is absent; kInternal
// for anything else. A callback's own error rolls the transaction back and is
// returned unchanged.
//
// Tenancy: every operator-owned row carries operator_id; callers filter on it.
// Implementations are thread-safe; transactions are serialised as the database
// requires (SQLite: one writer at a time).

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/ports/store/audit.hpp"
#include "simexit/ports/store/audit_chain.hpp"
#include "simexit/ports/store/bulk_terminations.hpp"
#include "simexit/ports/store/dormancy.hpp"
#include "simexit/ports/store/events.hpp"
#include "simexit/ports/store/evidence.hpp"
#include "simexit/ports/store/holder_sign_in.hpp"
#include "simexit/ports/store/idempotency.hpp"
#include "simexit/ports/store/idempotent_requests.hpp"
#include "simexit/ports/store/invariants.hpp"
#include "simexit/ports/store/jobs.hpp"
#include "simexit/ports/store/ledger.hpp"
#include "simexit/ports/store/lines.hpp"
#include "simexit/ports/store/number_recycling.hpp"
#include "simexit/ports/store/operators.hpp"
#include "simexit/ports/store/reactivations.hpp"
#include "simexit/ports/store/sms.hpp"
#include "simexit/ports/store/staff.hpp"
#include "simexit/ports/store/terminations.hpp"

namespace simexit {

// One transaction: every repository, all reads and writes committing together.
class StoreTx : public OperatorRepository,
                public LineRepository,
                public TerminationRepository,
                public LedgerRepository,
                public JobRepository,
                public IdempotencyRepository,
                public IdempotentRequestRepository,
                public HolderSignInRepository,
                public AuditRepository,
                public SmsRepository,
                public StaffRepository,
                public EvidenceRepository,
                public InvariantRepository,
                public AuditChainRepository,
                public NumberRecyclingRepository,
                public EventOutboxRepository,
                public WebhookEndpointRepository,
                public ReactivationRepository,
                public DormancyRepository,
                public BulkTerminationRepository {
 public:
  ~StoreTx() override = default;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies numbered migrations not yet applied; records them. Idempotent.
  virtual Result<void> Migrate() = 0;
  // Versions of the migrations applied, ascending.
  virtual Result<std::vector<int>> AppliedMigrations() = 0;

  // Runs `fn` in one transaction; commits when it returns a value, rolls back
  // when it returns an error. Not re-entrant: do not call Transact from `fn`.
  virtual Result<void> Transact(const std::function<Result<void>(StoreTx&)>& fn) = 0;
};

// Transact returning a value computed inside the transaction.
template <typename T, typename Fn>
Result<T> TransactValue(Store& store, Fn&& fn) {
  std::optional<T> out;
  Result<void> done = store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<T> value = fn(tx);
    if (!value) {
      return Fail(value.error());
    }
    out = std::move(*value);
    return {};
  });
  if (!done) {
    return Fail(done.error());
  }
  return std::move(*out);
}

}  // namespace simexit
