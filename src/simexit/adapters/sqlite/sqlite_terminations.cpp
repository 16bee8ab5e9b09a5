// Terminations, their audit trail (events), certificates and the named
// sequences that number certificates.

#include <array>
#include <boost/json.hpp>

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

#define SIMEXIT_TERMINATION_COLUMNS                                                             \
  "id, operator_id, line_id, holder_id, msisdn, channel, state, scheduled_for, refund_method, " \
  "refund_destination, settlement_json, requested_by, reason, certificate_serial, created_at, " \
  "updated_at, review_since, reason_code, reviewed_by, postmarked_on, contact_msisdn"
constexpr const char* kInsertTermination =
    "INSERT INTO terminations (" SIMEXIT_TERMINATION_COLUMNS
    ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21)";
constexpr const char* kUpdateTermination = R"sql(
UPDATE terminations SET operator_id = ?2, line_id = ?3, holder_id = ?4, msisdn = ?5,
                        channel = ?6, state = ?7, scheduled_for = ?8, refund_method = ?9,
                        refund_destination = ?10, settlement_json = ?11, requested_by = ?12,
                        reason = ?13, certificate_serial = ?14, updated_at = ?16,
                        review_since = ?17, reason_code = ?18, reviewed_by = ?19,
                        postmarked_on = ?20, contact_msisdn = ?21
WHERE id = ?1)sql";
constexpr const char* kGetTermination =
    "SELECT " SIMEXIT_TERMINATION_COLUMNS " FROM terminations WHERE id = ?1";
// The NOT IN list matches the partial index terminations_one_open.
constexpr const char* kFindOpenTermination =
    "SELECT " SIMEXIT_TERMINATION_COLUMNS
    " FROM terminations"
    " WHERE line_id = ?1 AND state NOT IN ('terminated', 'rejected', 'cancelled')";
#define SIMEXIT_TERMINATION_FILTER                                         \
  " FROM terminations"                                                     \
  " WHERE (?1 IS NULL OR operator_id = ?1) AND (?2 IS NULL OR state = ?2)" \
  " AND (?3 IS NULL OR msisdn = ?3)"
constexpr const char* kListTerminations =
    "SELECT " SIMEXIT_TERMINATION_COLUMNS SIMEXIT_TERMINATION_FILTER
    " ORDER BY created_at DESC, id DESC LIMIT ?4";
// The review queue (index terminations_review_queue). Requests that never
// entered review sort last, as PostgreSQL orders NULLs in ascending order.
constexpr const char* kListTerminationsOldestFirst =
    "SELECT " SIMEXIT_TERMINATION_COLUMNS SIMEXIT_TERMINATION_FILTER
    " ORDER BY review_since ASC NULLS LAST, created_at ASC, id ASC LIMIT ?4";
#undef SIMEXIT_TERMINATION_FILTER
#undef SIMEXIT_TERMINATION_COLUMNS

// The dashboard's counts (TallyTerminations): one row per (group, key).
constexpr const char* kTallyByState = R"sql(
SELECT state, COUNT(*) FROM terminations WHERE (?1 IS NULL OR operator_id = ?1)
GROUP BY state)sql";
constexpr const char* kTallyByChannel = R"sql(
SELECT channel, COUNT(*) FROM terminations WHERE (?1 IS NULL OR operator_id = ?1)
GROUP BY channel)sql";
// Integer division rounds towards zero; created_at + offset is positive for
// every time this service has seen, so that is the floor.
constexpr const char* kTallyPerDay = R"sql(
SELECT (created_at + ?3) / 86400 AS day, COUNT(*) FROM terminations
WHERE (?1 IS NULL OR operator_id = ?1) AND created_at >= ?2
GROUP BY day)sql";

constexpr const char* kInsertEvent = R"sql(
INSERT INTO termination_events (termination_id, event, from_state, to_state, actor, channel,
                                detail, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql";
constexpr const char* kOperatorOfTermination = R"sql(
SELECT operator_id FROM terminations WHERE id = ?1)sql";
constexpr const char* kListEvents = R"sql(
SELECT id, termination_id, event, from_state, to_state, actor, channel, detail, at
FROM termination_events WHERE termination_id = ?1 ORDER BY id)sql";

