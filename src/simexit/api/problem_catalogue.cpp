#include "simexit/api/problem_catalogue.hpp"

#include <algorithm>
#include <iterator>
#include <set>

namespace simexit::api {
namespace {

using enum ErrorCode;

// One line per entry; sorted by code, then by error_code (the test checks).
// Codes the HTTP server or router answer by themselves carry the ErrorCode
// that says what the client should do; their status is the HTTP one.
constexpr ProblemType kCatalogue[] = {
    {"account_locked", kResourceExhausted, 429,
     "Too many wrong passwords: staff sign-in is locked for a while."},
    {"already_confirmed", kFailedPrecondition, 409, "The phone request was already confirmed."},
    {"already_started", kFailedPrecondition, 409,
     "The HTTP server was started twice (a bug; never sent to clients)."},
    {"ambiguous_body_length", kInvalidArgument, 400,
     "The request has both Content-Length and Transfer-Encoding (refused: request smuggling)."},
    {"audit_chain_broken", kFailedPrecondition, 409,
     "The audit chain is broken; it is not exported until restored."},
    {"bad_payload", kInvalidArgument, 400,
     "A job's payload is not what its handler expects (jobs only)."},
    {"bad_request", kInvalidArgument, 400,
     "The HTTP request is malformed or its target is not valid."},
    {"batch_incomplete", kInternal, 500,
     "A batched job handler returned no outcome for a job of its batch (jobs only; a bug)."},
    {"blob_corrupt", kInternal, 500, "A stored upload does not match its hash."},
    {"blob_io", kUnavailable, 503, "The upload store cannot be read or written right now."},
    {"blob_not_found", kNotFound, 404, "No stored content under this key."},
    {"body_too_large", kInvalidArgument, 413, "The request body exceeds the server's body limit."},
    {"bulk_termination_not_found", kNotFound, 404, "No such bulk termination."},
    {"busy", kUnavailable, 503,
     "The server is at its limit for this kind of work (e.g. password checks); retry after "
     "Retry-After seconds."},
    {"cannot_disable_self", kFailedPrecondition, 409, "Staff cannot disable their own account."},
    {"certificate_not_ready", kFailedPrecondition, 409, "The termination has no certificate yet."},
    {"channel_not_allowed", kPermissionDenied, 403,
     "The operator does not accept terminations through this channel."},
    {"chunk_extension_too_large", kInvalidArgument, 400,
     "A chunk extension of the chunked request body is too long."},
    {"confirmation_expired", kFailedPrecondition, 409,
     "The time to confirm the phone request has passed."},
    {"confirmation_not_found", kNotFound, 404, "No such confirmation link."},
    {"constraint_violation", kInternal, 500,
     "The database refused a write that broke a constraint."},
    {"corrupt_row", kInternal, 500, "A stored row holds a value that cannot be read."},
    {"csrf_invalid", kPermissionDenied, 403,
     "The form's CSRF token is missing or is not this browser's (web pages)."},
    {"ctrl_bad_reply", kInvalidArgument, 400, "An osmocom CTRL peer sent a malformed message."},
    {"ctrl_bad_request", kInvalidArgument, 400,
     "A CTRL command would be malformed (bad variable or value)."},
    {"ctrl_error_reply", kInternal, 500, "An osmocom CTRL peer answered a command with an error."},
    {"database_busy", kUnavailable, 503, "The database is busy; retry after Retry-After seconds."},
    {"database_error", kInternal, 500, "The database failed unexpectedly."},
    {"database_unavailable", kUnavailable, 503,
     "The database cannot be opened or used right now; retry after Retry-After seconds."},
    {"debt_outstanding", kFailedPrecondition, 409,
     "The line owes money; it is paid before the line is closed."},
    {"delivery_not_dead", kFailedPrecondition, 409,
     "Only a dead webhook delivery is retried; this one is pending or delivered."},
    {"document_expired", kInvalidArgument, 400, "The identity document has expired."},
    {"document_mismatch", kInvalidArgument, 400,
     "The identity document does not match the line's holder."},
    {"document_not_found", kNotFound, 404, "No such document check."},
    {"document_required", kInvalidArgument, 400, "This channel needs an identity document."},
    {"duplicate", kAlreadyExists, 409, "The thing exists already (e.g. a taken username)."},
    {"event_not_found", kNotFound, 404, "No such event in the outbox."},
    {"headers_too_large", kInvalidArgument, 431, "The request headers are too large."},
    {"hlr_error", kInternal, 500, "osmo-hlr answered in an unexpected way."},
    {"hlr_not_configured", kUnavailable, 503, "No HLR is configured (hlr.kind = \"none\")."},
    {"hlr_rejected", kInvalidArgument, 400, "osmo-hlr refused the command."},
    {"hlr_subscriber_exists", kAlreadyExists, 409, "osmo-hlr already has this subscriber."},
    {"hlr_unavailable", kUnavailable, 503, "osmo-hlr cannot be reached or timed out; retry."},
    {"hlr_unknown_subscriber", kNotFound, 404, "osmo-hlr does not know the subscriber."},
    {"idempotency_key_reused", kFailedPrecondition, 409,
     "The Idempotency-Key was used with a different request."},
    {"idempotency_request_in_progress", kFailedPrecondition, 409,
     "A request with this Idempotency-Key is still running; retry after Retry-After seconds."},
    {"illegal_transition", kFailedPrecondition, 409,
     "The termination's or reactivation's state does not allow this step."},
    {"insufficient_role", kPermissionDenied, 403, "The caller's role may not do this."},
    {"internal", kInternal, 500, "A bug or a broken invariant; quote the request id."},
    {"invalid_activity_rows", kInvalidArgument, 400,
     "Rows of a paid-activity report are refused (each in the problem's rows); nothing was "
     "recorded."},
    {"invalid_amount", kInvalidArgument, 400,
     "An amount is not a decimal number of tenge with at most two decimals."},
    {"invalid_blob_hash", kInvalidArgument, 400,
     "A blob key is not the lower-case hex SHA-256 of its content."},
    {"invalid_bulk_numbers", kInvalidArgument, 400,
     "Numbers of a bulk termination are refused: invalid, repeated, or no line of the operator "
     "(each in the problem's numbers); nothing was created."},
    {"invalid_channel", kInvalidArgument, 400,
     "The channel is unknown or not open to this caller."},
    {"invalid_code", kInvalidArgument, 400, "The code is not the digits from the SMS."},
    {"invalid_code", kUnauthenticated, 401, "The code is wrong, or no code is pending."},
    {"invalid_config", kInvalidArgument, 400, "The configuration is invalid (start-up only)."},
    {"invalid_contact_msisdn", kInvalidArgument, 400,
     "The contact number is not an international number (+, country code, 8 to 15 digits)."},
    {"invalid_credentials", kUnauthenticated, 401, "The username or the password is wrong."},
    {"invalid_csv", kInvalidArgument, 400, "The lines CSV cannot be imported (CLI only)."},
    {"invalid_date", kInvalidArgument, 400, "A date is not YYYY-MM-DD or does not exist."},
    {"invalid_date_range", kInvalidArgument, 400, "A date range starts after it ends."},
    {"invalid_dedupe_key", kInvalidArgument, 400, "Dropping pending jobs needs their key (a bug)."},
    {"invalid_document", kInvalidArgument, 400,
     "The identity document is incomplete or malformed."},
    {"invalid_field", kInvalidArgument, 400,
     "A request field is missing, of the wrong type or out of range."},
    {"invalid_file", kInvalidArgument, 400, "A file given to the CLI cannot be read (CLI only)."},
    {"invalid_iccid", kInvalidArgument, 400, "Not a valid ICCID."},
    {"invalid_idempotency_key", kInvalidArgument, 400, "The Idempotency-Key header is too long."},
    {"invalid_iin", kInvalidArgument, 400, "Not a valid Kazakh IIN."},
    {"invalid_imsi", kInvalidArgument, 400, "Not a valid IMSI."},
    {"invalid_json", kInvalidArgument, 400, "Not strict JSON (e.g. a repeated key)."},
    {"invalid_line", kInvalidArgument, 400, "A line to import is invalid."},
    {"invalid_mrz", kInvalidArgument, 400, "The machine-readable zone is malformed."},
    {"invalid_msisdn", kInvalidArgument, 400, "Not a valid Kazakhstan mobile number."},
    {"invalid_operator", kInvalidArgument, 400,
     "The operator's code, name or default language is invalid."},
    {"invalid_options", kInvalidArgument, 400,
     "The HTTP server's options are invalid (start-up only)."},
    {"invalid_owner", kInvalidArgument, 400, "A job lease needs an owner (a bug)."},
    {"invalid_path", kInvalidArgument, 400, "The path contains invalid percent-encoding."},
    {"invalid_phone_number", kInvalidArgument, 400,
     "A phone number is not E.164 with a leading '+' (CAMARA's PhoneNumber pattern)."},
    {"invalid_policy", kInvalidArgument, 400, "The operator policy is invalid."},
    {"invalid_postmark", kInvalidArgument, 400, "The postmark date is invalid or in the future."},
    {"invalid_power_of_attorney", kInvalidArgument, 400,
     "The power of attorney is incomplete or malformed."},
    {"invalid_public_key", kInvalidArgument, 400, "Not an Ed25519 public key."},
    {"invalid_query", kInvalidArgument, 400, "A query parameter is invalid."},
    {"invalid_reason_code", kInvalidArgument, 400,
     "The reason_code is not one the request accepts (a rejection's, a bulk closure's)."},
    {"invalid_recipient", kInvalidArgument, 400, "The SMS recipient is not + and 1 to 15 digits."},
    {"invalid_recycling_client", kInvalidArgument, 400,
     "A number recycling client's name or scopes are not acceptable."},
    {"invalid_refund", kInvalidArgument, 400,
     "The refund destination is invalid or not offered by the operator."},
    {"invalid_schedule", kInvalidArgument, 400,
     "scheduled_for is malformed, in the past or too far ahead."},
    {"invalid_secret", kFailedPrecondition, 409,
     "A secret file is empty or malformed (start-up only)."},
    {"invalid_signing_key", kFailedPrecondition, 409,
     "The certificate signing key file is malformed (start-up only)."},
    {"invalid_staff", kInvalidArgument, 400,
     "A staff member's username, password or role is invalid."},
    {"invalid_store_url", kInvalidArgument, 400,
     "store.url is not a PostgreSQL connection URL libpq can read (start-up only)."},
    {"invalid_text", kInvalidArgument, 400,
     "The SMS text is empty, too long or cannot be encoded."},
    {"invalid_webhook_url", kInvalidArgument, 400,
     "The webhook URL is not an absolute http(s) URL with a host (no user, no fragment)."},
    {"ipa_bad_ext", kInvalidArgument, 400, "An IPA frame has an unexpected OSMO extension."},
    {"ipa_bad_frame", kInvalidArgument, 400, "An IPA frame has an empty payload."},
    {"ipa_bad_proto", kInvalidArgument, 400, "An IPA frame has an unexpected protocol byte."},
    {"ipa_oversize", kInvalidArgument, 400, "An IPA frame or CTRL message is too large."},
    {"job_not_found", kNotFound, 404, "No such job (of the caller's operator)."},
    {"job_not_retryable", kFailedPrecondition, 409,
     "The job cannot be retried: running or done (through the API: not dead-lettered)."},
    {"lease_lost", kFailedPrecondition, 409, "The job is no longer leased to this worker."},
    {"line_not_active", kFailedPrecondition, 409, "The line is not active."},
    {"line_not_found", kNotFound, 404, "No such line."},
    {"listen_failed", kUnavailable, 503,
     "The HTTP server cannot listen on its address (start-up only)."},
    {"malformed_certificate", kInvalidArgument, 400, "The certificate document is malformed."},
    {"malformed_json", kInvalidArgument, 400, "The request body is not a JSON object."},
    {"method_not_allowed", kInvalidArgument, 405, "The resource exists but not with this method."},
    {"mrz_check_digit", kInvalidArgument, 400,
     "A check digit of the machine-readable zone does not match."},
    {"mrz_mismatch", kInvalidArgument, 400,
     "The machine-readable zone disagrees with the document's fields."},
    {"msc_error", kInternal, 500, "osmo-msc answered in an unexpected way."},
    {"msc_unavailable", kUnavailable, 503, "osmo-msc cannot be reached or timed out; retry."},
    {"not_found", kNotFound, 404, "The stored thing does not exist."},
    {"number_not_quarantined", kFailedPrecondition, 409,
     "The number is not closed and resting in quarantine (in use, or its closure is not done)."},
    {"number_released", kFailedPrecondition, 409,
     "The number has left quarantine (back in the pool or another holder's): it cannot be "
     "given back."},
    {"operator_not_found", kNotFound, 404, "No such operator."},
    {"operator_required", kInvalidArgument, 400,
     "Uploads belong to an operator: upload as its staff or with its API key."},
    {"password_hash_failed", kInternal, 500, "The password could not be hashed."},
    {"pdf_failed", kInternal, 500, "The PDF document could not be rendered."},
    {"postmark_required", kInvalidArgument, 400, "A mail request needs its postmark date."},
    {"power_of_attorney_expired", kInvalidArgument, 400, "The power of attorney has expired."},
    {"power_of_attorney_not_yet_valid", kInvalidArgument, 400,
     "The power of attorney is not valid yet."},
    {"power_of_attorney_out_of_scope", kInvalidArgument, 400,
     "The power of attorney does not cover terminations."},
    {"power_of_attorney_required", kInvalidArgument, 400,
     "A proxy request needs a power of attorney."},
    {"power_of_attorney_wrong_principal", kInvalidArgument, 400,
     "The power of attorney was given by someone else than the holder."},
    {"qr_failed", kInternal, 500, "The QR code of a document could not be encoded."},
    {"quarantine_not_over", kUnavailable, 503,
     "The number's quarantine has not ended (jobs only)."},
    {"rate_limited", kResourceExhausted, 429,
     "Too many requests from this address or credential; retry after Retry-After seconds."},
    {"reactivation_disabled", kFailedPrecondition, 409,
     "The operator does not give terminated numbers back (policy reactivation_days is 0)."},
    {"reactivation_exists", kFailedPrecondition, 409,
     "The number already has an open reactivation."},
    {"reactivation_not_found", kNotFound, 404, "No such reactivation."},
    {"reactivation_window_closed", kFailedPrecondition, 409,
     "The time to get the number back (policy reactivation_days after closure) has passed."},
    {"reason_code_required", kInvalidArgument, 400, "A rejection needs a reason_code."},
    {"reason_required", kInvalidArgument, 400,
     "A reason text is needed: reason_code other, or a rejected reactivation."},
    {"recycling_client_not_found", kNotFound, 404, "No such number recycling client."},
    {"recycling_date_in_future", kInvalidArgument, 400,
     "A number recycling check's specifiedDate is after today (CAMARA OUT_OF_RANGE)."},
    {"recycling_rate_limited", kResourceExhausted, 429,
     "A number recycling client checked more numbers than its rate allows (CAMARA "
     "TOO_MANY_REQUESTS); retry after Retry-After seconds."},
    {"recycling_scope_missing", kPermissionDenied, 403,
     "The credential does not hold the scope number-recycling:check (CAMARA PERMISSION_DENIED)."},
    {"reentrant_transaction", kInternal, 500, "A transaction was opened inside another (a bug)."},
    {"refund_method_required", kFailedPrecondition, 409,
     "The line has money to refund: choose a refund method."},
    {"resend_too_soon", kResourceExhausted, 429,
     "A code was sent moments ago; wait before asking again."},
    {"review_own_request", kFailedPrecondition, 409,
     "Four eyes: someone else decides a request than whoever opened it."},
    {"route_not_found", kNotFound, 404, "No resource exists at this path."},
    {"scans_required", kInvalidArgument, 400, "This channel needs scans of the documents."},
    {"schema_too_new", kFailedPrecondition, 409, "The database was migrated by a newer build."},
    {"secret_io", kFailedPrecondition, 409,
     "A secret file cannot be read or written (start-up only)."},
    {"signature_mismatch", kInvalidArgument, 400, "The certificate's signature does not verify."},
    {"signing_key_io", kFailedPrecondition, 409,
     "The certificate signing key cannot be read or written (start-up only)."},
    {"sim_in_use", kFailedPrecondition, 409,
     "The new SIM's ICCID or IMSI belongs to another line."},
    {"sim_required", kInvalidArgument, 400,
     "A new SIM is needed (a physical line's went with its closure), named by ICCID and IMSI."},
    {"smpp_bad_frame_length", kInvalidArgument, 400, "An SMPP PDU has an impossible length."},
    {"smpp_malformed_pdu", kInvalidArgument, 400, "An SMPP PDU is malformed."},
    {"sms_not_found", kNotFound, 404,
     "No such SMS (of the caller's operator), or none matches the delivery report."},
    {"sms_not_retryable", kFailedPrecondition, 409,
     "The SMS has not failed, or its text is stored masked (a code) and cannot be sent again."},
    {"sms_rejected", kInvalidArgument, 400, "The SMSC rejected the SMS for good."},
    {"sms_rejected", kUnavailable, 503, "The SMSC refused the message; the SMS was not sent."},
    {"sms_route_unknown", kUnavailable, 503, "No SMSC is configured for the operator."},
    {"sms_sink_unwritable", kUnavailable, 503, "The SMS sink file cannot be written."},
    {"sms_unavailable", kUnavailable, 503,
     "The SMS could not be sent right now; retry in a minute."},
    {"smsc_busy", kUnavailable, 503, "The SMSC is busy or throttling; retry."},
    {"smsc_connection_lost", kUnavailable, 503, "The connection to the SMSC was lost; retry."},
    {"smsc_not_bound", kUnavailable, 503, "Not bound to the SMSC; retry."},
    {"smsc_temporary_error", kUnavailable, 503, "The SMSC reported a temporary error; retry."},
    {"smsc_timeout", kUnavailable, 503, "The SMSC did not answer in time; retry."},
    {"staff_not_found", kNotFound, 404, "No such staff member."},
    {"staff_session_not_found", kNotFound, 404, "No such staff session."},
    {"storage_full", kUnavailable, 503,
     "The database's disk is full; nothing was written. Retry after Retry-After seconds."},
    {"store_unavailable", kUnavailable, 503,
     "The PostgreSQL database cannot be reached (down, restarting, failing over); retry "
     "after Retry-After seconds, with the same Idempotency-Key."},
    {"termination_exists", kFailedPrecondition, 409, "The line already has an open termination."},
    {"termination_not_found", kNotFound, 404, "No such termination."},
    {"text_too_long", kInvalidArgument, 400, "Free text is longer than its limit (in characters)."},
    {"too_many_activity_rows", kInvalidArgument, 400,
     "A paid-activity report has more rows than one request may carry (10,000)."},
    {"too_many_attempts", kResourceExhausted, 429,
     "Too many wrong codes; this code no longer works."},
    {"too_many_attempts", kInternal, 500, "A job's lease expired on every attempt (jobs only)."},
    {"too_many_bulk_numbers", kInvalidArgument, 400,
     "A bulk termination has more numbers than one may carry (100,000); nothing was created."},
    {"too_many_checks", kResourceExhausted, 429,
     "Too many certificate checks from this address; retry after Retry-After seconds."},
    {"too_many_codes", kResourceExhausted, 429, "Too many codes were sent; try again later."},
    {"too_many_connections", kUnavailable, 503,
     "The server has too many open connections; retry in a moment."},
    {"too_many_mismatches", kResourceExhausted, 429,
     "Too many documents that do not match the holder were presented for this line."},
    {"transaction_aborted", kUnavailable, 503, "The database aborted the transaction; retry."},
    {"unauthenticated", kUnauthenticated, 401, "A valid bearer token or API key is required."},
    {"unbalanced_posting", kInternal, 500, "A ledger posting does not balance (a bug)."},
    {"unknown_event_type", kInvalidArgument, 400,
     "A webhook's event type filter names a type simexit does not publish, or one twice."},
    {"unknown_field", kInvalidArgument, 400,
     "The request body has a member the API does not know."},
    {"unknown_job", kInvalidArgument, 400, "No handler for this job kind (jobs only)."},
    {"unsupported_json_value", kInvalidArgument, 400,
     "A value cannot be written as canonical JSON."},
    {"unsupported_transfer_encoding", kInvalidArgument, 501,
     "The request uses a Transfer-Encoding other than \"chunked\"."},
    {"unsupported_upload_type", kInvalidArgument, 400, "Uploads are PDF, JPEG or PNG files."},
    {"upload_content_missing", kInternal, 500,
     "An upload's content is missing from the blob store."},
    {"upload_empty", kInvalidArgument, 400, "The upload has no content."},
    {"upload_in_use", kFailedPrecondition, 409, "The upload is evidence of another request."},
    {"upload_not_found", kNotFound, 404, "No such upload."},
    {"upload_too_large", kInvalidArgument, 413, "The upload exceeds uploads.max_bytes."},
    {"upload_type_mismatch", kInvalidArgument, 400,
     "The declared type or file extension does not match the content."},
    {"vlr_unknown_subscriber", kNotFound, 404, "osmo-msc's VLR does not know the subscriber."},
    {"webhook_delivery_not_found", kNotFound, 404, "No such webhook delivery."},
    {"webhook_not_found", kNotFound, 404, "No such webhook endpoint (or it was removed)."},
    {"webhook_points_at_self", kInvalidArgument, 400,
     "The webhook URL points at this simexit server itself (its listen address or public URL)."},
    {"webhook_timeout", kUnavailable, 503,
     "The webhook endpoint did not answer in time (deliveries only; retried)."},
    {"webhook_tls_unsupported", kInvalidArgument, 400,
     "This build delivers webhooks over plain http only; an https URL is refused."},
    {"webhook_unreachable", kUnavailable, 503,
     "The webhook endpoint cannot be reached (deliveries only; retried)."},
    {"wrong_amount", kInvalidArgument, 400, "The payment's amount is not the amount due."},
};

std::string_view StatusPhrase(unsigned status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "";
  }
}

}  // namespace

