#pragma once
// Port to simexit's durable storage.
//
// All reads and writes happen inside Store::Transact(): the callback gets a
// StoreTx, and everything it writes commits together or not at all. A
// termination's state change, its audit event, its ledger posting and the jobs
// it schedules are written in one transaction, so a crash between two steps
// loses nothing and repeats nothing.
//
// Records carry values that were validated at the edge (E.164 MSISDNs, digits
// for ICCID/IMSI); the store does not re-validate them.
//
// Errors: kUnavailable when the database is busy or unreachable (the caller may
// retry the whole transaction); kAlreadyExists on a unique-key conflict
// (problem code "duplicate"); kNotFound from Get* when the row is absent; kInternal
// for anything else. A callback's own error rolls the transaction back and is
// returned unchanged.
//
// Tenancy: every operator-owned row carries operator_id; callers filter on it.
// Implementations are thread-safe; transactions are serialised as the database
// requires (SQLite: one writer at a time).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/ledger.hpp"
#include "simexit/domain/money.hpp"
#include "simexit/domain/policy.hpp"
#include "simexit/domain/roles.hpp"
#include "simexit/domain/settlement.hpp"
#include "simexit/domain/termination.hpp"

namespace simexit {

struct OperatorRecord {
  std::int64_t id = 0;
  std::string code;  // "kcell", "beeline", "tele2": stable, lower case
  std::string name;  // "Kcell"
  Policy policy;
  std::string default_language = "ru";  // zh, en, ru, kk
  UnixSeconds created_at = 0;

  bool operator==(const OperatorRecord&) const = default;
};

struct HolderRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string full_name;  // as registered, e.g. "TESTOV TEST"
  DocumentKind document_kind = DocumentKind::kIin;
  std::string document_number;   // IIN digits or passport/ID number; matched, never logged
  std::string document_country;  // ISO 3166 alpha-3 ("KAZ") for passports/ID cards
  std::string iin;               // the holder's IIN when known (may be empty for foreigners)
  std::string language = "ru";
  std::string time_zone = "Asia/Almaty";
  UnixSeconds created_at = 0;

  bool operator==(const HolderRecord&) const = default;
};

enum class LineKind { kPhysical, kEsim };
const char* ToString(LineKind kind);  // "physical", "esim"
std::optional<LineKind> ParseLineKind(std::string_view text);

struct LineRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::int64_t holder_id = 0;  // 0 while the number is in the pool (available)
  std::string msisdn;          // E.164
  std::string iccid;
  std::string imsi;
  LineKind kind = LineKind::kPhysical;
  LineStatus status = LineStatus::kActive;
  Money main_balance;
  Money bonus_balance;
  Money outstanding_charges;
  UnixSeconds last_paid_activity_at = 0;
  std::optional<UnixSeconds> quarantine_until;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  bool operator==(const LineRecord&) const = default;
};

struct RefundInstruction {
  RefundMethod method = RefundMethod::kBankCard;
  std::string destination;  // masked card "4400 **** **** 1234", IBAN, or E.164 of another line

  bool operator==(const RefundInstruction&) const = default;
};

struct TerminationRecord {
  std::string id;  // "trm_" + 24 hex
  std::int64_t operator_id = 0;
  std::int64_t line_id = 0;
  std::int64_t holder_id = 0;
  std::string msisdn;  // E.164, copied so history survives number reuse
  Channel channel = Channel::kOnline;
  TerminationState state = TerminationState::kSubmitted;
  std::optional<UnixSeconds> scheduled_for;
  std::optional<RefundInstruction> refund;
  std::optional<SettlementQuote> settlement;  // fixed when settling ran
  std::string requested_by;                   // actor: "holder:12", "api_key:3", "admin"
  std::string reason;                         // rejection/cancel reason, if any
  std::string certificate_serial;             // set once the certificate exists
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  // Review: when the request entered the review queue (the SLA clock), the
  // decision's reason code ("document_mismatch", ...) and who decided.
  std::optional<UnixSeconds> review_since;
  std::string reason_code;
  std::string reviewed_by;  // actor
  // Mail: the postmark date on the envelope (YYYY-MM-DD).
  std::string postmarked_on;

  bool operator==(const TerminationRecord&) const = default;
};