constexpr const char* kInsertCertificate = R"sql(
INSERT INTO certificates (serial, termination_id, operator_id, document, created_at)
VALUES (?1, ?2, ?3, ?4, ?5))sql";
constexpr const char* kFindCertificate = R"sql(
SELECT serial, termination_id, operator_id, document, created_at FROM certificates
WHERE termination_id = ?1)sql";

// serial is the table's primary key: no index of its own is needed.
constexpr const char* kFindCertificateBySerial = R"sql(
SELECT serial, termination_id, operator_id, document, created_at FROM certificates
WHERE serial = ?1)sql";

constexpr const char* kNextSequence = R"sql(
INSERT INTO sequences (name, value) VALUES (?1, 1)
ON CONFLICT (name) DO UPDATE SET value = value + 1
RETURNING value)sql";

// The settlement quote's stored form: the same keys as SettlementQuote::ToJson()
// (decimal KZT strings), written and read here so the adapter owns its format.
struct QuoteField {
  const char* name;
  Money SettlementQuote::*member;
};
constexpr std::array<QuoteField, 9> kQuoteFields = {{
    {"outstanding_charges", &SettlementQuote::outstanding_charges},
    {"fee", &SettlementQuote::fee},
    {"main_balance", &SettlementQuote::main_balance},
    {"bonus_balance", &SettlementQuote::bonus_balance},
    {"applied_from_balance", &SettlementQuote::applied_from_balance},
    {"amount_due", &SettlementQuote::amount_due},
    {"refund", &SettlementQuote::refund},
    {"forfeited_main", &SettlementQuote::forfeited_main},
    {"forfeited_bonus", &SettlementQuote::forfeited_bonus},
}};

std::string EncodeSettlement(const SettlementQuote& quote) {
  boost::json::object json;
  for (const QuoteField& field : kQuoteFields) {
    json[field.name] = (quote.*field.member).ToDecimalString();
  }
  json["refund_below_minimum"] = quote.refund_below_minimum;
  json["currency"] = kCurrency;
  return boost::json::serialize(json);
}

Result<SettlementQuote> DecodeSettlement(const std::string& text) {
  const Error corrupt = Corrupt("terminations", "settlement_json");
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return Fail(corrupt);
  }
  const boost::json::object& json = value.as_object();
  SettlementQuote quote;
  for (const QuoteField& field : kQuoteFields) {
    const boost::json::value* amount = json.if_contains(field.name);
    if (amount == nullptr || !amount->is_string()) {
      return Fail(corrupt);
    }
    const boost::json::string& decimal = amount->get_string();
    Result<Money> money = Money::ParseKzt(std::string_view(decimal.data(), decimal.size()));
    if (!money) {
      return Fail(corrupt);
    }
    quote.*field.member = *money;
  }
  const boost::json::value* below = json.if_contains("refund_below_minimum");
  if (below == nullptr || !below->is_bool()) {
    return Fail(corrupt);
  }
  quote.refund_below_minimum = below->get_bool();
  return quote;
}

