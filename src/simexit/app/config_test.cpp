#include "simexit/app/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace simexit::app {
namespace {

using Env = std::map<std::string, std::string>;

class ConfigTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& text) {
    std::filesystem::path path =
        std::filesystem::path(::testing::TempDir()) /
        ("simexit-config-" + std::to_string(counter_++) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
    std::ofstream(path) << text;
    written_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& path : written_) {
      std::filesystem::remove(path);
    }
  }

  // The error message of a load that must fail with invalid_config.
  static std::string Rejection(const Result<Config>& result) {
    if (result) {
      ADD_FAILURE() << "expected a rejection";
      return "";
    }
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().problem_code, "invalid_config");
    return result.error().message;
  }
  std::string FileRejection(const std::string& toml) {
    return Rejection(LoadConfig(Write(toml), {}));
  }
  static std::string EnvRejection(const Env& env) {
    return Rejection(LoadConfig(std::nullopt, env));
  }

  int counter_ = 0;
  std::vector<std::filesystem::path> written_;
};

TEST_F(ConfigTest, DefaultsWithoutFileOrEnv) {
  const Result<Config> config = LoadConfig(std::nullopt, {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.listen, "127.0.0.1");
  EXPECT_EQ(config->server.port, 8080);
  EXPECT_EQ(config->server.io_threads, 0);
  EXPECT_EQ(config->server.handler_threads, 4);
  EXPECT_EQ(config->server.body_limit_bytes, 65536);
  EXPECT_EQ(config->server.max_connections, 256);
  EXPECT_EQ(config->server.max_connections_per_address, 32);
  EXPECT_EQ(config->server.header_timeout_seconds, 10);
  EXPECT_EQ(config->server.idle_timeout_seconds, 30);
  EXPECT_EQ(config->server.requests_per_second_per_address, 100);
  EXPECT_EQ(config->server.password_hash_threads + config->server.password_hash_queue, 3);
  EXPECT_EQ(config->server.public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(config->store.path, "simexit.db");
  EXPECT_EQ(config->hlr.kind, "osmo-hlr");
  EXPECT_EQ(config->hlr.ctrl_host, "127.0.0.1");
  EXPECT_EQ(config->hlr.ctrl_port, 4259);
  EXPECT_EQ(config->hlr.timeout_ms, 3000);
  EXPECT_EQ(config->sms.sink_path, "simexit-sms.log");
  EXPECT_TRUE(config->worker.enabled);
  EXPECT_EQ(config->worker.poll_interval_ms, 500);
  EXPECT_EQ(config->worker.lease_seconds, 60);
  EXPECT_EQ(config->worker.max_attempts, 10);
  EXPECT_EQ(config->worker.backoff_base_seconds, 2);
  EXPECT_EQ(config->worker.backoff_max_seconds, 600);
  EXPECT_EQ(config->worker.threads, 1);
  EXPECT_EQ(config->secrets.dir, "secrets");
  EXPECT_EQ(config->secrets.admin_key, "");
  EXPECT_EQ(config->uploads.max_bytes, 10 * 1024 * 1024);
  EXPECT_EQ(config->uploads.dir, "uploads");
  EXPECT_EQ(config->log.level, "info");
}

TEST_F(ConfigTest, FileSetsEveryKind) {
  const Result<Config> config = LoadConfig(Write(R"(
[server]
listen = "::1"
port = 9000
public_url = "https://simexit.example.kz/"
[store]
path = ":memory:"
[hlr]
kind = "none"
[worker]
enabled = false
threads = 3
[uploads]
max_bytes = 2097152
dir = "/var/lib/simexit/uploads"
[log]
level = "debug"
)"),
                                           {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.listen, "::1");
  EXPECT_EQ(config->server.port, 9000);
  EXPECT_EQ(config->server.public_url, "https://simexit.example.kz") << "trailing / dropped";
  EXPECT_EQ(config->store.path, ":memory:");
  EXPECT_EQ(config->hlr.kind, "none");
  EXPECT_FALSE(config->worker.enabled);
  EXPECT_EQ(config->worker.threads, 3);
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->uploads.max_bytes, 2097152);
  EXPECT_EQ(config->uploads.dir, "/var/lib/simexit/uploads");
  EXPECT_EQ(config->server.handler_threads, 4) << "unset keys keep defaults";
}

TEST_F(ConfigTest, DefaultPublicUrlBracketsIpv6) {
  const Result<Config> config =
      LoadConfig(std::nullopt, {{"SIMEXIT_SERVER_LISTEN", "::1"}, {"SIMEXIT_SERVER_PORT", "81"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.public_url, "http://[::1]:81");
}

TEST_F(ConfigTest, TrustedProxiesAreCanonicalAddresses) {
  const Result<Config> none = LoadConfig(std::nullopt, {});
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->server.trusted_proxies, "");
  EXPECT_TRUE(TrustedProxyList(none->server).empty());

  const Result<Config> config = LoadConfig(
      Write("[server]\ntrusted_proxies = \" 10.0.0.5, 2001:DB8::1,::ffff:10.0.0.6\"\n"), {});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.trusted_proxies, "10.0.0.5,2001:db8::1,10.0.0.6");
  EXPECT_EQ(TrustedProxyList(config->server),
            (std::vector<std::string>{"10.0.0.5", "2001:db8::1", "10.0.0.6"}));

  for (const char* bad : {"10.0.0.0/8", "proxy.local", "10.0.0.5,", "10.0.0.5;10.0.0.6"}) {
    EXPECT_EQ(EnvRejection({{"SIMEXIT_SERVER_TRUSTED_PROXIES", bad}})
                  .rfind("configuration key 'server.trusted_proxies' must list IP addresses", 0),
              0u)
        << bad;
  }
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  const auto path =
      Write("[server]\nport = 9000\nlisten = \"0.0.0.0\"\n[store]\npath = \"a.db\"\n");
  const Result<Config> config = LoadConfig(path, {{"SIMEXIT_SERVER_PORT", "9100"},
                                                  {"SIMEXIT_STORE_PATH", "/var/lib/b.db"},
                                                  {"SIMEXIT_WORKER_ENABLED", "false"},
                                                  {"SIMEXIT_SECRETS_ADMIN_KEY", "0123456789abcdef"},
                                                  {"SIMEXIT_UPLOADS_MAX_BYTES", "1048576"},
                                                  {"SIMEXIT_UPLOADS_DIR", "/srv/scans"},
                                                  {"HOME", "/root"},
                                                  {"PATH", "/bin"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.port, 9100);
  EXPECT_EQ(config->server.listen, "0.0.0.0") << "file value kept where env is silent";
  EXPECT_EQ(config->store.path, "/var/lib/b.db");
  EXPECT_FALSE(config->worker.enabled);
  EXPECT_EQ(config->secrets.admin_key, "0123456789abcdef");
  EXPECT_EQ(config->uploads.max_bytes, 1048576);
  EXPECT_EQ(config->uploads.dir, "/srv/scans");
}

TEST_F(ConfigTest, UploadsSectionIsStrict) {
  EXPECT_EQ(FileRejection("[uploads]\nmax_size = 10\n"),
            "unknown configuration key 'uploads.max_size'");
  EXPECT_EQ(FileRejection("[uploads]\nmax_bytes = \"10MB\"\n"),
            "configuration key 'uploads.max_bytes' must be an integer");
  EXPECT_EQ(EnvRejection({{"SIMEXIT_UPLOADS_PATH", "/tmp"}}),
            "unknown environment variable 'SIMEXIT_UPLOADS_PATH'");
  EXPECT_EQ(EnvRejection({{"SIMEXIT_UPLOADS_MAX_BYTES", "ten"}}),
            "environment variable 'SIMEXIT_UPLOADS_MAX_BYTES' (configuration key "
            "'uploads.max_bytes') must be an integer");
}

TEST_F(ConfigTest, EnvironmentBooleans) {
  EXPECT_TRUE(LoadConfig(std::nullopt, {{"SIMEXIT_WORKER_ENABLED", "1"}})->worker.enabled);
  EXPECT_FALSE(LoadConfig(std::nullopt, {{"SIMEXIT_WORKER_ENABLED", "0"}})->worker.enabled);
  EXPECT_TRUE(LoadConfig(std::nullopt, {{"SIMEXIT_WORKER_ENABLED", "true"}})->worker.enabled);
}

TEST_F(ConfigTest, MissingFileIsRejected) {
  EXPECT_EQ(Rejection(LoadConfig(std::filesystem::path("/nonexistent/simexit.toml"), {})),
            "cannot read configuration file '/nonexistent/simexit.toml': no such file");
}

TEST_F(ConfigTest, SyntaxErrorNamesTheLine) {
  const std::string message = FileRejection("[server]\nport = 80\nlisten = \n");
  EXPECT_NE(message.find("cannot parse configuration file"), std::string::npos) << message;
  EXPECT_NE(message.find("(line 3)"), std::string::npos) << message;
}

TEST_F(ConfigTest, UnknownKeyIsRejectedByName) {
  EXPECT_EQ(FileRejection("[server]\nprot = 9000\n"), "unknown configuration key 'server.prot'");
}

TEST_F(ConfigTest, UnknownSectionIsRejectedByName) {
  EXPECT_EQ(FileRejection("[serve]\nport = 9000\n"), "unknown configuration section 'serve'");
}

TEST_F(ConfigTest, TopLevelValueIsRejected) {
  EXPECT_EQ(FileRejection("port = 9000\n"), "unknown configuration key 'port'");
  EXPECT_EQ(FileRejection("server = 1\n"), "configuration key 'server' must be a table ([server])");
}

TEST_F(ConfigTest, NestedTableIsUnknownKey) {
  EXPECT_EQ(FileRejection("[server.tls]\ncert = \"x\"\n"),
            "unknown configuration key 'server.tls'");
}

TEST_F(ConfigTest, WrongTypesAreRejectedByName) {
  EXPECT_EQ(FileRejection("[server]\nport = \"9000\"\n"),
            "configuration key 'server.port' must be an integer");
  EXPECT_EQ(FileRejection("[server]\nlisten = 127\n"),
            "configuration key 'server.listen' must be a string");
  EXPECT_EQ(FileRejection("[worker]\nenabled = \"yes\"\n"),
            "configuration key 'worker.enabled' must be a boolean (true or false)");
  EXPECT_EQ(FileRejection("[hlr]\ntimeout_ms = 3.5\n"),
            "configuration key 'hlr.timeout_ms' must be an integer");
  EXPECT_EQ(FileRejection("[server]\nport = 99999999999\n"),
            "configuration key 'server.port' is out of range");
}

TEST_F(ConfigTest, UnknownEnvironmentVariableIsRejected) {
  EXPECT_EQ(EnvRejection({{"SIMEXIT_SERVER_PROT", "9000"}}),
            "unknown environment variable 'SIMEXIT_SERVER_PROT'");
  EXPECT_EQ(EnvRejection({{"SIMEXIT_WORKER_THREAD", "2"}}),
            "unknown environment variable 'SIMEXIT_WORKER_THREAD'");
}

TEST_F(ConfigTest, BadEnvironmentValuesAreRejectedByName) {
  EXPECT_EQ(EnvRejection({{"SIMEXIT_SERVER_PORT", "80a"}}),
            "environment variable 'SIMEXIT_SERVER_PORT' (configuration key 'server.port') must "
            "be an integer");
  EXPECT_EQ(EnvRejection({{"SIMEXIT_SERVER_PORT", ""}}),
            "environment variable 'SIMEXIT_SERVER_PORT' (configuration key 'server.port') must "
            "be an integer");
  EXPECT_EQ(EnvRejection({{"SIMEXIT_SERVER_PORT", " 80"}}),
            "environment variable 'SIMEXIT_SERVER_PORT' (configuration key 'server.port') must "
            "be an integer");
  EXPECT_EQ(EnvRejection({{"SIMEXIT_WORKER_ENABLED", "yes"}}),
            "environment variable 'SIMEXIT_WORKER_ENABLED' (configuration key 'worker.enabled') "
            "must be a boolean (true or false)");
}

TEST_F(ConfigTest, RangeChecksNameTheKey) {
  struct Case {
    const char* variable;
    const char* value;
    const char* message;
  };
  const Case cases[] = {
      {"SIMEXIT_SERVER_PORT", "65536",
       "configuration key 'server.port' must be between 0 and 65535"},
      {"SIMEXIT_SERVER_PORT", "-1", "configuration key 'server.port' must be between 0 and 65535"},
      {"SIMEXIT_SERVER_LISTEN", "localhost",
       "configuration key 'server.listen' must be an IPv4 or IPv6 address"},
      {"SIMEXIT_SERVER_IO_THREADS", "-1",
       "configuration key 'server.io_threads' must be between 0 and 1024"},
      {"SIMEXIT_SERVER_HANDLER_THREADS", "0",
       "configuration key 'server.handler_threads' must be between 1 and 1024"},
      {"SIMEXIT_SERVER_BODY_LIMIT_BYTES", "0",
       "configuration key 'server.body_limit_bytes' must be between 1 and 67108864"},
      {"SIMEXIT_SERVER_MAX_CONNECTIONS", "0",
       "configuration key 'server.max_connections' must be between 1 and 100000"},
      {"SIMEXIT_SERVER_MAX_CONNECTIONS_PER_ADDRESS", "-1",
       "configuration key 'server.max_connections_per_address' must be between 0 and 100000"},
      {"SIMEXIT_SERVER_HEADER_TIMEOUT_SECONDS", "0",
       "configuration key 'server.header_timeout_seconds' must be between 1 and 3600"},
      {"SIMEXIT_SERVER_IDLE_TIMEOUT_SECONDS", "0",
       "configuration key 'server.idle_timeout_seconds' must be between 1 and 3600"},
      {"SIMEXIT_SERVER_REQUEST_BURST_PER_ADDRESS", "0",
       "configuration key 'server.request_burst_per_address' must be between 1 and 1000000"},
      {"SIMEXIT_SERVER_PASSWORD_HASH_QUEUE", "3",
       "configuration keys 'server.password_hash_threads' + 'server.password_hash_queue' must "
       "be less than 'server.handler_threads'"},
      {"SIMEXIT_SERVER_PUBLIC_URL", "simexit.kz",
       "configuration key 'server.public_url' must start with http:// or https://"},
      {"SIMEXIT_STORE_PATH", "", "configuration key 'store.path' must not be empty"},
      {"SIMEXIT_HLR_KIND", "huawei",
       "configuration key 'hlr.kind' must be \"osmo-hlr\" or \"none\""},
      {"SIMEXIT_HLR_CTRL_HOST", "", "configuration key 'hlr.ctrl_host' must not be empty"},
      {"SIMEXIT_HLR_CTRL_PORT", "0",
       "configuration key 'hlr.ctrl_port' must be between 1 and 65535"},
      {"SIMEXIT_HLR_TIMEOUT_MS", "0",
       "configuration key 'hlr.timeout_ms' must be between 1 and 600000"},
      {"SIMEXIT_SMS_SINK_PATH", "", "configuration key 'sms.sink_path' must not be empty"},
      {"SIMEXIT_WORKER_POLL_INTERVAL_MS", "0",
       "configuration key 'worker.poll_interval_ms' must be between 1 and 600000"},
      {"SIMEXIT_WORKER_LEASE_SECONDS", "0",
       "configuration key 'worker.lease_seconds' must be between 1 and 86400"},
      {"SIMEXIT_WORKER_MAX_ATTEMPTS", "0",
       "configuration key 'worker.max_attempts' must be between 1 and 1000000"},
      {"SIMEXIT_WORKER_BACKOFF_BASE_SECONDS", "-5",
       "configuration key 'worker.backoff_base_seconds' must be between 1 and 86400"},
      {"SIMEXIT_WORKER_BACKOFF_MAX_SECONDS", "1",
       "configuration key 'worker.backoff_max_seconds' must be between 2 and 604800"},
      {"SIMEXIT_WORKER_THREADS", "0",
       "configuration key 'worker.threads' must be between 1 and 1024"},
      {"SIMEXIT_SECRETS_DIR", "", "configuration key 'secrets.dir' must not be empty"},
      {"SIMEXIT_SECRETS_ADMIN_KEY", "short",
       "configuration key 'secrets.admin_key' must be empty or at least 16 printable characters "
       "without spaces"},
      {"SIMEXIT_SECRETS_ADMIN_KEY", "has a space in it!!",
       "configuration key 'secrets.admin_key' must be empty or at least 16 printable characters "
       "without spaces"},
      {"SIMEXIT_UPLOADS_MAX_BYTES", "0",
       "configuration key 'uploads.max_bytes' must be between 1 and 67108864"},
      {"SIMEXIT_UPLOADS_MAX_BYTES", "67108865",
       "configuration key 'uploads.max_bytes' must be between 1 and 67108864"},
      {"SIMEXIT_UPLOADS_DIR", "", "configuration key 'uploads.dir' must not be empty"},
      {"SIMEXIT_LOG_LEVEL", "verbose",
       "configuration key 'log.level' must be one of debug, info, warn, error"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EnvRejection({{c.variable, c.value}}), c.message) << c.variable << "=" << c.value;
  }
}

TEST_F(ConfigTest, RangeCheckAlsoAppliesToFileValues) {
  EXPECT_EQ(FileRejection("[log]\nlevel = \"loud\"\n"),
            "configuration key 'log.level' must be one of debug, info, warn, error");
  EXPECT_EQ(FileRejection("[server]\nport = 70000\n"),
            "configuration key 'server.port' must be between 0 and 65535");
}

TEST_F(ConfigTest, BoundaryValuesAreAccepted) {
  const Result<Config> config = LoadConfig(std::nullopt, {{"SIMEXIT_SERVER_PORT", "0"},
                                                          {"SIMEXIT_HLR_CTRL_PORT", "65535"},
                                                          {"SIMEXIT_LOG_LEVEL", "error"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.port, 0);
  EXPECT_EQ(config->hlr.ctrl_port, 65535);
}

TEST_F(ConfigTest, NumberRecyclingKeysFromFileAndEnvironment) {
  const Result<Config> defaults = LoadConfig(std::nullopt, {});
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->number_recycling.minimum_quarantine_days, 45);
  EXPECT_EQ(defaults->number_recycling.checks_per_second_per_client, 100);
  EXPECT_EQ(defaults->number_recycling.check_burst_per_client, 2000);

  const Result<Config> config =
      LoadConfig(Write("[number_recycling]\nminimum_quarantine_days = 60\n"
                       "checks_per_second_per_client = 0\n"),
                 {{"SIMEXIT_NUMBER_RECYCLING_CHECK_BURST_PER_CLIENT", "5000"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->number_recycling.minimum_quarantine_days, 60);
  EXPECT_EQ(config->number_recycling.checks_per_second_per_client, 0);
  EXPECT_EQ(config->number_recycling.check_burst_per_client, 5000);

  // A burst below one full batch would refuse every batch of 1,000.
  EXPECT_EQ(EnvRejection({{"SIMEXIT_NUMBER_RECYCLING_CHECK_BURST_PER_CLIENT", "999"}}),
            "configuration key 'number_recycling.check_burst_per_client' must be between 1000 "
            "and 10000000");
  EXPECT_EQ(EnvRejection({{"SIMEXIT_NUMBER_RECYCLING_MINIMUM_QUARANTINE_DAYS", "-1"}}),
            "configuration key 'number_recycling.minimum_quarantine_days' must be between 0 "
            "and 3650");
}

TEST_F(ConfigTest, StoreUrlSelectsPostgresOtherwiseTheSqliteFile) {
  const Result<Config> defaults = LoadConfig(std::nullopt, {});
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->store.url, "");
  EXPECT_EQ(defaults->store.pool_size, 8);
  EXPECT_FALSE(UsesPostgres(defaults->store));
  EXPECT_EQ(DescribeStore(defaults->store), "simexit.db");

  const Result<Config> file =
      LoadConfig(Write("[store]\nurl = \"postgresql://simexit:s3cret@db1:5432,db2:5432/simexit"
                       "?target_session_attrs=read-write\"\npool_size = 16\n"),
                 {});
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_TRUE(UsesPostgres(file->store));
  EXPECT_EQ(file->store.pool_size, 16);
  // Passed on unchanged; shown without the password.
  EXPECT_EQ(
      file->store.url,
      "postgresql://simexit:s3cret@db1:5432,db2:5432/simexit?target_session_attrs=read-write");
  EXPECT_EQ(DescribeStore(file->store),
            "postgresql://simexit:***@db1:5432,db2:5432/simexit?target_session_attrs=read-write");

  const Result<Config> env =
      LoadConfig(std::nullopt, {{"SIMEXIT_STORE_URL", "postgres://127.0.0.1/simexit"}});
  ASSERT_TRUE(env) << env.error().message;
  EXPECT_TRUE(UsesPostgres(env->store));

  for (const char* wrong : {"mysql://db/simexit", "simexit.db", "postgresql:/db", "PG://x"}) {
    EXPECT_EQ(EnvRejection({{"SIMEXIT_STORE_URL", wrong}}),
              "configuration key 'store.url' must be a PostgreSQL URL (postgresql://... or "
              "postgres://...) or empty for the SQLite file 'store.path'")
        << wrong;
  }
  EXPECT_EQ(EnvRejection({{"SIMEXIT_STORE_POOL_SIZE", "0"}}),
            "configuration key 'store.pool_size' must be between 1 and 1000");
}

TEST(EnvironmentVariablesTest, ReturnsOnlySimexitVariables) {
  ASSERT_EQ(setenv("SIMEXIT_TEST_ONLY_VAR", "x=y", 1), 0);
  ASSERT_EQ(setenv("NOT_SIMEXIT_VAR", "z", 1), 0);
  const auto env = EnvironmentVariables();
  unsetenv("SIMEXIT_TEST_ONLY_VAR");
  unsetenv("NOT_SIMEXIT_VAR");
  ASSERT_EQ(env.count("SIMEXIT_TEST_ONLY_VAR"), 1u);
  EXPECT_EQ(env.at("SIMEXIT_TEST_ONLY_VAR"), "x=y");
  EXPECT_EQ(env.count("NOT_SIMEXIT_VAR"), 0u);
  for (const auto& [name, value] : env) {
    EXPECT_EQ(name.rfind("SIMEXIT_", 0), 0u) << name;
  }
}

TEST_F(ConfigTest, PerOperatorSmscAndMscTables) {
  const Result<Config> config =
      LoadConfig(Write("[smsc.kcell]\nsystem_id = \"simexit\"\npassword = \"secret\"\nport = 2775\n"
                       "source_addr = \"Kcell\"\n[msc.kcell]\nctrl_port = 4255\n"
                       "[smsc.tele2]\nhost = \"127.0.0.2\"\nsystem_id = \"t2\"\n"),
                 {{"SIMEXIT_SMSC_KCELL_PASSWORD", "fromenv"}});
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->smsc.size(), 2u);
  EXPECT_EQ(config->smsc.at("kcell").system_id, "simexit");
  EXPECT_EQ(config->smsc.at("kcell").password, "fromenv");
  EXPECT_EQ(config->smsc.at("kcell").source_addr, "Kcell");
  EXPECT_EQ(config->smsc.at("kcell").rate_per_second, 50);
  EXPECT_EQ(config->smsc.at("tele2").host, "127.0.0.2");
  ASSERT_EQ(config->msc.size(), 1u);
  EXPECT_EQ(config->msc.at("kcell").ctrl_port, 4255);
}

TEST_F(ConfigTest, PerOperatorTablesAreCheckedKeyByKey) {
  EXPECT_EQ(FileRejection("[smsc.kcell]\nsystem_id = \"s\"\npasword = \"x\"\n"),
            "unknown configuration key 'smsc.kcell.pasword'");
  EXPECT_EQ(FileRejection("[smsc.kcell]\nport = 2775\n"),
            "configuration key 'smsc.kcell.system_id' must not be empty");
  EXPECT_EQ(FileRejection("[smsc.kcell]\nsystem_id = \"s\"\npassword = \"123456789\"\n"),
            "configuration key 'smsc.kcell.password' is limited to 8 characters (SMPP 3.4)");
  EXPECT_EQ(FileRejection("[msc.kcell]\nctrl_port = 0\n"),
            "configuration key 'msc.kcell.ctrl_port' must be between 1 and 65535");
  EXPECT_EQ(FileRejection("smsc = 1\n"),
            "configuration key 'smsc' must hold tables ([smsc.<operator code>])");
  EXPECT_EQ(FileRejection("[smsc.Kcell]\nsystem_id = \"s\"\n"),
            "configuration table 'smsc.Kcell': the operator code must be lower-case letters, "
            "digits, '_' or '-'");
  EXPECT_EQ(Rejection(LoadConfig(Write("[smsc.kcell]\nsystem_id = \"s\"\n"),
                                 {{"SIMEXIT_SMSC_KCELL_PASWORD", "x"}})),
            "unknown environment variable 'SIMEXIT_SMSC_KCELL_PASWORD'");
}

}  // namespace
}  // namespace simexit::app

namespace simexit::app {
namespace {

TEST(ConfigEnvironmentTest, OtherSimexitVariablesAreNotConfiguration) {
  const Result<Config> config = LoadConfig(
      std::nullopt,
      {{"SIMEXIT_FAULT_KILL_AT", "settle:after_commit"}, {"SIMEXIT_BIN", "/usr/bin/simexit"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.port, 8080);
}

}  // namespace
}  // namespace simexit::app