std::span<const ProblemType> ProblemCatalogue() { return kCatalogue; }

const ProblemType* FindProblemType(std::string_view code, ErrorCode error_code) {
  const auto* it = std::find_if(std::begin(kCatalogue), std::end(kCatalogue), [&](const auto& e) {
    return e.code == code && e.error_code == error_code;
  });
  return it == std::end(kCatalogue) ? nullptr : it;
}

const ProblemType* FindProblemType(std::string_view code) {
  const auto* it = std::find_if(std::begin(kCatalogue), std::end(kCatalogue),
                                [&](const auto& e) { return e.code == code; });
  return it == std::end(kCatalogue) ? nullptr : it;
}

std::string RenderProblemsMarkdown() {
  std::string out =
      "# Problem codes\n"
      "\n"
      "<!-- Generated from src/simexit/api/problem_catalogue.cpp; do not edit by hand.\n"
      "     Regenerate: SIMEXIT_WRITE_PROBLEM_DOCS=1 build/dev/simexit_api_tests "
      "--gtest_filter='ProblemCatalogueDocs.*' -->\n"
      "\n"
      "Every error the API answers is an RFC 9457 problem document (`application/problem+json`)\n"
      "whose `code` is one of the codes below; clients branch on `code` (and `status`), never on\n"
      "`title` or `detail`. A code listed twice travels with two error codes, each with its own\n"
      "status. Codes marked start-up, CLI or jobs only are listed because they share the\n"
      "vocabulary; clients do not receive them.\n"
      "\n"
      "| code | status | error code | meaning |\n"
      "|---|---|---|---|\n";
  for (const ProblemType& entry : kCatalogue) {
    out += "| `";
    out += entry.code;
    out += "` | ";
    out += std::to_string(entry.status);
    out += ' ';
    out += StatusPhrase(entry.status);
    out += " | ";
    out += ErrorCodeName(entry.error_code);
    out += " | ";
    out += entry.meaning;
    out += " |\n";
  }
  return out;
}

std::string RenderOpenApiCodeEnum() {
  std::set<std::string_view> codes;
  for (const ProblemType& entry : kCatalogue) {
    codes.insert(entry.code);
  }
  std::string out = "          enum:\n";
  for (std::string_view code : codes) {
    out += "            - ";
    out += code;
    out += '\n';
  }
  return out;
}

}  // namespace simexit::api
