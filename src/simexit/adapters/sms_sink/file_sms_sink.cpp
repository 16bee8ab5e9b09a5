#include "simexit/adapters/sms_sink/file_sms_sink.hpp"

#include <boost/json.hpp>
#include <fstream>

#include "simexit/common/clock.hpp"
#include "simexit/common/random.hpp"

namespace simexit {

Result<SmsAccepted> FileSmsSink::Send(const SmsMessage& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string id = "sink-" + SodiumRandom().Hex(8);
  boost::json::object line{
      {"id", id},
      {"at", FormatRfc3339(SystemClock().Now())},
      {"recipient", message.recipient},
      {"kind", message.kind},
      {"reference", message.reference},
      {"text", message.text},
  };
  std::ofstream out(path_, std::ios::app);
  out << boost::json::serialize(line) << '\n';
  out.flush();
  if (!out) {
    return Fail(ErrorCode::kUnavailable, "sms_sink_unwritable",
                "cannot append to the SMS sink file " + path_.string());
  }
  return SmsAccepted{{id}, 1};
}

std::string FileSmsSink::Describe() const {
  return "development SMS sink: messages are appended to " + path_.string() +
         " and NOT delivered to any phone";
}

}  // namespace simexit
