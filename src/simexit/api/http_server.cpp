#include "simexit/api/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "simexit/api/problem.hpp"
#include "simexit/common/log.hpp"
#include "simexit/common/random.hpp"

namespace simexit::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr std::chrono::seconds kShutdownGrace{10};
// After a response that closes the connection we stop sending and read (and
// discard) what the client still sends for a while, so an unread request body
// does not turn our close into a reset that destroys the response in flight.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kLingerMaxBytes = 1024 * 1024;

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool IsJsonContentType(std::string_view type) {
  const std::string lower = ToLower(type.substr(0, type.find(';')));
  return lower == "application/json" ||
         (lower.size() > 5 && lower.compare(lower.size() - 5, 5, "+json") == 0);
}

// The body limit that applies to a request, and the 413 problem's code.
struct BodyLimit {
  std::size_t bytes = 0;
  std::string_view problem_code;
};

BodyLimit BodyLimitFor(const HttpServerOptions& options, std::string_view method,
                       std::string_view target, std::string_view authorization) {
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  for (const BodyLimitRule& rule : options.body_limit_rules) {
    if (method != rule.method || path.substr(0, rule.path.size()) != rule.path) continue;
    if (path.size() == rule.path.size() || path[rule.path.size()] == '/') {
      if (rule.admit && !rule.admit(authorization)) break;
      return {rule.limit, rule.problem_code};
    }
  }
  return {options.body_limit, "body_too_large"};
}

// The path as the access log writes it: a secret segment after one of
// options.secret_path_prefixes becomes "***".
std::string LoggablePath(const HttpServerOptions& options, const std::string& path) {
  for (const std::string& prefix : options.secret_path_prefixes) {
    if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0) {
      const std::size_t end = path.find('/', prefix.size());
      return prefix + "***" + (end == std::string::npos ? std::string() : path.substr(end));
    }
  }
  return path;
}

// The largest body any request may have: the header is parsed against it
// (Beast refuses a Content-Length over the limit while parsing the header),
// and the request's own limit is applied once its line is known.
std::size_t LargestBodyLimit(const HttpServerOptions& options) {
  std::size_t largest = options.body_limit;
  for (const BodyLimitRule& rule : options.body_limit_rules) {
    largest = std::max(largest, rule.limit);
  }
  return largest;
}

class Session;

// Everything the server owns. HttpServer::Impl derives from it so that
// sessions (in this anonymous namespace) can reach it.
class ServerCore {
 public:
  ServerCore(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}
  ~ServerCore() { Shutdown(); }
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

  // Runs the handler inside the request's RequestIdScope; exceptions -> 500.
  HttpResponse CallHandler(const HttpRequest& request);

  std::string RequestIdFor(std::string_view header) {
    if (IsValidRequestId(header)) {
      return std::string(header);
    }
    return random_.Hex(8);
  }

 private:
  void DoAccept();
  std::size_t OpenSessions();
  void RefuseConnection(tcp::socket socket);

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

