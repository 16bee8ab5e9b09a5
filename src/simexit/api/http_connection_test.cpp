// One connection's limits: body limits and their rules, 413 before the body
// is read, 100-continue.

#include <gtest/gtest.h>

#include <string>

#include "simexit/api/http_server_test_support.hpp"

namespace simexit::api::http_test {
namespace {

// The same fixture under its own suite name (gtest wants one fixture class
// per suite).
class HttpConnectionTest : public HttpServerTest {};

TEST_F(HttpConnectionTest, OversizedBodyIs413AndServerSurvives) {
  {
    Client client(server_->port());
    client.Send("POST /v1/body HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" +
                std::string(100000, 'x'));
    const Response response = client.Receive();
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_EQ(Code(response), "body_too_large");
    EXPECT_FALSE(response.keep_alive());
    EXPECT_EQ(response["X-Request-Id"].size(), 16u);
  }
  Client again(server_->port());
  EXPECT_EQ(again.Get("/v1/echo/alive").result_int(), 200);
}

TEST_F(HttpConnectionTest, BodyAtTheLimitIsAccepted) {
  Client client(server_->port());
  client.Send("POST /v1/body HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" +
              std::string(1024, 'x'));
  const Response response = client.Receive();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "got 1024");
}

std::string Post(const std::string& target, std::size_t size, const std::string& extra = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: t\r\n" + extra +
         "Content-Length: " + std::to_string(size) + "\r\n\r\n" + std::string(size, 'x');
}

TEST_F(HttpConnectionTest, LargerLimitOnlyForAdmittedCredentials) {
  Client anonymous(server_->port());
  anonymous.Send(Post("/v1/members", 2000));
  const Response refused = anonymous.Receive();
  EXPECT_EQ(refused.result_int(), 413);
  EXPECT_EQ(Code(refused), "body_too_large");  // the server's own limit applies
  Client wrong(server_->port());
  wrong.Send(Post("/v1/members", 2000, "Authorization: Bearer someone\r\n"));
  EXPECT_EQ(wrong.Receive().result_int(), 413);
  Client member(server_->port());
  member.Send(Post("/v1/members", 4096, "Authorization: Bearer member\r\n"));
  const Response stored = member.Receive();
  EXPECT_EQ(stored.result_int(), 200);
  EXPECT_EQ(stored.body(), "stored 4096");
}

TEST_F(HttpConnectionTest, UploadRouteHasItsOwnLargerLimit) {
  Client client(server_->port());
  client.Send(Post("/v1/uploads?filename=scan.pdf", 4096));
  const Response upload = client.Receive();
  EXPECT_EQ(upload.result_int(), 200);
  EXPECT_EQ(upload.body(), "stored 4096");
  EXPECT_TRUE(upload.keep_alive());
  // The same size elsewhere is still over the server's limit.
  client.Send(Post("/v1/body", 4096));
  const Response other = client.Receive();
  EXPECT_EQ(other.result_int(), 413);
  EXPECT_EQ(Code(other), "body_too_large");
}

TEST_F(HttpConnectionTest, RuleMatchesMethodAndWholePathSegments) {
  for (const std::string& request :
       {"GET /v1/uploads HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n" +
            std::string(2000, 'x'),
        Post("/v1/uploadsx", 2000), Post("/v1/upload", 2000)}) {
    Client client(server_->port());
    client.Send(request);
    const Response response = client.Receive();
    EXPECT_EQ(response.result_int(), 413) << request.substr(0, 20);
    EXPECT_EQ(Code(response), "body_too_large") << request.substr(0, 20);
  }
  Client below(server_->port());
  below.Send(Post("/v1/uploads/abc/content", 2000));
  EXPECT_EQ(below.Receive().result_int(), 404);  // within the rule's limit: routed
}

TEST_F(HttpConnectionTest, UploadOverItsLimitIs413BeforeTheBodyIsSent) {
  {
    Client client(server_->port());
    // Only the header: the answer must not wait for the body.
    client.Send("POST /v1/uploads HTTP/1.1\r\nHost: t\r\nContent-Length: 4097\r\n\r\n");
    const Response response = client.Receive();
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_EQ(Code(response), "upload_too_large");
    EXPECT_NE(boost::json::parse(response.body()).at("detail").as_string().find("4096"),
              std::string::npos);
    EXPECT_FALSE(response.keep_alive());
  }
  {
    // Over every limit at all (Beast's own check while parsing the header).
    Client client(server_->port());
    client.Send("POST /v1/uploads HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n");
    const Response response = client.Receive();
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_EQ(Code(response), "upload_too_large");
  }
  Client again(server_->port());
  EXPECT_EQ(again.Get("/v1/echo/alive").result_int(), 200);
}

TEST_F(HttpConnectionTest, ChunkedUploadOverItsLimitIs413) {
  Client client(server_->port());
  std::string request =
      "POST /v1/uploads HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) {
    request += "400\r\n" + std::string(1024, 'x') + "\r\n";
  }
  request += "0\r\n\r\n";
  client.Send(request);
  const Response response = client.Receive();
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(Code(response), "upload_too_large");

  Client small(server_->port());
  small.Send(
      "POST /v1/uploads HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "800\r\n" +
      std::string(2048, 'x') + "\r\n0\r\n\r\n");
  const Response ok = small.Receive();
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_EQ(ok.body(), "stored 2048");
}

