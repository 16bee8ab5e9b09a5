// Operators and their API keys.

#include <boost/json.hpp>
#include <utility>

#include "simexit/adapters/postgres/pg_tx.hpp"
#include "simexit/common/enum_names.hpp"

namespace simexit::pg {
namespace {

constexpr const char* kInsertOperator = R"sql(
INSERT INTO operators (code, name, policy_json, default_language, created_at)
VALUES ($1, $2, $3, $4, $5) RETURNING id)sql";
constexpr const char* kUpdateOperator = R"sql(
UPDATE operators SET code = $2, name = $3, policy_json = $4, default_language = $5
WHERE id = $1)sql";
constexpr const char* kGetOperator = R"sql(
SELECT id, code, name, policy_json, default_language, created_at FROM operators WHERE id = $1)sql";
constexpr const char* kGetOperatorByCode = R"sql(
SELECT id, code, name, policy_json, default_language, created_at FROM operators
WHERE code = $1)sql";
constexpr const char* kListOperators = R"sql(
SELECT id, code, name, policy_json, default_language, created_at FROM operators ORDER BY id)sql";

constexpr const char* kInsertApiKey = R"sql(
INSERT INTO api_keys (key_hash, prefix, role, operator_id, label, disabled, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)sql";
constexpr const char* kFindApiKey = R"sql(
SELECT id, key_hash, prefix, role, operator_id, label, disabled, created_at FROM api_keys
WHERE key_hash = $1)sql";

// api_keys.role is CHECKed against these names.
constexpr EnumNames<ApiKeyRole, 2> kApiKeyRoleNames{{{
    {ApiKeyRole::kOperatorSystem, "operator"},
    {ApiKeyRole::kAdmin, "admin"},
}}};

std::optional<ApiKeyRole> ParseApiKeyRole(std::string_view text) {
  return kApiKeyRoleNames.Parse(text);
}

// The policy is stored as Policy::ToJson() and read back through
// Policy::FromJson, so it is validated again.
std::string PolicyJson(const OperatorRecord& op) {
  return boost::json::serialize(op.policy.ToJson());
}

Result<OperatorRecord> ReadOperator(const Row& row) {
  OperatorRecord op;
  op.id = row.Int64(0);
  op.code = row.Text(1);
  op.name = row.Text(2);
  boost::system::error_code ec;
  boost::json::value policy_json = boost::json::parse(row.Text(3), ec);
  if (ec) {
    return Fail(Corrupt("operators", "policy_json"));
  }
  Result<Policy> policy = Policy::FromJson(policy_json);
  if (!policy) {
    return Fail(Corrupt("operators", "policy_json"));
  }
  op.policy = std::move(*policy);
  op.default_language = row.Text(4);
  op.created_at = row.Int64(5);
  return op;
}

Result<ApiKeyRecord> ReadApiKey(const Row& row) {
  ApiKeyRecord r;
  r.id = row.Int64(0);
  r.key_hash = row.Text(1);
  r.prefix = row.Text(2);
  SIMEXIT_ASSIGN_OR_RETURN(r.role, ParseColumn(row, 3, ParseApiKeyRole, "api_keys", "role"));
  r.operator_id = row.Int64(4);
  r.label = row.Text(5);
  r.disabled = row.Int64(6) != 0;
  r.created_at = row.Int64(7);
  return r;
}

}  // namespace

Result<std::int64_t> PgTx::InsertOperator(const OperatorRecord& op) {
  return conn_.Insert(kInsertOperator, "operators", op.code, op.name, PolicyJson(op),
                      op.default_language, op.created_at);
}

Result<void> PgTx::UpdateOperator(const OperatorRecord& op) {
  return ChangedOne(conn_.Change(kUpdateOperator, "operators", op.id, op.code, op.name,
                                 PolicyJson(op), op.default_language),
                    "operator");
}

Result<OperatorRecord> PgTx::GetOperator(std::int64_t id) {
  return Required(conn_.QueryOne(kGetOperator, "operators", ReadOperator, id), "operator");
}

Result<OperatorRecord> PgTx::GetOperatorByCode(const std::string& code) {
  return Required(conn_.QueryOne(kGetOperatorByCode, "operators", ReadOperator, code), "operator");
}

Result<std::vector<OperatorRecord>> PgTx::ListOperators() {
  return conn_.QueryAll(kListOperators, "operators", ReadOperator);
}

Result<std::int64_t> PgTx::InsertApiKey(const ApiKeyRecord& k) {
  return conn_.Insert(kInsertApiKey, "api_keys", k.key_hash, k.prefix,
                      kApiKeyRoleNames.Name(k.role), NullIfZero{k.operator_id}, k.label, k.disabled,
                      k.created_at);
}

Result<std::optional<ApiKeyRecord>> PgTx::FindApiKey(const std::string& key_hash) {
  return conn_.QueryOne(kFindApiKey, "api_keys", ReadApiKey, key_hash);
}

}  // namespace simexit::pg