Result<TerminationRecord> ReadTermination(const Statement& row) {
  TerminationRecord t;
  t.id = row.Text(0);
  t.operator_id = row.Int64(1);
  t.line_id = row.Int64(2);
  t.holder_id = row.Int64(3);
  t.msisdn = Msisdn::FromStored(row.Text(4));
  SIMEXIT_ASSIGN_OR_RETURN(t.channel, ParseColumn(row, 5, ParseChannel, "terminations", "channel"));
  SIMEXIT_ASSIGN_OR_RETURN(t.state,
                           ParseColumn(row, 6, ParseTerminationState, "terminations", "state"));
  t.scheduled_for = row.OptionalInt64(7);
  if (!row.IsNull(8)) {
    SIMEXIT_ASSIGN_OR_RETURN(RefundMethod method, ParseColumn(row, 8, ParseRefundMethod,
                                                              "terminations", "refund_method"));
    t.refund = RefundInstruction{method, row.Text(9)};
  }
  if (!row.IsNull(10)) {
    SIMEXIT_ASSIGN_OR_RETURN(t.settlement, DecodeSettlement(row.Text(10)));
  }
  t.requested_by = row.Text(11);
  t.reason = row.Text(12);
  t.certificate_serial = row.Text(13);
  t.created_at = row.Int64(14);
  t.updated_at = row.Int64(15);
  t.review_since = row.OptionalInt64(16);
  t.reason_code = row.Text(17);
  t.reviewed_by = row.Text(18);
  SIMEXIT_ASSIGN_OR_RETURN(t.postmarked_on,
                           OptionalDateColumn(row, 19, "terminations", "postmarked_on"));
  if (std::string contact = row.Text(20); !contact.empty()) {
    t.contact_msisdn = ContactMsisdn::FromStored(std::move(contact));
  }
  return t;
}

// Insert and update bind the same 21 parameters (the update skips ?15,
// created_at): `write(args...)` runs the statement with them.
template <typename Write>
Result<std::int64_t> WriteTermination(const TerminationRecord& t, Write write) {
  // Refund method and destination are both set or both NULL (a CHECK).
  std::optional<std::string> refund_method;
  std::optional<std::string> refund_destination;
  if (t.refund) {
    refund_method = ToString(t.refund->method);
    refund_destination = t.refund->destination;
  }
  std::optional<std::string> settlement;
  if (t.settlement) {
    settlement = EncodeSettlement(*t.settlement);
  }
  return write(t.id, t.operator_id, t.line_id, NullIfZero{t.holder_id}, t.msisdn,
               ToString(t.channel), ToString(t.state), t.scheduled_for, refund_method,
               refund_destination, settlement, t.requested_by, t.reason, t.certificate_serial,
               t.created_at, t.updated_at, t.review_since, t.reason_code, t.reviewed_by,
               t.postmarked_on, t.contact_msisdn ? t.contact_msisdn->e164() : std::string());
}

TerminationEventRecord ReadEvent(const Statement& row) {
  TerminationEventRecord e;
  e.id = row.Int64(0);
  e.termination_id = row.Text(1);
  e.event = row.Text(2);
  e.from_state = row.Text(3);
  e.to_state = row.Text(4);
  e.actor = row.Text(5);
  e.channel = row.Text(6);
  e.detail = row.Text(7);
  e.at = row.Int64(8);
  return e;
}

CertificateRecord ReadCertificate(const Statement& row) {
  CertificateRecord r;
  r.serial = row.Text(0);
  r.termination_id = row.Text(1);
  r.operator_id = row.Int64(2);
  r.document = row.Text(3);
  r.created_at = row.Int64(4);
  return r;
}

}  // namespace

Result<void> SqliteTx::InsertTermination(const TerminationRecord& t) {
  SIMEXIT_TRY(WriteTermination(t, [&](const auto&... args) {
    return conn_.Insert(kInsertTermination, "terminations", args...);
  }));
  return {};
}

Result<void> SqliteTx::UpdateTermination(const TerminationRecord& t) {
  return ChangedOne(WriteTermination(t,
                                     [&](const auto&... args) {
                                       return conn_.Change(kUpdateTermination, "terminations",
                                                           args...);
                                     }),
                    "termination");
}

Result<TerminationRecord> SqliteTx::GetTermination(const std::string& id) {
  return Required(conn_.QueryOne(kGetTermination, "terminations", ReadTermination, id),
                  "termination");
}

Result<std::optional<TerminationRecord>> SqliteTx::FindOpenTermination(std::int64_t line_id) {
  return conn_.QueryOne(kFindOpenTermination, "terminations", ReadTermination, line_id);
}

Result<std::vector<TerminationRecord>> SqliteTx::ListTerminations(const TerminationFilter& filter) {
  std::optional<std::string> state;
  if (filter.state) {
    state = ToString(*filter.state);
  }
  return conn_.QueryAll(
      filter.oldest_first ? kListTerminationsOldestFirst : kListTerminations, "terminations",
      ReadTermination, filter.operator_id, state,
      filter.msisdn ? std::optional<std::string>(filter.msisdn->e164()) : std::nullopt,
      ClampLimit(filter.limit));
}

