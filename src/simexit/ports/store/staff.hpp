#pragma once
// The people working for operators and their sessions.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/roles.hpp"

namespace simexit {

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

// Part of every StoreTx (store.hpp): the transaction is the repository.
class StaffRepository {
 public:
  virtual ~StaffRepository() = default;

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
};

}  // namespace simexit
