#pragma once
// Hand-written fakes for unit tests of the use cases (library simexit_testing).
// Integration and end-to-end tests use the real peers instead (osmo-hlr on
// loopback, see tests/).

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "simexit/common/random.hpp"
#include "simexit/ports/blob_store.hpp"
#include "simexit/ports/hlr.hpp"
#include "simexit/ports/sms_gateway.hpp"
#include "simexit/ports/vlr.hpp"

namespace simexit::testing {

// Deterministic randomness for reproducible tests: the same seed gives the
// same codes, tokens and ids in every run and on every machine (splitmix64,
// no std:: distributions, whose output is implementation-defined).
// Thread-safe. Not for production: it is predictable by design.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed = 1) : state_(seed) {}
  // Uniform in [0, upper_bound) by rejection sampling, so no value is favoured.
  std::uint32_t Uniform(std::uint32_t upper_bound) override;
  std::string Hex(std::size_t bytes) override;

 private:
  std::uint64_t Next();  // callers hold mutex_
  std::mutex mutex_;
  std::uint64_t state_;
};

// An HLR in memory. FailNext() makes the next N calls fail with a code.
class FakeHlr final : public Hlr {
 public:
  Result<HlrSubscriber> Lookup(const Imsi& imsi) override;
  Result<void> Provision(const Imsi& imsi, const Msisdn& msisdn) override;
  Result<void> Bar(const Imsi& imsi) override;
  Result<void> Remove(const Imsi& imsi) override;

  void FailNext(ErrorCode code, int times = 1);
  bool Has(const std::string& imsi) const;
  int remove_calls() const;

 private:
  Result<void> MaybeFail();
  mutable std::mutex mutex_;
  std::map<std::string, HlrSubscriber> subscribers_;
  ErrorCode fail_code_ = ErrorCode::kUnavailable;
  int fail_times_ = 0;
  int remove_calls_ = 0;
};

// A VLR in memory: the set of attached IMSIs.
class FakeVlr final : public Vlr {
 public:
  Result<void> Expire(const Imsi& imsi) override;
  void Attach(const std::string& imsi);
  bool Attached(const std::string& imsi) const;
  void FailNext(ErrorCode code, int times = 1);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, bool> attached_;
  ErrorCode fail_code_ = ErrorCode::kUnavailable;
  int fail_times_ = 0;
};

// Records every message; can be told to fail.
class MemorySmsGateway final : public SmsGateway {
 public:
  Result<SmsAccepted> Send(const SmsMessage& message) override;
  std::string Describe() const override { return "in-memory test gateway"; }

  std::vector<SmsMessage> sent() const;
  // The next `times` sends fail with `code` (kUnavailable: SMSC down;
  // kInvalidArgument: refused for good).
  void FailNext(int times = 1, ErrorCode code = ErrorCode::kUnavailable);

 private:
  mutable std::mutex mutex_;
  std::vector<SmsMessage> sent_;
  int fail_times_ = 0;
  ErrorCode fail_code_ = ErrorCode::kUnavailable;
};

// Blobs in memory, keyed by their hash (no hash check). Can be told to fail.
class MemoryBlobStore final : public BlobStore {
 public:
  Result<std::string> Put(std::string_view bytes, const std::string& sha256_hex) override;
  Result<std::string> Get(const std::string& key) override;

  std::size_t size() const;
  void Erase(const std::string& key);
  // The next `times` puts fail with kUnavailable "blob_io".
  void FailNextPut(int times = 1);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> blobs_;
  int fail_puts_ = 0;
};

}  // namespace simexit::testing
