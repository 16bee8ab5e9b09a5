#pragma once
// gtest printers for the Store's record structs, so a failed EXPECT_EQ on two
// records shows their fields instead of a byte dump. Enums print by name,
// money as decimal KZT; nested values gtest cannot print show as bytes.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <type_traits>

#include "simexit/ports/store.hpp"

namespace simexit {
namespace store_contract_internal {

template <typename T>
void PrintField(std::ostream* os, const T& value) {
  if constexpr (std::is_same_v<T, Money>) {
    *os << value.ToDecimalString();
  } else if constexpr (std::is_enum_v<T> && requires { ToString(value); }) {
    *os << ToString(value);
  } else {
    *os << ::testing::PrintToString(value);
  }
}

inline void PrintFieldsRest(std::ostream*) {}

template <typename T, typename... Rest>
void PrintFieldsRest(std::ostream* os, const char* name, const T& value, const Rest&... rest) {
  *os << ", " << name << ": ";
  PrintField(os, value);
  PrintFieldsRest(os, rest...);
}

// PrintFields(os, "LineRecord", "id", r.id, "msisdn", r.msisdn, ...)
template <typename T, typename... Rest>
void PrintFields(std::ostream* os, const char* type, const char* name, const T& value,
                 const Rest&... rest) {
  *os << type << "{" << name << ": ";
  PrintField(os, value);
  PrintFieldsRest(os, rest...);
  *os << "}";
}

}  // namespace store_contract_internal

// Dates print as "YYYY-MM-DD" (an absent std::optional one as "(nullopt)").
inline void PrintTo(const CivilDate& d, std::ostream* os) { *os << d.ToString(); }

inline void PrintTo(const OperatorRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "OperatorRecord", "id", r.id, "code", r.code, "name",
                                       r.name, "policy", r.policy, "default_language",
                                       r.default_language, "created_at", r.created_at);
}
inline void PrintTo(const HolderRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "HolderRecord", "id", r.id, "operator_id", r.operator_id,
                                       "full_name", r.full_name, "document_kind", r.document_kind,
                                       "document_number", r.document_number, "document_country",
                                       r.document_country, "iin", r.iin, "language", r.language,
                                       "time_zone", r.time_zone, "created_at", r.created_at);
}
inline void PrintTo(const LineRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "LineRecord", "id", r.id, "operator_id", r.operator_id, "holder_id", r.holder_id,
      "msisdn", r.msisdn, "iccid", r.iccid, "imsi", r.imsi, "kind", r.kind, "status", r.status,
      "main_balance", r.main_balance, "bonus_balance", r.bonus_balance, "outstanding_charges",
      r.outstanding_charges, "last_paid_activity_at", r.last_paid_activity_at, "quarantine_until",
      r.quarantine_until, "created_at", r.created_at, "updated_at", r.updated_at);
}
inline void PrintTo(const RefundInstruction& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "RefundInstruction", "method", r.method, "destination",
                                       r.destination);
}
inline void PrintTo(const TerminationRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "TerminationRecord", "id", r.id, "operator_id", r.operator_id, "line_id", r.line_id,
      "holder_id", r.holder_id, "msisdn", r.msisdn, "channel", r.channel, "state", r.state,
      "scheduled_for", r.scheduled_for, "refund", r.refund, "settlement", r.settlement,
      "requested_by", r.requested_by, "reason", r.reason, "certificate_serial",
      r.certificate_serial, "created_at", r.created_at, "updated_at", r.updated_at, "review_since",
      r.review_since, "reason_code", r.reason_code, "reviewed_by", r.reviewed_by, "postmarked_on",
      r.postmarked_on);
}
inline void PrintTo(const TerminationEventRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "TerminationEventRecord", "id", r.id, "termination_id",
                                       r.termination_id, "event", r.event, "from_state",
                                       r.from_state, "to_state", r.to_state, "actor", r.actor,
                                       "channel", r.channel, "detail", r.detail, "at", r.at);
}
inline void PrintTo(const AuditRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "AuditRecord", "id", r.id, "actor", r.actor, "action",
                                       r.action, "subject", r.subject, "detail", r.detail,
                                       "request_id", r.request_id, "at", r.at);
}
inline void PrintTo(const JobRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "JobRecord", "id", r.id, "kind", r.kind, "payload", r.payload, "dedupe_key", r.dedupe_key,
      "state", r.state, "run_at", r.run_at, "attempts", r.attempts, "max_attempts", r.max_attempts,
      "lease_owner", r.lease_owner, "lease_until", r.lease_until, "last_error", r.last_error,
      "created_at", r.created_at, "updated_at", r.updated_at);
}
inline void PrintTo(const IdempotencyRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "IdempotencyRecord", "scope", r.scope, "key", r.key,
                                       "request_hash", r.request_hash, "termination_id",
                                       r.termination_id, "created_at", r.created_at);
}
inline void PrintTo(const StoredResponse& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "StoredResponse", "status", r.status, "content_type",
                                       r.content_type, "location", r.location, "body", r.body);
}
inline void PrintTo(const IdempotentRequestRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "IdempotentRequestRecord", "scope", r.scope, "key", r.key, "request_hash", r.request_hash,
      "state", r.state == IdempotentRequestState::kDone ? "done" : "running", "claim_id",
      r.claim_id, "claimed_at", r.claimed_at, "status", r.response.status, "body", r.response.body);
}
inline void PrintTo(const SignInCodeRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "SignInCodeRecord", "id", r.id, "msisdn", r.msisdn, "code_hash", r.code_hash, "salt",
      r.salt, "created_at", r.created_at, "expires_at", r.expires_at, "attempts", r.attempts,
      "max_attempts", r.max_attempts, "consumed_at", r.consumed_at);
}
inline void PrintTo(const SessionRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "SessionRecord", "token_hash", r.token_hash, "holder_id",
                                       r.holder_id, "msisdn", r.msisdn, "created_at", r.created_at,
                                       "expires_at", r.expires_at);
}
inline void PrintTo(const ApiKeyRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "ApiKeyRecord", "id", r.id, "key_hash", r.key_hash,
                                       "prefix", r.prefix, "role", r.role, "operator_id",
                                       r.operator_id, "label", r.label, "disabled", r.disabled,
                                       "created_at", r.created_at);
}
inline void PrintTo(const PostingRecord& r, std::ostream* os) {
  std::string entries;
  for (const LedgerEntry& entry : r.posting.entries) {
    entries += (entries.empty() ? "" : " ") + entry.account + "=" + entry.amount.ToDecimalString();
  }
  store_contract_internal::PrintFields(os, "PostingRecord", "id", r.id, "operator_id",
                                       r.operator_id, "line_id", r.line_id, "termination_id",
                                       r.termination_id, "kind", r.posting.kind, "entries", entries,
                                       "created_at", r.created_at);
}
inline void PrintTo(const CertificateRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "CertificateRecord", "serial", r.serial, "termination_id", r.termination_id,
      "operator_id", r.operator_id, "document", r.document, "created_at", r.created_at);
}
inline void PrintTo(const SmsRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "SmsRecord", "id", r.id, "operator_id", r.operator_id, "termination_id", r.termination_id,
      "recipient", r.recipient, "kind", r.kind, "language", r.language, "text", r.text, "state",
      r.state, "attempts", r.attempts, "message_ids", r.message_ids, "parts", r.parts, "last_error",
      r.last_error, "created_at", r.created_at, "updated_at", r.updated_at, "submitted_at",
      r.submitted_at, "finished_at", r.finished_at);
}
inline void PrintTo(const StaffRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "StaffRecord", "id", r.id, "operator_id", r.operator_id, "username", r.username,
      "full_name", r.full_name, "role", r.role, "password_hash", r.password_hash, "disabled",
      r.disabled, "failed_logins", r.failed_logins, "locked_until", r.locked_until, "last_login_at",
      r.last_login_at, "created_at", r.created_at, "updated_at", r.updated_at);
}
inline void PrintTo(const StaffSessionRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "StaffSessionRecord", "token_hash", r.token_hash,
                                       "staff_id", r.staff_id, "created_at", r.created_at,
                                       "expires_at", r.expires_at, "revoked_at", r.revoked_at);
}
inline void PrintTo(const DocumentCheckRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "DocumentCheckRecord", "id", r.id, "operator_id", r.operator_id, "termination_id",
      r.termination_id, "role", r.role, "kind", r.kind, "number", r.number, "country", r.country,
      "full_name", r.full_name, "iin", r.iin, "birth_date", r.birth_date, "expiry_date",
      r.expiry_date, "mrz_checked", r.mrz_checked, "checked_by", r.checked_by, "checked_at",
      r.checked_at);
}
inline void PrintTo(const PowerOfAttorneyRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "PowerOfAttorneyRecord", "termination_id", r.termination_id, "operator_id", r.operator_id,
      "number", r.number, "issued_on", r.issued_on, "valid_until", r.valid_until, "issuer",
      r.issuer, "principal_document", r.principal_document, "scope", r.scope,
      "attorney_document_id", r.attorney_document_id, "created_at", r.created_at);
}
inline void PrintTo(const UploadRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "UploadRecord", "id", r.id, "operator_id", r.operator_id,
                                       "termination_id", r.termination_id, "content_type",
                                       r.content_type, "file_name", r.file_name, "size", r.size,
                                       "sha256", r.sha256, "storage_key", r.storage_key,
                                       "uploaded_by", r.uploaded_by, "created_at", r.created_at);
}
inline void PrintTo(const ConfirmationRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "ConfirmationRecord", "termination_id", r.termination_id,
                                       "code_hash", r.code_hash, "salt", r.salt, "link_token_hash",
                                       r.link_token_hash, "created_at", r.created_at, "expires_at",
                                       r.expires_at, "attempts", r.attempts, "max_attempts",
                                       r.max_attempts, "confirmed_at", r.confirmed_at);
}

