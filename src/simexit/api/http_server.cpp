#include "simexit/api/http_server.hpp"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <cctype>
#include <exception>
#include <future>
#include <optional>

#include "simexit/api/http_server_core.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/common/client_address.hpp"
#include "simexit/common/log.hpp"

namespace simexit::api {
namespace http_internal {
namespace {

namespace beast = boost::beast;

constexpr std::chrono::seconds kShutdownGrace{10};

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

std::string ServerCore::RequestIdFor(std::string_view header) {
  if (IsValidRequestId(header)) {
    return std::string(header);
  }
  return random_.Hex(8);
}

std::string ServerCore::ClientAddressFor(const std::string& peer,
                                         std::string_view forwarded_for) const {
  const std::vector<std::string>& trusted = options_.trusted_proxies;
  if (trusted.empty() || forwarded_for.empty()) {
    return peer;
  }
  const std::optional<ClientAddress> from = ClientAddress::Parse(peer);
  if (!from || std::find(trusted.begin(), trusted.end(), from->text()) == trusted.end()) {
    return peer;
  }
  // Only the last hop: the proxy appended it; earlier ones are the client's word.
  const std::size_t comma = forwarded_for.rfind(',');
  std::string_view hop =
      comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
  while (!hop.empty() && (hop.front() == ' ' || hop.front() == '\t')) {
    hop.remove_prefix(1);
  }
  while (!hop.empty() && (hop.back() == ' ' || hop.back() == '\t')) {
    hop.remove_suffix(1);
  }
  const std::optional<ClientAddress> client = ClientAddress::Parse(hop);
  return client ? client->text() : peer;
}

bool ServerCore::HttpsFor(const std::string& peer, std::string_view forwarded_proto) const {
  if (options_.public_https) {
    return true;
  }
  if (forwarded_proto != "https") {
    return false;
  }
  const std::vector<std::string>& trusted = options_.trusted_proxies;
  const std::optional<ClientAddress> from = ClientAddress::Parse(peer);
  return from && std::find(trusted.begin(), trusted.end(), from->text()) != trusted.end();
}

Result<void> ServerCore::Start() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  if (started_ || shut_down_) {
    return Fail(ErrorCode::kFailedPrecondition, "already_started", "Start() may be called once");
  }
  if (options_.handler_threads < 1 || options_.io_threads < 0) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_options",
                "handler_threads must be >= 1 and io_threads >= 0");
  }
  for (const std::string& proxy : options_.trusted_proxies) {
    const std::optional<ClientAddress> parsed = ClientAddress::Parse(proxy);
    if (!parsed || parsed->text() != proxy) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_options",
                  "trusted proxy '" + proxy + "' is not an IP address in canonical form");
    }
  }
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options_.address, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_options",
                "listen address '" + options_.address + "' is not an IP address");
  }
  std::size_t io_threads = static_cast<std::size_t>(options_.io_threads);
  if (io_threads == 0) {
    io_threads = std::max(1u, std::thread::hardware_concurrency());
  }
  for (std::size_t i = 0; i < io_threads; ++i) {
    io_contexts_.push_back(std::make_unique<asio::io_context>(1));
    work_guards_.push_back(asio::make_work_guard(*io_contexts_.back()));
  }

  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.emplace(*io_contexts_.front());
  const auto fail = [&](std::string_view step) {
    acceptor_.reset();
    work_guards_.clear();
    io_contexts_.clear();
    return Fail(ErrorCode::kUnavailable, "listen_failed",
                std::string(step) + " " + options_.address + ":" + std::to_string(options_.port) +
                    ": " + ec.message());
  };
  if (acceptor_->open(endpoint.protocol(), ec); ec) {
    return fail("cannot open socket for");
  }
  if (acceptor_->set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return fail("cannot set SO_REUSEADDR on");
  }
  if (acceptor_->bind(endpoint, ec); ec) {
    return fail("cannot bind");
  }
  if (acceptor_->listen(asio::socket_base::max_listen_connections, ec); ec) {
    return fail("cannot listen on");
  }
  port_ = acceptor_->local_endpoint(ec).port();

  pool_ = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(options_.handler_threads));
  asio::post(*io_contexts_.front(), [this] { DoAccept(); });
  for (auto& context : io_contexts_) {
    io_threads_.emplace_back([ctx = context.get()] { ctx->run(); });
  }
  started_ = true;
  LogInfo("http_listening", {{"address", options_.address}, {"port", port_.load()}});
  return {};
}

void ServerCore::DoAccept() {
  asio::io_context& target = *io_contexts_[next_context_++ % io_contexts_.size()];
  acceptor_->async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || stopping_.load()) {
      return;
    }
    if (ec) {
      LogWarn("http_accept_failed", {{"error", ec.message()}});
    } else if (OpenSessions() >= options_.max_connections) {
      RefuseConnection(std::move(socket), "max_connections");
    } else {
      beast::error_code endpoint_ec;
      const tcp::endpoint remote = socket.remote_endpoint(endpoint_ec);
      std::string address = endpoint_ec ? std::string() : remote.address().to_string();
      if (!ReserveAddress(address)) {
        RefuseConnection(std::move(socket), "max_connections_per_address");
      } else {
        StartSession(std::move(socket), *this, std::move(address));
      }
    }
    DoAccept();
  });
}