// The audit trail: one row per state change or notable action.
struct TerminationEventRecord {
  std::int64_t id = 0;
  std::string termination_id;
  std::string event;       // TerminationEvent name, or an action like "created", "hlr_barred"
  std::string from_state;  // empty for actions that do not change state
  std::string to_state;
  std::string actor;  // "holder:12", "api_key:3", "worker", "admin"
  std::string channel;
  std::string detail;  // human text; no secrets or document numbers
  UnixSeconds at = 0;

  bool operator==(const TerminationEventRecord&) const = default;
};

// The audit trail of things that are not a termination's state: sign-in
// attempts, today. Never holds a code, token or document number.
struct AuditRecord {
  std::int64_t id = 0;
  std::string actor;    // "holder", "api_key:3", "system"
  std::string action;   // "otp_sent", "otp_verified", "otp_wrong", "otp_expired", "otp_locked", ...
  std::string subject;  // what it is about, e.g. the E.164 number
  std::string detail;
  std::string request_id;
  UnixSeconds at = 0;

  bool operator==(const AuditRecord&) const = default;
};

// Which audit records StoreTx::TallyAudit counts: those of `subject` whose
// action is one of `actions`, whose detail is one of `details` (any detail when
// empty), with id > after_id and at >= since.
struct AuditQuery {
  std::string subject;
  std::vector<std::string> actions;
  std::vector<std::string> details;
  std::int64_t after_id = 0;
  UnixSeconds since = 0;
};

struct AuditTally {
  int count = 0;
  std::int64_t newest_id = 0;  // 0 when count is 0
  UnixSeconds newest_at = 0;   // the `at` of the newest_id record
};

struct PostingRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::int64_t line_id = 0;
  std::string termination_id;  // empty for opening balances
  Posting posting;
  UnixSeconds created_at = 0;
};

enum class JobState { kPending, kRunning, kDone, kDead };
const char* ToString(JobState state);  // "pending", "running", "done", "dead"
std::optional<JobState> ParseJobState(std::string_view text);

inline constexpr int kDefaultJobMaxAttempts = 10;

struct JobRecord {
  std::int64_t id = 0;
  std::string kind;        // "start_termination", "settle", "deprovision", ...
  std::string payload;     // JSON object text
  std::string dedupe_key;  // unique among jobs; EnqueueJob with a used key is a no-op
  JobState state = JobState::kPending;
  UnixSeconds run_at = 0;
  int attempts = 0;
  int max_attempts = kDefaultJobMaxAttempts;  // see Worker::MaxAttempts
  std::string lease_owner;
  UnixSeconds lease_until = 0;
  std::string last_error;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  bool operator==(const JobRecord&) const = default;
};

// What the first request with an Idempotency-Key did, so that a repeat can be
// answered the same: the termination it created. (How that is answered over
// HTTP is the API's business.)
struct IdempotencyRecord {
  std::string scope;           // the caller: "holder:12", "api_key:3"
  std::string key;             // Idempotency-Key header
  std::string request_hash;    // hash of method + path + body
  std::string termination_id;  // the termination the first request created
  UnixSeconds created_at = 0;

  bool operator==(const IdempotencyRecord&) const = default;
};

struct SignInCodeRecord {
  std::int64_t id = 0;
  std::string msisdn;
  std::string code_hash;  // hex; never the code
  std::string salt;       // hex, per code
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  int attempts = 0;  // failed verifications so far
  int max_attempts = 5;
  std::optional<UnixSeconds> consumed_at;

  bool operator==(const SignInCodeRecord&) const = default;
};

struct SessionRecord {
  std::string token_hash;  // hex of the bearer token's hash; never the token
  std::int64_t holder_id = 0;
  std::string msisdn;  // the line the holder proved possession of
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;

  bool operator==(const SessionRecord&) const = default;
};

enum class ApiKeyRole { kOperatorSystem, kAdmin };  // stored as "operator", "admin"
struct ApiKeyRecord {
  std::int64_t id = 0;
  std::string key_hash;  // hex; never the key
  std::string prefix;    // first characters, shown to humans ("sk_kcell_ab12")
  ApiKeyRole role = ApiKeyRole::kOperatorSystem;
  std::int64_t operator_id = 0;  // 0 for admin keys
  std::string label;
  bool disabled = false;
  UnixSeconds created_at = 0;

