#include "simexit/service/channel_evidence.hpp"

#include <set>

#include "simexit/common/time_zone.hpp"
#include "simexit/domain/termination_rules.hpp"
#include "simexit/service/termination_service.hpp"

namespace simexit {
namespace {

tl::unexpected<Error> Missing(const char* reason, const char* field, const std::string& message) {
  return FailField(ErrorCode::kInvalidArgument, reason, field, message);
}

tl::unexpected<Error> NotUsed(const char* field, Channel channel) {
  return FailField(ErrorCode::kInvalidArgument, "invalid_field", field,
                   std::string(field) + " is not used by the " + ToString(channel) + " channel");
}

std::optional<CivilDate> ParseDate(std::string_view text) {
  Result<CivilDate> d = ParseIsoDate(text);
  if (!d) {
    return std::nullopt;
  }
  return *d;
}

std::string KindWords(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kIin:
      return "IIN";
    case DocumentKind::kIdCard:
      return "ID card";
    case DocumentKind::kPassport:
      return "passport";
  }
  return "document";
}

DocumentCheckRecord DocumentRecord(const CheckedDocument& d, const TerminationRecord& t,
                                   const char* role, const std::string& actor, UnixSeconds now,
                                   Random& random) {
  DocumentCheckRecord r;
  r.id = "doc_" + random.Hex(12);
  r.operator_id = t.operator_id;
  r.termination_id = t.id;
  r.role = role;
  r.kind = d.kind;
  r.number = d.number;
  r.country = d.country;
  r.full_name = d.full_name;
  r.iin = d.iin;
  r.birth_date = d.birth_date;
  r.expiry_date = d.expiry_date;
  r.mrz_checked = d.mrz_checked;
  r.checked_by = actor;
  r.checked_at = now;
  return r;
}

}  // namespace

RegisteredHolder RegisteredHolderOf(const HolderRecord& holder) {
  RegisteredHolder r;
  r.full_name = holder.full_name;
  r.kind = holder.document_kind;
  r.number = holder.document_number;
  r.country = holder.document_country;
  r.iin = holder.iin;
  return r;
}

CivilDate TodayIn(UnixSeconds now, const std::string& zone) {
  std::optional<CivilDate> d = ParseDate(FormatDateInZone(now, zone));
  if (d) {
    return *d;
  }
  return UtcDateOf(now);
}

CivilDate UtcDateOf(UnixSeconds t) { return *ParseDate(FormatDate(t)); }

Result<void> CheckMayOpen(const Caller& caller, Channel channel) {
  // People signed in with a password, admins included, act by their role;
  // API keys are operator systems and holders are limited to online earlier.
  if (caller.kind != CallerKind::kStaff && caller.staff_id == 0) {
    return {};
  }
  return CheckRoleMayOpen(caller.role, channel);
}

Result<void> CheckEvidencePresent(const CreateTerminationCommand& request, UnixSeconds now) {
  const Channel channel = request.channel;
  const bool document_used = channel != Channel::kOnline;
  if (request.document && !document_used) {
    return NotUsed("document", channel);
  }
  if (request.attorney_document && channel != Channel::kProxy) {
    return NotUsed("attorney_document", channel);
  }
  if (request.power_of_attorney && channel != Channel::kProxy) {
    return NotUsed("power_of_attorney", channel);
  }
  if (request.postmarked_on && channel != Channel::kMail) {
    return NotUsed("postmarked_on", channel);
  }
  if (!request.upload_ids.empty() && channel == Channel::kOnline) {
    return NotUsed("upload_ids", channel);
  }
  switch (channel) {
    case Channel::kOnline:
    case Channel::kPhone:
      break;
    case Channel::kSystem:
      return FailField(ErrorCode::kInvalidArgument, "invalid_channel", "channel",
                       "the operator's own closures are opened by simexit: in bulk "
                       "(POST /v1/operators/{code}/bulk-terminations) or by the dormancy sweep");
    case Channel::kStore:
      if (!request.document) {
        return Missing("document_required", "document",
                       "a store request needs the holder's identity document, checked at the "
                       "counter");
      }
      break;
    case Channel::kProxy:
      if (!request.attorney_document) {
        return Missing("document_required", "attorney_document",
                       "a proxy request needs the attorney's own identity document");
      }
      if (!request.power_of_attorney) {
        return Missing("power_of_attorney_required", "power_of_attorney",
                       "a proxy request needs the power of attorney");
      }
      break;
    case Channel::kMail: {
      if (!request.document) {
        return Missing("document_required", "document",
                       "a posted application needs the holder's document data read from it");
      }
      if (!request.postmarked_on) {
        return Missing("postmark_required", "postmarked_on",
                       "a posted application needs the postmark date (YYYY-MM-DD)");
      }
      // A day of slack: the envelope's date is local, `now` is UTC.
      if (*request.postmarked_on > UtcDateOf(now + kSecondsPerDay)) {
        return Missing("invalid_postmark", "postmarked_on", "postmarked_on is in the future");
      }
      if (request.upload_ids.empty()) {
        return Missing("scans_required", "upload_ids",
                       "a posted application needs its scans: upload them first, then list "
                       "their ids");
      }
      break;
    }
  }
  if (request.upload_ids.size() > 20) {
    return Missing("invalid_field", "upload_ids", "upload_ids is limited to 20 files");
  }
  std::set<std::string> seen;
  for (const std::string& id : request.upload_ids) {
    if (!seen.insert(id).second) {
      return Missing("invalid_field", "upload_ids", "upload_ids lists a file twice");
    }
  }
  return {};
}

