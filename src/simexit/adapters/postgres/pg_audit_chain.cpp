// The tamper-evident audit chain (ports/store/audit_chain.hpp): a link per
// audit record and termination event, appended with the record.

#include "simexit/adapters/postgres/pg_tx.hpp"

namespace simexit::pg {
namespace {

constexpr const char* kChainHead = R"sql(
SELECT hash FROM audit_chain WHERE operator_id = $1 ORDER BY seq DESC LIMIT 1)sql";
constexpr const char* kInsertLink = R"sql(
INSERT INTO audit_chain (operator_id, kind, record_id, at, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6))sql";
constexpr const char* kListChains = R"sql(
SELECT DISTINCT operator_id FROM audit_chain ORDER BY operator_id)sql";

// Each link with the record it stands for as stored now (NULLs when gone); an
// event's operator is its termination's.
constexpr const char* kListLinks = R"sql(
SELECT c.seq, c.operator_id, c.kind, c.record_id, c.at, c.prev_hash, c.hash,
       a.id, a.actor, a.action, a.subject, a.detail, a.request_id, a.at, a.operator_id,
       e.id, e.termination_id, e.event, e.from_state, e.to_state, e.actor, e.channel,
       e.detail, e.at, t.operator_id
FROM audit_chain c
LEFT JOIN audit_log a ON c.kind = 'audit' AND a.id = c.record_id
LEFT JOIN termination_events e ON c.kind = 'event' AND e.id = c.record_id
LEFT JOIN terminations t ON t.id = e.termination_id
WHERE c.operator_id = $1 AND c.seq > $2
ORDER BY c.seq LIMIT $3)sql";

constexpr const char* kUnchained = R"sql(
SELECT 'audit:' || a.id FROM audit_log a
WHERE a.id > (SELECT after_id FROM audit_chain_start WHERE kind = 'audit')
  AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.kind = 'audit' AND c.record_id = a.id)
UNION ALL
SELECT 'event:' || e.id FROM termination_events e
WHERE e.id > (SELECT after_id FROM audit_chain_start WHERE kind = 'event')
  AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.kind = 'event' AND c.record_id = e.id)
LIMIT $1)sql";

Result<ChainLink> ReadLink(const Row& row) {
  ChainLink link;
  link.seq = row.Int64(0);
  link.operator_id = row.Int64(1);
  link.kind = row.Text(2);
  link.record_id = row.Int64(3);
  link.at = row.Int64(4);
  link.prev_hash = row.Text(5);
  link.hash = row.Text(6);
  if (link.kind == kChainedAudit && !row.IsNull(7)) {
    AuditRecord a;
    a.id = row.Int64(7);
    a.actor = row.Text(8);
    a.action = row.Text(9);
    a.subject = row.Text(10);
    a.detail = row.Text(11);
    a.request_id = row.Text(12);
    a.at = row.Int64(13);
    a.operator_id = row.Int64(14);
    SIMEXIT_ASSIGN_OR_RETURN(link.record_json, ChainRecordJson(a));
  } else if (link.kind == kChainedEvent && !row.IsNull(15)) {
    TerminationEventRecord e;
    e.id = row.Int64(15);
    e.termination_id = row.Text(16);
    e.event = row.Text(17);
    e.from_state = row.Text(18);
    e.to_state = row.Text(19);
    e.actor = row.Text(20);
    e.channel = row.Text(21);
    e.detail = row.Text(22);
    e.at = row.Int64(23);
    SIMEXIT_ASSIGN_OR_RETURN(link.record_json, ChainRecordJson(e, row.Int64(24)));
  }
  return link;
}

}  // namespace

Result<void> PgTx::AppendChainLink(std::int64_t operator_id, std::string_view kind,
                                   std::int64_t record_id, UnixSeconds at,
                                   std::string_view record_json) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<std::string> head,
      conn_.QueryOne(
          kChainHead, "audit_chain", [](const Row& row) { return row.Text(0); }, operator_id));
  const std::string prev = head.value_or(std::string(kChainGenesis));
  return conn_.Run(kInsertLink, "audit_chain", operator_id, kind, record_id, at, prev,
                   ChainHash(prev, record_json));
}

Result<std::vector<std::int64_t>> PgTx::ListChains() {
  return conn_.QueryAll(kListChains, "audit_chain", [](const Row& row) { return row.Int64(0); });
}

Result<std::vector<ChainLink>> PgTx::ListChainLinks(std::int64_t operator_id,
                                                    std::int64_t after_seq, int limit) {
  return conn_.QueryAll(kListLinks, "audit_chain", ReadLink, operator_id, after_seq,
                        ClampLimit(limit));
}

Result<std::vector<std::string>> PgTx::ListUnchainedRecords(int limit) {
  return conn_.QueryAll(
      kUnchained, "audit_chain", [](const Row& row) { return row.Text(0); }, ClampLimit(limit));
}

}  // namespace simexit::pg