inline void PrintTo(const OutboxEventRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "OutboxEventRecord", "id", r.id, "operator_id",
                                       r.operator_id, "type", r.type, "source", r.source, "subject",
                                       r.subject, "ordering_key", r.ordering_key, "data", r.data,
                                       "time", r.time);
}
inline void PrintTo(const WebhookEndpointRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(os, "WebhookEndpointRecord", "id", r.id, "operator_id",
                                       r.operator_id, "url", r.url, "event_types", r.event_types,
                                       "created_by", r.created_by, "created_at", r.created_at,
                                       "removed_at", r.removed_at);
}
inline void PrintTo(const WebhookDeliveryRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "WebhookDeliveryRecord", "id", r.id, "event_id", r.event_id, "endpoint_id", r.endpoint_id,
      "operator_id", r.operator_id, "ordering_key", r.ordering_key, "state", r.state, "attempts",
      r.attempts, "next_attempt_at", r.next_attempt_at, "last_error", r.last_error, "created_at",
      r.created_at, "updated_at", r.updated_at, "delivered_at", r.delivered_at);
}
inline void PrintTo(const ReactivationRecord& r, std::ostream* os) {
  store_contract_internal::PrintFields(
      os, "ReactivationRecord", "id", r.id, "operator_id", r.operator_id, "line_id", r.line_id,
      "holder_id", r.holder_id, "termination_id", r.termination_id, "msisdn", r.msisdn, "channel",
      r.channel, "state", r.state, "iccid", r.iccid, "imsi", r.imsi, "new_sim", r.new_sim,
      "closed_at", r.closed_at, "postmarked_on", r.postmarked_on, "requested_by", r.requested_by,
      "reviewed_by", r.reviewed_by, "reason", r.reason, "created_at", r.created_at, "updated_at",
      r.updated_at);
}

}  // namespace simexit
