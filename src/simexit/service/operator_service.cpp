#include "simexit/service/operator_service.hpp"

#include "simexit/common/log.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/language.hpp"
#include "simexit/domain/ledger.hpp"
#include "simexit/domain/mrz.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/service/dormancy_sweep.hpp"

namespace simexit {
namespace {

tl::unexpected<Error> OperatorNotFound() {
  return Fail(ErrorCode::kNotFound, "operator_not_found", "no such operator");
}

tl::unexpected<Error> InvalidLine(const std::string& message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_line", message);
}

// A line whose fields ValidateLine accepted, as the values they parse to, so
// AddLine parses each field once.
struct CheckedLine {
  Msisdn msisdn;
  Iccid iccid;
  Imsi imsi;
  LineKind kind;
  DocumentKind document_kind;
};

Result<CheckedLine> CheckLine(NewLine& line, int reference_year) {
  SIMEXIT_ASSIGN_OR_RETURN(Msisdn msisdn, Msisdn::Parse(line.msisdn));
  SIMEXIT_ASSIGN_OR_RETURN(Iccid iccid, Iccid::Parse(line.iccid));
  SIMEXIT_ASSIGN_OR_RETURN(Imsi imsi, Imsi::Parse(line.imsi));
  const std::optional<LineKind> line_kind = ParseLineKind(line.kind);
  if (!line_kind) {
    return InvalidLine("kind must be physical or esim");
  }
  if (line.main_balance.IsNegative() || line.bonus_balance.IsNegative() ||
      line.outstanding_charges.IsNegative()) {
    return InvalidLine("balances and charges must not be negative");
  }
  if (line.holder_name.empty()) {
    return InvalidLine("holder_name is required");
  }
  const std::optional<DocumentKind> kind = ParseDocumentKind(line.document_kind);
  if (!kind) {
    return InvalidLine("document_kind must be iin, id_card or passport");
  }
  if (!line.mrz.empty()) {
    if (*kind == DocumentKind::kIin) {
      return InvalidLine("an MRZ belongs to a passport or ID card, not to document_kind iin");
    }
    std::string text = line.mrz;
    for (char& c : text) {
      if (c == '|') {
        c = '\n';
      }
    }
    SIMEXIT_ASSIGN_OR_RETURN(const Mrz mrz, Mrz::Parse(text, reference_year));
    if (line.document_number.empty()) {
      line.document_number = mrz.document_number;
    }
    if (mrz.document_number != line.document_number) {
      return InvalidLine("document_number does not match the MRZ");
    }
    if (mrz.issuing_state != line.document_country) {
      return InvalidLine("document_country does not match the MRZ's issuing state " +
                         mrz.issuing_state);
    }
    const std::string mrz_name =
        mrz.given_names.empty() ? mrz.surname : mrz.surname + " " + mrz.given_names;
    if (mrz_name != line.holder_name) {
      return InvalidLine("holder_name does not match the name in the MRZ");
    }
  }
  if (*kind == DocumentKind::kIin) {
    SIMEXIT_TRY(Iin::Parse(line.document_number));
  } else {
    if (line.document_number.empty() || line.document_number.size() > 20 ||
        line.document_number.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") !=
            std::string::npos) {
      return InvalidLine("document_number must be 1 to 20 upper-case letters and digits");
    }
    if (line.document_country.size() != 3) {
      return InvalidLine("document_country must be an ISO 3166 alpha-3 code");
    }
  }
  if (!line.iin.empty()) {
    SIMEXIT_TRY(Iin::Parse(line.iin));
  }
  if (!line.language.empty() && !ParseLanguage(line.language)) {
    return InvalidLine("language must be one of zh, en, ru, kk");
  }
  return CheckedLine{std::move(msisdn), std::move(iccid), std::move(imsi), *line_kind, *kind};
}

}  // namespace

Result<OperatorRecord> OperatorService::CreateOperator(const NewOperator& new_op) {
  if (new_op.code.size() < 2 || new_op.code.size() > 32 ||
      new_op.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") !=
          std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_operator",
                "code must be 2 to 32 characters of a-z, 0-9, '_' and '-'");
  }
  if (new_op.name.empty() || new_op.name.size() > 200) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_operator",
                "name must be 1 to 200 characters");
  }
  if (!ParseLanguage(new_op.default_language)) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_operator",
                "default_language must be one of zh, en, ru, kk");
  }
  SIMEXIT_TRY(new_op.policy.Validate());
  OperatorRecord op;
  op.code = new_op.code;
  op.name = new_op.name;
  op.policy = new_op.policy;
  op.default_language = new_op.default_language;
  op.created_at = ctx_.clock.Now();
  return TransactValue<OperatorRecord>(ctx_.store, [&](StoreTx& tx) -> Result<OperatorRecord> {
    SIMEXIT_ASSIGN_OR_RETURN(op.id, tx.InsertOperator(op));
    SIMEXIT_TRY(ScheduleDormancySweep(tx, op, op.created_at));
    return op;
  });
}

