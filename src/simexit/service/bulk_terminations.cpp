// Bulk closures: BulkTerminationService (bulk_terminations.hpp).

#include "simexit/service/bulk_terminations.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "simexit/common/log.hpp"
#include "simexit/domain/termination_rules.hpp"
#include "simexit/service/event_outbox.hpp"
#include "simexit/service/job_kind.hpp"
#include "simexit/service/termination_steps.hpp"
#include "simexit/service/workflow_steps.hpp"

namespace simexit {
namespace {

tl::unexpected<Error> OperatorNotFound() {
  return Fail(ErrorCode::kNotFound, "operator_not_found", "no such operator");
}

tl::unexpected<Error> BulkNotFound() {
  return Fail(ErrorCode::kNotFound, "bulk_termination_not_found", "no such bulk termination");
}

// The operator `code` if the caller may close its lines in bulk.
Result<OperatorRecord> LoadOperator(StoreTx& tx, const Caller& caller, const std::string& code) {
  Result<OperatorRecord> op = tx.GetOperatorByCode(code);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) {
      return OperatorNotFound();
    }
    return op;
  }
  if (caller.kind == CallerKind::kHolder || !caller.MaySee(op->id, Msisdn(), 0)) {
    return OperatorNotFound();
  }
  if (!caller.Can(Permission::kCloseInBulk)) {
    return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                "your role may not close lines in bulk");
  }
  return op;
}

// The rules that need neither the database nor the numbers' lines.
Result<void> CheckCommand(const BulkTerminationCommand& command) {
  if (!IsBulkReasonCode(command.reason_code)) {
    std::string known;
    for (std::string_view code : kBulkReasonCodes) {
      known += (known.empty() ? "" : ", ") + std::string(code);
    }
    return FailField(ErrorCode::kInvalidArgument, "invalid_reason_code", "reason_code",
                     "reason_code must be one of " + known);
  }
  if (command.msisdns.empty()) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_field", "msisdns",
                     "msisdns must name at least one number");
  }
  if (command.msisdns.size() > kMaxBulkNumbers) {
    return FailField(ErrorCode::kInvalidArgument, "too_many_bulk_numbers", "msisdns",
                     "at most " + std::to_string(kMaxBulkNumbers) +
                         " numbers per bulk termination, not " +
                         std::to_string(command.msisdns.size()));
  }
  return {};
}

// The numbers read, with the operator's line for each, or the problems of
// the unknown ones (no line, or another operator's) added to `read.problems`.
Result<std::vector<BulkLineRecord>> FindLines(StoreTx& tx, std::int64_t operator_id,
                                              const std::vector<std::string>& given,
                                              BulkNumbers& read) {
  SIMEXIT_ASSIGN_OR_RETURN(std::vector<LineOwner> owners, tx.FindLineOwners(read.msisdns));
  std::vector<BulkLineRecord> lines;
  lines.reserve(owners.size());
  for (std::size_t i = 0; i < owners.size() && i < read.rows.size(); ++i) {
    if (owners[i].line_id == 0 || owners[i].operator_id != operator_id) {
      const std::size_t row = read.rows[i];
      read.problems.push_back(
          {row, given[row], "unknown_msisdn", "no line of this operator has this number"});
      continue;
    }
    BulkLineRecord line;
    line.msisdn = owners[i].msisdn;
    line.line_id = owners[i].line_id;
    lines.push_back(std::move(line));
  }
  std::sort(read.problems.begin(), read.problems.end(),
            [](const BulkNumberProblem& a, const BulkNumberProblem& b) { return a.row < b.row; });
  return lines;
}

Result<void> EnqueueBatch(StoreTx& tx, const std::string& bulk_id, std::int64_t from_position,
                          UnixSeconds now) {
  JobRecord job;
  job.kind = ToString(JobKind::kOpenBulkTerminations);
  job.payload = boost::json::serialize(boost::json::object{{"bulk_id", bulk_id}});
  job.dedupe_key = job.kind + ":" + bulk_id + ":" + std::to_string(from_position);
  job.run_at = now;
  job.created_at = now;
  job.updated_at = now;
  SIMEXIT_TRY(tx.EnqueueJob(job));
  return {};
}

Result<void> AuditSubmitted(StoreTx& tx, const Caller& caller, const BulkTerminationRecord& bulk) {
  AuditRecord record;
  record.actor = caller.actor;
  record.action = "bulk_termination_submitted";
  record.subject = "bulk_termination:" + bulk.id;
  record.detail = std::to_string(bulk.line_count) + " line(s), reason " + bulk.reason_code;
  record.request_id = CurrentRequestId();
  record.at = bulk.created_at;
  record.operator_id = bulk.operator_id;
  SIMEXIT_TRY(tx.AppendAudit(record));
  return {};
}

