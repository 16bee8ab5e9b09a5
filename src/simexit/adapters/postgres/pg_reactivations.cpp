// Reactivations, their event trail, and the line questions only a
// reactivation asks (a line's last closure, a SIM in use).

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

#define SIMEXIT_REACTIVATION_COLUMNS                                                         \
  "id, operator_id, line_id, holder_id, termination_id, msisdn, channel, state, iccid, "     \
  "imsi, new_sim, closed_at, postmarked_on, requested_by, reviewed_by, reason, created_at, " \
  "updated_at"
constexpr const char* kInsertReactivation =
    "INSERT INTO reactivations (" SIMEXIT_REACTIVATION_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
constexpr const char* kUpdateReactivation = R"sql(
UPDATE reactivations SET operator_id = $2, line_id = $3, holder_id = $4, termination_id = $5,
                         msisdn = $6, channel = $7, state = $8, iccid = $9, imsi = $10,
                         new_sim = $11, closed_at = $12, postmarked_on = $13, requested_by = $14,
                         reviewed_by = $15, reason = $16, updated_at = $18
WHERE id = $1)sql";
constexpr const char* kGetReactivation =
    "SELECT " SIMEXIT_REACTIVATION_COLUMNS " FROM reactivations WHERE id = $1";
// The NOT IN list matches the partial index reactivations_one_open.
constexpr const char* kFindOpenReactivation =
    "SELECT " SIMEXIT_REACTIVATION_COLUMNS
    " FROM reactivations"
    " WHERE line_id = $1 AND state NOT IN ('reactivated', 'rejected', 'refused')";
constexpr const char* kListReactivations =
    "SELECT " SIMEXIT_REACTIVATION_COLUMNS
    " FROM reactivations WHERE ($1 IS NULL OR operator_id = $1) AND ($2 IS NULL OR state = $2)"
    " ORDER BY created_at DESC, id DESC LIMIT $3";
#undef SIMEXIT_REACTIVATION_COLUMNS

constexpr const char* kInsertEvent = R"sql(
INSERT INTO reactivation_events (reactivation_id, event, from_state, to_state, actor, channel,
                                 detail, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id)sql";
constexpr const char* kListEvents = R"sql(
SELECT id, reactivation_id, event, from_state, to_state, actor, channel, detail, at
FROM reactivation_events WHERE reactivation_id = $1 ORDER BY id)sql";

// The line's terminated terminations (index terminations_line_state), each with
// its move into 'terminated' (index termination_events_to_state); the latest.
constexpr const char* kLastClosure = R"sql(
SELECT t.id, COALESCE(t.holder_id, 0), MAX(e.at) AS closed_at FROM terminations t
  JOIN termination_events e ON e.termination_id = t.id AND e.to_state = 'terminated'
WHERE t.line_id = $1 AND t.state = 'terminated'
GROUP BY t.id, t.holder_id
ORDER BY closed_at DESC, t.id DESC LIMIT 1)sql";

constexpr const char* kLineUsingSim = R"sql(
SELECT id FROM lines WHERE (iccid = $1 OR imsi = $2) AND id <> $3 ORDER BY id LIMIT 1)sql";

Result<ReactivationRecord> ReadReactivation(const Row& row) {
  ReactivationRecord r;
  r.id = row.Text(0);
  r.operator_id = row.Int64(1);
  r.line_id = row.Int64(2);
  r.holder_id = row.Int64(3);
  r.termination_id = row.Text(4);
  r.msisdn = Msisdn::FromStored(row.Text(5));
  SIMEXIT_ASSIGN_OR_RETURN(r.channel,
                           ParseColumn(row, 6, ParseChannel, "reactivations", "channel"));
  SIMEXIT_ASSIGN_OR_RETURN(r.state,
                           ParseColumn(row, 7, ParseReactivationState, "reactivations", "state"));
  r.iccid = Iccid::FromStored(row.Text(8));
  r.imsi = Imsi::FromStored(row.Text(9));
  r.new_sim = row.Int64(10) != 0;
  r.closed_at = row.Int64(11);
  SIMEXIT_ASSIGN_OR_RETURN(r.postmarked_on,
                           OptionalDateColumn(row, 12, "reactivations", "postmarked_on"));
  r.requested_by = row.Text(13);
  r.reviewed_by = row.Text(14);
  r.reason = row.Text(15);
  r.created_at = row.Int64(16);
  r.updated_at = row.Int64(17);
  return r;
}