Result<OperatorRecord> OperatorService::SetPolicy(const Caller& caller, const std::string& code,
                                                  const Policy& policy) {
  SIMEXIT_TRY(policy.Validate());
  return TransactValue<OperatorRecord>(ctx_.store, [&](StoreTx& tx) -> Result<OperatorRecord> {
    Result<OperatorRecord> op = tx.GetOperatorByCode(code);
    if (!op || caller.kind == CallerKind::kHolder || !caller.MaySee(op->id, Msisdn(), 0)) {
      if (!op && op.error().code != ErrorCode::kNotFound) {
        return op;
      }
      return OperatorNotFound();
    }
    if (!caller.Can(Permission::kManagePolicy)) {
      return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                  "your role may not change the operator's policy");
    }
    op->policy = policy;
    SIMEXIT_TRY(tx.UpdateOperator(*op));
    SIMEXIT_TRY(ScheduleDormancySweep(tx, *op, ctx_.clock.Now()));
    AuditRecord audit;
    audit.actor = caller.actor;
    audit.action = "policy_changed";
    audit.subject = "operator:" + op->code;
    audit.request_id = CurrentRequestId();
    audit.at = ctx_.clock.Now();
    audit.operator_id = op->id;
    SIMEXIT_TRY(tx.AppendAudit(audit));
    return op;
  });
}

Result<OperatorRecord> OperatorService::GetOperator(const Caller& caller, const std::string& code) {
  return TransactValue<OperatorRecord>(ctx_.store, [&](StoreTx& tx) -> Result<OperatorRecord> {
    Result<OperatorRecord> op = tx.GetOperatorByCode(code);
    if (!op) {
      if (op.error().code == ErrorCode::kNotFound) {
        return OperatorNotFound();
      }
      return op;
    }
    if (!caller.MaySee(op->id, Msisdn(), 0)) {
      return OperatorNotFound();
    }
    return op;
  });
}

Result<AuditExport> OperatorService::ExportAudit(const Caller& caller, const std::string& code,
                                                 AuditExportRange range,
                                                 const CertificateSigner& signer) {
  SIMEXIT_TRY(GetOperator(caller, code));
  if (!caller.Can(Permission::kExportAudit)) {
    return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                "your role may not export the audit trail");
  }
  return ExportAuditChain(ctx_.store, signer, code, range, ctx_.clock.Now());
}

Result<std::vector<OperatorRecord>> OperatorService::ListOperators(const Caller& caller) {
  return TransactValue<std::vector<OperatorRecord>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<OperatorRecord>> {
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<OperatorRecord> all, tx.ListOperators());
        std::vector<OperatorRecord> visible;
        for (OperatorRecord& op : all) {
          if (caller.MaySee(op.id, Msisdn(), 0)) {
            visible.push_back(std::move(op));
          }
        }
        return visible;
      });
}

Result<void> OperatorService::ValidateLine(NewLine& line, int reference_year) {
  SIMEXIT_TRY(CheckLine(line, reference_year));
  return {};
}

Result<std::int64_t> OperatorService::AddLine(StoreTx& tx, NewLine line, UnixSeconds now) {
  const int year = std::stoi(FormatDate(now).substr(0, 4));
  SIMEXIT_ASSIGN_OR_RETURN(CheckedLine checked, CheckLine(line, year));
  Result<OperatorRecord> op = tx.GetOperatorByCode(line.operator_code);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) {
      return OperatorNotFound();
    }
    return Fail(op.error());
  }
  HolderRecord holder;
  holder.operator_id = op->id;
  holder.full_name = line.holder_name;
  holder.document_kind = checked.document_kind;
  holder.document_number = line.document_number;
  holder.document_country = line.document_country;
  holder.iin = holder.document_kind == DocumentKind::kIin ? line.document_number : line.iin;
  holder.language = line.language.empty() ? op->default_language : line.language;
  holder.created_at = now;
  SIMEXIT_ASSIGN_OR_RETURN(const std::int64_t holder_id, tx.InsertHolder(holder));

  LineRecord record;
  record.operator_id = op->id;
  record.holder_id = holder_id;
  record.msisdn = checked.msisdn;
  record.iccid = checked.iccid;
  record.imsi = checked.imsi;
  record.kind = checked.kind;
  record.status = LineStatus::kActive;
  record.main_balance = line.main_balance;
  record.bonus_balance = line.bonus_balance;
  record.outstanding_charges = line.outstanding_charges;
  record.last_paid_activity_at = line.last_paid_activity_at;
  record.created_at = now;
  record.updated_at = now;
  SIMEXIT_ASSIGN_OR_RETURN(const std::int64_t line_id, tx.InsertLine(record));

  PostingRecord opening;
  opening.operator_id = op->id;
  opening.line_id = line_id;
  opening.posting = OpeningBalancePosting(
      line_id, op->id,
      LineBalances{line.main_balance, line.bonus_balance, line.outstanding_charges});
  opening.created_at = now;
  if (!opening.posting.entries.empty()) {
    SIMEXIT_TRY(tx.InsertPosting(opening));
  }
  return line_id;
}

}  // namespace simexit