  bool operator==(const ApiKeyRecord&) const = default;
};

struct CertificateRecord {
  std::string serial;          // "SX-2026-000001"
  std::string termination_id;  // unique: one certificate per termination
  std::int64_t operator_id = 0;
  std::string document;  // the signed certificate JSON, as served
  UnixSeconds created_at = 0;

  bool operator==(const CertificateRecord&) const = default;
};

// The SMS outbox: every SMS is a row before it is sent.
enum class SmsState { kQueued, kSubmitted, kDelivered, kFailed, kExpired };
const char* ToString(SmsState state);  // "queued", "submitted", "delivered", "failed", "expired"
std::optional<SmsState> ParseSmsState(std::string_view text);

struct SmsRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;  // 0 when not tied to an operator
  std::string termination_id;    // empty when not about a termination
  std::string recipient;         // E.164: the number it goes to
  std::string kind;              // template: "sign_in_code", "terminated", ...
  std::string language;          // zh, en, ru, kk
  std::string text;              // as sent; sign-in codes are stored masked
  SmsState state = SmsState::kQueued;
  int attempts = 0;         // submissions tried
  std::string message_ids;  // the SMSC's ids, comma-separated, one per part
  int parts = 0;
  std::string last_error;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  std::optional<UnixSeconds> submitted_at;
  std::optional<UnixSeconds> finished_at;  // delivered, failed or expired

  bool operator==(const SmsRecord&) const = default;
};

struct SmsFilter {
  std::optional<SmsState> state;
  std::optional<std::string> recipient;
  int limit = 100;  // newest first
};

struct TerminationFilter {
  std::optional<std::int64_t> operator_id;
  std::optional<TerminationState> state;
  std::optional<std::string> msisdn;
  int limit = 100;
  // Newest first by default; the review queue reads oldest review_since first
  // (then created_at, then id).
  bool oldest_first = false;
};

// A person working for an operator (or, with operator_id 0 and role admin, for
// simexit itself). Usernames are unique across all operators.
struct StaffRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;  // 0 for admins
  std::string username;          // 3-64 of [a-z0-9._-], lower case
  std::string full_name;
  StaffRole role = StaffRole::kAgentStore;
  std::string password_hash;  // Argon2id string from libsodium; never the password
  bool disabled = false;
  int failed_logins = 0;  // consecutive wrong passwords
  std::optional<UnixSeconds> locked_until;
  std::optional<UnixSeconds> last_login_at;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  bool operator==(const StaffRecord&) const = default;
};

struct StaffSessionRecord {
  std::string token_hash;  // hex; never the token
  std::int64_t staff_id = 0;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  std::optional<UnixSeconds> revoked_at;  // logout, disable, password reset

  bool operator==(const StaffSessionRecord&) const = default;
};

// An identity document checked for a termination: the holder's own (store,
// mail) or the attorney's (proxy). Personal data: never logged, served only to
// the owning operator.
struct DocumentCheckRecord {
  std::string id;  // "doc_" + 24 hex
  std::int64_t operator_id = 0;
  std::string termination_id;
  std::string role;  // "holder" | "attorney"
  DocumentKind kind = DocumentKind::kIin;
  std::string number;
  std::string country;       // ISO 3166 alpha-3; "KAZ" for an IIN
  std::string full_name;     // as on the document (Latin or Cyrillic)
  std::string iin;           // when the document carries one
  std::string birth_date;    // YYYY-MM-DD, empty when unknown
  std::string expiry_date;   // YYYY-MM-DD, empty for an IIN
  bool mrz_checked = false;  // the MRZ was read and every check digit held
  std::string checked_by;    // actor
  UnixSeconds checked_at = 0;

  bool operator==(const DocumentCheckRecord&) const = default;
};

// The power of attorney an attorney presented (proxy channel). One per termination.
struct PowerOfAttorneyRecord {
  std::string termination_id;
  std::int64_t operator_id = 0;
  std::string number;
  std::string issued_on;             // YYYY-MM-DD
  std::string valid_until;           // YYYY-MM-DD (inclusive)
  std::string issuer;                // notary or issuing body
  std::string principal_document;    // the holder's IIN or passport number, as written
  std::vector<std::string> scope;    // e.g. {"termination"}
  std::string attorney_document_id;  // DocumentCheckRecord::id
  UnixSeconds created_at = 0;