Result<TerminationTally> SqliteTx::TallyTerminations(std::optional<std::int64_t> operator_id,
                                                     UnixSeconds since,
                                                     std::int64_t utc_offset_seconds) {
  TerminationTally tally;
  const auto pair = [](const Statement& row) {
    return std::pair<std::string, std::int64_t>(row.Text(0), row.Int64(1));
  };
  SIMEXIT_ASSIGN_OR_RETURN(auto states,
                           conn_.QueryAll(kTallyByState, "terminations", pair, operator_id));
  for (const auto& [name, count] : states) {
    std::optional<TerminationState> state = ParseTerminationState(name);
    if (!state) {
      return Fail(Corrupt("terminations", "state"));
    }
    tally.by_state[*state] = count;
  }
  SIMEXIT_ASSIGN_OR_RETURN(auto channels,
                           conn_.QueryAll(kTallyByChannel, "terminations", pair, operator_id));
  for (const auto& [name, count] : channels) {
    std::optional<Channel> channel = ParseChannel(name);
    if (!channel) {
      return Fail(Corrupt("terminations", "channel"));
    }
    tally.by_channel[*channel] = count;
  }
  SIMEXIT_ASSIGN_OR_RETURN(auto days, conn_.QueryAll(
                                          kTallyPerDay, "terminations",
                                          [](const Statement& row) {
                                            return std::pair<std::int64_t, std::int64_t>(
                                                row.Int64(0), row.Int64(1));
                                          },
                                          operator_id, since, utc_offset_seconds));
  for (const auto& [day, count] : days) {
    tally.per_day[day] = count;
  }
  return tally;
}

Result<std::int64_t> SqliteTx::AppendEvent(const TerminationEventRecord& e) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::int64_t id, conn_.Insert(kInsertEvent, "termination_events", e.termination_id, e.event,
                                    e.from_state, e.to_state, e.actor, e.channel, e.detail, e.at));
  // An event joins the chain of its termination's operator.
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<std::int64_t> operator_id,
      conn_.QueryOne(
          kOperatorOfTermination, "terminations", [](const Statement& row) { return row.Int64(0); },
          e.termination_id));
  TerminationEventRecord stored = e;
  stored.id = id;
  const std::int64_t op = operator_id.value_or(0);
  SIMEXIT_ASSIGN_OR_RETURN(std::string canonical, ChainRecordJson(stored, op));
  SIMEXIT_TRY(AppendChainLink(op, kChainedEvent, id, e.at, canonical));
  return id;
}

Result<std::vector<TerminationEventRecord>> SqliteTx::ListEvents(
    const std::string& termination_id) {
  return conn_.QueryAll(kListEvents, "termination_events", ReadEvent, termination_id);
}

Result<void> SqliteTx::InsertCertificate(const CertificateRecord& c) {
  return conn_.Run(kInsertCertificate, "certificates", c.serial, c.termination_id, c.operator_id,
                   c.document, c.created_at);
}

Result<std::optional<CertificateRecord>> SqliteTx::FindCertificateForTermination(
    const std::string& termination_id) {
  return conn_.QueryOne(kFindCertificate, "certificates", ReadCertificate, termination_id);
}

Result<std::optional<CertificateRecord>> SqliteTx::FindCertificateBySerial(
    const std::string& serial) {
  return conn_.QueryOne(kFindCertificateBySerial, "certificates", ReadCertificate, serial);
}

Result<std::int64_t> SqliteTx::NextSequence(const std::string& name) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<std::int64_t> value,
      conn_.QueryOne(
          kNextSequence, "sequences", [](const Statement& row) { return row.Int64(0); }, name));
  if (!value) {
    return Fail(ErrorCode::kInternal, "database_error", "sequence upsert returned no value");
  }
  return *value;
}

}  // namespace simexit::sqlite
