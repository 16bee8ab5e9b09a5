#include "simexit/api/http_server.hpp"

#include <gtest/gtest.h>

#include <string>

#include "simexit/api/http_server_test_support.hpp"

namespace simexit::api::http_test {
namespace {

TEST_F(HttpServerTest, RoutesWithParamsQueryAndHeaders) {
  Client client(server_->port());
  const Response response =
      client.Get("/v1/echo/a%20b%2Fc?x=1&y=%2B7%20701&y=ignored&flag", "User-Agent: t/1\r\n");

  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(response[http::field::cache_control], "no-store");
  const auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("name").as_string(), "a b/c");
  EXPECT_EQ(body.at("path").as_string(), "/v1/echo/a%20b%2Fc");
  EXPECT_EQ(body.at("target").as_string(), "/v1/echo/a%20b%2Fc?x=1&y=%2B7%20701&y=ignored&flag");
  EXPECT_EQ(body.at("query").at("x").as_string(), "1");
  EXPECT_EQ(body.at("query").at("y").as_string(), "+7 701");
  EXPECT_EQ(body.at("query").at("flag").as_string(), "");
  EXPECT_EQ(body.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(body.at("agent").as_string(), "t/1");
}

TEST_F(HttpServerTest, NotFoundAndMethodNotAllowed) {
  Client client(server_->port());
  const Response missing = client.Get("/v1/nothing");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing[http::field::content_type], "application/problem+json");
  EXPECT_EQ(missing[http::field::cache_control], "no-store");
  EXPECT_EQ(Code(missing), "route_not_found");

  client.Send("DELETE /v1/body HTTP/1.1\r\nHost: t\r\n\r\n");
  const Response wrong = client.Receive();
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(wrong[http::field::allow], "POST");
  EXPECT_EQ(Code(wrong), "method_not_allowed");
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client client(server_->port());
  const Response first = client.Get("/v1/echo/one");
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_TRUE(first.keep_alive());
  client.Send("POST /v1/body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  const Response second = client.Receive();
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(second.body(), "got 5");
  EXPECT_EQ(second[http::field::cache_control], "") << "only JSON responses get no-store";
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  Client client(server_->port());
  const Response response = client.Get("/v1/echo/x", "Connection: close\r\n");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  Client client(server_->port());
  client.Send("THIS IS NOT HTTP\r\n\r\n");
  const Response response = client.Receive();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(Code(response), "bad_request");
  EXPECT_TRUE(client.ServerClosed());

  Client again(server_->port());
  EXPECT_EQ(again.Get("/v1/echo/alive").result_int(), 200);
}

TEST_F(HttpServerTest, InvalidTargetIs400) {
  Client client(server_->port());
  const Response response = client.Get("http://absolute.example/v1/echo/x");
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(Code(response), "bad_request");
}

TEST_F(HttpServerTest, ValidRequestIdIsEchoedAndScoped) {
  Client client(server_->port());
  const Response response = client.Get("/v1/echo/x", "X-Request-Id: abc.DEF_12-3\r\n");
  EXPECT_EQ(response["X-Request-Id"], "abc.DEF_12-3");
  const auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("request_id").as_string(), "abc.DEF_12-3");
  EXPECT_EQ(body.at("context_request_id").as_string(), "abc.DEF_12-3");
}

TEST_F(HttpServerTest, InvalidOrMissingRequestIdIsGenerated) {
  Client client(server_->port());
  for (const std::string& header : {std::string(), std::string("X-Request-Id: has space\r\n"),
                                    "X-Request-Id: " + std::string(65, 'a') + "\r\n"}) {
    const Response response = client.Get("/v1/echo/x", header);
    const std::string id(response["X-Request-Id"]);
    ASSERT_EQ(id.size(), 16u) << header;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_EQ(boost::json::parse(response.body()).at("request_id").as_string(), id);
  }
}

TEST_F(HttpServerTest, ProblemBodyCarriesRequestId) {
  Client client(server_->port());
  const Response response = client.Get("/v1/nothing", "X-Request-Id: rid-404\r\n");
  EXPECT_EQ(boost::json::parse(response.body()).at("request_id").as_string(), "rid-404");
}

TEST_F(HttpServerTest, HandlerExceptionIs500) {
  Client client(server_->port());
  const Response response = client.Get("/v1/throw");
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(Code(response), "internal");
  EXPECT_EQ(response.body().find("boom"), std::string::npos);
  EXPECT_EQ(client.Get("/v1/echo/after").result_int(), 200) << "connection stays usable";
}

TEST_F(HttpServerTest, AccessLogHasPathWithoutQueryAndNoHeaders) {
  {
    Client client(server_->port());
    client.Get("/v1/echo/x?secret=s3cr3t",
               "X-Request-Id: rid-log\r\nAuthorization: Bearer tok\r\n");
  }
  server_->Shutdown();  // All access lines are written by now.
  bool found = false;
  for (const std::string& line : LogLines()) {
    EXPECT_EQ(line.find("s3cr3t"), std::string::npos) << line;
    EXPECT_EQ(line.find("Bearer"), std::string::npos) << line;
    const auto object = boost::json::parse(line).as_object();
    if (object.at("msg").as_string() != "http_request") {
      continue;
    }
    found = true;
    EXPECT_EQ(object.at("method").as_string(), "GET");
    // The segment after a secret prefix is not written.
    EXPECT_EQ(object.at("path").as_string(), "/v1/echo/***");
    EXPECT_EQ(object.at("status").to_number<int>(), 200);
    EXPECT_EQ(object.at("request_id").as_string(), "rid-log");
    EXPECT_TRUE(object.contains("duration_ms"));
  }
  EXPECT_TRUE(found);
}

TEST_F(HttpServerTest, AccessLogMasksPhoneAndDocumentNumbers) {
  {
    Client client(server_->port());
    client.Get("/v1/lines/%2B77011234567/termination-quote");
    client.Get("/v1/lines/77011234567");
    client.Get("/v1/holders/880101300123/x/12345");
  }
  server_->Shutdown();
  std::vector<std::string> paths;
  for (const std::string& line : LogLines()) {
    EXPECT_EQ(line.find("7701123"), std::string::npos) << line;
    EXPECT_EQ(line.find("88010130"), std::string::npos) << line;
    const auto object = boost::json::parse(line).as_object();
    if (object.at("msg").as_string() == "http_request") {
      paths.emplace_back(object.at("path").as_string());
    }
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"/v1/lines/%2B*******4567/termination-quote",
                                             "/v1/lines/*******4567",
                                             "/v1/holders/********0123/x/12345"}));
}

