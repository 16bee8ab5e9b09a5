#pragma once
// Internals of the HTTP server shared by its two halves, not for use outside
// api/: the server's lifecycle (ServerCore: start, accept, refuse, shut down;
// http_server.cpp) and one connection's requests (Session: read with limits,
// hand to the handler, respond, access log; http_connection.cpp).

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "simexit/api/http_server.hpp"
#include "simexit/common/random.hpp"
#include "simexit/common/result.hpp"

namespace simexit::api::http_internal {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// One connection (http_connection.cpp); owned by shared_ptrs held by its
// pending I/O and handler calls.
class Session;

class ServerCore;

// Starts serving `socket` on its own executor; the session registers itself
// with `core` (and drops the connection when the server is stopping).
// `address` is the peer's, already counted by ServerCore::ReserveAddress; the
// session releases it when it ends.
void StartSession(tcp::socket socket, ServerCore& core, std::string address);

// During shutdown: closes the session's connection, on its executor, unless a
// request is being handled or answered.
void CloseSessionIfIdle(const std::shared_ptr<Session>& session);

// Everything the server owns: options, handler, threads, acceptor and the
// open sessions (http_server.cpp). HttpServer::Impl derives from it; sessions
// (http_connection.cpp) reach it by reference.
class ServerCore {
 public:
  ServerCore(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}
  // May throw only when the process cannot go on (no memory for the post, a
  // thread that cannot be joined): std::terminate is then the right end.
  ~ServerCore() { Shutdown(); }  // NOLINT(bugprone-exception-escape)
  ServerCore(const ServerCore&) = delete;
  ServerCore& operator=(const ServerCore&) = delete;

  Result<void> Start();
  void Shutdown();
  unsigned short port() const { return port_.load(); }

  const HttpServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  asio::thread_pool& pool() { return *pool_; }

  // False when the server is stopping: the caller drops the connection.
  bool Register(const std::shared_ptr<Session>& session);
  void Unregister(const Session* session);

  // Counts one more connection from `address`: false (nothing counted) when
  // it already has max_connections_per_address. "" is never limited.
  bool ReserveAddress(const std::string& address);
  void ReleaseAddress(const std::string& address);

  // Takes a request from the client's and the credential's buckets: nullopt
  // when allowed, else the Retry-After. `authorization` may be "".
  std::optional<std::chrono::seconds> TakeRequest(std::string_view address,
                                                  std::string_view authorization);

  // The client's address for a request over a connection from `peer`:
  // behind a trusted proxy the last hop of `forwarded_for` (the request's
  // X-Forwarded-For lines joined with ", "), else `peer`
  // (HttpServerOptions::trusted_proxies).
  std::string ClientAddressFor(const std::string& peer, std::string_view forwarded_for) const;

  // Whether a request over a connection from `peer` came over https:
  // options.public_https, or a trusted proxy's `forwarded_proto` is "https".
  bool HttpsFor(const std::string& peer, std::string_view forwarded_proto) const;

  // Runs the handler inside the request's RequestIdScope; exceptions -> 500.
  HttpResponse CallHandler(const HttpRequest& request);

  // X-Request-Id when it is 1..64 characters of [A-Za-z0-9._-], else a fresh
  // random id (16 hex characters).
  std::string RequestIdFor(std::string_view header);

 private:
  void DoAccept();
  std::size_t OpenSessions();
  void RefuseConnection(tcp::socket socket, std::string_view why);

  HttpServerOptions options_;
  HttpHandler handler_;
  SodiumRandom random_;

  std::mutex lifecycle_mutex_;
  bool started_ = false;
  bool shut_down_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<unsigned short> port_{0};

  std::mutex sessions_mutex_;
  std::condition_variable sessions_empty_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
  std::unordered_map<std::string, std::size_t> connections_by_address_;

  RateLimiter address_rates_{options_.rate_per_address, options_.rate_limit_max_keys};
  RateLimiter credential_rates_{options_.rate_per_credential, options_.rate_limit_max_keys};

  std::unique_ptr<asio::thread_pool> pool_;
  std::vector<std::thread> io_threads_;
  // Declared after everything sessions use, so that destroying the contexts
  // (and with them any session still owned by a pending handler) comes first.
  std::vector<std::unique_ptr<asio::io_context>> io_contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_guards_;
  std::size_t next_context_ = 0;
  std::optional<tcp::acceptor> acceptor_;
};

}  // namespace simexit::api::http_internal
