#include "simexit/service/operator_service.hpp"

#include "simexit/common/log.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/ledger.hpp"
#include "simexit/domain/mrz.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit {
namespace {

bool IsLanguage(const std::string& language) {
  return language == "zh" || language == "en" || language == "ru" || language == "kk";
}

tl::unexpected<Error> OperatorNotFound() {
  return Fail(ErrorCode::kNotFound, "operator_not_found", "no such operator");
}

tl::unexpected<Error> InvalidLine(const std::string& message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_line", message);
}

}  // namespace

Result<OperatorRecord> OperatorService::CreateOperator(const std::string& code,
                                                       const std::string& name,
                                                       const Policy& policy,
                                                       const std::string& language) {
  if (code.size() < 2 || code.size() > 32 ||
      code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_operator",
                "code must be 2 to 32 characters of a-z, 0-9, '_' and '-'");
  }
  if (name.empty() || name.size() > 200) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_operator",
                "name must be 1 to 200 characters");
  }
  if (!IsLanguage(language)) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_operator",
                "default_language must be one of zh, en, ru, kk");
  }
  if (Result<void> valid = policy.Validate(); !valid) return Fail(valid.error());
  OperatorRecord op;
  op.code = code;
  op.name = name;
  op.policy = policy;
  op.default_language = language;
  op.created_at = ctx_.clock.Now();
  return TransactValue<OperatorRecord>(ctx_.store, [&](StoreTx& tx) -> Result<OperatorRecord> {
    Result<std::int64_t> id = tx.InsertOperator(op);
    if (!id) return Fail(id.error());
    op.id = *id;
    return op;
  });
}

Result<OperatorRecord> OperatorService::SetPolicy(const Caller& caller, const std::string& code,
                                                  const Policy& policy) {
  if (Result<void> valid = policy.Validate(); !valid) return Fail(valid.error());
  return TransactValue<OperatorRecord>(ctx_.store, [&](StoreTx& tx) -> Result<OperatorRecord> {
    Result<OperatorRecord> op = tx.GetOperatorByCode(code);
    if (!op || caller.kind == CallerKind::kHolder || !caller.MaySee(op->id, "", 0)) {
      if (!op && op.error().code != ErrorCode::kNotFound) return op;
      return OperatorNotFound();
    }
    if (!caller.Can(Permission::kManagePolicy)) {
      return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
                  "your role may not change the operator's policy");
    }
    op->policy = policy;
    if (Result<void> r = tx.UpdateOperator(*op); !r) return Fail(r.error());
    AuditRecord audit;
    audit.actor = caller.actor;
    audit.action = "policy_changed";
    audit.subject = "operator:" + op->code;
    audit.request_id = CurrentRequestId();
    audit.at = ctx_.clock.Now();
    if (Result<std::int64_t> r = tx.AppendAudit(audit); !r) return Fail(r.error());
    return op;
  });
}

Result<OperatorRecord> OperatorService::GetOperator(const Caller& caller,
                                                    const std::string& code) {
  return TransactValue<OperatorRecord>(ctx_.store, [&](StoreTx& tx) -> Result<OperatorRecord> {
    Result<OperatorRecord> op = tx.GetOperatorByCode(code);
    if (!op) {
      if (op.error().code == ErrorCode::kNotFound) return OperatorNotFound();
      return op;
    }
    if (!caller.MaySee(op->id, "", 0)) return OperatorNotFound();
    return op;
  });
}

Result<std::vector<OperatorRecord>> OperatorService::ListOperators(const Caller& caller) {
  return TransactValue<std::vector<OperatorRecord>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<OperatorRecord>> {
        Result<std::vector<OperatorRecord>> all = tx.ListOperators();
        if (!all) return all;
        std::vector<OperatorRecord> visible;
        for (OperatorRecord& op : *all) {
          if (caller.MaySee(op.id, "", 0)) visible.push_back(std::move(op));
        }
        return visible;
      });
}

