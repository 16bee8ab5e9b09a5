#pragma once
// The StoreTx that PostgresStore::Transact hands to its callback, private to the
// PostgreSQL adapter.
//
// One class implements the whole port; its methods are defined in one file per
// aggregate (each file holds that aggregate's SQL, row readers and methods):
//   pg_operators.cpp    operators, API keys
//   pg_lines.cpp        holders, lines
//   pg_terminations.cpp terminations, their events, certificates, sequences
//   pg_ledger.cpp       postings and ledger entries
//   pg_jobs.cpp         the job queue
//   pg_idempotency.cpp  idempotency keys
//   pg_idempotent_requests.cpp  idempotent requests (claims and answers)
//   pg_staff.cpp        staff and their sessions, holder sessions, OTP challenges
//   pg_evidence.cpp     document checks, powers of attorney, uploads, confirmations
//   pg_sms.cpp          the SMS outbox
//   pg_audit.cpp        the general audit trail
//   pg_sign_in_sweep.cpp  deleting sign-in rows no rule reads any more
//   pg_number_recycling.cpp  recycling check clients, their checks, number history
//   pg_events.cpp       the event outbox, webhook endpoints and their deliveries
//   pg_bulk_terminations.cpp  bulk closures and their lines
//   pg_reactivations.cpp  reactivations, their events, a line's last closure
// Each method prepares, binds and steps through pg::Connection (one call;
// see pg_db.hpp). A PgTx lives only for one Transact callback and is
// used from that callback's thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/adapters/postgres/pg_db.hpp"
#include "simexit/ports/store.hpp"

namespace simexit::pg {

// kNotFound "not_found", "<what> not found".
Error NotFound(std::string_view what);
// kNotFound with its own reason: the tables of migration 0004 name the missing
// thing in the reason ("staff_not_found"), so services can pass it through.
Error NotFoundAs(std::string_view reason, std::string_view what);
// kInternal "corrupt_row": a stored value that does not parse back.
Error Corrupt(std::string_view table, std::string_view column);

// A LIMIT parameter: a limit <= 0 returns nothing.
inline std::int64_t ClampLimit(int limit) { return limit > 0 ? limit : 0; }

// Reads an enum column with `parse` (text -> std::optional<E>), or reports the
// row as corrupt.
template <typename Parse>
auto ParseColumn(const Row& row, int column, Parse parse, std::string_view table,
                 std::string_view name) -> Result<typename decltype(parse(""))::value_type> {
  auto parsed = parse(row.Text(column));
  if (!parsed) {
    return Fail(Corrupt(table, name));
  }
  return *parsed;
}

// Reads a date column: "YYYY-MM-DD", or reports the row as corrupt.
inline Result<CivilDate> DateColumn(const Row& row, int column, std::string_view table,
                                    std::string_view name) {
  Result<CivilDate> date = ParseIsoDate(row.Text(column));
  if (!date) {
    return Fail(Corrupt(table, name));
  }
  return *date;
}

// Reads a date column where '' means none (TEXT NOT NULL DEFAULT ''): nullopt,
// the date, or the row reported as corrupt.
inline Result<std::optional<CivilDate>> OptionalDateColumn(const Row& row, int column,
                                                           std::string_view table,
                                                           std::string_view name) {
  if (row.Text(column).empty()) {
    return std::optional<CivilDate>();
  }
  SIMEXIT_ASSIGN_OR_RETURN(CivilDate date, DateColumn(row, column, table, name));
  return std::optional<CivilDate>(date);
}

// The row a Get* asked for: NotFoundAs(reason, what) when absent.
template <typename T>
Result<T> Required(Result<std::optional<T>> found, std::string_view what,
                   std::string_view reason = "not_found") {
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<T> row, std::move(found));
  if (!row) {
    return Fail(NotFoundAs(reason, what));
  }
  return std::move(*row);
}

// An UPDATE of one row by key: NotFoundAs(reason, what) when no row matched.
inline Result<void> ChangedOne(Result<std::int64_t> changed, std::string_view what,
                               std::string_view reason = "not_found") {
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t rows, std::move(changed));
  if (rows == 0) {
    return Fail(NotFoundAs(reason, what));
  }
  return {};
}

class PgTx final : public StoreTx {
 public:
  explicit PgTx(Connection& conn) : conn_(conn) {}

