#include "simexit/service/paid_activity.hpp"

#include <set>

#include "simexit/domain/msisdn.hpp"
#include "simexit/service/operator_service.hpp"

namespace simexit {

Result<ActivityReport> RecordPaidActivity(Store& store, std::optional<std::int64_t> operator_id,
                                          const std::vector<ActivityRow>& rows, bool skip_bad,
                                          UnixSeconds now) {
  return TransactValue<ActivityReport>(store, [&](StoreTx& tx) -> Result<ActivityReport> {
    ActivityReport report;
    std::vector<PaidActivity> good;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto bad = [&](const char* code, std::string message) {
        report.bad.push_back({i, code, std::move(message)});
      };
      if (!rows[i].unreadable.empty()) {
        bad("invalid_row", rows[i].unreadable);
        continue;
      }
      Result<Msisdn> msisdn = Msisdn::Parse(rows[i].msisdn);
      if (!msisdn) {
        bad("invalid_msisdn", msisdn.error().message);
        continue;
      }
      UnixSeconds at = 0;
      if (!ParseRfc3339(rows[i].last_paid_activity_at, &at)) {
        bad("invalid_time", "last_paid_activity_at must be an RFC 3339 time or a date");
        continue;
      }
      if (at > now) {
        bad("future_time", "last_paid_activity_at " + FormatRfc3339(at) + " is in the future");
        continue;
      }
      if (!seen.insert(msisdn->e164()).second) {
        bad("duplicate_msisdn", msisdn->e164() + " is on an earlier row too");
        continue;
      }
      Result<LineRecord> line = tx.GetLineByMsisdn(*msisdn);
      if (!line && line.error().code != ErrorCode::kNotFound) {
        return Fail(line.error());
      }
      if (!line || (operator_id && line->operator_id != *operator_id)) {
        bad("unknown_msisdn",
            "no line " + msisdn->e164() + (operator_id ? " at this operator" : std::string()));
        continue;
      }
      good.push_back({line->id, at});
    }
    if (!report.bad.empty() && !skip_bad) {
      return report;
    }
    SIMEXIT_ASSIGN_OR_RETURN(report.updated, tx.RecordPaidActivity(good, now));
    report.unchanged = static_cast<std::int64_t>(good.size()) - report.updated;
    report.written = true;
    return report;
  });
}

Result<ActivityReport> OperatorService::RecordActivity(const Caller& caller,
                                                       const std::string& code,
                                                       const std::vector<ActivityRow>& rows) {
  SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, GetOperator(caller, code));
  if (!caller.Can(Permission::kRecordActivity)) {
    return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                "your role may not report the lines' paid activity");
  }
  if (rows.size() > kMaxActivityRows) {
    return Fail(ErrorCode::kInvalidArgument, "too_many_activity_rows",
                "at most " + std::to_string(kMaxActivityRows) + " rows per request, not " +
                    std::to_string(rows.size()));
  }
  return RecordPaidActivity(ctx_.store, op.id, rows, false, ctx_.clock.Now());
}

}  // namespace simexit