TEST_F(HttpServerTest, ShutdownFinishesInFlightRequestThenRefusesConnections) {
  const unsigned short port = server_->port();
  Client idle(port);  // an idle keep-alive connection: must be closed, not waited for
  ASSERT_EQ(idle.Get("/v1/echo/idle").result_int(), 200);

  std::future<Response> slow = std::async(std::launch::async, [port] {
    Client client(port);
    return client.Get("/v1/slow");
  });
  slow_entered_.get_future().wait();
  const auto before = std::chrono::steady_clock::now();
  server_->Shutdown();
  const auto waited = std::chrono::steady_clock::now() - before;

  const Response response = slow.get();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(boost::json::parse(response.body()).at("slow").as_string(), "done");
  EXPECT_FALSE(response.keep_alive()) << "a stopping server closes after the response";
  EXPECT_GT(waited, std::chrono::milliseconds(100)) << "Shutdown waited for the handler";
  EXPECT_LT(waited, std::chrono::seconds(5)) << "idle connection did not hold Shutdown up";
  EXPECT_TRUE(idle.ServerClosed());

  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  EXPECT_EQ(ec, asio::error::connection_refused);
}

TEST(HttpServerLimitsTest, ConnectionsBeyondTheLimitGet503AndClose) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.max_connections = 1;
  HttpServer server(options, [](const HttpRequest&) {
    HttpResponse response;
    response.body = "ok";
    return response;
  });
  ASSERT_TRUE(server.Start());
  {
    Client first(server.port());
    ASSERT_EQ(first.Get("/").result_int(), 200);  // registered and kept alive
    Client second(server.port());
    const Response refused = second.Receive();
    EXPECT_EQ(refused.result_int(), 503);
    EXPECT_EQ(refused[http::field::retry_after], "1");
    EXPECT_EQ(boost::json::parse(refused.body()).at("code").as_string(), "too_many_connections");
    EXPECT_TRUE(second.ServerClosed());
    EXPECT_EQ(first.Get("/").result_int(), 200);  // the open one is unaffected
  }
  // Once the first is gone, a new connection is served (its close is noticed
  // asynchronously, so allow a moment).
  bool served = false;
  for (int i = 0; i < 100 && !served; ++i) {
    Client again(server.port());
    again.Send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    served = again.Receive().result_int() == 200;
    if (!served) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_TRUE(served);
}

