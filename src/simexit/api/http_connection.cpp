// One connection's requests: read the header, apply the request's body
// limit (413 before the body is read), answer "100 Continue", read the body,
// hand the request to the handler on the handler pool, write the response
// and the access log line, keep alive or close gracefully.

#include <algorithm>
#include <boost/asio/post.hpp>
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
#include <cctype>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>

#include "simexit/api/http_server_core.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/common/log.hpp"

namespace simexit::api::http_internal {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using SteadyClock = std::chrono::steady_clock;

// After a response that closes the connection we stop sending and read (and
// discard) what the client still sends for a while, so an unread request body
// does not turn our close into a reset that destroys the response in flight.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kLingerMaxBytes = std::size_t{1024} * 1024;

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The X-Forwarded-For lines of a header, joined with ", " as HttpRequest
// joins repeated headers.
std::string ForwardedFor(const http::fields& fields) {
  std::string out;
  const auto [first, last] = fields.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    if (!out.empty()) {
      out += ", ";
    }
    out.append(it->value());
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
  std::string problem_code = "body_too_large";
};

// The first rule matching the request line, or nullptr.
const BodyLimitRule* RuleFor(const HttpServerOptions& options, std::string_view method,
                             std::string_view target) {
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  for (const BodyLimitRule& rule : options.body_limit_rules) {
    if (method != rule.method || path.substr(0, rule.path.size()) != rule.path ||
        !path.ends_with(rule.path_suffix)) {
      continue;
    }
    if (path.size() == rule.path.size() || path[rule.path.size()] == '/') {
      return &rule;
    }
  }
  return nullptr;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// Framings that a proxy in front of us might read differently from us, so a
// second request could hide in the first one's body (request smuggling):
// any Transfer-Encoding but exactly one "chunked", and Transfer-Encoding
// together with Content-Length. (Beast refuses some of these itself, as
// "bad_request"; it lets "gzip" or "chunked, gzip" through and would then read
// the body as the next request.)
// A refusal, as problem code and detail (built into a problem once the
// request id is known).
struct Refusal {
  std::string_view code;
  std::string detail;
  std::optional<std::string> retry_after;
};

std::optional<Refusal> FramingProblem(const http::request_header<>& header) {
  std::size_t encodings = 0;
  std::string_view encoding;
  for (const auto& field : header) {
    if (field.name() == http::field::transfer_encoding) {
      ++encodings;
      encoding = std::string_view(field.value().data(), field.value().size());
    }
  }
  if (encodings == 0) {
    return std::nullopt;
  }
  if (header.count(http::field::content_length) > 0) {
    return Refusal{"ambiguous_body_length",
                   "The request has both Content-Length and Transfer-Encoding.", std::nullopt};
  }
  if (encodings != 1 || ToLower(Trim(encoding)) != "chunked") {
    return Refusal{"unsupported_transfer_encoding",
                   "The only Transfer-Encoding accepted is \"chunked\".", std::nullopt};
  }
  return std::nullopt;
}

// Runs of 8 or more digits in a path are phone numbers (MSISDNs, 11 digits
// for Kazakhstan) or document numbers (IINs, 12): the access log keeps their
// last four digits only, as the API does for document numbers.
std::string MaskLongNumbers(const std::string& path) {
  constexpr std::size_t kMinDigits = 8;
  constexpr std::size_t kKept = 4;
  std::string out = path;
  std::size_t i = 0;
  while (i < out.size()) {
    if (std::isdigit(static_cast<unsigned char>(out[i])) == 0) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < out.size() && std::isdigit(static_cast<unsigned char>(out[end])) != 0) {
      ++end;
    }
    if (end - i >= kMinDigits) {
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(i),
                out.begin() + static_cast<std::ptrdiff_t>(end - kKept), '*');
    }
    i = end;
  }
  return out;
}

