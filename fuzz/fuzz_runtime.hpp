#pragma once
// What the fuzz targets that need the whole service share: one Runtime per
// process, opened exactly as `simexit` opens it (OpenRuntime), on an in-memory
// SQLite store, with no HLR and every file (SMS sink, uploads, secrets) in a
// temporary directory removed at exit. One operator (kcell) with three lines
// (imported as `simexit import lines` does) and an operator API key are added,
// so requests reach past "not found". No staff: adding staff hashes passwords
// (Argon2id, about a second each under the sanitizers).
// Logging goes nowhere: the access log of every request would drown the
// fuzzer's output.

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "simexit/app/config.hpp"
#include "simexit/app/import_lines.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/common/log.hpp"

namespace simexit::fuzz {

// The admin API key of the fuzz runtime.
inline constexpr const char* kAdminKey = "sk_admin_fuzz_0123456789abcdef";

// Removes the temporary directory when the process exits normally (libFuzzer
// exits through exit() at the end of a time-bounded run).
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "simexit-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "fuzz: cannot create a temporary directory\n";
      std::abort();
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct FuzzWorld {
  app::Runtime& rt;
  std::string kcell_api_key;  // an operator API key of kcell
};

// The lines of kcell: an IIN holder, a foreign passport, and a passport with its MRZ.
inline constexpr const char* kLinesCsv =
    "operator,msisdn,iccid,imsi,kind,main_balance,bonus_balance,outstanding_charges,"
    "holder_name,document_kind,document_number,document_country,iin,language,mrz\n"
    "kcell,+77011000001,8977019900000000019,001010000000001,physical,2500.00,300.00,0,"
    "TESTOV TEST,iin,900101300017,KAZ,900101300017,ru,\n"
    "kcell,+77751000002,8977019900000000027,001010000000002,esim,200.00,0,1200.00,"
    "WANG LI,passport,N10000003,CHN,,zh,\n"
    "kcell,+77781000003,8977019900000000035,001010000000003,physical,45.50,0,0,"
    "ERIKSSON ANNA MARIA,passport,,UTO,,en,"
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10\n";

// The process's Runtime and data, made on first use. Aborts (a harness
// failure, not a finding) when they cannot be made.
inline FuzzWorld& World() {
  static TempDir dir;
  static std::unique_ptr<app::Runtime> runtime;
  static FuzzWorld world = [] {
    SetLogSinkForTesting([](std::string_view) {});
    app::Config config;
    config.store.path = ":memory:";
    config.hlr.kind = "none";
    config.sms.sink_path = (dir.path() / "sms.log").string();
    config.uploads.dir = (dir.path() / "uploads").string();
    config.secrets.dir = (dir.path() / "secrets").string();
    config.secrets.admin_key = kAdminKey;
    config.worker.enabled = false;
    Result<std::unique_ptr<app::Runtime>> opened = app::OpenRuntime(config, false);
    if (!opened) {
      std::cerr << "fuzz: OpenRuntime failed: " << opened.error().message << "\n";
      std::abort();
    }
    runtime = std::move(*opened);
    Result<OperatorRecord> op =
        runtime->operators->CreateOperator("kcell", "Kcell", Policy{}, "ru");
    if (!op) {
      std::cerr << "fuzz: CreateOperator failed: " << op.error().message << "\n";
      std::abort();
    }
    std::ostringstream import_output;
    Result<app::ImportReport> imported =
        app::ImportLines(*runtime, kLinesCsv, false, import_output);
    if (!imported || imported->imported != 3) {
      std::cerr << "fuzz: importing the lines failed: " << import_output.str() << "\n";
      std::abort();
    }
    Result<CreatedApiKey> key = runtime->auth->CreateApiKey(op->id, "fuzz");
    if (!key) {
      std::cerr << "fuzz: CreateApiKey failed: " << key.error().message << "\n";
      std::abort();
    }
    return FuzzWorld{*runtime, key->key};
  }();
  return world;
}

inline app::Runtime& FuzzRuntime() { return World().rt; }

// True for the requests whose handling hashes a password with Argon2id (64 MiB,
// ~0.1 s each): sign-in, adding staff, resetting a password. The HTTP targets
// answer them 503 without calling the router, or the fuzzer would spend its
// time hashing; the password code has its own unit tests.
inline bool HashesPassword(const std::string& method, const std::string& path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return method == "POST" &&
         (path == "/v1/staff/login" || ends_with("/staff") || ends_with("/reset-password"));
}

}  // namespace simexit::fuzz