  bool operator==(const PowerOfAttorneyRecord&) const = default;
};

// A scanned file (posted application, power of attorney). The bytes live in
// the blob store under storage_key; the row says whose they are.
struct UploadRecord {
  std::string id;  // "upl_" + 24 hex
  std::int64_t operator_id = 0;
  std::string termination_id;  // empty until attached to a request
  std::string content_type;    // "application/pdf", "image/jpeg", "image/png" (sniffed)
  std::string file_name;       // as uploaded, for display only
  std::int64_t size = 0;
  std::string sha256;       // hex of the content
  std::string storage_key;  // where the blob store keeps it
  std::string uploaded_by;  // actor
  UnixSeconds created_at = 0;

  bool operator==(const UploadRecord&) const = default;
};

// The holder's confirmation of a phone request: a code sent to the line, or the
// link in the same SMS. One per termination.
struct ConfirmationRecord {
  std::string termination_id;
  std::string code_hash;        // hex; never the code
  std::string salt;             // hex
  std::string link_token_hash;  // hex; never the token
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
  int attempts = 0;  // wrong codes so far
  int max_attempts = 5;
  std::optional<UnixSeconds> confirmed_at;

  bool operator==(const ConfirmationRecord&) const = default;
};

struct JobFilter {
  std::optional<JobState> state;
  std::optional<std::string> kind;
  int limit = 100;
};

class StoreTx {
 public:
  virtual ~StoreTx() = default;

  // Operators.
  virtual Result<std::int64_t> InsertOperator(const OperatorRecord& op) = 0;
  virtual Result<void> UpdateOperator(const OperatorRecord& op) = 0;
  virtual Result<OperatorRecord> GetOperator(std::int64_t id) = 0;
  virtual Result<OperatorRecord> GetOperatorByCode(const std::string& code) = 0;
  virtual Result<std::vector<OperatorRecord>> ListOperators() = 0;

  // Holders.
  virtual Result<std::int64_t> InsertHolder(const HolderRecord& holder) = 0;
  virtual Result<HolderRecord> GetHolder(std::int64_t id) = 0;

  // Lines. MSISDN, ICCID and IMSI are unique across all lines.
  virtual Result<std::int64_t> InsertLine(const LineRecord& line) = 0;
  virtual Result<void> UpdateLine(const LineRecord& line) = 0;
  virtual Result<LineRecord> GetLine(std::int64_t id) = 0;
  virtual Result<LineRecord> GetLineByMsisdn(const std::string& msisdn) = 0;
  virtual Result<std::vector<LineRecord>> ListLines(std::optional<std::int64_t> operator_id,
                                                    int limit) = 0;
  // Lines of `operator_id` (nullopt: every operator) whose ICCID is `iccid`,
  // or whose holder's document number or IIN is `holder_document` (compared
  // as stored: upper case, no spaces). An empty criterion matches nothing.
  // By id, at most `limit`.
  virtual Result<std::vector<LineRecord>> FindLines(std::optional<std::int64_t> operator_id,
                                                    const std::string& iccid,
                                                    const std::string& holder_document,
                                                    int limit) = 0;

  // Terminations and their audit trail.
  virtual Result<void> InsertTermination(const TerminationRecord& termination) = 0;
  virtual Result<void> UpdateTermination(const TerminationRecord& termination) = 0;
  virtual Result<TerminationRecord> GetTermination(const std::string& id) = 0;
  // The termination of this line that is not in a final state, if any.
  virtual Result<std::optional<TerminationRecord>> FindOpenTermination(std::int64_t line_id) = 0;
  virtual Result<std::vector<TerminationRecord>> ListTerminations(
      const TerminationFilter& filter) = 0;
  virtual Result<std::int64_t> AppendEvent(const TerminationEventRecord& event) = 0;
  virtual Result<std::vector<TerminationEventRecord>> ListEvents(
      const std::string& termination_id) = 0;

  // Ledger. InsertPosting refuses an unbalanced posting (kInternal, problem code
  // "unbalanced_posting"). At most one posting of a kind per termination
  // (kAlreadyExists "duplicate"): this is what makes settlement exactly-once.
  virtual Result<std::int64_t> InsertPosting(const PostingRecord& posting) = 0;
  virtual Result<std::vector<PostingRecord>> ListPostings(std::optional<std::int64_t> line_id) = 0;
  // Sum of all ledger entries (0 in a healthy ledger).
  virtual Result<Money> LedgerTotal() = 0;

