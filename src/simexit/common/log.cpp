#include "simexit/common/log.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "simexit/common/enum_names.hpp"

namespace simexit {
namespace {

constexpr EnumNames<LogLevel, 4> kLogLevelNames{{{
    {LogLevel::kDebug, "debug"},
    {LogLevel::kInfo, "info"},
    {LogLevel::kWarn, "warn"},
    {LogLevel::kError, "error"},
}}};

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

// Guards the sink and makes each line's write atomic with respect to the others
// even when write() is partial.
std::mutex& SinkMutex() {
  static std::mutex mutex;
  return mutex;
}

std::function<void(std::string_view)>& Sink() {
  static std::function<void(std::string_view)> sink;
  return sink;
}

thread_local std::string t_request_id;

std::string NowRfc3339Millis() {
  const auto now = std::chrono::system_clock::now();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  long remainder = static_cast<long>(millis % 1000);
  if (remainder < 0) {
    remainder += 1000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[96];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, remainder);
  return text;
}

bool IsReservedKey(std::string_view key) {
  return key == "ts" || key == "level" || key == "msg" || key == "request_id";
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;  // Nowhere left to report a failing stderr.
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }

LogLevel GetLogLevel() { return static_cast<LogLevel>(g_level.load()); }

std::optional<LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "warning") {  // accepted on input; always written "warn"
    return LogLevel::kWarn;
  }
  return kLogLevelNames.Parse(text);
}

const char* LogLevelName(LogLevel level) { return kLogLevelNames.Name(level); }

void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  if (static_cast<int>(level) < g_level.load()) {
    return;
  }
  boost::json::object line;
  line.reserve(4 + fields.size());
  line["ts"] = NowRfc3339Millis();
  line["level"] = LogLevelName(level);
  line["msg"] = msg;
  if (!t_request_id.empty()) {
    line["request_id"] = t_request_id;
  }
  for (const auto& [key, value] : fields) {
    if (IsReservedKey(key)) {
      std::string renamed = "field.";
      renamed.append(key);
      line[renamed] = value;
    } else {
      line[key] = value;
    }
  }
  std::string text = boost::json::serialize(line);

  std::lock_guard<std::mutex> lock(SinkMutex());
  if (Sink()) {
    Sink()(text);
    return;
  }
  text.push_back('\n');
  WriteAll(STDERR_FILENO, text);
}

RequestIdScope::RequestIdScope(std::string id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(id);
}

RequestIdScope::~RequestIdScope() { t_request_id = std::move(previous_); }

const std::string& CurrentRequestId() { return t_request_id; }

void SetLogSinkForTesting(std::function<void(std::string_view)> sink) {
  std::lock_guard<std::mutex> lock(SinkMutex());
  Sink() = std::move(sink);
}

}  // namespace simexit
