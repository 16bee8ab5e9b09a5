// Number recycling check benchmark (bench/README.md): how many numbers a second
// simexit answers, single checks over one HTTP keep-alive connection and batch
// checks of 1,000 numbers, each as a ratio to a bare SQLite primary-key lookup
// on the same database file in the same run.
//
//   usage: build/dev/simexit_number_recycling [lines] [seconds per phase]
//
// A plain program with its own main (not Google Benchmark): its phases are
// whole loops timed against each other, and the report is their ratios.
//
// Everything runs in this process on 127.0.0.1 with a fresh database under
// /dev/shm (removed at exit): the real store, service, router and HTTP server,
// with the per-client and per-credential rates off (they would be all that is
// measured). The client is a plain blocking socket: one request, then its
// answer, then the next.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "simexit/api/http_server.hpp"
#include "simexit/api/router.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/api/routes_number_recycling.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/domain/iin.hpp"

namespace {

using namespace simexit;
using Seconds = std::chrono::duration<double>;

struct Rate {
  long operations = 0;
  double seconds = 0;
  double PerSecond() const { return static_cast<double>(operations) / seconds; }
};

// Runs `step` (returning how many operations it did) until `budget` is spent.
Rate Measure(double budget, const std::function<long()>& step) {
  const auto start = std::chrono::steady_clock::now();
  Rate rate;
  do {
    rate.operations += step();
    rate.seconds = Seconds(std::chrono::steady_clock::now() - start).count();
  } while (rate.seconds < budget);
  return rate;
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "simexit_number_recycling: " << what << "\n";
  std::exit(1);
}

std::string NumberOf(int i) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "+7701%07d", i);
  return buffer;
}

// One keep-alive HTTP/1.1 connection; Post returns the status.
class Connection {
 public:
  explicit Connection(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      Die("cannot connect to the server");
    }
  }
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int Post(const std::string& path, const std::string& key, const std::string& body,
           const std::string& method = "POST") {
    const std::string request =
        method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    if (::send(fd_, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
      Die("send failed");
    }
    std::size_t header_end = std::string::npos;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      Read();
    }
    const int status = std::atoi(buffer_.c_str() + 9);
    const std::size_t length_at = buffer_.find("Content-Length: ");
    const std::size_t length =
        length_at < header_end ? std::strtoul(buffer_.c_str() + length_at + 16, nullptr, 10) : 0;
    while (buffer_.size() < header_end + 4 + length) {
      Read();
    }
    last_body_ = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, header_end + 4 + length);
    return status;
  }
  const std::string& last_body() const { return last_body_; }

 private:
  void Read() {
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      Die("the server closed the connection");
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }

  int fd_;
  std::string buffer_;
  std::string last_body_;
};

}  // namespace