  // Jobs. EnqueueJob with a dedupe_key already used returns that job's id and
  // changes nothing.
  virtual Result<std::int64_t> EnqueueJob(const JobRecord& job) = 0;
  // Leases up to `limit` due jobs (pending with run_at <= now, or running with an
  // expired lease) to `owner` until now + lease_seconds, incrementing attempts.
  virtual Result<std::vector<JobRecord>> ClaimJobs(const std::string& owner, UnixSeconds now,
                                                   int lease_seconds, int limit) = 0;
  // Marks a leased job done. kFailedPrecondition "lease_lost" when `owner` no
  // longer holds the lease (another worker took it over).
  virtual Result<void> CompleteJob(std::int64_t id, const std::string& owner) = 0;
  // Returns a leased job to pending at `retry_at`, or dead-letters it when
  // `dead` is true. Records `error`.
  virtual Result<void> FailJob(std::int64_t id, const std::string& owner, const std::string& error,
                               UnixSeconds retry_at, bool dead) = 0;
  // Releases every lease held by `owner` (graceful shutdown): back to pending,
  // attempts not counted.
  virtual Result<void> ReleaseLeases(const std::string& owner) = 0;
  // Puts a dead (or pending) job back to pending, due now, with attempts reset.
  virtual Result<void> RetryJob(std::int64_t id, UnixSeconds now) = 0;
  virtual Result<JobRecord> GetJob(std::int64_t id) = 0;
  virtual Result<std::vector<JobRecord>> ListJobs(const JobFilter& filter) = 0;
  // Deletes the pending jobs whose dedupe_key is `key` or starts with `key:`
  // (all the steps of one termination: "start_termination:trm_1" also takes
  // "start_termination:trm_1:…"), so work that no longer applies is not left
  // waiting. Running, done and dead jobs are kept. Returns how many went.
  virtual Result<std::int64_t> DropPendingJobs(const std::string& key) = 0;