std::size_t ServerCore::OpenSessions() {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  return sessions_.size();
}

bool ServerCore::ReserveAddress(const std::string& address) {
  if (address.empty() || options_.max_connections_per_address == 0) {
    return true;
  }
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  std::size_t& open = connections_by_address_[address];
  if (open >= options_.max_connections_per_address) {
    if (open == 0) {
      connections_by_address_.erase(address);
    }
    return false;
  }
  ++open;
  return true;
}

void ServerCore::ReleaseAddress(const std::string& address) {
  if (address.empty() || options_.max_connections_per_address == 0) {
    return;
  }
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  const auto it = connections_by_address_.find(address);
  // Entries go when their last connection does: the table holds only
  // addresses with open connections (at most max_connections).
  if (it != connections_by_address_.end() && --it->second == 0) {
    connections_by_address_.erase(it);
  }
}

std::optional<std::chrono::seconds> ServerCore::TakeRequest(std::string_view address,
                                                            std::string_view authorization) {
  const auto now = RateLimiter::Clock::now();
  if (auto wait = address_rates_.Take(address, now)) {
    return wait;
  }
  if (authorization.empty()) {
    return std::nullopt;
  }
  // Real credentials are far shorter; a longer made-up one is cut so that the
  // table's memory stays bounded (it cannot collide with a real one).
  constexpr std::size_t kMaxKey = 128;
  return credential_rates_.Take(authorization.substr(0, kMaxKey), now);
}

void ServerCore::RefuseConnection(tcp::socket socket, std::string_view why) {
  LogWarn("http_too_many_connections",
          {{"limit", std::string(why)},
           {"max_connections", options_.max_connections},
           {"max_connections_per_address", options_.max_connections_per_address}});
  // Written by hand (no session, no parser): the problem itself still comes
  // from the catalogue. Built outside any request, so its request_id is "".
  static const std::string kResponse = [] {
    const HttpResponse problem =
        ProblemFor("too_many_connections", "Too many open connections; try again in a moment.");
    return "HTTP/1.1 " + std::to_string(problem.status) +
           " Service Unavailable\r\nContent-Type: " + problem.content_type +
           "\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " +
           std::to_string(problem.body.size()) + "\r\n\r\n" + problem.body;
  }();
  // A fresh socket's send buffer is empty: this short write does not block.
  beast::error_code ignored;
  asio::write(socket, asio::buffer(kResponse), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

bool ServerCore::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  if (stopping_.load()) {
    return false;
  }
  sessions_.emplace(session.get(), session);
  return true;
}

void ServerCore::Unregister(const Session* session) {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  if (sessions_.erase(session) > 0 && sessions_.empty()) {
    sessions_empty_.notify_all();
  }
}

HttpResponse ServerCore::CallHandler(const HttpRequest& request) {
  RequestIdScope scope(request.request_id);
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    LogError("http_handler_exception", {{"what", e.what()}});
  } catch (...) {
    LogError("http_handler_exception", {{"what", "unknown exception"}});
  }
  return ProblemFor("internal",
                    "An internal error occurred. Quote the request id when reporting it.");
}

void ServerCore::Shutdown() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  if (shut_down_) {
    return;
  }
  shut_down_ = true;
  if (!started_) {
    return;
  }
  stopping_ = true;

  // The acceptor is not thread-safe: close it on its own thread. Afterwards new
  // connections are refused by the kernel.
  std::promise<void> acceptor_closed;
  asio::post(*io_contexts_.front(), [this, &acceptor_closed] {
    beast::error_code ignored;
    acceptor_->close(ignored);
    acceptor_closed.set_value();
  });
  acceptor_closed.get_future().wait();

  {
    // Collected under the lock but posted (and released) outside it: dropping
    // the last reference runs ~Session, which takes the lock.
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard<std::mutex> sessions_lock(sessions_mutex_);
      for (auto& [raw, weak] : sessions_) {
        if (auto session = weak.lock()) {
          open.push_back(std::move(session));
        }
      }
    }
    for (auto& session : open) {
      CloseSessionIfIdle(session);
    }
    open.clear();
    std::unique_lock<std::mutex> sessions_lock(sessions_mutex_);
    const bool drained = sessions_empty_.wait_for(sessions_lock, kShutdownGrace,
                                                  [this] { return sessions_.empty(); });
    if (!drained) {
      LogWarn("http_shutdown_timeout", {{"open_connections", sessions_.size()}});
    }
  }

  work_guards_.clear();
  for (auto& context : io_contexts_) {
    context->stop();
  }
  for (auto& thread : io_threads_) {
    thread.join();
  }
  pool_->join();
  LogInfo("http_stopped");
}

}  // namespace http_internal

std::string HttpRequest::Header(std::string_view lower_name) const {
  const auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

class HttpServer::Impl : public http_internal::ServerCore {
 public:
  using ServerCore::ServerCore;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

// Shutdown() may throw only when the process cannot go on (see ~ServerCore).
HttpServer::~HttpServer() { impl_->Shutdown(); }  // NOLINT(bugprone-exception-escape)

Result<void> HttpServer::Start() { return impl_->Start(); }

unsigned short HttpServer::port() const { return impl_->port(); }

void HttpServer::Shutdown() { impl_->Shutdown(); }

}  // namespace simexit::api
