#include "simexit/service/dormancy_sweep.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "simexit/common/time_zone.hpp"
#include "simexit/service/event_outbox.hpp"
#include "simexit/service/job_kind.hpp"
#include "simexit/service/sms_outbox.hpp"
#include "simexit/service/termination_steps.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

Result<OperatorRecord> LoadOperator(StoreTx& tx, const std::string& code) {
  Result<OperatorRecord> found = tx.GetOperatorByCode(code);
  if (!found && found.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kNotFound, "operator_not_found", "no operator '" + code + "'");
  }
  return found;
}

// The sweep reads the lines idle since then: the first step, the first
// warning, comes dormancy_days - dormancy_warning_days after the clock.
UnixSeconds IdleSince(const Policy& policy, UnixSeconds now) {
  return now - std::max(0, policy.dormancy_days - policy.dormancy_warning_days) * kSecondsPerDay;
}

DormancyPlanItem Decide(const DormantLine& due, const Policy& policy, UnixSeconds now) {
  DormancyFacts facts;
  facts.status = due.line.status;
  facts.has_holder = due.line.holder_id != 0;
  // A keep stops the clock as paid activity does.
  facts.last_paid_activity_at =
      std::max(due.line.last_paid_activity_at, due.marks.kept_at.value_or(0));
  facts.first_warned_at = due.marks.first_warned_at;
  facts.final_warned_at = due.marks.final_warned_at;
  DormancyPlanItem item{due.line, DecideDormancy(facts, policy, now), false};
  if (item.decision.step != DormancyStep::kNone && due.open_termination) {
    facts.open_termination = true;
    item.decision = DecideDormancy(facts, policy, now);
    item.held = true;
  }
  return item;
}

// Visits every due line of `op` in batches of kBatch, one transaction each:
// `act(tx, item)` for each line with a step or held, then, once the batch has
// committed, `committed(item)` for each. A store may run a transaction's
// callback again (PostgreSQL after a serialization failure): whatever counts
// lines, or moves the cursor, waits for the commit.
template <typename Act, typename Committed>
Result<void> ForEachDue(Store& store, const OperatorRecord& op, UnixSeconds now, Act act,
                        Committed committed) {
  const UnixSeconds idle_since = IdleSince(op.policy, now);
  std::optional<DormantCursor> after;
  for (bool more = true; more;) {
    std::vector<DormancyPlanItem> batch;
    std::optional<DormantCursor> next;
    SIMEXIT_TRY(store.Transact([&](StoreTx& tx) -> Result<void> {
      batch.clear();
      SIMEXIT_ASSIGN_OR_RETURN(
          std::vector<DormantLine> due,
          tx.ListDormantLines(op.id, idle_since, after, DormancySweep::kBatch));
      more = static_cast<int>(due.size()) == DormancySweep::kBatch;
      next = due.empty() ? after
                         : DormantCursor{due.back().line.last_paid_activity_at, due.back().line.id};
      for (const DormantLine& line : due) {
        DormancyPlanItem item = Decide(line, op.policy, now);
        if (item.decision.step != DormancyStep::kNone || item.held) {
          SIMEXIT_TRY(act(tx, item));
          batch.push_back(std::move(item));
        }
      }
      return {};
    }));
    for (DormancyPlanItem& item : batch) {
      committed(item);
    }
    after = next;
  }
  return {};
}

// Queues the warning `notice` to the line's holder, in their language, with
// the closing day in their time zone and the self-service address, where
// signing in keeps the line.
Result<void> QueueWarning(StoreTx& tx, const ServiceContext& ctx, const OperatorRecord& op,
                          const DormancyPlanItem& item, Notice notice, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(const HolderRecord holder, tx.GetHolder(item.line.holder_id));
  SmsRecord sms;
  sms.operator_id = op.id;
  sms.recipient = item.line.msisdn.e164();
  sms.kind = ToString(notice);
  sms.language = holder.language;
  sms.text = RenderNotice(notice, holder.language,
                          {{"msisdn", item.line.msisdn.e164()},
                           {"id", ""},
                           {"date", FormatDateInZone(item.decision.close_on, holder.time_zone)},
                           {"url", ctx.public_url + "/my"}},
                          op.policy.sms_templates);
  SIMEXIT_TRY(SmsOutbox::Queue(tx, std::move(sms), now));
  return tx.RecordDormancyWarning(
      item.line.id, op.id,
      notice == Notice::kDormancyWarning ? DormancyWarning::kFirst : DormancyWarning::kFinal, now);
}

// Opens the line's termination through channel `system`, as Create does for a
// request whose grounds are proven: created, verified, then reviewed or
// approved and settled per the policy. No "received" notice: the holder had
// both warnings, and hears of the closure when it is done.
Result<void> OpenDormantTermination(StoreTx& tx, ServiceContext& ctx, const OperatorRecord& op,
                                    const DormancyPlanItem& item, UnixSeconds now) {
  TerminationRecord t;
  t.id = "trm_" + ctx.random.Hex(12);
  t.operator_id = op.id;
  t.line_id = item.line.id;
  t.holder_id = item.line.holder_id;
  t.msisdn = item.line.msisdn;
  t.channel = Channel::kSystem;
  t.state = TerminationState::kSubmitted;
  t.requested_by = DormancySweep::kActor;
  t.reason = "dormant";
  t.created_at = now;
  t.updated_at = now;
  SIMEXIT_TRY(tx.InsertTermination(t));
  SIMEXIT_TRY(RecordAction(tx, t, "created", DormancySweep::kActor, item.decision.why, now));
  TerminationEventRecord first_state;
  first_state.termination_id = t.id;
  first_state.event = "created";
  first_state.to_state = ToString(t.state);
  first_state.actor = DormancySweep::kActor;
  first_state.channel = ToString(t.channel);
  first_state.at = now;
  SIMEXIT_TRY(PublishStateChange(tx, t, first_state));
  return termination_steps::VerifyAndRoute(
      tx, t, op.policy, "dormant: " + item.decision.why + "; the holder was warned twice",
      DormancySweep::kActor, now);
}

