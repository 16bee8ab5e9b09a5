#pragma once
// The dormancy sweep of one operator (docs/dormancy.md): reads the lines due
// today through the index (DormancyRepository::ListDormantLines), decides each
// with DecideDormancy (domain/dormancy.hpp) and acts:
//   first_warning / final_warning  queues notice.dormancy_warning /
//       notice.dormancy_final in the SMS outbox and records the warning, in
//       one transaction;
//   close  opens a termination with channel `system`, reason "dormant", that
//       goes on as any other: verified, reviewed if the policy's
//       review_channels names `system`, else approved and settled, the line
//       deprovisioned, quarantined and certified by the job worker.
// A line's clock is the later of its last paid activity and its holder's
// latest "keep my line" (a sign-in, auth_service.hpp). A line with an open
// termination is never touched. Lines go kBatch to a transaction; running the
// sweep again the same day does nothing more (the recorded warnings and the
// open terminations say what was done).

#include <cstdint>
#include <optional>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/dormancy.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

// One line the sweep acts on today, or would act on but for an open termination.
struct DormancyPlanItem {
  LineRecord line;
  DormancyDecision decision;
  bool held = false;  // due, but an open termination holds it (decision: kNone)
};

struct DormancyTally {
  std::int64_t first_warnings = 0;
  std::int64_t final_warnings = 0;
  std::int64_t closures = 0;
  std::int64_t held = 0;  // due but held by an open termination: left alone

  // Counts `item` under its step, or as held.
  void Add(const DormancyPlanItem& item);

  bool operator==(const DormancyTally&) const = default;
};

class DormancySweep {
 public:
  explicit DormancySweep(ServiceContext& ctx) : ctx_(ctx) {}

  // Lines per transaction.
  static constexpr int kBatch = 1000;
  // The actor of the sweep's terminations and audit records.
  static constexpr const char* kActor = "system:dormancy_sweep";

  // What Run would do now, in activity order; changes nothing.
  // Errors: kNotFound "operator_not_found"; store errors.
  Result<std::vector<DormancyPlanItem>> Plan(const std::string& operator_code);

  // Runs the sweep of the operator now. Errors: kNotFound
  // "operator_not_found"; store errors (the batches committed before stay
  // done, and a re-run picks up where this one failed).
  Result<DormancyTally> Run(const std::string& operator_code);

 private:
  ServiceContext& ctx_;
};

// The daily sweep as jobs: for each operator whose policy has dormancy_sweep
// on, one dormancy_sweep job a day (dedupe key
// "dormancy_sweep:<operator id>:<YYYY-MM-DD>", due at midnight UTC), each
// queueing the next day's while the policy still asks for it.
//
// Queues today's job of `op` (due now) when its policy has dormancy_sweep on;
// nothing otherwise, or when today's exists. In `tx`. Called when an
// operator is created or its policy changes.
Result<void> ScheduleDormancySweep(StoreTx& tx, const OperatorRecord& op, UnixSeconds now);
// The same for every operator: when a worker starts.
Result<void> ScheduleDormancySweeps(StoreTx& tx, UnixSeconds now);

// The worker's dormancy_sweep step: payload {"operator_id": N}. Runs the sweep
// and queues tomorrow's when the operator's policy has dormancy_sweep on;
// with it off, ends the chain.
Result<void> RunDormancySweepJob(ServiceContext& ctx, const std::string& payload);

}  // namespace simexit
