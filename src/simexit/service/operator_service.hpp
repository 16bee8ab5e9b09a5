#pragma once
// Operators, their policies, and the lines they bring into simexit
// (administration: the admin API key and the operators' CLI).

#include <optional>
#include <string>
#include <vector>

#include "simexit/common/result.hpp"
#include "simexit/domain/policy.hpp"
#include "simexit/service/audit_chain.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

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
