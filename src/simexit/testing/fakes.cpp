#include "simexit/testing/fakes.hpp"

namespace simexit::testing {

std::uint64_t SeededRandom::Next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint32_t SeededRandom::Uniform(std::uint32_t upper_bound) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uint64_t bound = upper_bound;
  // The largest multiple of `bound` that fits in 2^32; draws at or above it are
  // redrawn.
  const std::uint64_t limit = (std::uint64_t{1} << 32) / bound * bound;
  for (;;) {
    const std::uint64_t draw = Next() >> 32;
    if (draw < limit) {
      return static_cast<std::uint32_t>(draw % bound);
    }
  }
}

std::string SeededRandom::Hex(std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::lock_guard<std::mutex> lock(mutex_);
  std::string hex;
  hex.reserve(bytes * 2);
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    if (i % 8 == 0) {
      word = Next();
    }
    const auto byte = static_cast<unsigned>(word & 0xFF);
    word >>= 8;
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xF];
  }
  return hex;
}

Result<void> FakeHlr::MaybeFail() {
  if (fail_times_ > 0) {
    --fail_times_;
    return Fail(fail_code_, "hlr_fake_failure", "injected failure");
  }
  return {};
}

Result<HlrSubscriber> FakeHlr::Lookup(const Imsi& imsi) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Result<void> f = MaybeFail(); !f) {
    return Fail(f.error());
  }
  auto it = subscribers_.find(imsi.digits());
  if (it == subscribers_.end()) {
    return Fail(ErrorCode::kNotFound, "hlr_unknown_subscriber", "No such subscriber.");
  }
  return it->second;
}

Result<void> FakeHlr::Provision(const Imsi& imsi, const Msisdn& msisdn) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Result<void> f = MaybeFail(); !f) {
    return f;
  }
  if (subscribers_.count(imsi.digits())) {
    return Fail(ErrorCode::kAlreadyExists, "hlr_subscriber_exists", "Subscriber already exists.");
  }
  subscribers_[imsi.digits()] = HlrSubscriber{imsi.digits(), msisdn.digits(), true, true};
  return {};
}

Result<void> FakeHlr::Bar(const Imsi& imsi) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Result<void> f = MaybeFail(); !f) {
    return f;
  }
  auto it = subscribers_.find(imsi.digits());
  if (it == subscribers_.end()) {
    return Fail(ErrorCode::kNotFound, "hlr_unknown_subscriber", "No such subscriber.");
  }
  it->second.cs_enabled = false;
  it->second.ps_enabled = false;
  return {};
}

Result<void> FakeHlr::Remove(const Imsi& imsi) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Result<void> f = MaybeFail(); !f) {
    return f;
  }
  ++remove_calls_;
  if (subscribers_.erase(imsi.digits()) == 0) {
    return Fail(ErrorCode::kNotFound, "hlr_unknown_subscriber", "Subscriber doesn't exist.");
  }
  return {};
}

void FakeHlr::FailNext(ErrorCode code, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_code_ = code;
  fail_times_ = times;
}

bool FakeHlr::Has(const std::string& imsi) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return subscribers_.count(imsi) > 0;
}

int FakeHlr::remove_calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return remove_calls_;
}

Result<void> FakeVlr::Expire(const Imsi& imsi) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fail_times_ > 0) {
    --fail_times_;
    return Fail(fail_code_, "msc_fake_failure", "injected failure");
  }
  if (attached_.erase(imsi.digits()) == 0) {
    return Fail(ErrorCode::kNotFound, "vlr_unknown_subscriber", "IMSI unknown");
  }
  return {};
}

void FakeVlr::Attach(const std::string& imsi) {
  std::lock_guard<std::mutex> lock(mutex_);
  attached_[imsi] = true;
}

bool FakeVlr::Attached(const std::string& imsi) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return attached_.count(imsi) > 0;
}

void FakeVlr::FailNext(ErrorCode code, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_code_ = code;
  fail_times_ = times;
}

Result<SmsAccepted> MemorySmsGateway::Send(const SmsMessage& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fail_times_ > 0) {
    --fail_times_;
    return Fail(fail_code_,
                fail_code_ == ErrorCode::kInvalidArgument ? "sms_rejected" : "sms_unavailable",
                "injected failure");
  }
  sent_.push_back(message);
  return SmsAccepted{{"mem-" + std::to_string(sent_.size())}, 1};
}

std::vector<SmsMessage> MemorySmsGateway::sent() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sent_;
}

void MemorySmsGateway::FailNext(int times, ErrorCode code) {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_times_ = times;
  fail_code_ = code;
}

Result<std::string> MemoryBlobStore::Put(std::string_view bytes, const std::string& sha256_hex) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fail_puts_ > 0) {
    --fail_puts_;
    return Fail(ErrorCode::kUnavailable, "blob_io", "injected blob store failure");
  }
  blobs_[sha256_hex] = std::string(bytes);
  return sha256_hex;
}

Result<std::string> MemoryBlobStore::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = blobs_.find(key);
  if (it == blobs_.end()) {
    return Fail(ErrorCode::kNotFound, "blob_not_found", "no stored content under this key");
  }
  return it->second;
}

std::size_t MemoryBlobStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return blobs_.size();
}

void MemoryBlobStore::Erase(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  blobs_.erase(key);
}

void MemoryBlobStore::FailNextPut(int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_puts_ = times;
}

}  // namespace simexit::testing
