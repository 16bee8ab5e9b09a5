// Tests of the generic CtrlClient contract (the transport behaviour itself, id
// matching, timeouts, reconnects, PING, is covered through OsmoHlrCtrl in
// osmo_hlr_ctrl_test.cpp): ERROR text passed through verbatim for the caller to map,
// empty values, and error reasons named by reason_prefix.
#include "simexit/adapters/osmocom/ctrl_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "simexit/testing/fake_ctrl_server.hpp"

namespace simexit::osmo {
namespace {

using namespace std::chrono_literals;
using fake_ctrl::ClosedPort;
using fake_ctrl::FakeCtrlServer;
using fake_ctrl::FakePeer;
using fake_ctrl::SplitRequest;

CtrlClientOptions Options(std::uint16_t port) {
  CtrlClientOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.request_timeout = 5000ms;
  options.peer_name = "osmo-test";
  options.reason_prefix = "test";
  return options;
}

TEST(CtrlClient, PassesErrorTextThroughAndReturnsValuesAsSent) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    auto request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("ERROR " + request.id + " Some text, with  two spaces.");
    request = SplitRequest(peer.ReadCtrl());
    EXPECT_EQ(request.verb, "SET");
    EXPECT_EQ(request.value, "a b");
    peer.WriteCtrl("SET_REPLY " + request.id + " " + request.variable + " ");
    request = SplitRequest(peer.ReadCtrl());
    EXPECT_EQ(request.verb, "GET");
    peer.WriteCtrl("GET_REPLY " + request.id + " " + request.variable + " \nx\t1 2");
    request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("GET_REPLY " + request.id + " other.variable 1");
    peer.ReadCtrl();
  });
  CtrlClient client(Options(server.port()));
  auto error = client.Get("some.variable");
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().code, ErrorCode::kInternal);
  EXPECT_EQ(error.error().problem_code, kCtrlErrorReply);
  EXPECT_EQ(error.error().message, "Some text, with  two spaces.");

  auto empty = client.Set("some.variable", "a b");
  ASSERT_TRUE(empty.has_value()) << empty.error().message;
  EXPECT_EQ(*empty, "");

  auto multiline = client.Get("some.variable");
  ASSERT_TRUE(multiline.has_value()) << multiline.error().message;
  EXPECT_EQ(*multiline, "\nx\t1 2");

  auto other = client.Get("some.variable");
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kInternal);
  EXPECT_EQ(other.error().problem_code, "test_error");
}

TEST(CtrlClient, TransportFailuresUseTheReasonPrefixAndPeerName) {
  CtrlClient client(Options(ClosedPort()));
  auto result = client.Set("x", "1");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().problem_code, "test_unavailable");
  EXPECT_EQ(result.error().message.rfind("osmo-test CTRL 127.0.0.1:", 0), 0u)
      << result.error().message;
}

TEST(CtrlClient, BadRequestIsRefusedLocally) {
  CtrlClient client(Options(ClosedPort()));  // would be kUnavailable if it were sent
  auto spaced = client.Get("a b");
  ASSERT_FALSE(spaced.has_value());
  EXPECT_EQ(spaced.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(spaced.error().problem_code, "ctrl_bad_request");
  auto line_break = client.Set("a", "1\n2");
  ASSERT_FALSE(line_break.has_value());
  EXPECT_EQ(line_break.error().problem_code, "ctrl_bad_request");
}

}  // namespace
}  // namespace simexit::osmo
