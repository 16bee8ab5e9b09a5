#include "simexit/app/config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include "simexit/common/log.hpp"

extern char** environ;  // NOLINT: POSIX, declared by no header in strict C++ mode

namespace simexit::app {
namespace {

constexpr std::string_view kEnvPrefix = "SIMEXIT_";

using FieldRef = std::variant<std::string*, int*, bool*>;

struct Field {
  std::string_view section;
  std::string_view key;
  FieldRef ref;
};

// The one list of every configuration key; file, environment and docs follow it.
std::vector<Field> Fields(Config& c) {
  return {
      {"server", "listen", &c.server.listen},
      {"server", "port", &c.server.port},
      {"server", "io_threads", &c.server.io_threads},
      {"server", "handler_threads", &c.server.handler_threads},
      {"server", "body_limit_bytes", &c.server.body_limit_bytes},
      {"server", "public_url", &c.server.public_url},
      {"store", "path", &c.store.path},
      {"hlr", "kind", &c.hlr.kind},
      {"hlr", "ctrl_host", &c.hlr.ctrl_host},
      {"hlr", "ctrl_port", &c.hlr.ctrl_port},
      {"hlr", "timeout_ms", &c.hlr.timeout_ms},
      {"sms", "sink_path", &c.sms.sink_path},
      {"worker", "enabled", &c.worker.enabled},
      {"worker", "poll_interval_ms", &c.worker.poll_interval_ms},
      {"worker", "lease_seconds", &c.worker.lease_seconds},
      {"worker", "max_attempts", &c.worker.max_attempts},
      {"worker", "backoff_base_seconds", &c.worker.backoff_base_seconds},
      {"worker", "backoff_max_seconds", &c.worker.backoff_max_seconds},
      {"worker", "threads", &c.worker.threads},
      {"secrets", "dir", &c.secrets.dir},
      {"secrets", "admin_key", &c.secrets.admin_key},
      {"log", "level", &c.log.level},
  };
}

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_config", std::move(message));
}

std::string KeyName(const Field& field) {
  return std::string(field.section) + "." + std::string(field.key);
}

std::string EnvName(const Field& field) {
  std::string name(kEnvPrefix);
  name.append(field.section).append("_").append(field.key);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  return name;
}

const char* TypeName(const FieldRef& ref) {
  if (std::holds_alternative<std::string*>(ref)) {
    return "a string";
  }
  if (std::holds_alternative<int*>(ref)) {
    return "an integer";
  }
  return "a boolean (true or false)";
}

Result<void> ApplyToml(const toml::node& node, const Field& field) {
  const auto wrong_type = [&] {
    return Invalid("configuration key '" + KeyName(field) + "' must be " + TypeName(field.ref));
  };
  if (auto* text = std::get_if<std::string*>(&field.ref)) {
    if (!node.is_string()) {
      return wrong_type();
    }
    **text = node.as_string()->get();
  } else if (auto* number = std::get_if<int*>(&field.ref)) {
    if (!node.is_integer()) {
      return wrong_type();
    }
    const std::int64_t value = node.as_integer()->get();
    if (value < INT_MIN || value > INT_MAX) {
      return Invalid("configuration key '" + KeyName(field) + "' is out of range");
    }
    **number = static_cast<int>(value);
  } else if (auto* flag = std::get_if<bool*>(&field.ref)) {
    if (!node.is_boolean()) {
      return wrong_type();
    }
    **flag = node.as_boolean()->get();
  }
  return {};
}

Result<void> ApplyEnv(const std::string& name, const std::string& value, const Field& field) {
  const auto wrong_type = [&] {
    return Invalid("environment variable '" + name + "' (configuration key '" + KeyName(field) +
                   "') must be " + TypeName(field.ref));
  };
  if (auto* text = std::get_if<std::string*>(&field.ref)) {
    **text = value;
  } else if (auto* number = std::get_if<int*>(&field.ref)) {
    int parsed = 0;
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, parsed);
    if (value.empty() || ec != std::errc() || ptr != end) {
      return wrong_type();
    }
    **number = parsed;
  } else if (auto* flag = std::get_if<bool*>(&field.ref)) {
    if (value == "true" || value == "1") {
      **flag = true;
    } else if (value == "false" || value == "0") {
      **flag = false;
    } else {
      return wrong_type();
    }
  }
  return {};
}

