// `simexit sweep dormant --operator CODE --dry-run`: what the dormancy sweep
// would do today (docs/dormancy.md). Declared in cli_commands.hpp.
#include <fmt/format.h>

#include <iostream>
#include <limits>
#include <map>

#include "simexit/app/cli_commands.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/domain/dormancy.hpp"

namespace simexit::app {

int SweepDormant(Runtime& rt, const std::string& operator_code, bool dry_run) {
  if (!dry_run) {
    std::cerr << "simexit: not yet implemented: use --dry-run\n";
    return 2;
  }
  struct Planned {
    LineRecord line;
    DormancyDecision decision;
    bool held = false;  // due, but an open termination holds it
  };
  const UnixSeconds now = rt.clock.Now();
  std::optional<OperatorRecord> op;
  Result<std::vector<Planned>> plan = TransactValue<std::vector<Planned>>(
      *rt.store, [&](StoreTx& tx) -> Result<std::vector<Planned>> {
        Result<OperatorRecord> found = tx.GetOperatorByCode(operator_code);
        if (!found) {
          if (found.error().code == ErrorCode::kNotFound) {
            return Fail(ErrorCode::kNotFound, "operator_not_found",
                        "no operator '" + operator_code + "'");
          }
          return Fail(found.error());
        }
        op = *found;
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<LineRecord> lines,
                                 tx.ListLines(op->id, std::numeric_limits<int>::max()));
        std::vector<Planned> out;
        for (LineRecord& line : lines) {
          DormancyFacts facts;
          facts.status = line.status;
          facts.has_holder = line.holder_id != 0;
          facts.last_paid_activity_at = line.last_paid_activity_at;
          // Warnings are not recorded yet: none counts as sent.
          DormancyDecision decision = DecideDormancy(facts, op->policy, now);
          if (decision.step == DormancyStep::kNone) {
            continue;
          }
          SIMEXIT_ASSIGN_OR_RETURN(std::optional<TerminationRecord> open,
                                   tx.FindOpenTermination(line.id));
          facts.open_termination = open.has_value();
          const bool held = facts.open_termination;
          if (held) {
            decision = DecideDormancy(facts, op->policy, now);
          }
          out.push_back({std::move(line), std::move(decision), held});
        }
        return out;
      });
  if (!plan) {
    return Report(plan.error());
  }
  std::cout << fmt::format(
      "dormancy sweep of {} on {} (dry run; dormancy_days {}, dormancy_warning_days {}, "
      "dormancy_grace_days {}); no warning is recorded as sent yet\n",
      op->code, FormatDate(now), op->policy.dormancy_days, op->policy.dormancy_warning_days,
      op->policy.dormancy_grace_days);
  std::map<std::string, int> tally;
  for (const Planned& p : *plan) {
    const std::string step = p.held ? "skip" : ToString(p.decision.step);
    ++tally[step];
    std::cout << fmt::format("{:<13} {:<14} {}{}\n", p.line.msisdn, step,
                             p.held ? "" : "close on " + FormatDate(p.decision.close_on) + ": ",
                             p.decision.why);
  }
  std::cout << fmt::format("{} first warning(s), {} final warning(s), {} closure(s), {} skipped\n",
                           tally["first_warning"], tally["final_warning"], tally["close"],
                           tally["skip"]);
  return 0;
}

}  // namespace simexit::app