Result<Evidence> CheckEvidence(StoreTx& tx, const CreateTerminationCommand& request,
                               const HolderRecord& holder, std::int64_t operator_id,
                               UnixSeconds now) {
  const Channel channel = request.channel;
  Evidence out;
  const CivilDate today = TodayIn(now, holder.time_zone);
  const RegisteredHolder registered = RegisteredHolderOf(holder);
  if (request.document) {
    SIMEXIT_ASSIGN_OR_RETURN(CheckedDocument checked,
                             CheckDocument(*request.document, today, "document"));
    SIMEXIT_TRY(MatchHolder(checked, registered, "document"));
    out.holder_document = std::move(checked);
  }
  if (request.attorney_document) {
    SIMEXIT_ASSIGN_OR_RETURN(out.attorney_document,
                             CheckDocument(*request.attorney_document, today, "attorney_document"));
  }
  if (request.power_of_attorney) {
    SIMEXIT_ASSIGN_OR_RETURN(out.power_of_attorney,
                             CheckPowerOfAttorney(*request.power_of_attorney, today, registered));
  }
  for (std::size_t i = 0; i < request.upload_ids.size(); ++i) {
    const std::string field = "upload_ids[" + std::to_string(i) + "]";
    Result<UploadRecord> upload = tx.GetUpload(request.upload_ids[i]);
    if (!upload && upload.error().code != ErrorCode::kNotFound) {
      return Fail(upload.error());
    }
    if (!upload || upload->operator_id != operator_id) {
      return FailField(ErrorCode::kNotFound, "upload_not_found", field, "no such upload");
    }
    if (!upload->termination_id.empty()) {
      return FailField(ErrorCode::kFailedPrecondition, "upload_in_use", field,
                       "the upload already belongs to another request");
    }
    out.uploads.push_back(std::move(*upload));
  }

  const auto mrz = [](const std::optional<CheckedDocument>& d) {
    return d && d->mrz_checked ? ", MRZ verified" : "";
  };
  switch (channel) {
    case Channel::kOnline:
      break;
    case Channel::kStore:
      out.proof = "the holder's " + KindWords(out.holder_document->kind) +
                  " was checked at the counter" + mrz(out.holder_document);
      break;
    case Channel::kProxy:
      out.proof = "the attorney's " + KindWords(out.attorney_document->kind) +
                  mrz(out.attorney_document) + " and the power of attorney valid until " +
                  out.power_of_attorney->valid_until.ToString() + " were checked";
      break;
    case Channel::kPhone:
      out.proof = "the holder confirmed with the code sent to the line";
      break;
    case Channel::kSystem:
      out.proof = "closed by the operator";
      break;
    case Channel::kMail:
      out.proof = "the holder's " + KindWords(out.holder_document->kind) +
                  " data was read from the posted application (postmarked " +
                  request.postmarked_on->ToString() + ", " + std::to_string(out.uploads.size()) +
                  (out.uploads.size() == 1 ? " scan)" : " scans)");
      break;
  }
  return out;
}

Result<void> StoreEvidence(StoreTx& tx, const TerminationRecord& t, const Evidence& evidence,
                           const std::string& actor, UnixSeconds now, Random& random) {
  if (evidence.holder_document) {
    SIMEXIT_TRY(tx.InsertDocumentCheck(
        DocumentRecord(*evidence.holder_document, t, "holder", actor, now, random)));
  }
  std::string attorney_document_id;
  if (evidence.attorney_document) {
    DocumentCheckRecord record =
        DocumentRecord(*evidence.attorney_document, t, "attorney", actor, now, random);
    attorney_document_id = record.id;
    SIMEXIT_TRY(tx.InsertDocumentCheck(record));
  }
  if (evidence.power_of_attorney) {
    const CheckedPowerOfAttorney& p = *evidence.power_of_attorney;
    PowerOfAttorneyRecord record;
    record.termination_id = t.id;
    record.operator_id = t.operator_id;
    record.number = p.number;
    record.issued_on = p.issued_on;
    record.valid_until = p.valid_until;
    record.issuer = p.issuer;
    record.principal_document = p.principal_document;
    record.scope = p.scope;
    record.attorney_document_id = attorney_document_id;
    record.created_at = now;
    SIMEXIT_TRY(tx.InsertPowerOfAttorney(record));
  }
  for (UploadRecord upload : evidence.uploads) {
    upload.termination_id = t.id;
    SIMEXIT_TRY(tx.UpdateUpload(upload));
  }
  return {};
}

}  // namespace simexit