int main(int argc, char** argv) {
  const int lines = argc > 1 ? std::atoi(argv[1]) : 20000;
  const double budget = argc > 2 ? std::atof(argv[2]) : 3.0;
  if (lines < 1000 || budget <= 0) {
    Die("usage: simexit_number_recycling [lines >= 1000] [seconds per phase]");
  }
  char dir_template[] = "/dev/shm/simexit-bench-nr.XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) {
    Die("cannot make a directory under /dev/shm");
  }
  const std::filesystem::path dir = dir_template;
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};

  app::Config config;
  config.store.path = (dir / "simexit.db").string();
  config.hlr.kind = "none";
  config.sms.sink_path = (dir / "sms.log").string();
  config.secrets.dir = (dir / "secrets").string();
  config.uploads.dir = (dir / "uploads").string();
  config.number_recycling.checks_per_second_per_client = 0;
  SetLogLevel(LogLevel::kWarn);
  Result<std::unique_ptr<app::Runtime>> opened = app::OpenRuntime(config, false);
  if (!opened) {
    Die(opened.error().message);
  }
  app::Runtime& rt = **opened;

  // An operator with `lines` lines, one in ten of them closed.
  if (Result<OperatorRecord> op = rt.operators->CreateOperator("kcell", "Kcell", Policy{}, "ru");
      !op) {
    Die(op.error().message);
  }
  Result<void> seeded = rt.store->Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperatorByCode("kcell"));
    HolderRecord holder;
    holder.operator_id = op.id;
    holder.full_name = "BENCH HOLDER";
    holder.document_number = "900101300017";
    SIMEXIT_ASSIGN_OR_RETURN(std::int64_t holder_id, tx.InsertHolder(holder));
    for (int i = 0; i < lines; ++i) {
      LineRecord line;
      line.operator_id = op.id;
      line.holder_id = holder_id;
      line.msisdn = *Msisdn::Parse(NumberOf(i));
      const std::string iccid = "8997" + std::to_string(100000000000000LL + i);
      line.iccid = *Iccid::Parse(iccid + Iccid::LuhnDigit(iccid));
      line.imsi = *Imsi::Parse(std::to_string(401010000000000LL + i));
      line.status = i % 10 == 0 ? LineStatus::kQuarantined : LineStatus::kActive;
      SIMEXIT_TRY(tx.InsertLine(line));
    }
    return {};
  });
  if (!seeded) {
    Die(seeded.error().message);
  }
  Result<CreatedRecyclingClient> client = rt.number_recycling->CreateClient(
      Caller::System("bench"), NewRecyclingClient{"kcell", "Bench bank"});
  if (!client) {
    Die(client.error().message);
  }

  std::mt19937 random(42);
  std::uniform_int_distribution<int> pick(0, lines - 1);

  // 1. The baseline: a bare primary-key lookup of a line, prepared once.
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(config.store.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Die("cannot open the database");
  }
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT status FROM lines WHERE id = ?1", -1, &stmt, nullptr);
  long found = 0;
  const Rate bare = Measure(budget, [&] {
    for (int i = 0; i < 1000; ++i) {
      sqlite3_bind_int64(stmt, 1, pick(random) + 1);
      found += sqlite3_step(stmt) == SQLITE_ROW ? 1 : 0;
      sqlite3_reset(stmt);
    }
    return 1000L;
  });
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (found != bare.operations) {
    Die("the bare lookup missed rows");
  }

  // 2. and 3. Over HTTP: the real router and server.
  api::ApiServices services{*rt.auth,  *rt.terminations, *rt.operators,
                            *rt.staff, *rt.uploads,      *rt.signer};
  api::Router router = api::BuildRouter(services);
  api::AddNumberRecyclingRoutes(router, services, *rt.number_recycling);
  api::HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.handler_threads = 2;
  options.rate_per_address = {0, 1};
  options.rate_per_credential = {0, 1};
  api::HttpServer server(options,
                         [&router](const api::HttpRequest& r) { return router.Dispatch(r); });
  if (Result<void> started = server.Start(); !started) {
    Die(started.error().message);
  }
  const std::string date = FormatDate(rt.clock.Now());
  Connection connection(server.port());
  const Rate single = Measure(budget, [&] {
    const std::string body =
        R"({"phoneNumber":")" + NumberOf(pick(random)) + R"(","specifiedDate":")" + date + "\"}";
    if (connection.Post("/number-recycling/v0.2/check", client->key, body) != 200) {
      Die("single check: " + connection.last_body());
    }
    return 1L;
  });
  // The HTTP floor: a route that touches no database.
  const Rate health = Measure(budget, [&] {
    if (connection.Post("/v1/health", "", "", "GET") != 200) {
      Die("health: " + connection.last_body());
    }
    return 1L;
  });
  // The service alone, without HTTP: one number per call.
  const NumberRecyclingClientRecord bank = *rt.number_recycling->Authenticate(client->key);
  const Rate service = Measure(budget, [&] {
    RecyclingCheck check{{NumberOf(pick(random))}, *ParseIsoDate(date), ""};
    if (!rt.number_recycling->Check(bank, check)) {
      Die("service check failed");
    }
    return 1L;
  });
  const Rate batch = Measure(budget, [&] {
    std::string body = R"({"specifiedDate":")" + date + R"(","phoneNumbers":[)";
    for (int i = 0; i < 1000; ++i) {
      body += (i == 0 ? "\"" : ",\"") + NumberOf(pick(random)) + "\"";
    }
    body += "]}";
    if (connection.Post("/number-recycling/v0.2/check-batch", client->key, body) != 200) {
      Die("batch check: " + connection.last_body().substr(0, 300));
    }
    return 1000L;
  });
  server.Shutdown();

  std::printf("lines in the database            %d\n", lines);
  std::printf("bare SQLite primary-key lookup   %12.0f lookups/s\n", bare.PerSecond());
  std::printf("single checks, HTTP keep-alive   %12.0f numbers/s  ratio %.4f\n", single.PerSecond(),
              single.PerSecond() / bare.PerSecond());
  std::printf("GET /v1/health, HTTP keep-alive   %12.0f requests/s ratio %.4f\n",
              health.PerSecond(), health.PerSecond() / bare.PerSecond());
  std::printf("single checks, service, no HTTP  %12.0f numbers/s  ratio %.4f\n",
              service.PerSecond(), service.PerSecond() / bare.PerSecond());
  std::printf("batch checks (1,000), HTTP       %12.0f numbers/s  ratio %.4f\n", batch.PerSecond(),
              batch.PerSecond() / bare.PerSecond());
  return 0;
}