Result<void> ApplyFile(const std::filesystem::path& path, Config& config) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Invalid("cannot read configuration file '" + path.string() + "': no such file");
  }
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return Invalid("cannot parse configuration file '" + path.string() +
                   "': " + std::string(e.description()) + " (line " +
                   std::to_string(e.source().begin.line) + ")");
  }
  std::vector<Field> fields = Fields(config);
  for (const auto& [section_key, section_node] : root) {
    const std::string section_name(section_key.str());
    const bool known_section = std::any_of(fields.begin(), fields.end(), [&](const Field& f) {
      return f.section == section_name;
    });
    if (!section_node.is_table()) {
      if (known_section) {
        return Invalid("configuration key '" + section_name + "' must be a table ([" +
                       section_name + "])");
      }
      return Invalid("unknown configuration key '" + section_name + "'");
    }
    if (!known_section) {
      return Invalid("unknown configuration section '" + section_name + "'");
    }
    for (const auto& [key, node] : *section_node.as_table()) {
      const std::string key_name(key.str());
      const auto field = std::find_if(fields.begin(), fields.end(), [&](const Field& f) {
        return f.section == section_name && f.key == key_name;
      });
      if (field == fields.end()) {
        return Invalid("unknown configuration key '" + section_name + "." + key_name + "'");
      }
      if (Result<void> applied = ApplyToml(node, *field); !applied) {
        return applied;
      }
    }
  }
  return {};
}

Result<void> ApplyEnvironment(const std::map<std::string, std::string>& env, Config& config) {
  std::vector<Field> fields = Fields(config);
  for (const auto& [name, value] : env) {
    // Only SIMEXIT_<SECTION>_* names are configuration; other SIMEXIT_* names
    // (SIMEXIT_FAULT_KILL_AT, test harness variables) are not ours to refuse.
    const bool in_section = std::any_of(fields.begin(), fields.end(), [&](const Field& f) {
      const std::string prefix = EnvName(f).substr(0, kEnvPrefix.size() + f.section.size() + 1);
      return name.compare(0, prefix.size(), prefix) == 0;
    });
    if (!in_section) {
      continue;
    }
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&](const Field& f) { return EnvName(f) == name; });
    if (field == fields.end()) {
      return Invalid("unknown environment variable '" + name + "'");
    }
    if (Result<void> applied = ApplyEnv(name, value, *field); !applied) {
      return applied;
    }
  }
  return {};
}

tl::unexpected<Error> OutOfRange(std::string_view key, int low, int high) {
  return Invalid("configuration key '" + std::string(key) + "' must be between " +
                 std::to_string(low) + " and " + std::to_string(high));
}

Result<void> CheckRange(std::string_view key, int value, int low, int high) {
  if (value < low || value > high) {
    return OutOfRange(key, low, high);
  }
  return {};
}

Result<void> CheckNonEmpty(std::string_view key, const std::string& value) {
  if (value.empty()) {
    return Invalid("configuration key '" + std::string(key) + "' must not be empty");
  }
  return {};
}