// Insert and update bind the same 18 parameters (the update skips $17,
// created_at): `write(args...)` runs the statement with them.
template <typename Write>
Result<std::int64_t> WriteReactivation(const ReactivationRecord& r, Write write) {
  return write(r.id, r.operator_id, r.line_id, r.holder_id, r.termination_id, r.msisdn,
               ToString(r.channel), ToString(r.state), r.iccid, r.imsi, r.new_sim, r.closed_at,
               r.postmarked_on, r.requested_by, r.reviewed_by, r.reason, r.created_at,
               r.updated_at);
}

ReactivationEventRecord ReadEvent(const Row& row) {
  ReactivationEventRecord e;
  e.id = row.Int64(0);
  e.reactivation_id = row.Text(1);
  e.event = row.Text(2);
  e.from_state = row.Text(3);
  e.to_state = row.Text(4);
  e.actor = row.Text(5);
  e.channel = row.Text(6);
  e.detail = row.Text(7);
  e.at = row.Int64(8);
  return e;
}

LineClosure ReadClosure(const Row& row) {
  return LineClosure{row.Text(0), row.Int64(1), row.Int64(2)};
}

}  // namespace

Result<void> PgTx::InsertReactivation(const ReactivationRecord& r) {
  // The id is the record's own (text): nothing to return.
  SIMEXIT_TRY(WriteReactivation(r, [&](const auto&... args) -> Result<std::int64_t> {
    SIMEXIT_TRY(conn_.Run(kInsertReactivation, "reactivations", args...));
    return 0;
  }));
  return {};
}

Result<void> PgTx::UpdateReactivation(const ReactivationRecord& r) {
  return ChangedOne(WriteReactivation(r,
                                      [&](const auto&... args) {
                                        return conn_.Change(kUpdateReactivation, "reactivations",
                                                            args...);
                                      }),
                    "reactivation");
}

Result<ReactivationRecord> PgTx::GetReactivation(const std::string& id) {
  return Required(conn_.QueryOne(kGetReactivation, "reactivations", ReadReactivation, id),
                  "reactivation");
}

Result<std::optional<ReactivationRecord>> PgTx::FindOpenReactivation(std::int64_t line_id) {
  return conn_.QueryOne(kFindOpenReactivation, "reactivations", ReadReactivation, line_id);
}

Result<std::vector<ReactivationRecord>> PgTx::ListReactivations(const ReactivationFilter& filter) {
  std::optional<std::string> state;
  if (filter.state) {
    state = ToString(*filter.state);
  }
  return conn_.QueryAll(kListReactivations, "reactivations", ReadReactivation, filter.operator_id,
                        state, ClampLimit(filter.limit));
}

Result<std::int64_t> PgTx::AppendReactivationEvent(const ReactivationEventRecord& e) {
  return conn_.Insert(kInsertEvent, "reactivation_events", e.reactivation_id, e.event, e.from_state,
                      e.to_state, e.actor, e.channel, e.detail, e.at);
}

Result<std::vector<ReactivationEventRecord>> PgTx::ListReactivationEvents(
    const std::string& reactivation_id) {
  return conn_.QueryAll(kListEvents, "reactivation_events", ReadEvent, reactivation_id);
}

Result<std::optional<LineClosure>> PgTx::FindLastClosure(std::int64_t line_id) {
  return conn_.QueryOne(kLastClosure, "terminations", ReadClosure, line_id);
}

Result<std::optional<std::int64_t>> PgTx::FindLineUsingSim(const Iccid& iccid, const Imsi& imsi,
                                                           std::int64_t except_line_id) {
  return conn_.QueryOne(
      kLineUsingSim, "lines", [](const Row& row) { return row.Int64(0); }, iccid, imsi,
      except_line_id);
}

}  // namespace simexit::pg
