#pragma once
// Development SMS sink: appends every message as one JSON line to a file
// instead of sending it. It delivers nothing to any phone, and says so in its
// Describe() text, which the server logs at start-up. Thread-safe.

#include <filesystem>
#include <mutex>

#include "simexit/ports/sms_gateway.hpp"

namespace simexit {

class FileSmsSink final : public SmsGateway {
 public:
  explicit FileSmsSink(std::filesystem::path path) : path_(std::move(path)) {}

  // Appends {"id","at","recipient","kind","reference","text"} and flushes. kUnavailable
  // when the file cannot be written.
  Result<SmsAccepted> Send(const SmsMessage& message) override;
  std::string Describe() const override;

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
  long long next_id_ = 1;
};

}  // namespace simexit