// Opens the termination of one pending line of `bulk`, or fails the line with
// the rule that refuses it.
Result<void> OpenLine(StoreTx& tx, Random& random, const BulkTerminationRecord& bulk,
                      const OperatorRecord& op, BulkLineRecord line, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(LineRecord record, tx.GetLine(line.line_id));
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<TerminationRecord> open,
                           tx.FindOpenTermination(record.id));
  Result<void> openable = CheckLineOpenable(record.status);
  if (openable && open) {
    openable = Fail(ErrorCode::kFailedPrecondition, "termination_exists",
                    "the line already has an open termination " + open->id);
  }
  if (!openable) {
    line.state = BulkLineState::kFailed;
    line.failure_code = openable.error().problem_code;
    line.failure_detail = openable.error().message;
    SIMEXIT_TRY(tx.FinishBulkLine(line));
    return {};
  }
  TerminationRecord t;
  t.id = "trm_" + random.Hex(12);
  t.operator_id = record.operator_id;
  t.line_id = record.id;
  t.holder_id = record.holder_id;
  t.msisdn = record.msisdn;
  t.channel = Channel::kSystem;
  t.state = TerminationState::kSubmitted;
  t.requested_by = bulk.requested_by;
  t.reason = bulk.reason_code;
  t.created_at = now;
  t.updated_at = now;
  SIMEXIT_TRY(tx.InsertTermination(t));
  SIMEXIT_TRY(
      RecordAction(tx, t, "created", bulk.requested_by, "bulk termination " + bulk.id, now));
  TerminationEventRecord first_state;
  first_state.termination_id = t.id;
  first_state.event = "created";
  first_state.to_state = ToString(t.state);
  first_state.actor = bulk.requested_by;
  first_state.channel = ToString(t.channel);
  first_state.at = now;
  SIMEXIT_TRY(PublishStateChange(tx, t, first_state));
  // The operator's decision is the proof; no notice of receipt: the holder
  // asked for nothing (the closure's own notice comes with the certificate).
  SIMEXIT_TRY(termination_steps::VerifyAndRoute(
      tx, t, op.policy, "closed by the operator (" + bulk.reason_code + ", bulk " + bulk.id + ")",
      bulk.requested_by, now));
  line.state = BulkLineState::kOpened;
  line.termination_id = t.id;
  SIMEXIT_TRY(tx.FinishBulkLine(line));
  return {};
}

}  // namespace

Result<BulkSubmission> BulkTerminationService::Submit(const Caller& caller,
                                                      const std::string& operator_code,
                                                      const BulkTerminationCommand& command) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<BulkSubmission>(ctx_.store, [&](StoreTx& tx) -> Result<BulkSubmission> {
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, LoadOperator(tx, caller, operator_code));
    SIMEXIT_TRY(CheckCommand(command));
    BulkNumbers read = ReadBulkNumbers(command.msisdns);
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<BulkLineRecord> lines,
                             FindLines(tx, op.id, command.msisdns, read));
    BulkSubmission out;
    if (!read.problems.empty()) {
      out.refused = std::move(read.problems);
      return out;
    }
    out.bulk.id = "blk_" + ctx_.random.Hex(12);
    out.bulk.operator_id = op.id;
    out.bulk.reason_code = command.reason_code;
    out.bulk.requested_by = caller.actor;
    out.bulk.line_count = static_cast<std::int64_t>(lines.size());
    out.bulk.created_at = now;
    SIMEXIT_TRY(tx.InsertBulkTermination(out.bulk, lines));
    SIMEXIT_TRY(AuditSubmitted(tx, caller, out.bulk));
    SIMEXIT_TRY(EnqueueBatch(tx, out.bulk.id, 0, now));
    return out;
  });
}

Result<BulkTerminationView> BulkTerminationService::Get(const Caller& caller,
                                                        const std::string& operator_code,
                                                        const std::string& id, int failure_limit) {
  return TransactValue<BulkTerminationView>(
      ctx_.store, [&](StoreTx& tx) -> Result<BulkTerminationView> {
        SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, LoadOperator(tx, caller, operator_code));
        Result<BulkTerminationRecord> bulk = tx.GetBulkTermination(id);
        if (!bulk) {
          return bulk.error().code == ErrorCode::kNotFound ? BulkNotFound() : Fail(bulk.error());
        }
        if (bulk->operator_id != op.id) {
          return BulkNotFound();
        }
        BulkTerminationView view;
        view.bulk = std::move(*bulk);
        view.operator_code = op.code;
        SIMEXIT_ASSIGN_OR_RETURN(view.progress, tx.GetBulkProgress(id));
        SIMEXIT_ASSIGN_OR_RETURN(view.failures, tx.ListBulkFailures(id, failure_limit));
        return view;
      });
}

Result<void> BulkTerminationService::OpenBatch(const std::string& bulk_id) {
  const UnixSeconds now = ctx_.clock.Now();
  std::size_t opened = 0;
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(BulkTerminationRecord bulk, tx.GetBulkTermination(bulk_id));
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(bulk.operator_id));
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<BulkLineRecord> lines,
                             tx.ListPendingBulkLines(bulk_id, kBulkBatchLines));
    for (const BulkLineRecord& line : lines) {
      SIMEXIT_TRY(OpenLine(tx, ctx_.random, bulk, op, line, now));
    }
    opened = lines.size();
    if (lines.size() == static_cast<std::size_t>(kBulkBatchLines)) {
      return EnqueueBatch(tx, bulk_id, lines.back().position + 1, now);
    }
    return {};
  }));
  LogInfo("bulk termination batch opened",
          {{"bulk_id", bulk_id}, {"lines", static_cast<std::int64_t>(opened)}});
  return {};
}

}  // namespace simexit
