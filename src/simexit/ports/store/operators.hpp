#pragma once
// Operators (the telcos simexit serves) and the API keys of their systems.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// Operator codes are unique; ListOperators is ordered by id.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/policy.hpp"

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

// Part of every StoreTx (store.hpp): the transaction is the repository.
class OperatorRepository {
 public:
  virtual ~OperatorRepository() = default;

  virtual Result<std::int64_t> InsertOperator(const OperatorRecord& op) = 0;
  virtual Result<void> UpdateOperator(const OperatorRecord& op) = 0;
  virtual Result<OperatorRecord> GetOperator(std::int64_t id) = 0;
  virtual Result<OperatorRecord> GetOperatorByCode(const std::string& code) = 0;
  virtual Result<std::vector<OperatorRecord>> ListOperators() = 0;

  virtual Result<std::int64_t> InsertApiKey(const ApiKeyRecord& key) = 0;
  virtual Result<std::optional<ApiKeyRecord>> FindApiKey(const std::string& key_hash) = 0;
};

}  // namespace simexit
