#pragma once
// Number recycling: the third parties (banks, messengers) that ask whether a
// number changed hands, the record of every answer they got, and the number
// history the answers come from (CAMARA Number Recycling, docs/number-recycling.md).
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict (a client's key hash),
// kNotFound "recycling_client_not_found" from GetRecyclingClient and
// RevokeRecyclingClient when no client has the id, kInternal otherwise.
//
// History is not stored twice: a number's history is its line (since when
// simexit knows the number, whether someone holds it now) and the terminations
// of the number that completed (each a permanent disconnection, at the time of
// its "complete" event). Checks are only ever appended.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/termination.hpp"

namespace simexit {

// The one scope a number recycling client may hold (CAMARA's name for it).
inline constexpr std::string_view kNumberRecyclingCheckScope = "number-recycling:check";

// A third party allowed to check numbers of one operator. Its key is shown
// once at creation and stored only as a hash.
struct NumberRecyclingClientRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string name;      // "Halyk Bank"
  std::string key_hash;  // hex SHA-256 of the key; unique
  std::string prefix;    // first characters of the key, shown to humans ("nrc_kcell_ab12")
  std::vector<std::string> scopes;  // e.g. {"number-recycling:check"}; may be empty
  std::string created_by;           // actor: "staff:7", "admin", "cli"
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> revoked_at;  // set once; a revoked key authenticates no more

  bool operator==(const NumberRecyclingClientRecord&) const = default;
};

// What a check answered.
enum class RecyclingAnswer {
  kRecycled,     // phoneNumberRecycled: true
  kNotRecycled,  // phoneNumberRecycled: false
  kNotFound,     // 404 IDENTIFIER_NOT_FOUND: not a number of the client's operator
  kNoData,       // 422 SERVICE_NOT_APPLICABLE: history does not reach back to the date
};

// "recycled", "not_recycled", "not_found", "no_data".
const char* ToString(RecyclingAnswer answer);
std::optional<RecyclingAnswer> ParseRecyclingAnswer(std::string_view text);

// One number checked by one client: the audit record of the answer.
struct NumberRecyclingCheckRecord {
  std::int64_t id = 0;
  std::int64_t client_id = 0;
  std::int64_t operator_id = 0;  // the client's operator
  std::string msisdn;            // E.164, as asked
  CivilDate specified_date;      // as asked (the API parses it before asking)
  RecyclingAnswer answer = RecyclingAnswer::kNotRecycled;
  std::string correlator;  // the request's x-correlator ("" when none)
  std::string request_id;
  UnixSeconds at = 0;

  bool operator==(const NumberRecyclingCheckRecord&) const = default;
};

// What simexit knows about one number.
struct NumberHistory {
  std::int64_t operator_id = 0;  // the operator whose line the number is
  LineStatus status = LineStatus::kActive;
  UnixSeconds known_since = 0;  // the line's created_at: history starts there
  // The latest termination of this number that completed, if any.
  std::optional<UnixSeconds> last_disconnected_at;

  bool operator==(const NumberHistory&) const = default;
};

// A number's most recent permanent disconnection (disconnection report).
struct DisconnectionRecord {
  Msisdn msisdn;
  std::int64_t operator_id = 0;
  UnixSeconds disconnected_at = 0;

  bool operator==(const DisconnectionRecord&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class NumberRecyclingRepository {
 public:
  virtual ~NumberRecyclingRepository() = default;

  // Clients. ListRecyclingClients is ordered by id; nullopt lists every
  // operator's. Revoking sets revoked_at (a second revoke keeps the first time).
  virtual Result<std::int64_t> InsertRecyclingClient(const NumberRecyclingClientRecord& client) = 0;
  virtual Result<NumberRecyclingClientRecord> GetRecyclingClient(std::int64_t id) = 0;
  virtual Result<std::optional<NumberRecyclingClientRecord>> FindRecyclingClient(
      const std::string& key_hash) = 0;
  virtual Result<std::vector<NumberRecyclingClientRecord>> ListRecyclingClients(
      std::optional<std::int64_t> operator_id) = 0;
  virtual Result<void> RevokeRecyclingClient(std::int64_t id, UnixSeconds at) = 0;

  // The history of `msisdn`, whatever its operator (the caller
  // confines it), or nullopt when no line has the number. One indexed lookup
  // of the line and one of its terminations: this is on a bank's sign-in path.
  virtual Result<std::optional<NumberHistory>> FindNumberHistory(const Msisdn& msisdn) = 0;

  // Appends the checks (ids are assigned; the records' ids are ignored).
  virtual Result<void> AppendRecyclingChecks(
      const std::vector<NumberRecyclingCheckRecord>& checks) = 0;
  // A client's checks, newest first, at most `limit`.
  virtual Result<std::vector<NumberRecyclingCheckRecord>> ListRecyclingChecks(
      std::int64_t client_id, int limit) = 0;

  // Numbers of `operator_id` (nullopt: every operator) whose most recent
  // permanent disconnection is at or after `since`, with that time; ordered
  // by time, then number.
  virtual Result<std::vector<DisconnectionRecord>> ListDisconnections(
      std::optional<std::int64_t> operator_id, UnixSeconds since) = 0;
};

}  // namespace simexit