HttpHandler OkHandler() {
  return [](const HttpRequest&) {
    HttpResponse response;
    response.body = "ok";
    return response;
  };
}

TEST(HttpServerLimitsTest, ConnectionsPerAddressBeyondTheLimitGet503) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.max_connections_per_address = 2;
  HttpServer server(options, OkHandler());
  ASSERT_TRUE(server.Start());
  Client first(server.port());
  Client second(server.port());
  ASSERT_EQ(first.Get("/").result_int(), 200);
  ASSERT_EQ(second.Get("/").result_int(), 200);
  Client third(server.port());
  const Response refused = third.Receive();
  EXPECT_EQ(refused.result_int(), 503);
  EXPECT_EQ(boost::json::parse(refused.body()).at("code").as_string(), "too_many_connections");
  EXPECT_TRUE(third.ServerClosed());
  EXPECT_EQ(first.Get("/").result_int(), 200);
}

TEST(HttpServerLimitsTest, RequestsOverTheAddressRateGet429WithRetryAfter) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.rate_per_address = {.per_second = 0.5, .burst = 3};
  HttpServer server(options, OkHandler());
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(client.Get("/").result_int(), 200) << i;
  }
  const Response limited = client.Get("/");
  EXPECT_EQ(limited.result_int(), 429);
  EXPECT_EQ(boost::json::parse(limited.body()).at("code").as_string(), "rate_limited");
  EXPECT_EQ(limited[http::field::retry_after], "2");
  EXPECT_FALSE(limited.keep_alive());
}

TEST(HttpServerLimitsTest, RequestsOverTheCredentialRateGet429) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.rate_per_credential = {.per_second = 0.1, .burst = 2};
  HttpServer server(options, OkHandler());
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  const std::string key = "Authorization: Bearer sk_a\r\n";
  ASSERT_EQ(client.Get("/", key).result_int(), 200);
  ASSERT_EQ(client.Get("/", key).result_int(), 200);
  const Response limited = client.Get("/", key);
  EXPECT_EQ(limited.result_int(), 429);
  EXPECT_EQ(limited[http::field::retry_after], "10");
  Client other(server.port());
  EXPECT_EQ(other.Get("/", "Authorization: Bearer sk_b\r\n").result_int(), 200);
  EXPECT_EQ(other.Get("/").result_int(), 200);  // no credential: only the address's rate
}

TEST(HttpServerLimitsTest, SlowHeaderIsCutAtTheHeaderTimeoutDespiteProgress) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.header_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(30);
  HttpServer server(options, OkHandler());
  ASSERT_TRUE(server.Start());
  Client slow(server.port());
  const auto start = std::chrono::steady_clock::now();
  slow.Send("GET / HTTP/1.1\r\n");
  bool cut = false;
  // A slowloris client: one header byte every 200 ms keeps the connection
  // busy but must not keep it open.
  for (int i = 0; i < 40 && !cut; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    try {
      slow.Send("X");
    } catch (const boost::system::system_error&) {
      cut = true;
    }
  }
  EXPECT_TRUE(cut || slow.ServerClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));
  Client fine(server.port());
  EXPECT_EQ(fine.Get("/").result_int(), 200);
}

TEST(HttpServerLimitsTest, KeptAliveConnectionWaitsIdleTimeoutNotHeaderTimeout) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.header_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(5);
  HttpServer server(options, OkHandler());
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  ASSERT_EQ(client.Get("/").result_int(), 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // > header_timeout
  EXPECT_EQ(client.Get("/").result_int(), 200);
}

TEST(HttpServerStartTest, PortInUseIsListenFailed) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  HttpServer first(options, [](const HttpRequest&) { return HttpResponse{}; });
  ASSERT_TRUE(first.Start());
  options.port = first.port();
  HttpServer second(options, [](const HttpRequest&) { return HttpResponse{}; });
  auto started = second.Start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(started.error().problem_code, "listen_failed");
}

TEST(HttpServerStartTest, BadOptionsAreInvalid) {
  HttpServerOptions options;
  options.port = 0;
  options.address = "localhost";  // not an IP literal
  HttpServer server(options, [](const HttpRequest&) { return HttpResponse{}; });
  auto started = server.Start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().problem_code, "invalid_options");

  HttpServerOptions no_handlers;
  no_handlers.port = 0;
  no_handlers.handler_threads = 0;
  HttpServer other(no_handlers, [](const HttpRequest&) { return HttpResponse{}; });
  auto other_started = other.Start();
  ASSERT_FALSE(other_started);
  EXPECT_EQ(other_started.error().problem_code, "invalid_options");
}

