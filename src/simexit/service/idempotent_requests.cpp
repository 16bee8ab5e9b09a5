#include "simexit/service/idempotent_requests.hpp"

#include <sodium.h>

#include <array>

#include "simexit/common/crypto.hpp"
#include "simexit/service/idempotency_sweep.hpp"

namespace simexit {
namespace {

// The row holds neither the key nor the answer's body in clear: "key" is a hash
// of the Idempotency-Key, and the body is sealed (XSalsa20-Poly1305) with a key
// derived from it, so a reader of the database learns no secret an answer
// carried (a new API key, a temporary password), and only a caller who still
// has the Idempotency-Key can have it replayed.
std::string StoredKey(const std::string& key) { return HashHex("idempotency key\n" + key); }

using SealKey = std::array<unsigned char, crypto_secretbox_KEYBYTES>;

SealKey SealKeyOf(const std::string& key) {
  static_assert(crypto_secretbox_KEYBYTES >= crypto_generichash_BYTES_MIN);
  static constexpr std::string_view kContext = "idempotent answer";
  SealKey out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size(), reinterpret_cast<const unsigned char*>(kContext.data()),
                     kContext.size());
  return out;
}

// Hex of nonce + ciphertext.
std::string Seal(const std::string& body, const std::string& key, Random& random) {
  std::string nonce;
  (void)HexDecode(random.Hex(crypto_secretbox_NONCEBYTES), &nonce);
  std::string sealed = nonce;
  sealed.resize(nonce.size() + crypto_secretbox_MACBYTES + body.size());
  const SealKey k = SealKeyOf(key);
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(sealed.data() + nonce.size()),
                        reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                        reinterpret_cast<const unsigned char*>(nonce.data()), k.data());
  std::string hex(sealed.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(sealed.data()),
                 sealed.size());
  hex.pop_back();
  return hex;
}

Result<std::string> Open(const std::string& hex, const std::string& key) {
  std::string sealed;
  constexpr std::size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (!HexDecode(hex, &sealed) || sealed.size() < kOverhead) {
    return Fail(ErrorCode::kInternal, "internal", "an idempotent answer is not sealed");
  }
  std::string body(sealed.size() - kOverhead, '\0');
  const SealKey k = SealKeyOf(key);
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(body.data()),
          reinterpret_cast<const unsigned char*>(sealed.data() + crypto_secretbox_NONCEBYTES),
          sealed.size() - crypto_secretbox_NONCEBYTES,
          reinterpret_cast<const unsigned char*>(sealed.data()), k.data()) != 0) {
    return Fail(ErrorCode::kInternal, "internal", "an idempotent answer does not open");
  }
  return body;
}

}  // namespace

Result<IdempotentClaim> IdempotentRequests::Claim(const std::string& scope, const std::string& key,
                                                  const std::string& request_hash) {
  // A "duplicate" is a caller that inserted the same pair between our look and
  // our insert: look again, and find its claim.
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<IdempotentClaim> claim = ClaimOnce(scope, key, request_hash);
    if (claim || claim.error().code != ErrorCode::kAlreadyExists) {
      return claim;
    }
  }
  return IdempotentClaim{IdempotentClaim::Outcome::kInProgress, "", {}};
}

Result<IdempotentClaim> IdempotentRequests::ClaimOnce(const std::string& scope,
                                                      const std::string& raw_key,
                                                      const std::string& request_hash) {
  const std::string key = StoredKey(raw_key);
  const std::string claim_id = random_.Hex(16);
  const UnixSeconds now = clock_.Now();
  return TransactValue<IdempotentClaim>(store_, [&](StoreTx& tx) -> Result<IdempotentClaim> {
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<IdempotentRequestRecord> seen,
                             tx.FindIdempotentRequest(scope, key));
    if (!seen) {
      SIMEXIT_TRY(tx.InsertIdempotentRequest(IdempotentRequestRecord{
          scope, key, request_hash, IdempotentRequestState::kRunning, claim_id, now, {}}));
      SIMEXIT_TRY(SweepIdempotencyKeys(tx, now));
      return IdempotentClaim{IdempotentClaim::Outcome::kRun, claim_id, {}};
    }
    if (seen->request_hash != request_hash) {
      return Fail(ErrorCode::kFailedPrecondition, "idempotency_key_reused",
                  "this Idempotency-Key was used with a different request");
    }
    if (seen->state == IdempotentRequestState::kDone) {
      StoredResponse response = seen->response;
      SIMEXIT_ASSIGN_OR_RETURN(response.body, Open(response.body, raw_key));
      return IdempotentClaim{IdempotentClaim::Outcome::kReplay, "", std::move(response)};
    }
    if (now - seen->claimed_at < kStaleAfterSeconds) {
      return IdempotentClaim{IdempotentClaim::Outcome::kInProgress, "", {}};
    }
    SIMEXIT_ASSIGN_OR_RETURN(
        bool taken, tx.TakeOverIdempotentRequest(scope, key, seen->claim_id, claim_id, now));
    if (!taken) {  // another caller took it over first
      return IdempotentClaim{IdempotentClaim::Outcome::kInProgress, "", {}};
    }
    return IdempotentClaim{IdempotentClaim::Outcome::kRun, claim_id, {}};
  });
}

Result<void> IdempotentRequests::Finish(const std::string& scope, const std::string& key,
                                        const std::string& claim_id,
                                        const StoredResponse& response) {
  StoredResponse sealed = response;
  sealed.body = Seal(response.body, key, random_);
  return store_.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.FinishIdempotentRequest(scope, StoredKey(key), claim_id, sealed));
    return {};
  });
}

Result<void> IdempotentRequests::Release(const std::string& scope, const std::string& key,
                                         const std::string& claim_id) {
  return store_.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.DeleteIdempotentRequest(scope, StoredKey(key), claim_id));
    return {};
  });
}

}  // namespace simexit
