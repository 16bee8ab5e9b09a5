#pragma once
// Service configuration: one TOML file plus SIMEXIT_<SECTION>_<KEY>
// environment overrides, typed and validated once at start-up
// (docs/configuration.md lists every key).
//
// Precedence: built-in defaults < file < environment. Nothing here is global:
// the composition root loads a Config and passes the parts to constructors.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/result.hpp"

namespace simexit::app {

struct ServerConfig {
  std::string listen = "127.0.0.1";  // IPv4 or IPv6 literal
  int port = 8080;                   // 0..65535; 0 = ephemeral
  int io_threads = 0;                // 0 = one per hardware thread
  int handler_threads = 4;
  int body_limit_bytes = 65536;
  // Open connections at most; more are answered 503 and closed (each may hold
  // a body of up to its route's limit). 1..100000.
  int max_connections = 256;
  // The same per client IP address; 0 = no such limit. 0..100000.
  int max_connections_per_address = 32;
  // From a request's first byte (for a new connection: from the accept) to
  // the end of its header; slower clients are disconnected. 1..3600.
  int header_timeout_seconds = 10;
  // Waiting for the next request on a kept-alive connection, reading a body,
  // writing a response. 1..3600.
  int idle_timeout_seconds = 30;
  // Request rates (token buckets): sustained requests per second and burst,
  // per client address and per credential (Authorization header). A rate of
  // 0 turns that limit off. Over it: 429 rate_limited with Retry-After.
  int requests_per_second_per_address = 100;
  int request_burst_per_address = 200;
  int requests_per_second_per_credential = 50;
  int request_burst_per_credential = 100;
  // Buckets kept per table (addresses, credentials); idle ones go first.
  int rate_limit_max_entries = 10000;
  // Staff password checks (Argon2id, 64 MiB each) run on their own threads;
  // at most this many more wait, further sign-ins get 503 "busy". Their sum
  // must stay below handler_threads, so sign-ins never occupy every handler
  // thread. threads 1..64, queue 0..1024.
  int password_hash_threads = 1;
  int password_hash_queue = 2;
  // Base URL printed in links (verification URLs, QR codes). LoadConfig fills
  // an empty value with "http://<listen>:<port>" (IPv6 in brackets).
  std::string public_url;
  // Reverse proxies whose X-Forwarded-For is believed (its last hop, the one
  // the proxy appended), as IP addresses separated by commas; "" = none.
  // LoadConfig rewrites them in canonical form, separated by ",".
  std::string trusted_proxies;
};

// server.trusted_proxies of a loaded configuration, one address each.
std::vector<std::string> TrustedProxyList(const ServerConfig& server);

struct StoreConfig {
  std::string path = "simexit.db";  // SQLite file; ":memory:" allowed
  // A PostgreSQL connection URL (postgresql://... or postgres://..., passed to
  // libpq unchanged, multi-host allowed); "" = the SQLite file at `path`.
  std::string url;
  int pool_size = 8;  // PostgreSQL connections per process
};

// True when `store` selects PostgreSQL: its url starts with postgresql:// or postgres://.
bool UsesPostgres(const StoreConfig& store);

// Where the store is, for messages and logs: the SQLite path, or the
// PostgreSQL URL with its password hidden.
std::string DescribeStore(const StoreConfig& store);

struct HlrConfig {
  std::string kind = "osmo-hlr";  // "osmo-hlr" | "none"
  std::string ctrl_host = "127.0.0.1";
  int ctrl_port = 4259;
  int timeout_ms = 3000;
};

struct SmsConfig {
  std::string sink_path = "simexit-sms.log";  // development sink: appends every message
};

struct WorkerConfig {
  bool enabled = true;
  int poll_interval_ms = 500;
  int lease_seconds = 60;
  int max_attempts = 10;
  int backoff_base_seconds = 2;
  int backoff_max_seconds = 600;
  int threads = 1;
  // SMS a worker claims and sends at once (one read, a full SMPP window, the
  // acknowledgements recorded in groups). 1..10000.
  int sms_batch = 256;
};

struct SecretsConfig {
  std::string dir = "secrets";  // signing key, holder-reference key, admin key file
  // Optional: sets the admin API key instead of the generated one. At least
  // 16 characters. Prefer the environment variable over the file for it.
  std::string admin_key;
};

// Scanned applications and documents uploaded by staff (POST /v1/uploads).
struct UploadsConfig {
  // The largest upload; POST /v1/uploads accepts bodies up to this size
  // (server.body_limit_bytes still applies to every other request).
  int max_bytes = 10 * 1024 * 1024;
  std::string dir = "uploads";  // content-addressed files; back up with the database
};

// Number recycling checks (docs/number-recycling.md).
struct NumberRecyclingConfig {
  // Days a terminated number stays in quarantine at least, whatever an
  // operator's policy says (quarantine_days below it is raised to it), so a
  // number is never handed out again sooner. 0..3650.
  int minimum_quarantine_days = 45;
  // Numbers one client may check per second, sustained (0 = no limit), and
  // at once; a batch takes one per number, so the burst is at least 1000 (a
  // full batch). Over it: 429 TOO_MANY_REQUESTS with Retry-After.
  int checks_per_second_per_client = 100;
  int check_burst_per_client = 2000;
};

// Events to the operators' webhooks (docs/events.md).
struct WebhooksConfig {
  int timeout_ms = 5000;           // one attempt: connect, send, answer
  int max_attempts = 12;           // then the delivery is dead (retryable by hand)
  int backoff_base_seconds = 10;   // before attempt n+1: base * 2^(n-1) ...
  int backoff_max_seconds = 3600;  // ... capped here
};

struct LogConfig {
  std::string level = "info";  // debug | info | warn | error
};

// One operator's SMSC, reached over SMPP 3.4 as an ESME: [smsc.<operator code>].
// Operators without one use the development sink (sms.sink_path).
struct SmscConfig {
  std::string host = "127.0.0.1";
  int port = 2775;
  std::string system_id;                // required, at most 15 characters
  std::string password;                 // at most 8 characters (SMPP 3.4)
  std::string system_type;              // at most 12 characters
  std::string source_addr = "simexit";  // sender: alphanumeric (<= 11) or digits
  int rate_per_second = 50;             // submit_sm throttle
  int window = 10;                      // outstanding submits
  int enquire_link_seconds = 30;
  int response_timeout_ms = 5000;
};

// One operator's MSC CTRL interface, for detaching subscribers from the VLR on
// deprovisioning: [msc.<operator code>]. Operators without one skip that step.
struct MscConfig {
  std::string ctrl_host = "127.0.0.1";
  int ctrl_port = 4255;
  int timeout_ms = 3000;
};

struct Config {
  ServerConfig server;
  StoreConfig store;
  HlrConfig hlr;
  SmsConfig sms;
  WorkerConfig worker;
  SecretsConfig secrets;
  UploadsConfig uploads;
  LogConfig log;
  NumberRecyclingConfig number_recycling;
  WebhooksConfig webhooks;
  std::map<std::string, SmscConfig> smsc;  // by operator code
  std::map<std::string, MscConfig> msc;    // by operator code
};

// Loads the defaults, then `file` (when given), then `env` overrides, and
// validates the result. `env` maps variable names to values; only names of
// the form SIMEXIT_<SECTION>_* for a known section are configuration, others
// (PATH, SIMEXIT_FAULT_KILL_AT, ...) are ignored. Every failure is kInvalidArgument
// "invalid_config" with a message naming the key or variable, e.g.
//   - the file cannot be read or is not valid TOML (with the line);
//   - "unknown configuration section 'serve'" / "unknown configuration key
//     'server.prot'" / "unknown environment variable 'SIMEXIT_SERVER_PROT'"
//     (a known section's prefix with an unknown key);
//   - "configuration key 'server.port' must be an integer" (wrong TOML type or
//     an env value that does not parse; booleans are true/false/1/0);
//   - a value out of range, e.g. "configuration key 'server.port' must be
//     between 0 and 65535", unknown log.level or hlr.kind.
Result<Config> LoadConfig(const std::optional<std::filesystem::path>& file,
                          const std::map<std::string, std::string>& env);

// The SIMEXIT_* variables of this process's environment.
std::map<std::string, std::string> EnvironmentVariables();

}  // namespace simexit::app
