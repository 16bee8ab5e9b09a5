#pragma once
// Operators, their policies, and the lines they bring into simexit
// (administration: the admin API key and the operators' CLI).

#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/policy.hpp"
#include "simexit/service/audit_chain.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"
#include "simexit/service/paid_activity.hpp"

namespace simexit {

struct NewLine {
  std::string operator_code;
  std::string msisdn;
  std::string iccid;
  std::string imsi;
  std::string kind = "physical";  // "physical" | "esim"
  Money main_balance;
  Money bonus_balance;
  Money outstanding_charges;
  UnixSeconds last_paid_activity_at = 0;
  // The registered holder.
  std::string holder_name;
  std::string document_kind;  // "iin" | "id_card" | "passport"
  std::string document_number;
  std::string document_country = "KAZ";
  std::string iin;       // optional for foreigners
  std::string language;  // empty: operator default
  // Optional machine-readable zone of the holder's passport or ID card (lines
  // joined by '\n' or '|'). When given, every check digit is verified and the
  // document number, issuing state and name must agree with the fields above
  // (an empty document_number is taken from the MRZ).
  std::string mrz;
};

// A new operator, as decoded from a request or the demo data.
struct NewOperator {
  std::string code;                     // 2-32 of [a-z0-9_-]
  std::string name;                     // 1-200 bytes
  std::string default_language = "ru";  // zh, en, ru or kk (a string for now)
  Policy policy;                        // validated again by CreateOperator
};

// An operator's dashboard (OperatorService::Dashboard).
struct DashboardView {
  // By state and channel: all of the operator's terminations; per_day: the
  // last kDashboardDays days, in Asia/Almaty (UTC+5), today included.
  TerminationTally tally;
  std::int64_t first_day = 0;         // day number (TerminationTally::per_day) of the first of them
  bool may_retry = false;             // Permission::kRetryFailed; the lists below only then
  std::vector<JobRecord> dead_jobs;   // the operator's dead-lettered jobs, newest first
  std::vector<SmsRecord> failed_sms;  // the operator's failed SMS, newest first
};

inline constexpr int kDashboardDays = 30;
inline constexpr std::int64_t kDashboardUtcOffset = 5 * kSecondsPerHour;  // Asia/Almaty

class OperatorService {
 public:
  explicit OperatorService(ServiceContext& ctx) : ctx_(ctx) {}

  // Errors: kInvalidArgument "invalid_operator" (code must be 2-32 of
  // [a-z0-9_-], name non-empty, language one of zh/en/ru/kk),
  // kInvalidArgument "invalid_policy", kAlreadyExists "duplicate".
  Result<OperatorRecord> CreateOperator(const NewOperator& op);
  // The same, field by field (the demo data's form).
  Result<OperatorRecord> CreateOperator(const std::string& code, const std::string& name,
                                        const Policy& policy, const std::string& language) {
    return CreateOperator(NewOperator{code, name, language, policy});
  }
  // Callers with Permission::kManagePolicy (admins, the CLI, an operator's
  // operator_admin for its own operator). Audited ("policy_changed"). Errors:
  // kNotFound "operator_not_found" (also for an operator the caller may not
  // see), kPermissionDenied "insufficient_role" (the caller's own operator,
  // but no kManagePolicy), kInvalidArgument "invalid_policy".
  Result<OperatorRecord> SetPolicy(const Caller& caller, const std::string& code,
                                   const Policy& policy);
  Result<OperatorRecord> GetOperator(const Caller& caller, const std::string& code);
  Result<std::vector<OperatorRecord>> ListOperators(const Caller& caller);
  // The operator's signed audit export (service/audit_chain.hpp), for callers
  // with Permission::kExportAudit: admins, an operator's API key or its
  // operator_admin, for their own operator. Errors: kNotFound
  // "operator_not_found" (also for an operator the caller may not see),
  // kPermissionDenied "insufficient_role", those of ExportAuditChain.
  Result<AuditExport> ExportAudit(const Caller& caller, const std::string& code,
                                  AuditExportRange range, const CertificateSigner& signer);

  // The caller's operator's dashboard (every operator's for admins): staff,
  // operator keys and admins. Errors: kPermissionDenied "insufficient_role"
  // (holders).
  Result<DashboardView> Dashboard(const Caller& caller);
  // Puts a dead-lettered job of the caller's operator back in the queue, due
  // now (a job belongs to the operator of the termination, reactivation or SMS it works
  // on; others only admins may retry). Audited "job_retried". Errors:
  // kNotFound "job_not_found" (also another operator's job),
  // kPermissionDenied "insufficient_role" (no Permission::kRetryFailed),
  // kFailedPrecondition "job_not_retryable" (not dead-lettered).
  Result<JobRecord> RetryJob(const Caller& caller, std::int64_t id);
  // Queues a failed SMS of the caller's operator again, to be sent by a new
  // send_sms job with a fresh validity period. Audited "sms_retried". Errors:
  // kNotFound "sms_not_found" (also another operator's), kPermissionDenied
  // "insufficient_role", kFailedPrecondition "sms_not_retryable" (not failed,
  // or a sign-in or confirmation code, whose text is stored masked).
  Result<SmsRecord> RetrySms(const Caller& caller, std::int64_t id);

  // Records the paid activity of the operator's lines (service/
  // paid_activity.hpp), all rows or none: with a bad row the report lists
  // the bad rows and nothing is written. Callers with
  // Permission::kRecordActivity: admins, the operator's API key or its
  // operator_admin. Errors: kNotFound "operator_not_found" (also for an
  // operator the caller may not see), kPermissionDenied "insufficient_role",
  // kInvalidArgument "too_many_activity_rows" (over kMaxActivityRows), the
  // store's.
  Result<ActivityReport> RecordActivity(const Caller& caller, const std::string& code,
                                        const std::vector<ActivityRow>& rows);

  // Validates every field of `line` (MSISDN, ICCID, IMSI, document, MRZ,
  // amounts not negative) without touching the store; the error message is
  // specific. May fill document_number from the MRZ. `reference_year` places
  // two-digit MRZ birth years in a century. Errors: kInvalidArgument, with the
  // value type's problem code ("invalid_msisdn", "invalid_iccid", "invalid_imsi",
  // "invalid_iin", "invalid_mrz", "mrz_check_digit"...) or "invalid_line".
  static Result<void> ValidateLine(NewLine& line, int reference_year);

  // Adds the holder and the line, with an opening-balance ledger posting, in
  // the caller's transaction. Errors: ValidateLine's, kNotFound
  // "operator_not_found", kAlreadyExists "duplicate" (MSISDN, ICCID or IMSI
  // already known).
  Result<std::int64_t> AddLine(StoreTx& tx, NewLine line, UnixSeconds now);

 private:
  ServiceContext& ctx_;
};

}  // namespace simexit
