#include "simexit/app/config.hpp"

#include <arpa/inet.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include "simexit/adapters/postgres/pg_db.hpp"
#include "simexit/common/client_address.hpp"
#include "simexit/common/log.hpp"

extern char** environ;  // NOLINT: POSIX, declared by no header in strict C++ mode

namespace simexit::app {
namespace {

constexpr std::string_view kEnvPrefix = "SIMEXIT_";

using FieldRef = std::variant<std::string*, int*, bool*>;

struct Field {
  std::string section;  // "server", or "smsc.kcell" for a per-operator table
  std::string_view key;
  FieldRef ref;
};

// Tables keyed by operator code: [smsc.<code>], [msc.<code>].
constexpr std::string_view kPerOperatorSections[] = {"smsc", "msc"};

// The one list of every configuration key; file, environment and docs follow it.
std::vector<Field> Fields(Config& c) {
  return {
      {"server", "listen", &c.server.listen},
      {"server", "port", &c.server.port},
      {"server", "io_threads", &c.server.io_threads},
      {"server", "handler_threads", &c.server.handler_threads},
      {"server", "body_limit_bytes", &c.server.body_limit_bytes},
      {"server", "max_connections", &c.server.max_connections},
      {"server", "max_connections_per_address", &c.server.max_connections_per_address},
      {"server", "header_timeout_seconds", &c.server.header_timeout_seconds},
      {"server", "idle_timeout_seconds", &c.server.idle_timeout_seconds},
      {"server", "requests_per_second_per_address", &c.server.requests_per_second_per_address},
      {"server", "request_burst_per_address", &c.server.request_burst_per_address},
      {"server", "requests_per_second_per_credential",
       &c.server.requests_per_second_per_credential},
      {"server", "request_burst_per_credential", &c.server.request_burst_per_credential},
      {"server", "rate_limit_max_entries", &c.server.rate_limit_max_entries},
      {"server", "password_hash_threads", &c.server.password_hash_threads},
      {"server", "password_hash_queue", &c.server.password_hash_queue},
      {"server", "public_url", &c.server.public_url},
      {"server", "trusted_proxies", &c.server.trusted_proxies},
      {"store", "path", &c.store.path},
      {"store", "url", &c.store.url},
      {"store", "pool_size", &c.store.pool_size},
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
      {"worker", "sms_batch", &c.worker.sms_batch},
      {"secrets", "dir", &c.secrets.dir},
      {"secrets", "admin_key", &c.secrets.admin_key},
      {"uploads", "max_bytes", &c.uploads.max_bytes},
      {"uploads", "dir", &c.uploads.dir},
      {"log", "level", &c.log.level},
      {"number_recycling", "minimum_quarantine_days", &c.number_recycling.minimum_quarantine_days},
      {"number_recycling", "checks_per_second_per_client",
       &c.number_recycling.checks_per_second_per_client},
      {"number_recycling", "check_burst_per_client", &c.number_recycling.check_burst_per_client},
      {"webhooks", "timeout_ms", &c.webhooks.timeout_ms},
      {"webhooks", "max_attempts", &c.webhooks.max_attempts},
      {"webhooks", "backoff_base_seconds", &c.webhooks.backoff_base_seconds},
      {"webhooks", "backoff_max_seconds", &c.webhooks.backoff_max_seconds},
  };
}

// The fields of the per-operator tables that exist in `c`.
std::vector<Field> OperatorFields(Config& c) {
  std::vector<Field> out;
  for (auto& [code, smsc] : c.smsc) {
    const std::string section = "smsc." + code;
    out.push_back({section, "host", &smsc.host});
    out.push_back({section, "port", &smsc.port});
    out.push_back({section, "system_id", &smsc.system_id});
    out.push_back({section, "password", &smsc.password});
    out.push_back({section, "system_type", &smsc.system_type});
    out.push_back({section, "source_addr", &smsc.source_addr});
    out.push_back({section, "rate_per_second", &smsc.rate_per_second});
    out.push_back({section, "window", &smsc.window});
    out.push_back({section, "enquire_link_seconds", &smsc.enquire_link_seconds});
    out.push_back({section, "response_timeout_ms", &smsc.response_timeout_ms});
  }
  for (auto& [code, msc] : c.msc) {
    const std::string section = "msc." + code;
    out.push_back({section, "ctrl_host", &msc.ctrl_host});
    out.push_back({section, "ctrl_port", &msc.ctrl_port});
    out.push_back({section, "timeout_ms", &msc.timeout_ms});
  }
  return out;
}

std::vector<Field> AllFields(Config& c) {
  std::vector<Field> fields = Fields(c);
  std::vector<Field> per_operator = OperatorFields(c);
  fields.insert(fields.end(), per_operator.begin(), per_operator.end());
  return fields;
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
  std::transform(name.begin(), name.end(), name.begin(), [](char c) {
    // "smsc.kcell" -> "SMSC_KCELL"; '-' in operator codes becomes '_' too.
    return c == '.' || c == '-' ? '_'
                                : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
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
  // Per-operator tables first: each [smsc.<code>] / [msc.<code>] creates its entry.
  for (std::string_view table : kPerOperatorSections) {
    const toml::node* node = root.get(table);
    if (node == nullptr) {
      continue;
    }
    if (!node->is_table()) {
      return Invalid("configuration key '" + std::string(table) + "' must hold tables ([" +
                     std::string(table) + ".<operator code>])");
    }
    for (const auto& [code_key, entry] : *node->as_table()) {
      const std::string code(code_key.str());
      if (!entry.is_table()) {
        return Invalid("configuration key '" + std::string(table) + "." + code +
                       "' must be a table");
      }
      if (code.empty() ||
          code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos) {
        return Invalid("configuration table '" + std::string(table) + "." + code +
                       "': the operator code must be lower-case letters, digits, '_' or '-'");
      }
      if (table == "smsc") {
        config.smsc[code];
      } else {
        config.msc[code];
      }
    }
  }
  std::vector<Field> fields = AllFields(config);
  for (const auto& [section_key, section_node] : root) {
    const std::string section_name(section_key.str());
    if (std::find(std::begin(kPerOperatorSections), std::end(kPerOperatorSections), section_name) !=
        std::end(kPerOperatorSections)) {
      for (const auto& [code_key, entry] : *section_node.as_table()) {
        const std::string section = section_name + "." + std::string(code_key.str());
        for (const auto& [key, node] : *entry.as_table()) {
          const std::string key_name(key.str());
          const auto field = std::find_if(fields.begin(), fields.end(), [&](const Field& f) {
            return f.section == section && f.key == key_name;
          });
          if (field == fields.end()) {
            return Invalid("unknown configuration key '" + section + "." + key_name + "'");
          }
          if (Result<void> applied = ApplyToml(node, *field); !applied) {
            return applied;
          }
        }
      }
      continue;
    }
    const bool known_section = std::any_of(
        fields.begin(), fields.end(), [&](const Field& f) { return f.section == section_name; });
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
  // Per-operator tables are declared in the file; the environment can then
  // override their keys (SIMEXIT_SMSC_KCELL_PASSWORD), e.g. to keep passwords
  // out of the file.
  std::vector<Field> fields = AllFields(config);
  // Not `const auto& [name, value]`: the lambdas below capture `name`, and clang 14
  // cannot capture structured bindings (C++20 allows it).
  for (const auto& entry : env) {
    const std::string& name = entry.first;
    const std::string& value = entry.second;
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

// "a, b" -> {"a", "b"}; "" -> {""}; "a," -> {"a", ""}.
std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    out.push_back(item);
    if (comma == std::string_view::npos) {
      return out;
    }
    text.remove_prefix(comma + 1);
  }
}

// Checks server.trusted_proxies and rewrites it in canonical form.
Result<void> CanonicalTrustedProxies(std::string& list) {
  if (list.empty()) {
    return {};
  }
  std::string canonical;
  for (const std::string_view item : SplitList(list)) {
    const std::optional<ClientAddress> address = ClientAddress::Parse(item);
    if (!address) {
      return Invalid(
          "configuration key 'server.trusted_proxies' must list IP addresses "
          "separated by commas, not '" +
          std::string(item) + "'");
    }
    if (!canonical.empty()) {
      canonical += ',';
    }
    canonical += address->text();
  }
  list = canonical;
  return {};
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

Result<void> CheckPerOperator(const Config& c) {
  for (const auto& [code, smsc] : c.smsc) {
    const std::string k = "smsc." + code + ".";
    for (Result<void> r :
         {CheckNonEmpty(k + "host", smsc.host), CheckRange(k + "port", smsc.port, 1, 65535),
          CheckNonEmpty(k + "system_id", smsc.system_id),
          CheckRange(k + "rate_per_second", smsc.rate_per_second, 1, 100000),
          CheckRange(k + "window", smsc.window, 1, 1000),
          CheckRange(k + "enquire_link_seconds", smsc.enquire_link_seconds, 1, 3600),
          CheckRange(k + "response_timeout_ms", smsc.response_timeout_ms, 1, 600000)}) {
      if (!r) {
        return r;
      }
    }
    if (smsc.system_id.size() > 15) {
      return Invalid("configuration key '" + k + "system_id' is limited to 15 characters");
    }
    if (smsc.password.size() > 8) {
      return Invalid("configuration key '" + k + "password' is limited to 8 characters (SMPP 3.4)");
    }
    if (smsc.system_type.size() > 12) {
      return Invalid("configuration key '" + k + "system_type' is limited to 12 characters");
    }
    if (smsc.source_addr.empty() || smsc.source_addr.size() > 20) {
      return Invalid("configuration key '" + k + "source_addr' must be 1 to 20 characters");
    }
  }
  for (const auto& [code, msc] : c.msc) {
    const std::string k = "msc." + code + ".";
    for (Result<void> r : {CheckNonEmpty(k + "ctrl_host", msc.ctrl_host),
                           CheckRange(k + "ctrl_port", msc.ctrl_port, 1, 65535),
                           CheckRange(k + "timeout_ms", msc.timeout_ms, 1, 600000)}) {
      if (!r) {
        return r;
      }
    }
  }
  return {};
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
      CheckRange("server.max_connections", c.server.max_connections, 1, 100000),
      CheckRange("server.max_connections_per_address", c.server.max_connections_per_address, 0,
                 100000),
      CheckRange("server.header_timeout_seconds", c.server.header_timeout_seconds, 1, 3600),
      CheckRange("server.idle_timeout_seconds", c.server.idle_timeout_seconds, 1, 3600),
      CheckRange("server.requests_per_second_per_address", c.server.requests_per_second_per_address,
                 0, 1000000),
      CheckRange("server.request_burst_per_address", c.server.request_burst_per_address, 1,
                 1000000),
      CheckRange("server.requests_per_second_per_credential",
                 c.server.requests_per_second_per_credential, 0, 1000000),
      CheckRange("server.request_burst_per_credential", c.server.request_burst_per_credential, 1,
                 1000000),
      CheckRange("server.rate_limit_max_entries", c.server.rate_limit_max_entries, 1, 10000000),
      CheckRange("server.password_hash_threads", c.server.password_hash_threads, 1, 64),
      CheckRange("server.password_hash_queue", c.server.password_hash_queue, 0, 1024),
      c.server.password_hash_threads + c.server.password_hash_queue < c.server.handler_threads
          ? Result<void>{}
          : Invalid("configuration keys 'server.password_hash_threads' + "
                    "'server.password_hash_queue' must be less than 'server.handler_threads'"),
      (c.server.public_url.empty() || c.server.public_url.rfind("http://", 0) == 0 ||
       c.server.public_url.rfind("https://", 0) == 0)
          ? Result<void>{}
          : Invalid("configuration key 'server.public_url' must start with http:// or https://"),
      CanonicalTrustedProxies(c.server.trusted_proxies),
      CheckNonEmpty("store.path", c.store.path),
      (c.store.url.empty() || UsesPostgres(c.store))
          ? Result<void>{}
          : Invalid("configuration key 'store.url' must be a PostgreSQL URL "
                    "(postgresql://... or postgres://...) or empty for the SQLite file "
                    "'store.path'"),
      CheckRange("store.pool_size", c.store.pool_size, 1, 1000),
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
      CheckRange("worker.sms_batch", c.worker.sms_batch, 1, 10000),
      CheckPerOperator(c),
      CheckNonEmpty("secrets.dir", c.secrets.dir),
      // Never echo the key itself in the message.
      (c.secrets.admin_key.empty() ||
       (c.secrets.admin_key.size() >= 16 &&
        std::all_of(c.secrets.admin_key.begin(), c.secrets.admin_key.end(),
                    [](char ch) { return std::isgraph(static_cast<unsigned char>(ch)) != 0; })))
          ? Result<void>{}
          : Invalid("configuration key 'secrets.admin_key' must be empty or at least 16 "
                    "printable characters without spaces"),
      CheckRange("uploads.max_bytes", c.uploads.max_bytes, 1, kMaxBodyBytes),
      CheckNonEmpty("uploads.dir", c.uploads.dir),
      CheckRange("number_recycling.minimum_quarantine_days",
                 c.number_recycling.minimum_quarantine_days, 0, 3650),
      CheckRange("number_recycling.checks_per_second_per_client",
                 c.number_recycling.checks_per_second_per_client, 0, 1000000),
      CheckRange("number_recycling.check_burst_per_client",
                 c.number_recycling.check_burst_per_client, 1000, 10000000),
      CheckRange("webhooks.timeout_ms", c.webhooks.timeout_ms, 1, kMaxTimeoutMs),
      CheckRange("webhooks.max_attempts", c.webhooks.max_attempts, 1, 1000),
      CheckRange("webhooks.backoff_base_seconds", c.webhooks.backoff_base_seconds, 1, 86400),
      CheckRange("webhooks.backoff_max_seconds", c.webhooks.backoff_max_seconds,
                 std::max(1, c.webhooks.backoff_base_seconds), 7 * 86400),
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
    const std::string host =
        IsIpv6(c.server.listen) ? "[" + c.server.listen + "]" : c.server.listen;
    c.server.public_url = "http://" + host + ":" + std::to_string(c.server.port);
  }
  while (c.server.public_url.size() > 1 && c.server.public_url.back() == '/') {
    c.server.public_url.pop_back();
  }
  return {};
}

}  // namespace

std::vector<std::string> TrustedProxyList(const ServerConfig& server) {
  std::vector<std::string> out;
  if (server.trusted_proxies.empty()) {
    return out;
  }
  for (const std::string_view item : SplitList(server.trusted_proxies)) {
    out.emplace_back(item);
  }
  return out;
}

bool UsesPostgres(const StoreConfig& store) {
  return store.url.rfind("postgresql://", 0) == 0 || store.url.rfind("postgres://", 0) == 0;
}

std::string DescribeStore(const StoreConfig& store) {
  return UsesPostgres(store) ? pg::RedactUrl(store.url) : store.path;
}

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