TEST(HttpServerStartTest, ShutdownWithoutStartIsHarmless) {
  HttpServer server(HttpServerOptions{}, [](const HttpRequest&) { return HttpResponse{}; });
  server.Shutdown();
  server.Shutdown();
}

}  // namespace
}  // namespace simexit::api::http_test

namespace simexit::api::http_test {
namespace {

HttpHandler RemoteAddressHandler() {
  return [](const HttpRequest& request) {
    HttpResponse response;
    response.content_type = "text/plain";
    response.body = request.remote_address;
    return response;
  };
}

TEST(HttpServerProxyTest, ATrustedProxysLastForwardedHopIsTheClient) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.trusted_proxies = {"127.0.0.1"};
  options.rate_per_address = {.per_second = 0.01, .burst = 2};
  HttpServer server(options, RemoteAddressHandler());
  ASSERT_TRUE(server.Start());
  const auto remote = [&](const std::string& headers) {
    Client client(server.port());
    return client.Get("/", headers);
  };
  // Only the last hop counts: the proxy appended it, the rest is the client's word.
  EXPECT_EQ(remote("X-Forwarded-For: 198.51.100.1, 203.0.113.9\r\n").body(), "203.0.113.9");
  EXPECT_EQ(remote("X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-For:  2001:DB8::7 \r\n").body(),
            "2001:db8::7");
  // Per-address rates count the forwarded address (a burst of 2).
  EXPECT_EQ(remote("X-Forwarded-For: 203.0.113.9\r\n").result_int(), 200);
  EXPECT_EQ(remote("X-Forwarded-For: 203.0.113.9\r\n").result_int(), 429);
  EXPECT_EQ(remote("X-Forwarded-For: 203.0.113.10\r\n").body(), "203.0.113.10");
  // A last hop that is not an IP address: the proxy itself.
  EXPECT_EQ(remote("X-Forwarded-For: 198.51.100.2, unknown\r\n").body(), "127.0.0.1");
}

TEST(HttpServerProxyTest, OtherPeersCannotClaimAnAddress) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.trusted_proxies = {"192.0.2.1"};
  HttpServer server(options, RemoteAddressHandler());
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  EXPECT_EQ(client.Get("/", "X-Forwarded-For: 203.0.113.9\r\n").body(), "127.0.0.1");
}

HttpHandler HttpsHandler() {
  return [](const HttpRequest& request) {
    HttpResponse response;
    response.content_type = "text/plain";
    response.body = request.https ? "https" : "http";
    return response;
  };
}

TEST(HttpServerProxyTest, OnlyATrustedProxySaysTheClientCameOverHttps) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.trusted_proxies = {"127.0.0.1"};
  HttpServer server(options, HttpsHandler());
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  EXPECT_EQ(client.Get("/", "X-Forwarded-Proto: https\r\n").body(), "https");
  EXPECT_EQ(client.Get("/", "X-Forwarded-Proto: http\r\n").body(), "http");
  EXPECT_EQ(client.Get("/").body(), "http");
}

TEST(HttpServerProxyTest, AnyOtherPeersForwardedProtoIsIgnored) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.trusted_proxies = {"192.0.2.1"};
  HttpServer server(options, HttpsHandler());
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  EXPECT_EQ(client.Get("/", "X-Forwarded-Proto: https\r\n").body(), "http");
}

TEST(HttpServerProxyTest, AnHttpsPublicUrlMeansHttpsWhateverTheHeaders) {
  HttpServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.public_https = true;
  HttpServer server(options, HttpsHandler());
  ASSERT_TRUE(server.Start());
  Client client(server.port());
  EXPECT_EQ(client.Get("/").body(), "https");
  EXPECT_EQ(client.Get("/", "X-Forwarded-Proto: http\r\n").body(), "https");
}

TEST(HttpServerProxyTest, TrustedProxiesMustBeCanonicalAddresses) {
  for (const char* proxy : {"localhost", "::FFFF:127.0.0.1", "10.0.0.0/8", ""}) {
    HttpServerOptions options;
    options.port = 0;
    options.trusted_proxies = {proxy};
    HttpServer server(options, RemoteAddressHandler());
    Result<void> started = server.Start();
    ASSERT_FALSE(started) << proxy;
    EXPECT_EQ(started.error().problem_code, "invalid_options");
  }
}

}  // namespace
}  // namespace simexit::api::http_test
