#pragma once
// The SMS outbox: every SMS is a row before it is sent.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// ListSms is newest first.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"

namespace simexit {

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

// Part of every StoreTx (store.hpp): the transaction is the repository.
class SmsRepository {
 public:
  virtual ~SmsRepository() = default;

  virtual Result<std::int64_t> InsertSms(const SmsRecord& sms) = 0;
  virtual Result<void> UpdateSms(const SmsRecord& sms) = 0;
  virtual Result<SmsRecord> GetSms(std::int64_t id) = 0;
  virtual Result<std::vector<SmsRecord>> ListSms(const SmsFilter& filter) = 0;
};

}  // namespace simexit
