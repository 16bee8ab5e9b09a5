#include "simexit/common/password.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace simexit {
namespace {

// Each hash costs ~0.1 s and 64 MiB: the tests make as few as they can.

TEST(PasswordTest, HashIsArgon2idAndVerifiesOnlyTheRightPassword) {
  Result<std::string> hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
}

TEST(PasswordTest, SaltMakesEveryHashDifferent) {
  Result<std::string> a = HashPassword("same password here");
  Result<std::string> b = HashPassword("same password here");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(PasswordTest, WeakerParametersNeedRehash) {
  // A valid hash made with the MIN limits: verifies, but is due for a rehash.
  char weak[crypto_pwhash_STRBYTES];
  const std::string password = "old but valid password";
  ASSERT_EQ(
      crypto_pwhash_str_alg(weak, password.data(), password.size(), crypto_pwhash_OPSLIMIT_MIN,
                            crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13),
      0);
  EXPECT_TRUE(VerifyPassword(weak, password));
  EXPECT_TRUE(PasswordNeedsRehash(weak));
}

TEST(PasswordTest, MalformedHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "anything at all"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$garbage", "anything at all"));
  EXPECT_FALSE(VerifyPassword(std::string(500, 'x'), "anything at all"));
  EXPECT_TRUE(PasswordNeedsRehash(""));
  EXPECT_TRUE(PasswordNeedsRehash("plain text"));
}

TEST(PasswordTest, DummyHashIsStableAndMatchesNoCommonPassword) {
  const std::string& dummy = DummyPasswordHash();
  EXPECT_EQ(dummy.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(&dummy, &DummyPasswordHash());
  EXPECT_FALSE(VerifyPassword(dummy, ""));
}

TEST(PasswordHashPoolTest, RefusesBeyondThreadsPlusQueueAndRunsTheRest) {
  PasswordHashPool pool(1, 1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  // Two callers fill the pool: one runs (blocked), one waits in the queue.
  std::vector<std::thread> callers;
  callers.reserve(2);

  for (int i = 0; i < 2; ++i) {
    callers.emplace_back([&] {
      EXPECT_TRUE(pool.Run([&] {
        released.wait();
        ++ran;
      }));
    });
  }
  while (pool.in_flight() < 2) {
    std::this_thread::yield();
  }
  Result<void> third = pool.Run([&] { ++ran; });
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(third.error().problem_code, "busy");
  release.set_value();
  for (std::thread& caller : callers) {
    caller.join();
  }
  EXPECT_EQ(ran.load(), 2);
  EXPECT_TRUE(pool.Run([&] { ++ran; }));  // room again
  EXPECT_EQ(ran.load(), 3);
}

}  // namespace
}  // namespace simexit
