#include "simexit/adapters/webhooks/http_webhook_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

#include "simexit/domain/webhook_url.hpp"

namespace simexit {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kMaxAnswerBody = 64 * 1024;

// One exchange, driven by callbacks on `ioc`; `done` holds the outcome.
class Exchange {
 public:
  Exchange(asio::io_context& ioc, const WebhookUrl& url, http::request<http::string_body> req,
           std::chrono::milliseconds timeout)
      : resolver_(ioc), stream_(ioc), url_(url), req_(std::move(req)), timeout_(timeout) {
    parser_.body_limit(kMaxAnswerBody);
  }

  void Start() {
    stream_.expires_after(timeout_);
    // The resolver has no timeout of its own: the stream's deadline (checked
    // when resolution ends) and the io_context's run_for bound it.
    resolver_.async_resolve(
        url_.host(), std::to_string(url_.port()),
        [this](beast::error_code ec, const tcp::resolver::results_type& r) { OnResolved(ec, r); });
  }

  std::optional<Result<int>> done;

 private:
  void Finish(beast::error_code ec, const char* what) {
    if (done) {
      return;
    }
    if (ec == beast::error::timeout) {
      done = Fail(ErrorCode::kUnavailable, "webhook_timeout",
                  "no answer within " + std::to_string(timeout_.count()) + " ms (" + what + ")");
    } else {
      done = Fail(ErrorCode::kUnavailable, "webhook_unreachable",
                  std::string(what) + ": " + ec.message());
    }
  }

  void OnResolved(beast::error_code ec, const tcp::resolver::results_type& results) {
    if (ec) {
      return Finish(ec, "resolving the host");
    }
    stream_.async_connect(results, [this](beast::error_code e, const tcp::endpoint&) {
      if (e) {
        return Finish(e, "connecting");
      }
      http::async_write(stream_, req_, [this](beast::error_code w, std::size_t) {
        if (w) {
          return Finish(w, "sending");
        }
        http::async_read(stream_, buffer_, parser_, [this](beast::error_code r, std::size_t) {
          if (r) {
            return Finish(r, "reading the answer");
          }
          done = static_cast<int>(parser_.get().result_int());
          beast::error_code ignored;
          stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
      });
    });
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  const WebhookUrl& url_;
  http::request<http::string_body> req_;
  std::chrono::milliseconds timeout_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

Result<int> HttpWebhookClient::Post(const WebhookRequest& request) {
  SIMEXIT_ASSIGN_OR_RETURN(const WebhookUrl url, WebhookUrl::Parse(request.url));
  if (url.https()) {
    return Fail(ErrorCode::kInvalidArgument, "webhook_tls_unsupported",
                "this build delivers webhooks over plain http only");
  }
  http::request<http::string_body> req{http::verb::post, url.target(), 11};
  const bool default_port = url.port() == 80;
  const bool v6 = url.host().find(':') != std::string::npos;
  std::string host = v6 ? "[" + url.host() + "]" : url.host();
  if (!default_port) {
    host += ":" + std::to_string(url.port());
  }
  req.set(http::field::host, host);
  req.set(http::field::user_agent, user_agent_);
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) {
    req.set(name, value);
  }
  req.body() = request.body;
  req.prepare_payload();

  const std::chrono::milliseconds timeout(request.timeout_ms);
  asio::io_context ioc;
  Exchange exchange(ioc, url, std::move(req), timeout);
  exchange.Start();
  // A little past the stream's own deadline, for a resolver that hangs.
  ioc.run_for(timeout + std::chrono::milliseconds(200));
  if (!exchange.done) {
    return Fail(ErrorCode::kUnavailable, "webhook_timeout",
                "no answer within " + std::to_string(request.timeout_ms) + " ms");
  }
  return *exchange.done;
}

}  // namespace simexit