  std::unique_ptr<asio::thread_pool> pool_;
  std::vector<std::thread> io_threads_;
  // Declared after everything sessions use, so that destroying the contexts
  // (and with them any session still owned by a pending handler) comes first.
  std::vector<std::unique_ptr<asio::io_context>> io_contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_guards_;
  std::size_t next_context_ = 0;
  std::optional<tcp::acceptor> acceptor_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerCore& core) : stream_(std::move(socket)), core_(core) {}
  ~Session() { core_.Unregister(this); }

  void Start() {
    if (!core_.Register(shared_from_this())) {
      return;  // Stopping: the socket closes with this session.
    }
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->DoRead(); });
  }

  // On the session's executor, during shutdown: drop the connection unless a
  // request is being handled or answered.
  void CloseIfIdle() {
    if (state_ == State::kReading) {
      CloseNow();
    }
  }

  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class State { kReading, kHandling, kWriting, kClosing };

  void DoRead() {
    if (core_.stopping()) {
      CloseNow();
      return;
    }
    state_ = State::kReading;
    parser_.emplace();
    parser_->body_limit(LargestBodyLimit(core_.options()));
    stream_.expires_after(core_.options().idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnReadHeader, shared_from_this()));
  }

  // The header is in: apply this request's body limit, then read the body.
  void OnReadHeader(beast::error_code ec, std::size_t bytes) {
    if (ec) {
      OnRead(ec, bytes);
      return;
    }
    const auto& message = parser_->get();
    const BodyLimit limit =
        BodyLimitFor(core_.options(), message.method_string(), message.target(),
                     message[http::field::authorization]);
    if (const auto length = parser_->content_length(); length && *length > limit.bytes) {
      OnRead(http::error::body_limit, 0);  // Answered without reading the body.
      return;
    }
    parser_->body_limit(limit.bytes);
    if (parser_->is_done()) {
      OnRead({}, 0);
      return;
    }
    stream_.expires_after(core_.options().idle_timeout);
    if (ToLower(message[http::field::expect]) == "100-continue") {
      continue_ = {};
      continue_.version(11);
      continue_.result(http::status::continue_);
      http::async_write(stream_, continue_,
                        [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                          if (write_ec) {
                            self->CloseNow();
                            return;
                          }
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
    started_at_ = SteadyClock::now();
    if (!ec) {
      HandleRequest();
      return;
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec.category() != http::make_error_code(http::error::bad_target).category()) {
      CloseNow();  // Peer gone, timed out or cancelled: nobody to answer.
      return;
    }
    // The request is malformed or too large: answer and close.
    method_ = parser_->get().method_string();
    path_ = "";
    const std::string id_header(parser_->get()["X-Request-Id"]);
    request_id_ = core_.RequestIdFor(id_header);
    keep_alive_ = false;
    RequestIdScope scope(request_id_);
    if (ec == http::error::body_limit) {
      const BodyLimit limit =
          BodyLimitFor(core_.options(), parser_->get().method_string(), parser_->get().target(),
                       parser_->get()[http::field::authorization]);
      Respond(Problem(413, limit.problem_code, "Request body too large",
                      "The request body exceeds " + std::to_string(limit.bytes) + " bytes."));
    } else if (ec == http::error::header_limit) {
      Respond(Problem(431, "headers_too_large", "Request headers too large",
                      "The request headers are too large."));
    } else {
      Respond(Problem(400, "bad_request", "Bad request", "The HTTP request is malformed."));
    }
  }

  void HandleRequest() {
    auto& message = parser_->get();
    HttpRequest request;
    request.method = message.method_string();
    request.target = message.target();
    for (const auto& field : message) {
      std::string name = ToLower(field.name_string());
      auto [it, inserted] = request.headers.emplace(std::move(name), field.value());
      if (!inserted) {
        it->second.append(", ").append(field.value());
      }
    }
    request.request_id = core_.RequestIdFor(request.Header("x-request-id"));
    beast::error_code endpoint_ec;
    const tcp::endpoint remote = stream_.socket().remote_endpoint(endpoint_ec);
    if (!endpoint_ec) {
      request.remote_address = remote.address().to_string();
    }
    method_ = request.method;
    request_id_ = request.request_id;
    keep_alive_ = message.keep_alive();

    auto url = boost::urls::parse_origin_form(request.target);
    if (!url) {
      path_ = "";
      keep_alive_ = false;
      RequestIdScope scope(request_id_);
      Respond(Problem(400, "bad_request", "Bad request", "The request target is not valid."));
      return;
    }
    request.path = url->encoded_path();
    path_ = request.path;
    boost::urls::encoding_opts opts;
    opts.space_as_plus = false;  // '+' stays '+': MSISDNs are written "+7...".
    for (const auto& param : url->params(opts)) {
      request.query.emplace(param.key, param.has_value ? param.value : std::string());
    }
    request.body = std::move(message.body());

    state_ = State::kHandling;
    stream_.expires_never();  // The handler's time is not the client's idleness.
    asio::post(core_.pool(), [self = shared_from_this(), request = std::move(request)] {
      HttpResponse response = self->core_.CallHandler(request);
      asio::post(self->executor(), [self, response = std::move(response)]() mutable {
        self->Respond(std::move(response));
      });
    });
  }

  void Respond(HttpResponse response) {
    unsigned status = response.status;
    if (status < 100 || status > 599) {
      status = 500;
    }
    status_ = status;
    response_ = {};
    response_.version(11);
    response_.result(status);
    if (!response.content_type.empty()) {
      response_.set(http::field::content_type, response.content_type);
    }
    bool has_cache_control = false;
    for (const auto& [name, value] : response.headers) {
      if (ToLower(name) == "cache-control") {
        has_cache_control = true;
      }
      response_.insert(name, value);
    }
    if (!has_cache_control && IsJsonContentType(response.content_type)) {
      response_.set(http::field::cache_control, "no-store");
    }
    response_.set("X-Request-Id", request_id_);
    response_.body() = std::move(response.body);
    close_after_write_ = !keep_alive_ || core_.stopping();
    response_.keep_alive(!close_after_write_);
    response_.prepare_payload();

    state_ = State::kWriting;
    stream_.expires_after(core_.options().idle_timeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
    {
      RequestIdScope scope(request_id_);
      const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
          SteadyClock::now() - started_at_);
      LogInfo("http_request",
              {{"method", method_},
               {"path", LoggablePath(core_.options(), path_)},
               {"status", status_},
               {"duration_ms", static_cast<double>(elapsed.count()) / 1000.0}});
    }
    if (ec) {
      CloseNow();
      return;
    }
    if (close_after_write_) {
      CloseGracefully();
      return;
    }
    DoRead();
  }

  void CloseGracefully() {
    state_ = State::kClosing;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    DrainOnce();
  }

  void DrainOnce() {
    buffer_.clear();
    stream_.async_read_some(
        buffer_.prepare(16 * 1024),
        [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
          self->drained_ += bytes;
          if (ec || self->drained_ > kLingerMaxBytes) {
            self->CloseNow();
            return;
          }
          self->DrainOnce();
        });
  }

  void CloseNow() {
    state_ = State::kClosing;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  ServerCore& core_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  http::response<http::empty_body> continue_;  // "100 Continue", while it is written
  State state_ = State::kReading;
  bool keep_alive_ = false;
  bool close_after_write_ = false;
  std::size_t drained_ = 0;
  // For the access log line.
  std::string method_;
  std::string path_;
  std::string request_id_;
  unsigned status_ = 0;
  SteadyClock::time_point started_at_;
};

Result<void> ServerCore::Start() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  if (started_ || shut_down_) {
    return Fail(ErrorCode::kFailedPrecondition, "already_started", "Start() may be called once");
  }
  if (options_.handler_threads < 1 || options_.io_threads < 0) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_options",
                "handler_threads must be >= 1 and io_threads >= 0");
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
      RefuseConnection(std::move(socket));
    } else {
      std::make_shared<Session>(std::move(socket), *this)->Start();
    }
    DoAccept();
  });
}

std::size_t ServerCore::OpenSessions() {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  return sessions_.size();
}

void ServerCore::RefuseConnection(tcp::socket socket) {
  LogWarn("http_too_many_connections", {{"limit", options_.max_connections}});
  static const std::string kResponse = [] {
    const std::string body =
        R"({"type":"https://simexit.dev/problems/too_many_connections",)"
        R"("title":"Service temporarily unavailable","status":503,)"
        R"("detail":"Too many open connections; try again in a moment.",)"
        R"("code":"too_many_connections"})";
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
           "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
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
  return Problem(500, "internal", "Internal error",
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
      asio::post(session->executor(), [session] { session->CloseIfIdle(); });
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

}  // namespace

std::string HttpRequest::Header(std::string_view lower_name) const {
  const auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

class HttpServer::Impl : public ServerCore {
 public:
  using ServerCore::ServerCore;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { impl_->Shutdown(); }

Result<void> HttpServer::Start() { return impl_->Start(); }

unsigned short HttpServer::port() const { return impl_->port(); }

void HttpServer::Shutdown() { impl_->Shutdown(); }

}  // namespace simexit::api