bool IsIpv6(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool IsIpLiteral(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 || IsIpv6(text);
}

Result<void> Validate(Config& c) {
  constexpr int kMaxThreads = 1024;
  constexpr int kMaxBodyBytes = 64 * 1024 * 1024;
  constexpr int kMaxTimeoutMs = 10 * 60 * 1000;
  const std::vector<Result<void>> checks = {
      IsIpLiteral(c.server.listen)
          ? Result<void>{}
          : Invalid("configuration key 'server.listen' must be an IPv4 or IPv6 address"),
      CheckRange("server.port", c.server.port, 0, 65535),
      CheckRange("server.io_threads", c.server.io_threads, 0, kMaxThreads),
      CheckRange("server.handler_threads", c.server.handler_threads, 1, kMaxThreads),
      CheckRange("server.body_limit_bytes", c.server.body_limit_bytes, 1, kMaxBodyBytes),
      (c.server.public_url.empty() || c.server.public_url.rfind("http://", 0) == 0 ||
       c.server.public_url.rfind("https://", 0) == 0)
          ? Result<void>{}
          : Invalid("configuration key 'server.public_url' must start with http:// or https://"),
      CheckNonEmpty("store.path", c.store.path),
      (c.hlr.kind == "osmo-hlr" || c.hlr.kind == "none")
          ? Result<void>{}
          : Invalid("configuration key 'hlr.kind' must be \"osmo-hlr\" or \"none\""),
      CheckNonEmpty("hlr.ctrl_host", c.hlr.ctrl_host),
      CheckRange("hlr.ctrl_port", c.hlr.ctrl_port, 1, 65535),
      CheckRange("hlr.timeout_ms", c.hlr.timeout_ms, 1, kMaxTimeoutMs),
      CheckNonEmpty("sms.sink_path", c.sms.sink_path),
      CheckRange("worker.poll_interval_ms", c.worker.poll_interval_ms, 1, kMaxTimeoutMs),
      CheckRange("worker.lease_seconds", c.worker.lease_seconds, 1, 86400),
      CheckRange("worker.max_attempts", c.worker.max_attempts, 1, 1000000),
      CheckRange("worker.backoff_base_seconds", c.worker.backoff_base_seconds, 1, 86400),
      CheckRange("worker.backoff_max_seconds", c.worker.backoff_max_seconds,
                 std::max(1, c.worker.backoff_base_seconds), 7 * 86400),
      CheckRange("worker.threads", c.worker.threads, 1, kMaxThreads),
      CheckNonEmpty("secrets.dir", c.secrets.dir),
      // Never echo the key itself in the message.
      (c.secrets.admin_key.empty() ||
       (c.secrets.admin_key.size() >= 16 &&
        std::all_of(c.secrets.admin_key.begin(), c.secrets.admin_key.end(),
                    [](char ch) { return std::isgraph(static_cast<unsigned char>(ch)) != 0; })))
          ? Result<void>{}
          : Invalid("configuration key 'secrets.admin_key' must be empty or at least 16 "
                    "printable characters without spaces"),
      ParseLogLevel(c.log.level)
          ? Result<void>{}
          : Invalid("configuration key 'log.level' must be one of debug, info, warn, error"),
  };
  for (const Result<void>& check : checks) {
    if (!check) {
      return check;
    }
  }
  if (c.server.public_url.empty()) {
    const std::string host = IsIpv6(c.server.listen) ? "[" + c.server.listen + "]"
                                                     : c.server.listen;
    c.server.public_url = "http://" + host + ":" + std::to_string(c.server.port);
  }
  while (c.server.public_url.size() > 1 && c.server.public_url.back() == '/') {
    c.server.public_url.pop_back();
  }
  return {};
}

}  // namespace

Result<Config> LoadConfig(const std::optional<std::filesystem::path>& file,
                          const std::map<std::string, std::string>& env) {
  Config config;
  if (file) {
    if (Result<void> loaded = ApplyFile(*file, config); !loaded) {
      return Fail(loaded.error());
    }
  }
  if (Result<void> applied = ApplyEnvironment(env, config); !applied) {
    return Fail(applied.error());
  }
  if (Result<void> valid = Validate(config); !valid) {
    return Fail(valid.error());
  }
  return config;
}

std::map<std::string, std::string> EnvironmentVariables() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos || text.substr(0, kEnvPrefix.size()) != kEnvPrefix) {
      continue;
    }
    out.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return out;
}

}  // namespace simexit::app