  // Idempotency keys.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& scope,
                                                                   const std::string& key) = 0;
  virtual Result<void> InsertIdempotency(const IdempotencyRecord& record) = 0;

  // Sign-in codes (the confirmation codes of phone requests are confirmations).
  virtual Result<std::int64_t> InsertSignInCode(const SignInCodeRecord& code) = 0;
  virtual Result<void> UpdateSignInCode(const SignInCodeRecord& code) = 0;
  // The newest sign-in code issued for the number, consumed or not.
  virtual Result<std::optional<SignInCodeRecord>> LatestSignInCode(const std::string& msisdn) = 0;
  // Sign-in codes issued for the number at or after `since`.
  virtual Result<int> CountSignInCodesSince(const std::string& msisdn, UnixSeconds since) = 0;

  // Holder sessions (bearer tokens from signing in with a sign-in code).
  virtual Result<void> InsertSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) = 0;

  // API keys.
  virtual Result<std::int64_t> InsertApiKey(const ApiKeyRecord& key) = 0;
  virtual Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& key_hash) = 0;

  // Certificates. One per termination (kAlreadyExists "duplicate" otherwise).
  virtual Result<void> InsertCertificate(const CertificateRecord& certificate) = 0;
  virtual Result<std::optional<CertificateRecord>> FindCertificateForTermination(
      const std::string& termination_id) = 0;
  // General audit trail. Newest first.
  virtual Result<std::int64_t> AppendAudit(const AuditRecord& record) = 0;
  virtual Result<std::vector<AuditRecord>> ListAudit(const std::string& subject, int limit) = 0;
  // How many records match, and the newest (sign-in throttling counts attempts
  // with this; uses the (subject, id) index).
  virtual Result<AuditTally> TallyAudit(const AuditQuery& query) = 0;

  // Sign-in housekeeping (sqlite_sign_in_sweep.cpp). Deletes at most `batch`
  // sign-in code challenges among the `batch` oldest, those created before
  // `created_before` and expired at `now`; returns how many it deleted.
  virtual Result<std::int64_t> SweepSignInCodes(UnixSeconds created_before, UnixSeconds now,
                                                int batch) = 0;

  // SMS outbox.
  virtual Result<std::int64_t> InsertSms(const SmsRecord& sms) = 0;
  virtual Result<void> UpdateSms(const SmsRecord& sms) = 0;
  virtual Result<SmsRecord> GetSms(std::int64_t id) = 0;
  virtual Result<std::vector<SmsRecord>> ListSms(const SmsFilter& filter) = 0;

  // Staff. Usernames are unique (kAlreadyExists "duplicate").
  virtual Result<std::int64_t> InsertStaff(const StaffRecord& staff) = 0;
  virtual Result<void> UpdateStaff(const StaffRecord& staff) = 0;
  virtual Result<StaffRecord> GetStaff(std::int64_t id) = 0;
  virtual Result<std::optional<StaffRecord>> FindStaffByUsername(const std::string& username) = 0;
  // All staff of the operator (every operator when nullopt), by id.
  virtual Result<std::vector<StaffRecord>> ListStaff(std::optional<std::int64_t> operator_id) = 0;
  virtual Result<void> InsertStaffSession(const StaffSessionRecord& session) = 0;
  virtual Result<std::optional<StaffSessionRecord>> FindStaffSession(
      const std::string& token_hash) = 0;
  // Sets revoked_at on the session (logout). kNotFound when absent.
  virtual Result<void> RevokeStaffSession(const std::string& token_hash, UnixSeconds at) = 0;
  // Sets revoked_at on every unrevoked session of the staff member.
  virtual Result<void> RevokeStaffSessions(std::int64_t staff_id, UnixSeconds at) = 0;

  // Documents checked for terminations.
  virtual Result<void> InsertDocumentCheck(const DocumentCheckRecord& document) = 0;
  virtual Result<DocumentCheckRecord> GetDocumentCheck(const std::string& id) = 0;
  virtual Result<std::vector<DocumentCheckRecord>> ListDocumentChecks(
      const std::string& termination_id) = 0;

  // Powers of attorney. One per termination (kAlreadyExists "duplicate").
  virtual Result<void> InsertPowerOfAttorney(const PowerOfAttorneyRecord& poa) = 0;
  virtual Result<std::optional<PowerOfAttorneyRecord>> FindPowerOfAttorney(
      const std::string& termination_id) = 0;

  // Uploads.
  virtual Result<void> InsertUpload(const UploadRecord& upload) = 0;
  virtual Result<void> UpdateUpload(const UploadRecord& upload) = 0;
  virtual Result<UploadRecord> GetUpload(const std::string& id) = 0;
  virtual Result<std::vector<UploadRecord>> ListUploads(const std::string& termination_id) = 0;

  // Phone confirmations. One per termination (kAlreadyExists "duplicate").
  virtual Result<void> InsertConfirmation(const ConfirmationRecord& confirmation) = 0;
  virtual Result<void> UpdateConfirmation(const ConfirmationRecord& confirmation) = 0;
  virtual Result<std::optional<ConfirmationRecord>> FindConfirmation(
      const std::string& termination_id) = 0;
  virtual Result<std::optional<ConfirmationRecord>> FindConfirmationByLink(
      const std::string& link_token_hash) = 0;

  // Next value of a named counter, starting at 1 (certificate serials).
  virtual Result<std::int64_t> NextSequence(const std::string& name) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies numbered migrations not yet applied; records them. Idempotent.
  virtual Result<void> Migrate() = 0;
  // Versions of the migrations applied, ascending.
  virtual Result<std::vector<int>> AppliedMigrations() = 0;

  // Runs `fn` in one transaction; commits when it returns a value, rolls back
  // when it returns an error. Not re-entrant: do not call Transact from `fn`.
  virtual Result<void> Transact(const std::function<Result<void>(StoreTx&)>& fn) = 0;
};

// Transact returning a value computed inside the transaction.
template <typename T, typename Fn>
Result<T> TransactValue(Store& store, Fn&& fn) {
  std::optional<T> out;
  Result<void> done = store.Transact([&](StoreTx& tx) -> Result<void> {
    Result<T> value = fn(tx);
    if (!value) {
      return Fail(value.error());
    }
    out = std::move(*value);
    return {};
  });
  if (!done) {
    return Fail(done.error());
  }
  return std::move(*out);
}

}  // namespace simexit
