#pragma once
// Password hashing for staff sign-in: Argon2id (libsodium crypto_pwhash_str)
// with the INTERACTIVE limits (~0.1 s and 64 MiB per hash), so a stolen
// database is slow to guess against. The hash string carries its own salt and
// parameters, so limits can be raised later: NeedsRehash says when a stored
// hash is weaker than what HashPassword makes today.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "simexit/common/result.hpp"

namespace simexit {

// The "$argon2id$..." string for `password`. kInternal "password_hash_failed"
// when libsodium cannot allocate the memory the hash needs.
Result<std::string> HashPassword(std::string_view password);

// Whether `password` matches `hash` (a HashPassword result). False for a
// malformed hash. Takes as long as hashing does.
bool VerifyPassword(const std::string& hash, std::string_view password);

// Whether `hash` was made with other parameters (or another algorithm) than
// HashPassword uses now; true for a malformed hash.
bool PasswordNeedsRehash(const std::string& hash);

// A valid hash of a random password no one knows, made once per process.
// Verifying against it costs what a real check costs: sign-in uses it for
// usernames that do not exist, so they answer no faster than real ones.
const std::string& DummyPasswordHash();

// A few threads of their own for password hashing, with a bounded queue: each
// hash holds 64 MiB and ~0.1 s of a core, so a burst of sign-ins must neither
// take unbounded memory nor occupy every request thread. Callers wait for
// their turn; when `threads` hashes run and `queue_limit` wait already, Run
// refuses at once. Thread-safe.
class PasswordHashPool {
 public:
  // threads >= 1, queue_limit >= 0.
  PasswordHashPool(int threads, int queue_limit);
  // Finishes the queued work, then joins.
  ~PasswordHashPool();
  PasswordHashPool(const PasswordHashPool&) = delete;
  PasswordHashPool& operator=(const PasswordHashPool&) = delete;

  // Runs `work` on a pool thread and returns when it is done. kUnavailable
  // "busy" (nothing run) when the pool and its queue are full.
  Result<void> Run(std::function<void()> work);

  // Hashes running or waiting now.
  std::size_t in_flight() const;

 private:
  void Loop();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<std::packaged_task<void()>> queue_;
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace simexit