Result<void> OperatorService::ValidateLine(NewLine& line, int reference_year) {
  if (Result<Msisdn> m = Msisdn::Parse(line.msisdn); !m) return Fail(m.error());
  if (Result<Iccid> i = Iccid::Parse(line.iccid); !i) return Fail(i.error());
  if (Result<Imsi> i = Imsi::Parse(line.imsi); !i) return Fail(i.error());
  if (!ParseLineKind(line.kind)) return InvalidLine("kind must be physical or esim");
  if (line.main_balance.IsNegative() || line.bonus_balance.IsNegative() ||
      line.outstanding_charges.IsNegative()) {
    return InvalidLine("balances and charges must not be negative");
  }
  if (line.holder_name.empty()) return InvalidLine("holder_name is required");
  std::optional<DocumentKind> kind = ParseDocumentKind(line.document_kind);
  if (!kind) return InvalidLine("document_kind must be iin, id_card or passport");
  if (!line.mrz.empty()) {
    if (*kind == DocumentKind::kIin) {
      return InvalidLine("an MRZ belongs to a passport or ID card, not to document_kind iin");
    }
    std::string text = line.mrz;
    for (char& c : text) {
      if (c == '|') c = '\n';
    }
    Result<Mrz> mrz = Mrz::Parse(text, reference_year);
    if (!mrz) return Fail(mrz.error());
    if (line.document_number.empty()) line.document_number = mrz->document_number;
    if (mrz->document_number != line.document_number) {
      return InvalidLine("document_number does not match the MRZ");
    }
    if (mrz->issuing_state != line.document_country) {
      return InvalidLine("document_country does not match the MRZ's issuing state " +
                         mrz->issuing_state);
    }
    const std::string mrz_name =
        mrz->given_names.empty() ? mrz->surname : mrz->surname + " " + mrz->given_names;
    if (mrz_name != line.holder_name) {
      return InvalidLine("holder_name does not match the name in the MRZ");
    }
  }
  if (*kind == DocumentKind::kIin) {
    if (Result<Iin> iin = Iin::Parse(line.document_number); !iin) return Fail(iin.error());
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
    if (Result<Iin> iin = Iin::Parse(line.iin); !iin) return Fail(iin.error());
  }
  if (!line.language.empty() && !IsLanguage(line.language)) {
    return InvalidLine("language must be one of zh, en, ru, kk");
  }
  return {};
}

Result<std::int64_t> OperatorService::AddLine(StoreTx& tx, NewLine line, UnixSeconds now) {
  const int year = std::stoi(FormatDate(now).substr(0, 4));
  if (Result<void> valid = ValidateLine(line, year); !valid) return Fail(valid.error());
  Result<OperatorRecord> op = tx.GetOperatorByCode(line.operator_code);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) return OperatorNotFound();
    return Fail(op.error());
  }
  HolderRecord holder;
  holder.operator_id = op->id;
  holder.full_name = line.holder_name;
  holder.document_kind = *ParseDocumentKind(line.document_kind);
  holder.document_number = line.document_number;
  holder.document_country = line.document_country;
  holder.iin = holder.document_kind == DocumentKind::kIin ? line.document_number : line.iin;
  holder.language = line.language.empty() ? op->default_language : line.language;
  holder.created_at = now;
  Result<std::int64_t> holder_id = tx.InsertHolder(holder);
  if (!holder_id) return holder_id;

  LineRecord record;
  record.operator_id = op->id;
  record.holder_id = *holder_id;
  record.msisdn = Msisdn::Parse(line.msisdn)->e164();
  record.iccid = Iccid::Parse(line.iccid)->digits();
  record.imsi = Imsi::Parse(line.imsi)->digits();
  record.kind = *ParseLineKind(line.kind);
  record.status = LineStatus::kActive;
  record.main_balance = line.main_balance;
  record.bonus_balance = line.bonus_balance;
  record.outstanding_charges = line.outstanding_charges;
  record.last_paid_activity_at = line.last_paid_activity_at;
  record.created_at = now;
  record.updated_at = now;
  Result<std::int64_t> line_id = tx.InsertLine(record);
  if (!line_id) return line_id;

  PostingRecord opening;
  opening.operator_id = op->id;
  opening.line_id = *line_id;
  opening.posting = OpeningBalancePosting(
      *line_id, op->id,
      LineBalances{line.main_balance, line.bonus_balance, line.outstanding_charges});
  opening.created_at = now;
  if (!opening.posting.entries.empty()) {
    if (Result<std::int64_t> r = tx.InsertPosting(opening); !r) return r;
  }
  return line_id;
}

}  // namespace simexit
