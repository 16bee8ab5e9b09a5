#pragma once
// The common ground of service and route tests: a real SQLite store in memory
// (migrated), fakes for the network, a manual clock, seeded randomness (the
// same codes, tokens and ids in every run), a fixed signing key, and the
// ServiceContext that ties them together. Header-only: test executables
// link the SQLite adapter and the services themselves.

#include <array>
#include <memory>
#include <string>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/certificate/signer.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/common/random.hpp"
#include "simexit/service/context.hpp"
#include "simexit/testing/fakes.hpp"

namespace simexit::testing {

inline constexpr UnixSeconds kTestStart = 1'790'000'000;  // 2026-09-21

// A signer with a fixed seed, so certificates are reproducible in tests.
inline CertificateSigner TestSigner() {
  std::array<unsigned char, 32> seed{};
  seed.fill(7);
  return CertificateSigner::FromSeed(seed);
}

struct ServiceWorld {
  ServiceWorld()
      : store(std::move(*SqliteStore::Open(":memory:"))),
        clock(kTestStart),
        signer(TestSigner()),
        ctx{*store, hlr, sms, clock, random, signer, std::string(32, 'k'), "http://127.0.0.1:8080",
            {},     {}},
        migrated(store->Migrate().has_value()) {}

  std::unique_ptr<SqliteStore> store;
  FakeHlr hlr;
  MemorySmsGateway sms;
  ManualClock clock;
  SeededRandom random;
  CertificateSigner signer;
  ServiceContext ctx;
  bool migrated = false;
};

}  // namespace simexit::testing
