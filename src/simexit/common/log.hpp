#pragma once
// Structured logging: one JSON object per line on stderr ("JSON lines").
//
// Every line carries "ts" (RFC 3339 UTC with milliseconds, e.g.
// "2026-11-25T04:12:13.042Z"), "level" ("debug" | "info" | "warn" | "error"),
// "msg", "request_id" when a RequestIdScope is active on the calling thread, and
// the caller's key/value fields in the order given. A field whose name collides
// with one of those four keys is written as "field.<name>" instead, so it can
// neither forge nor hide them.
//
// NEVER LOG SECRETS. This module cannot tell a secret from any other string:
// callers are responsible for never passing API keys, one-time codes, tokens,
// signing keys, document numbers, full IINs or request/response bodies.
//
// Thread-safety: all functions may be called from any thread. Each line is
// emitted with a single write() so lines from concurrent threads never
// interleave.

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace simexit {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// One key/value pair of a log line. Implicit so that calls read
// `LogInfo("msg", {{"key", value}, ...})` with any value boost::json::value_from
// accepts (numbers, bool, const char*, std::string, std::string_view, JSON).
struct LogField {
  template <typename T>
  LogField(std::string_view field_key, T&& field_value)  // NOLINT(google-explicit-constructor)
      : key(field_key), value(boost::json::value_from(std::forward<T>(field_value))) {}

  std::string_view key;
  boost::json::value value;
};

// Lines below `level` are dropped. The default is kInfo.
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();

// "debug", "info", "warn" (or "warning"), "error", case-sensitive lower case.
// Returns nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(std::string_view text);
// The lower-case name used in the "level" field.
const char* LogLevelName(LogLevel level);

// Emits one line if `level` is at or above the current level.
void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});
inline void LogDebug(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kDebug, msg, fields);
}
inline void LogInfo(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, msg, fields);
}
inline void LogWarn(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarn, msg, fields);
}
inline void LogError(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, msg, fields);
}

// Sets the calling thread's request id for the lifetime of the scope; the
// previous id (usually none) is restored on destruction, so scopes nest.
// Not copyable or movable: it must be destroyed on the thread that made it.
class RequestIdScope {
 public:
  explicit RequestIdScope(std::string id);
  ~RequestIdScope();
  RequestIdScope(const RequestIdScope&) = delete;
  RequestIdScope& operator=(const RequestIdScope&) = delete;

 private:
  std::string previous_;
};

// The calling thread's request id, or an empty string outside any scope.
const std::string& CurrentRequestId();

// Tests only: every emitted line (without the trailing newline) goes to `sink`
// instead of stderr. An empty function restores stderr. The sink is called
// under the logger's lock: it must not log.
void SetLogSinkForTesting(std::function<void(std::string_view)> sink);

}  // namespace simexit