constexpr const char* kSweepJobPrefix = "dormancy_sweep:";

Result<void> EnqueueSweep(StoreTx& tx, std::int64_t operator_id, UnixSeconds day_start,
                          UnixSeconds now) {
  JobRecord job;
  job.kind = ToString(JobKind::kDormancySweep);
  job.payload = boost::json::serialize(boost::json::object{{"operator_id", operator_id}});
  job.dedupe_key = kSweepJobPrefix + std::to_string(operator_id) + ":" + FormatDate(day_start);
  job.run_at = std::max(day_start, now);
  job.created_at = now;
  job.updated_at = now;
  SIMEXIT_TRY(tx.EnqueueJob(job));
  return {};
}

// Midnight UTC of the day `t` falls on.
UnixSeconds DayStart(UnixSeconds t) {
  return t - ((t % kSecondsPerDay) + kSecondsPerDay) % kSecondsPerDay;
}

}  // namespace

void DormancyTally::Add(const DormancyPlanItem& item) {
  if (item.held) {
    ++held;
    return;
  }
  switch (item.decision.step) {
    case DormancyStep::kFirstWarning:
      ++first_warnings;
      break;
    case DormancyStep::kFinalWarning:
      ++final_warnings;
      break;
    case DormancyStep::kClose:
      ++closures;
      break;
    case DormancyStep::kNone:
      break;
  }
}

Result<std::vector<DormancyPlanItem>> DormancySweep::Plan(const std::string& operator_code) {
  const UnixSeconds now = ctx_.clock.Now();
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op,
                           TransactValue<OperatorRecord>(ctx_.store, [&](StoreTx& tx) {
                             return LoadOperator(tx, operator_code);
                           }));
  std::vector<DormancyPlanItem> plan;
  SIMEXIT_TRY(ForEachDue(
      ctx_.store, op, now, [](StoreTx&, const DormancyPlanItem&) { return Result<void>{}; },
      [&](DormancyPlanItem& item) { plan.push_back(std::move(item)); }));
  return plan;
}

Result<DormancyTally> DormancySweep::Run(const std::string& operator_code) {
  const UnixSeconds now = ctx_.clock.Now();
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op,
                           TransactValue<OperatorRecord>(ctx_.store, [&](StoreTx& tx) {
                             return LoadOperator(tx, operator_code);
                           }));
  const auto act = [&](StoreTx& tx, const DormancyPlanItem& item) -> Result<void> {
    if (item.held) {
      return {};
    }
    switch (item.decision.step) {
      case DormancyStep::kFirstWarning:
        return QueueWarning(tx, ctx_, op, item, Notice::kDormancyWarning, now);
      case DormancyStep::kFinalWarning:
        return QueueWarning(tx, ctx_, op, item, Notice::kDormancyFinal, now);
      case DormancyStep::kClose:
        return OpenDormantTermination(tx, ctx_, op, item, now);
      case DormancyStep::kNone:
        break;
    }
    return {};
  };
  DormancyTally tally;
  const auto count = [&](const DormancyPlanItem& item) { tally.Add(item); };
  SIMEXIT_TRY(ForEachDue(ctx_.store, op, now, act, count));
  return tally;
}

Result<void> ScheduleDormancySweep(StoreTx& tx, const OperatorRecord& op, UnixSeconds now) {
  if (!op.policy.dormancy_sweep) {
    return {};
  }
  return EnqueueSweep(tx, op.id, DayStart(now), now);
}

Result<void> ScheduleDormancySweeps(StoreTx& tx, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<OperatorRecord> operators, tx.ListOperators());
  for (const OperatorRecord& op : operators) {
    SIMEXIT_TRY(ScheduleDormancySweep(tx, op, now));
  }
  return {};
}

Result<void> RunDormancySweepJob(ServiceContext& ctx, const std::string& payload) {
  boost::system::error_code ec;
  const boost::json::value json = boost::json::parse(payload, ec);
  const boost::json::value* id =
      !ec && json.is_object() ? json.as_object().if_contains("operator_id") : nullptr;
  if (id == nullptr || !id->is_int64()) {
    return Fail(ErrorCode::kInvalidArgument, "bad_payload",
                "job payload has no integer 'operator_id'");
  }
  const UnixSeconds now = ctx.clock.Now();
  SIMEXIT_ASSIGN_OR_RETURN(const OperatorRecord op,
                           TransactValue<OperatorRecord>(ctx.store, [&](StoreTx& tx) {
                             return tx.GetOperator(id->as_int64());
                           }));
  if (!op.policy.dormancy_sweep) {
    return {};  // turned off since: the chain ends here
  }
  SIMEXIT_ASSIGN_OR_RETURN(const DormancyTally tally, DormancySweep(ctx).Run(op.code));
  LogInfo("dormancy sweep done", {{"operator", op.code},
                                  {"first_warnings", tally.first_warnings},
                                  {"final_warnings", tally.final_warnings},
                                  {"closures", tally.closures},
                                  {"held", tally.held}});
  return ctx.store.Transact([&](StoreTx& tx) -> Result<void> {
    return EnqueueSweep(tx, op.id, DayStart(now) + kSecondsPerDay, now);
  });
}

}  // namespace simexit