// The path as the access log writes it: a secret segment after one of
// options.secret_path_prefixes becomes "***", and long numbers are masked.
std::string LoggablePath(const HttpServerOptions& options, const std::string& path) {
  for (const std::string& prefix : options.secret_path_prefixes) {
    if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0) {
      const std::size_t end = path.find('/', prefix.size());
      return prefix + "***" +
             (end == std::string::npos ? std::string() : MaskLongNumbers(path.substr(end)));
    }
  }
  return MaskLongNumbers(path);
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

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerCore& core, std::string address)
      : stream_(std::move(socket)),
        core_(core),
        address_(std::move(address)),
        buffer_(core.options().read_buffer_limit),
        on_chunk_header_(
            [this](std::uint64_t, beast::string_view extensions, beast::error_code& ec) {
              if (extensions.size() > core_.options().chunk_extension_limit) {
                chunk_extension_too_large_ = true;
                ec = http::error::bad_chunk_extension;
              }
            }) {}
  ~Session() {
    core_.Unregister(this);
    core_.ReleaseAddress(address_);
  }

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
    parser_->header_limit(static_cast<std::uint32_t>(core_.options().header_limit));
    parser_->body_limit(LargestBodyLimit(core_.options()));
    parser_->on_chunk_header(on_chunk_header_);
    chunk_extension_too_large_ = false;
    limit_ = {core_.options().body_limit, "body_too_large"};
    if (!served_any_ || buffer_.size() > 0) {
      ReadHeader();  // the request has begun (or this is the connection's first)
      return;
    }
    // Kept alive: wait (up to idle_timeout) for the next request's first
    // bytes; its header then has header_timeout.
    stream_.expires_after(core_.options().idle_timeout);
    const std::size_t room = std::min<std::size_t>(4096, buffer_.max_size());
    stream_.async_read_some(buffer_.prepare(room),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              if (ec) {
                                self->CloseNow();  // Peer gone or idle too long: nobody to answer.
                                return;
                              }
                              self->buffer_.commit(bytes);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    stream_.expires_after(core_.options().header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnReadHeader, shared_from_this()));
  }

  // The header is in: refuse ambiguous framing, choose this request's body
  // limit (asking the rule's admit hook on the handler pool when the body may
  // need it), then read the body.
  void OnReadHeader(beast::error_code ec, std::size_t bytes) {
    if (ec) {
      if (ec == http::error::body_limit) {
        // A Content-Length over the largest limit, refused while parsing the
        // header: it is over the route's own limit too, whoever sends it.
        const auto& message = parser_->get();
        const BodyLimitRule* rule =
            RuleFor(core_.options(), message.method_string(), message.target());
        if (rule != nullptr) {
          limit_ = {rule->limit, rule->problem_code};
        }
      }
      OnRead(ec, bytes);
      return;
    }
    const auto& message = parser_->get();
    if (std::optional<Refusal> refusal = FramingProblem(message.base())) {
      Refuse(std::move(*refusal));
      return;
    }
    if (const auto wait = core_.TakeRequest(core_.ClientAddressFor(address_, ForwardedFor(message)),
                                            message[http::field::authorization])) {
      Refuse({"rate_limited", "Too many requests; slow down.", std::to_string(wait->count())});
      return;
    }
    const HttpServerOptions& options = core_.options();
    const BodyLimitRule* rule = RuleFor(options, message.method_string(), message.target());
    if (rule == nullptr) {
      ContinueWithLimit();
      return;
    }
    const auto length = parser_->content_length();
    if (!rule->admit) {
      limit_ = {rule->limit, rule->problem_code};
      ContinueWithLimit();
      return;
    }
    if (length && *length <= options.body_limit && rule->limit >= options.body_limit) {
      ContinueWithLimit();  // The default limit suffices: no need to ask.
      return;
    }
    // The hook may use the database: not on an I/O thread.
    state_ = State::kHandling;
    stream_.expires_never();
    asio::post(core_.pool(), [self = shared_from_this(), rule, head = HeadOf(message)] {
      bool admitted = false;
      try {
        RequestIdScope scope(head.request_id);
        admitted = rule->admit(head);
      } catch (const std::exception& e) {
        LogError("http_admit_exception", {{"what", e.what()}});
      }
      asio::post(self->executor(), [self, rule, admitted] {
        if (admitted) {
          self->limit_ = {rule->limit, rule->problem_code};
        }
        self->ContinueWithLimit();
      });
    });
  }

  void ContinueWithLimit() {
    state_ = State::kReading;
    if (const auto length = parser_->content_length(); length && *length > limit_.bytes) {
      OnRead(http::error::body_limit, 0);  // Answered without reading the body.
      return;
    }
    parser_->body_limit(limit_.bytes);
    if (parser_->is_done()) {
      OnRead({}, 0);
      return;
    }
    stream_.expires_after(core_.options().idle_timeout);
    if (ToLower(parser_->get()[http::field::expect]) == "100-continue") {
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
    if (ec == http::error::body_limit) {
      Refuse({limit_.problem_code,
              "The request body exceeds " + std::to_string(limit_.bytes) + " bytes.",
              std::nullopt});
    } else if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      Refuse({"headers_too_large", "The request headers, trailers or a chunk line are too large.",
              std::nullopt});
    } else if (chunk_extension_too_large_) {
      Refuse({"chunk_extension_too_large",
              "A chunk extension exceeds " + std::to_string(core_.options().chunk_extension_limit) +
                  " bytes.",
              std::nullopt});
    } else {
      Refuse({"bad_request", "The HTTP request is malformed.", std::nullopt});
    }
  }

  // Answers a request the handler never sees, and closes the connection.
  void Refuse(Refusal refusal) {
    method_ = parser_->get().method_string();
    path_ = "";
    const std::string id_header(parser_->get()["X-Request-Id"]);
    request_id_ = core_.RequestIdFor(id_header);
    keep_alive_ = false;
    RequestIdScope scope(request_id_);  // the problem carries the request id
    HttpResponse problem = ProblemFor(refusal.code, refusal.detail);
    if (refusal.retry_after) {
      problem.headers.emplace_back("Retry-After", *refusal.retry_after);
    }
    Respond(std::move(problem));
  }

  // The request as the handler sees it, without query and body.
  HttpRequest HeadOf(const http::request<http::string_body>& message) {
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
    request.path = request.target.substr(0, request.target.find_first_of("?#"));
    request.request_id = core_.RequestIdFor(request.Header("x-request-id"));
    request.remote_address = core_.ClientAddressFor(address_, request.Header("x-forwarded-for"));
    request.https = core_.HttpsFor(address_, request.Header("x-forwarded-proto"));
    return request;
  }

  void HandleRequest() {
    auto& message = parser_->get();
    HttpRequest request = HeadOf(message);
    method_ = request.method;
    request_id_ = request.request_id;
    keep_alive_ = message.keep_alive();

    auto url = boost::urls::parse_origin_form(request.target);
    if (!url) {
      path_ = "";
      keep_alive_ = false;
      RequestIdScope scope(request_id_);
      Respond(ProblemFor("bad_request", "The request target is not valid."));
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
      const auto elapsed =
          std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started_at_);
      LogInfo("http_request", {{"method", method_},
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
    served_any_ = true;
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
        buffer_.prepare(std::min<std::size_t>(std::size_t{16} * 1024, buffer_.max_size())),
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
  const std::string address_;  // the peer's IP address ("" if unknown)
  bool served_any_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // Refuses chunk extensions over options.chunk_extension_limit; the parser
  // holds it by reference.
  std::function<void(std::uint64_t, beast::string_view, beast::error_code&)> on_chunk_header_;
  bool chunk_extension_too_large_ = false;
  BodyLimit limit_;
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

void StartSession(tcp::socket socket, ServerCore& core, std::string address) {
  std::make_shared<Session>(std::move(socket), core, std::move(address))->Start();
}

void CloseSessionIfIdle(const std::shared_ptr<Session>& session) {
  asio::post(session->executor(), [session] { session->CloseIfIdle(); });
}

}  // namespace simexit::api::http_internal
