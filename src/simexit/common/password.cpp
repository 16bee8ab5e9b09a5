#include "simexit/common/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace simexit {
namespace {

void InitSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) {
    throw std::runtime_error("libsodium failed to initialise");
  }
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  InitSodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(ErrorCode::kInternal, "password_hash_failed",
                "the password could not be hashed (out of memory)");
  }
  return std::string(out.data());
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  InitSodium();
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most
  // crypto_pwhash_STRBYTES - 1 characters.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(const std::string& hash) {
  InitSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) {
    return true;
  }
  return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

const std::string& DummyPasswordHash() {
  static const std::string hash = [] {
    InitSodium();
    std::array<unsigned char, 32> secret{};
    randombytes_buf(secret.data(), secret.size());
    Result<std::string> made =
        HashPassword(std::string_view(reinterpret_cast<const char*>(secret.data()), secret.size()));
    if (!made) {
      throw std::runtime_error("could not make the dummy password hash");
    }
    return *made;
  }();
  return hash;
}

PasswordHashPool::PasswordHashPool(int threads, int queue_limit)
    : capacity_(static_cast<std::size_t>(std::max(threads, 1) + std::max(queue_limit, 0))) {
  for (int i = 0; i < std::max(threads, 1); ++i) {
    threads_.emplace_back([this] { Loop(); });
  }
}

PasswordHashPool::~PasswordHashPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& thread : threads_) {
    thread.join();
  }
}

Result<void> PasswordHashPool::Run(std::function<void()> work) {
  std::future<void> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || in_flight_ >= capacity_) {
      return Fail(ErrorCode::kUnavailable, "busy",
                  "too many password checks at once; retry in a moment");
    }
    ++in_flight_;
    queue_.emplace_back(std::move(work));
    done = queue_.back().get_future();
  }
  work_ready_.notify_one();
  done.get();  // rethrows what `work` threw
  return {};
}

std::size_t PasswordHashPool::in_flight() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return in_flight_;
}

void PasswordHashPool::Loop() {
  for (;;) {
    std::packaged_task<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
    std::lock_guard<std::mutex> lock(mutex_);
    --in_flight_;
  }
}

}  // namespace simexit
