// Raw HTTP/1.1 bytes into the real server: HttpServer (Beast parser with the
// server's header, body, chunk and buffer limits, target parsing with
// Boost.URL, request ids) in front of the real router and routes over the fuzz
// runtime, set up as `simexit serve` sets them up (app/cli.cpp), listening on
// an ephemeral 127.0.0.1 port. Each input is sent on a fresh connection, which
// is then half-closed; the answers are read to the end. Requests that would
// hash a password are answered 503 before the router (fuzz_runtime.hpp).
// Properties: the server answers every connection with HTTP/1.1 responses or
// closes it, and never answers 500.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "fuzz_runtime.hpp"
#include "simexit/api/http_server.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/router.hpp"
#include "simexit/api/routes.hpp"

namespace {

struct Server {
  Server() : rt(simexit::fuzz::FuzzRuntime()), router(simexit::api::BuildRouter(services)) {
    simexit::api::HttpServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.handler_threads = 2;
    options.body_limit = static_cast<std::size_t>(rt.config.server.body_limit_bytes);
    options.header_timeout = std::chrono::seconds(5);
    options.idle_timeout = std::chrono::seconds(5);
    options.body_limit_rules.push_back({"POST", "/v1/uploads", 256 * 1024, "upload_too_large",
                                        [&auth = *rt.auth](const simexit::api::HttpRequest& head) {
                                          const std::string bearer = simexit::api::BearerOf(head);
                                          return !bearer.empty() &&
                                                 auth.Authenticate(bearer).has_value();
                                        }});
    options.secret_path_prefixes = {"/confirm/", "/v1/confirmations/"};
    server = std::make_unique<simexit::api::HttpServer>(
        options, [this](const simexit::api::HttpRequest& request) {
          if (simexit::fuzz::HashesPassword(request.method, request.path)) {
            simexit::api::HttpResponse skipped;
            skipped.status = 503;
            skipped.body = "{}";
            return skipped;
          }
          return router.Dispatch(request);
        });
    if (simexit::Result<void> started = server->Start(); !started) {
      std::cerr << "fuzz: the server did not start: " << started.error().message << "\n";
      std::abort();
    }
  }

  simexit::app::Runtime& rt;
  simexit::api::ApiServices services{*rt.auth,  *rt.terminations, *rt.operators,
                                     *rt.staff, *rt.uploads,      *rt.signer};
  simexit::api::Router router;
  std::unique_ptr<simexit::api::HttpServer> server;
};

// The server answered with HTTP/1.1 responses (or closed), none of them 500.
void CheckAnswer(const std::string& answer) {
  if (answer.find("HTTP/1.1 500 ") != std::string::npos) {
    std::cerr << "fuzz: the server answered 500:\n" << answer << "\n";
    std::abort();
  }
  if (!answer.empty() && answer.compare(0, 9, "HTTP/1.1 ") != 0) {
    std::cerr << "fuzz: not an HTTP/1.1 answer:\n" << answer << "\n";
    std::abort();
  }
}

// A blocking client on plain sockets (asio's blocking reads ignore
// SO_RCVTIMEO): a server that neither answers nor closes within 20 s fails
// the input.
std::string SendAndReadAll(unsigned short port, const std::uint8_t* data, std::size_t size) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // A connect can fail for a moment when thousands of inputs a minute have
  // used up the loopback's free ports; a server that accepts nothing for
  // 5 s fails the input.
  int fd = -1;
  int error = 0;
  for (int attempt = 0; attempt < 50; ++attempt) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) std::abort();
    timeval timeout{20, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) break;
    error = errno;
    ::close(fd);
    fd = -1;
    ::usleep(100 * 1000);
  }
  if (fd < 0) {
    std::cerr << "fuzz: cannot connect to the server: " << std::strerror(error) << "\n";
    std::abort();
  }
  std::size_t sent = 0;
  while (sent < size) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server closed early, e.g. after a 431
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      answer.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      std::cerr << "fuzz: no answer and no close within 20 s\n";
      std::abort();
    }
    break;  // EOF, or a reset after the server closed with unread input
  }
  ::close(fd);
  return answer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server server;
  CheckAnswer(SendAndReadAll(server.server->port(), data, size));
  return 0;
}
