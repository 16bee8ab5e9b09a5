#pragma once
// Number recycling checks (CAMARA Number Recycling, docs/number-recycling.md):
// a bank or messenger asks whether the subscriber behind a number changed
// after a date, from simexit's own history of the number, before it sends a
// sign-in code to that number.
//
// Clients are third parties with their own keys ("nrc_<operator>_<hex>",
// stored hashed) and scopes, one operator each; operator_admin staff of that
// operator and admins create, list and revoke them. Every answer a client gets
// is recorded (client, number, specifiedDate, answer), and each client's
// checks are rate-limited (a batch counts each of its numbers).
//
// The answer for number N and date D (a UTC calendar day), asked by a client of
// operator O:
//   - no line has N, or its line is another operator's: kNotFound
//     (CAMARA 404 IDENTIFIER_NOT_FOUND: "used by a different network operator");
//   - D is before the day simexit learnt of the line: kNoData (CAMARA 422
//     SERVICE_NOT_APPLICABLE: the history does not reach back to D);
//   - a termination of N completed on or after D, or nobody holds N now
//     (terminated, quarantined, or back in the pool: on D there was no
//     contract, or it has ended since): kRecycled;
//   - otherwise kNotRecycled.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/rate_limiter.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

struct NumberRecyclingLimits {
  // Numbers one client may check per second, sustained, and at once (a
  // batch takes one per number). 0 per second: no limit.
  int checks_per_second_per_client = 100;
  int check_burst_per_client = 2000;
  // Numbers in one batch request.
  static constexpr int kMaxBatch = 1000;
};

struct NewRecyclingClient {
  std::string operator_code;
  std::string name;  // 1-200 bytes
  std::vector<std::string> scopes = {std::string(kNumberRecyclingCheckScope)};
};

struct CreatedRecyclingClient {
  NumberRecyclingClientRecord client;
  std::string key;  // returned once, stored hashed
};

// A client as shown to operators: never the hash.
struct RecyclingClientView {
  NumberRecyclingClientRecord client;
  std::string operator_code;
};

struct DisconnectionView {
  std::string msisdn;
  std::string operator_code;
  UnixSeconds disconnected_at = 0;
};

// One check: the numbers and the date, typed at the edge.
struct RecyclingCheck {
  // 1..kMaxBatch numbers in E.164 with a leading '+' (CAMARA's PhoneNumber
  // pattern, checked at the edge). Any country: a number simexit holds no
  // line for is answered kNotFound.
  std::vector<std::string> numbers;
  CivilDate specified_date;
  std::string correlator;  // the request's x-correlator, for the audit record
};

class NumberRecyclingService {
 public:
  NumberRecyclingService(ServiceContext& ctx, NumberRecyclingLimits limits = {});

  // The client whose key this is. Errors: kUnauthenticated "unauthenticated"
  // (no such key, or revoked).
  Result<NumberRecyclingClientRecord> Authenticate(const std::string& key);

  // Answers `check` for `client`, one answer per number in order, and records
  // every answer in the same transaction. Errors, each before anything is
  // recorded: kPermissionDenied "recycling_scope_missing" (the client lacks
  // number-recycling:check); kInvalidArgument "recycling_date_in_future"
  // (field "specifiedDate": after today, UTC); kResourceExhausted
  // "recycling_rate_limited" (the client's limit; *retry_after is set to the
  // seconds until enough tokens are back).
  Result<std::vector<RecyclingAnswer>> Check(const NumberRecyclingClientRecord& client,
                                             const RecyclingCheck& check,
                                             std::chrono::seconds* retry_after = nullptr);

  // Clients: admins for any operator, operator_admin staff for their own.
  // Errors: kNotFound "operator_not_found" (also another operator's),
  // "recycling_client_not_found"; kPermissionDenied "insufficient_role";
  // kInvalidArgument "invalid_recycling_client" (field "name" or "scopes").
  Result<CreatedRecyclingClient> CreateClient(const Caller& caller, const NewRecyclingClient& c);
  // "" lists every operator the caller may see.
  Result<std::vector<RecyclingClientView>> ListClients(const Caller& caller,
                                                       const std::string& operator_code);
  Result<RecyclingClientView> RevokeClient(const Caller& caller, std::int64_t client_id);
  // The client's recorded checks, newest first.
  Result<std::vector<NumberRecyclingCheckRecord>> ListChecks(const Caller& caller,
                                                             std::int64_t client_id, int limit);

  // Numbers permanently disconnected at or after `since`, with the latest
  // such time: every operator's for admins, the caller's own for
  // operator_admin staff. Errors: "insufficient_role".
  Result<std::vector<DisconnectionView>> Disconnections(const Caller& caller, UnixSeconds since);

 private:
  ServiceContext& ctx_;
  NumberRecyclingLimits limits_;
  RateLimiter per_client_;
};

// The answer for one number's history (nullopt: no line) asked by a client of
// `operator_id` about the day starting at `day_start` (pure; see the top).
RecyclingAnswer AnswerFor(const std::optional<NumberHistory>& history, std::int64_t operator_id,
                          UnixSeconds day_start);

}  // namespace simexit