  // pg_operators.cpp
  Result<std::int64_t> InsertOperator(const OperatorRecord& op) override;
  Result<void> UpdateOperator(const OperatorRecord& op) override;
  Result<OperatorRecord> GetOperator(std::int64_t id) override;
  Result<OperatorRecord> GetOperatorByCode(const std::string& code) override;
  Result<std::vector<OperatorRecord>> ListOperators() override;
  Result<std::int64_t> InsertApiKey(const ApiKeyRecord& key) override;
  Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& key_hash) override;

  // pg_lines.cpp
  Result<std::int64_t> InsertHolder(const HolderRecord& holder) override;
  Result<HolderRecord> GetHolder(std::int64_t id) override;
  Result<std::int64_t> InsertLine(const LineRecord& line) override;
  Result<void> UpdateLine(const LineRecord& line) override;
  Result<LineRecord> GetLine(std::int64_t id) override;
  Result<LineRecord> GetLineByMsisdn(const Msisdn& msisdn) override;
  Result<std::vector<LineRecord>> ListLines(std::optional<std::int64_t> operator_id,
                                            int limit) override;
  Result<std::vector<LineRecord>> FindLines(std::optional<std::int64_t> operator_id,
                                            const std::optional<Iccid>& iccid,
                                            const std::string& holder_document, int limit) override;
  Result<std::int64_t> RecordPaidActivity(const std::vector<PaidActivity>& activity,
                                          UnixSeconds updated_at) override;
  Result<std::vector<DormantLine>> ListDormantLines(std::int64_t operator_id,
                                                    UnixSeconds idle_since,
                                                    std::optional<DormantCursor> after,
                                                    int limit) override;
  Result<void> RecordDormancyWarning(std::int64_t line_id, std::int64_t operator_id,
                                     DormancyWarning which, UnixSeconds at) override;
  Result<void> RecordLineKept(std::int64_t line_id, std::int64_t operator_id,
                              UnixSeconds at) override;
  Result<DormancyMarks> GetDormancyMarks(std::int64_t line_id) override;

  // pg_terminations.cpp
  Result<void> InsertTermination(const TerminationRecord& termination) override;
  Result<void> UpdateTermination(const TerminationRecord& termination) override;
  Result<TerminationRecord> GetTermination(const std::string& id) override;
  Result<std::optional<TerminationRecord>> FindOpenTermination(std::int64_t line_id) override;
  Result<std::vector<TerminationRecord>> ListTerminations(const TerminationFilter& filter) override;
  Result<TerminationTally> TallyTerminations(std::optional<std::int64_t> operator_id,
                                             UnixSeconds since,
                                             std::int64_t utc_offset_seconds) override;
  Result<std::int64_t> AppendEvent(const TerminationEventRecord& event) override;
  Result<std::vector<TerminationEventRecord>> ListEvents(
      const std::string& termination_id) override;
  Result<void> InsertCertificate(const CertificateRecord& certificate) override;
  Result<std::optional<CertificateRecord>> FindCertificateForTermination(
      const std::string& termination_id) override;
  Result<std::optional<CertificateRecord>> FindCertificateBySerial(
      const std::string& serial) override;
  Result<std::int64_t> NextSequence(const std::string& name) override;

  // pg_invariants.cpp
  Result<std::vector<InvariantViolation>> CheckInvariants(UnixSeconds now, int limit) override;

  // pg_ledger.cpp
  Result<std::int64_t> InsertPosting(const PostingRecord& posting) override;
  Result<std::vector<PostingRecord>> ListPostings(std::optional<std::int64_t> line_id) override;
  Result<Money> LedgerTotal() override;

  // pg_jobs.cpp
  Result<std::int64_t> EnqueueJob(const JobRecord& job) override;
  Result<std::vector<JobRecord>> ClaimJobs(const std::string& owner, UnixSeconds now,
                                           int lease_seconds, int limit) override;
  Result<std::vector<JobRecord>> ClaimJobsOfKind(const std::string& owner, UnixSeconds now,
                                                 int lease_seconds, int limit,
                                                 const std::string& kind) override;
  Result<void> CompleteJob(std::int64_t id, const std::string& owner) override;
  Result<void> FailJob(std::int64_t id, const std::string& owner, const std::string& error,
                       UnixSeconds retry_at, bool dead) override;
  Result<void> ReleaseLeases(const std::string& owner) override;
  Result<std::int64_t> RenewLeases(const std::string& owner, UnixSeconds lease_until) override;
  Result<void> RetryJob(std::int64_t id, UnixSeconds now) override;
  Result<JobRecord> GetJob(std::int64_t id) override;
  Result<std::vector<JobRecord>> ListJobs(const JobFilter& filter) override;
  Result<std::int64_t> DropPendingJobs(const std::string& key) override;

  // pg_idempotency.cpp
  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& scope,
                                                           const std::string& key) override;
  Result<void> InsertIdempotency(const IdempotencyRecord& record) override;
  Result<std::int64_t> SweepIdempotency(UnixSeconds created_before, int limit) override;

  // pg_idempotent_requests.cpp
  Result<std::optional<IdempotentRequestRecord>> FindIdempotentRequest(
      const std::string& scope, const std::string& key) override;
  Result<void> InsertIdempotentRequest(const IdempotentRequestRecord& record) override;
  Result<bool> TakeOverIdempotentRequest(const std::string& scope, const std::string& key,
                                         const std::string& old_claim_id,
                                         const std::string& new_claim_id, UnixSeconds now) override;
  Result<bool> FinishIdempotentRequest(const std::string& scope, const std::string& key,
                                       const std::string& claim_id,
                                       const StoredResponse& response) override;
  Result<bool> DeleteIdempotentRequest(const std::string& scope, const std::string& key,
                                       const std::string& claim_id) override;
  Result<std::int64_t> SweepIdempotentRequests(UnixSeconds claimed_before, int limit) override;

  // pg_staff.cpp
  Result<std::int64_t> InsertSignInCode(const SignInCodeRecord& code) override;
  Result<void> UpdateSignInCode(const SignInCodeRecord& code) override;
  Result<std::optional<SignInCodeRecord>> LatestSignInCode(const Msisdn& msisdn) override;
  Result<int> CountSignInCodesSince(const Msisdn& msisdn, UnixSeconds since) override;
  Result<void> InsertSession(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override;
  Result<void> RevokeSession(const std::string& token_hash) override;
  Result<std::int64_t> InsertStaff(const StaffRecord& staff) override;
  Result<void> UpdateStaff(const StaffRecord& staff) override;
  Result<StaffRecord> GetStaff(std::int64_t id) override;
  Result<std::optional<StaffRecord>> FindStaffByUsername(const std::string& username) override;
  Result<std::vector<StaffRecord>> ListStaff(std::optional<std::int64_t> operator_id) override;
  Result<void> InsertStaffSession(const StaffSessionRecord& session) override;
  Result<std::optional<StaffSessionRecord>> FindStaffSession(
      const std::string& token_hash) override;
  Result<void> RevokeStaffSession(const std::string& token_hash, UnixSeconds at) override;
  Result<void> RevokeStaffSessions(std::int64_t staff_id, UnixSeconds at) override;

  // pg_audit.cpp
  Result<std::int64_t> AppendAudit(const AuditRecord& record) override;
  Result<std::vector<AuditRecord>> ListAudit(const std::string& subject, int limit) override;
  Result<AuditTally> TallyAudit(const AuditQuery& query) override;

  // AuditChainRepository (pg_audit_chain.cpp)
  Result<std::vector<std::int64_t>> ListChains() override;
  Result<std::vector<ChainLink>> ListChainLinks(std::int64_t operator_id, std::int64_t after_seq,
                                                int limit) override;
  Result<std::vector<std::string>> ListUnchainedRecords(int limit) override;
  // Appends the link of a record just inserted: `kind` and `record_id` name it,
  // `record_json` is its canonical form (ChainRecordJson).
  Result<void> AppendChainLink(std::int64_t operator_id, std::string_view kind,
                               std::int64_t record_id, UnixSeconds at,
                               std::string_view record_json);

  // pg_sign_in_sweep.cpp
  Result<std::int64_t> SweepSignInCodes(UnixSeconds created_before, UnixSeconds now,
                                        int batch) override;

  // pg_sms.cpp
  Result<std::int64_t> InsertSms(const SmsRecord& sms) override;
  Result<void> UpdateSms(const SmsRecord& sms) override;
  Result<SmsRecord> GetSms(std::int64_t id) override;
  Result<std::vector<SmsRecord>> ListSms(const SmsFilter& filter) override;

  // pg_evidence.cpp
  Result<void> InsertDocumentCheck(const DocumentCheckRecord& document) override;
  Result<DocumentCheckRecord> GetDocumentCheck(const std::string& id) override;
  Result<std::vector<DocumentCheckRecord>> ListDocumentChecks(
      const std::string& termination_id) override;
  Result<void> InsertPowerOfAttorney(const PowerOfAttorneyRecord& poa) override;
  Result<std::optional<PowerOfAttorneyRecord>> FindPowerOfAttorney(
      const std::string& termination_id) override;
  Result<void> InsertUpload(const UploadRecord& upload) override;
  Result<void> UpdateUpload(const UploadRecord& upload) override;
  Result<UploadRecord> GetUpload(const std::string& id) override;
  Result<std::vector<UploadRecord>> ListUploads(const std::string& termination_id) override;
  Result<void> InsertConfirmation(const ConfirmationRecord& confirmation) override;
  Result<void> UpdateConfirmation(const ConfirmationRecord& confirmation) override;
  Result<std::optional<ConfirmationRecord>> FindConfirmation(
      const std::string& termination_id) override;
  Result<std::optional<ConfirmationRecord>> FindConfirmationByLink(
      const std::string& link_token_hash) override;

  // pg_reactivations.cpp
  Result<void> InsertReactivation(const ReactivationRecord& reactivation) override;
  Result<void> UpdateReactivation(const ReactivationRecord& reactivation) override;
  Result<ReactivationRecord> GetReactivation(const std::string& id) override;
  Result<std::optional<ReactivationRecord>> FindOpenReactivation(std::int64_t line_id) override;
  Result<std::vector<ReactivationRecord>> ListReactivations(
      const ReactivationFilter& filter) override;
  Result<std::int64_t> AppendReactivationEvent(const ReactivationEventRecord& event) override;
  Result<std::vector<ReactivationEventRecord>> ListReactivationEvents(
      const std::string& reactivation_id) override;
  Result<std::optional<LineClosure>> FindLastClosure(std::int64_t line_id) override;
  Result<std::optional<std::int64_t>> FindLineUsingSim(const Iccid& iccid, const Imsi& imsi,
                                                       std::int64_t except_line_id) override;
  // pg_number_recycling.cpp
  Result<std::int64_t> InsertRecyclingClient(const NumberRecyclingClientRecord& client) override;
  Result<NumberRecyclingClientRecord> GetRecyclingClient(std::int64_t id) override;
  Result<std::optional<NumberRecyclingClientRecord>> FindRecyclingClient(
      const std::string& key_hash) override;
  Result<std::vector<NumberRecyclingClientRecord>> ListRecyclingClients(
      std::optional<std::int64_t> operator_id) override;
  Result<void> RevokeRecyclingClient(std::int64_t id, UnixSeconds at) override;
  Result<std::optional<NumberHistory>> FindNumberHistory(const Msisdn& msisdn) override;
  Result<void> AppendRecyclingChecks(
      const std::vector<NumberRecyclingCheckRecord>& checks) override;
  Result<std::vector<NumberRecyclingCheckRecord>> ListRecyclingChecks(std::int64_t client_id,
                                                                      int limit) override;
  Result<std::vector<DisconnectionRecord>> ListDisconnections(
      std::optional<std::int64_t> operator_id, UnixSeconds since) override;
  // pg_events.cpp
  Result<std::int64_t> AppendOutboxEvent(const OutboxEventRecord& event) override;
  Result<OutboxEventRecord> GetOutboxEvent(std::int64_t id) override;
  Result<std::vector<OutboxEventRecord>> ListOutboxEvents(std::optional<std::int64_t> operator_id,
                                                          std::int64_t after_id,
                                                          int limit) override;
  Result<std::int64_t> InsertWebhookDelivery(const WebhookDeliveryRecord& delivery) override;
  Result<void> UpdateWebhookDelivery(const WebhookDeliveryRecord& delivery) override;
  Result<WebhookDeliveryRecord> GetWebhookDelivery(std::int64_t id) override;
  Result<std::vector<WebhookDeliveryRecord>> ListWebhookDeliveries(
      const WebhookDeliveryFilter& filter) override;
  Result<std::optional<WebhookDeliveryRecord>> FirstPendingWebhookDelivery(
      std::int64_t endpoint_id, const std::string& ordering_key) override;
  Result<std::int64_t> InsertWebhookEndpoint(const WebhookEndpointRecord& endpoint) override;
  Result<WebhookEndpointRecord> GetWebhookEndpoint(std::int64_t id) override;
  Result<std::vector<WebhookEndpointRecord>> ListWebhookEndpoints(
      std::optional<std::int64_t> operator_id) override;
  Result<void> RemoveWebhookEndpoint(std::int64_t id, UnixSeconds at) override;
  // pg_bulk_terminations.cpp
  Result<std::vector<LineOwner>> FindLineOwners(const std::vector<Msisdn>& msisdns) override;
  Result<void> InsertBulkTermination(const BulkTerminationRecord& bulk,
                                     const std::vector<BulkLineRecord>& lines) override;
  Result<BulkTerminationRecord> GetBulkTermination(const std::string& id) override;
  Result<std::vector<BulkLineRecord>> ListPendingBulkLines(const std::string& bulk_id,
                                                           int limit) override;
  Result<bool> FinishBulkLine(const BulkLineRecord& line) override;
  Result<BulkProgress> GetBulkProgress(const std::string& bulk_id) override;
  Result<std::vector<BulkFailure>> ListBulkFailures(const std::string& bulk_id, int limit) override;

 private:
  // pg_ledger.cpp: the rows of InsertPosting, inside its savepoint.
  Result<std::int64_t> InsertPostingRows(const PostingRecord& record);
  // pg_jobs.cpp: tells a missing job from a lost lease or a wrong state.
  Result<void> JobNotChanged(std::int64_t id, Error if_exists);

  Connection& conn_;
};

}  // namespace simexit::pg
