#pragma once
// What the HTTP server tests share (http_server_test.cpp,
// http_connection_test.cpp): a blocking client, and a fixture that runs a
// server on an ephemeral port with a few routes and captures the log.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "simexit/api/http_server.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/api/router.hpp"
#include "simexit/common/log.hpp"

namespace simexit::api::http_test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Response = http::response<http::string_body>;

// A blocking HTTP/1.1 client over one TCP connection: raw bytes out, Beast
// parses what comes back.
class Client {
 public:
  explicit Client(unsigned short port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  void Send(const std::string& raw) { asio::write(socket_, asio::buffer(raw)); }

  Response Receive() {
    Response response;
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::size_t{10} * 1024 * 1024);
    http::read(socket_, buffer_, parser);
    return parser.release();
  }

  Response Get(const std::string& target, const std::string& extra_headers = "") {
    Send("GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n");
    return Receive();
  }

  // True when the server closed the connection (EOF) with nothing more to read.
  bool ServerClosed() {
    boost::system::error_code ec;
    char byte;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

inline std::string Code(const Response& response) {
  return std::string(boost::json::parse(response.body()).at("code").as_string());
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogSinkForTesting([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(log_mutex_);
      log_.emplace_back(line);
    });
    router_.Add("GET", "/v1/echo/{name}", [](const HttpRequest& request, const PathParams& p) {
      boost::json::object query;
      for (const auto& [key, value] : request.query) {
        query[key] = value;
      }
      return Json(200, {{"name", p.at("name")},
                        {"path", request.path},
                        {"target", request.target},
                        {"query", query},
                        {"request_id", request.request_id},
                        {"context_request_id", CurrentRequestId()},
                        {"remote", request.remote_address},
                        {"agent", request.Header("user-agent")}});
    });
    router_.Add("POST", "/v1/body", [](const HttpRequest& request, const PathParams&) {
      HttpResponse response;
      response.content_type = "text/plain";
      response.body = "got " + std::to_string(request.body.size());
      return response;
    });
    router_.Add("POST", "/v1/members", [](const HttpRequest& request, const PathParams&) {
      HttpResponse response;
      response.body = "stored " + std::to_string(request.body.size());
      return response;
    });
    router_.Add("POST", "/v1/uploads", [](const HttpRequest& request, const PathParams&) {
      HttpResponse response;
      response.content_type = "text/plain";
      response.body = "stored " + std::to_string(request.body.size());
      return response;
    });
    router_.Add("GET", "/v1/slow", [this](const HttpRequest&, const PathParams&) {
      slow_entered_.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return Json(200, {{"slow", "done"}});
    });
    router_.Add("GET", "/v1/throw", [](const HttpRequest&, const PathParams&) -> HttpResponse {
      throw std::runtime_error("boom");
    });
    HttpServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.handler_threads = 2;
    options.body_limit = 1024;
    options.body_limit_rules.push_back({"POST", "/v1/uploads", 4096, "upload_too_large", {}});
    options.body_limit_rules.push_back(
        {"POST", "/v1/members", 4096, "upload_too_large", [this](const HttpRequest& head) {
           admitted_heads_.push_back(head);
           return head.Header("authorization") == "Bearer member";
         }});
    options.secret_path_prefixes = {"/v1/echo/"};
    server_ = std::make_unique<HttpServer>(
        options, [this](const HttpRequest& request) { return router_.Dispatch(request); });
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().message;
    ASSERT_NE(server_->port(), 0);
  }

  void TearDown() override {
    server_.reset();
    SetLogSinkForTesting({});
  }

  std::vector<std::string> LogLines() {
    std::lock_guard<std::mutex> lock(log_mutex_);
    return log_;
  }

  Router router_;
  std::promise<void> slow_entered_;
  // What the /v1/members rule's admit hook was asked (one handler call at a
  // time in these tests).
  std::vector<HttpRequest> admitted_heads_;
  std::unique_ptr<HttpServer> server_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

}  // namespace simexit::api::http_test