TEST_F(HttpConnectionTest, ExpectContinueIsAnsweredWhenTheBodyFits) {
  Client client(server_->port());
  client.Send(
      "POST /v1/uploads HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
      "Content-Length: 3000\r\n\r\n");
  const Response go_on = client.Receive();
  EXPECT_EQ(go_on.result_int(), 100);
  client.Send(std::string(3000, 'x'));
  const Response response = client.Receive();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "stored 3000");

  Client too_big(server_->port());
  too_big.Send(
      "POST /v1/uploads HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
      "Content-Length: 5000\r\n\r\n");
  const Response refused = too_big.Receive();
  EXPECT_EQ(refused.result_int(), 413);
  EXPECT_EQ(Code(refused), "upload_too_large");
}

TEST_F(HttpConnectionTest, AdmitHookGetsTheHeadOnlyWhenTheBodyMayNeedIt) {
  Client client(server_->port());
  client.Send(Post("/v1/members", 10, "Authorization: Bearer someone\r\n"));
  EXPECT_EQ(client.Receive().result_int(), 200);  // within body_limit: not asked
  EXPECT_TRUE(admitted_heads_.empty());
  client.Send(Post("/v1/members?x=1", 2000, "Authorization: Bearer member\r\n"));
  EXPECT_EQ(client.Receive().result_int(), 200);
  ASSERT_EQ(admitted_heads_.size(), 1u);
  EXPECT_EQ(admitted_heads_[0].method, "POST");
  EXPECT_EQ(admitted_heads_[0].path, "/v1/members");
  EXPECT_EQ(admitted_heads_[0].Header("authorization"), "Bearer member");
  EXPECT_EQ(admitted_heads_[0].remote_address, "127.0.0.1");
  EXPECT_TRUE(admitted_heads_[0].body.empty());
}

std::string Chunked(const std::string& target, const std::string& chunks) {
  return "POST " + target + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
}

TEST_F(HttpConnectionTest, LongChunkExtensionIs400AndCloses) {
  Client client(server_->port());
  client.Send(Chunked("/v1/body", "5;ext=" + std::string(1000, 'a') + "\r\nhello\r\n0\r\n\r\n"));
  const Response response = client.Receive();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(Code(response), "chunk_extension_too_large");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ServerClosed());

  Client short_extension(server_->port());
  short_extension.Send(Chunked("/v1/body", "5;a=b\r\nhello\r\n0\r\n\r\n"));
  const Response ok = short_extension.Receive();
  EXPECT_EQ(ok.result_int(), 200);
  EXPECT_EQ(ok.body(), "got 5");
}

TEST_F(HttpConnectionTest, ChunkLineOrTrailersBeyondTheReadBufferAre431) {
  // Beast waits for the end of a chunk line or of the trailers however long
  // they get; the connection's buffer cap is what stops them.
  Client extension(server_->port());
  extension.Send(Chunked("/v1/body", "5;ext=" + std::string(100000, 'a')));
  const Response cut = extension.Receive();
  EXPECT_EQ(cut.result_int(), 431);
  EXPECT_EQ(Code(cut), "headers_too_large");

  std::string trailers;
  for (int i = 0; i < 1000; ++i) {
    trailers += "X-T" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
  }
  Client trailer(server_->port());
  trailer.Send(Chunked("/v1/body", "5\r\nhello\r\n0\r\n" + trailers + "\r\n"));
  const Response refused = trailer.Receive();
  EXPECT_EQ(refused.result_int(), 431);
  EXPECT_EQ(Code(refused), "headers_too_large");

  Client again(server_->port());
  EXPECT_EQ(again.Get("/v1/echo/alive").result_int(), 200);
}

TEST_F(HttpConnectionTest, TransferEncodingOtherThanChunkedIs501AndCloses) {
  // Beast would read each of these bodies as the next request: a smuggled
  // "GET /v1/echo/smuggled" must never be answered.
  const std::string smuggled = "GET /v1/echo/smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
  for (const std::string encoding : {"gzip", "chunked, gzip", "identity", "gzip, chunked, gzip"}) {
    Client client(server_->port());
    client.Send("POST /v1/body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + encoding + "\r\n\r\n" +
                smuggled);
    const Response response = client.Receive();
    EXPECT_EQ(response.result_int(), 501) << encoding;
    EXPECT_EQ(Code(response), "unsupported_transfer_encoding") << encoding;
    EXPECT_EQ(boost::json::parse(response.body()).at("request_id").as_string(),
              response["X-Request-Id"])
        << encoding;
    EXPECT_FALSE(response.keep_alive()) << encoding;
    EXPECT_TRUE(client.ServerClosed()) << encoding;
  }
  Client twice(server_->port());
  twice.Send(
      "POST /v1/body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
      smuggled);
  const Response response = twice.Receive();
  EXPECT_EQ(response.result_int(), 501);
  EXPECT_TRUE(twice.ServerClosed());
}

TEST_F(HttpConnectionTest, ContentLengthWithTransferEncodingIs400AndCloses) {
  const std::string smuggled = "GET /v1/echo/smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
  for (const std::string headers : {"Transfer-Encoding: gzip\r\nContent-Length: 3\r\n",
                                    "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
                                    "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"}) {
    Client client(server_->port());
    client.Send("POST /v1/body HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n0\r\n\r\n" + smuggled);
    const Response response = client.Receive();
    EXPECT_EQ(response.result_int(), 400) << headers;
    EXPECT_FALSE(response.keep_alive()) << headers;
    EXPECT_TRUE(client.ServerClosed()) << headers;
  }
}

}  // namespace
}  // namespace simexit::api::http_test
