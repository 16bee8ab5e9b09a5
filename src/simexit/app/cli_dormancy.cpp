// `simexit sweep dormant --operator CODE [--dry-run]`: the dormancy sweep of
// one operator, run once now (docs/dormancy.md). Declared in cli_commands.hpp.
#include <fmt/format.h>

#include <iostream>

#include "simexit/app/cli_commands.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/service/dormancy_sweep.hpp"

namespace simexit::app {
namespace {

std::string Header(const OperatorRecord& op, UnixSeconds now, bool dry_run) {
  return fmt::format(
      "dormancy sweep of {} on {}{} (dormancy_days {}, dormancy_warning_days {}, "
      "dormancy_grace_days {})\n",
      op.code, FormatDate(now), dry_run ? ", dry run" : "", op.policy.dormancy_days,
      op.policy.dormancy_warning_days, op.policy.dormancy_grace_days);
}

void PrintTally(const DormancyTally& tally) {
  std::cout << fmt::format("{} first warning(s), {} final warning(s), {} closure(s), {} skipped\n",
                           tally.first_warnings, tally.final_warnings, tally.closures, tally.held);
}

}  // namespace

int SweepDormant(Runtime& rt, const std::string& operator_code, bool dry_run) {
  Result<OperatorRecord> op = TransactValue<OperatorRecord>(
      *rt.store, [&](StoreTx& tx) { return tx.GetOperatorByCode(operator_code); });
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) {
      return Report(
          Error{ErrorCode::kNotFound, "operator_not_found", "no operator '" + operator_code + "'"});
    }
    return Report(op.error());
  }
  const UnixSeconds now = rt.clock.Now();
  DormancySweep sweep(*rt.ctx);
  if (!dry_run) {
    Result<DormancyTally> tally = sweep.Run(operator_code);
    if (!tally) {
      return Report(tally.error());
    }
    std::cout << Header(*op, now, false);
    PrintTally(*tally);
    return 0;
  }
  Result<std::vector<DormancyPlanItem>> plan = sweep.Plan(operator_code);
  if (!plan) {
    return Report(plan.error());
  }
  std::cout << Header(*op, now, true);
  DormancyTally tally;
  for (const DormancyPlanItem& p : *plan) {
    tally.Add(p);
    const char* step = p.held ? "skip" : ToString(p.decision.step);
    std::cout << fmt::format("{:<13} {:<14} {}{}\n", p.line.msisdn.e164(), step,
                             p.held ? "" : "close on " + FormatDate(p.decision.close_on) + ": ",
                             p.decision.why);
  }
  PrintTally(tally);
  return 0;
}

}  // namespace simexit::app
