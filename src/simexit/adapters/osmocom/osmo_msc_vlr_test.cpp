// Tests of OsmoMscVlr.
//   FakeMsc*:  against the scripted CTRL server (fake_ctrl_server.hpp) on an ephemeral
//              127.0.0.1 port (always run): the exact request, each reply mapping.
//   The tests against a real osmo-msc are in osmo_msc_vlr_peertest.cpp.
#include "simexit/adapters/osmocom/osmo_msc_vlr.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>

#include "simexit/testing/fake_ctrl_server.hpp"

namespace simexit {
namespace {

using namespace std::chrono_literals;
using fake_ctrl::ClosedPort;
using fake_ctrl::FakeCtrlServer;
using fake_ctrl::FakePeer;
using fake_ctrl::SplitRequest;

constexpr std::string_view kImsi = "250990000000017";

OsmoMscVlrOptions FakeOptions(std::uint16_t port, std::chrono::milliseconds timeout = 5000ms) {
  OsmoMscVlrOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.request_timeout = timeout;
  return options;
}

Imsi TestImsi() {
  auto imsi = Imsi::Parse(std::string(kImsi));
  EXPECT_TRUE(imsi.has_value());
  return *imsi;
}

void ExpectError(const Error& error, ErrorCode code, const std::string& reason) {
  EXPECT_EQ(error.code, code) << error.message;
  EXPECT_EQ(error.problem_code, reason) << error.message;
}

TEST(FakeMsc, ExpireSendsSubscriberExpireAndAcceptsTheEmptyReply) {
  std::string seen;
  {
    FakeCtrlServer server(1, [&](FakePeer& peer, int) {
      seen = peer.ReadCtrl();
      const auto request = SplitRequest(seen);
      peer.WriteCtrl("SET_REPLY " + request.id + " subscriber-expire ");  // as osmo-msc 1.9
      peer.ReadCtrl();
    });
    OsmoMscVlr vlr(FakeOptions(server.port()));
    auto expired = vlr.Expire(TestImsi());
    ASSERT_TRUE(expired.has_value()) << expired.error().message;
  }
  const auto request = SplitRequest(seen);
  EXPECT_EQ(request.verb, "SET");
  EXPECT_EQ(request.variable, "subscriber-expire");
  EXPECT_EQ(request.value, kImsi);
  EXPECT_EQ(seen, "SET " + request.id + " subscriber-expire " + std::string(kImsi));
}

TEST(FakeMsc, ImsiUnknownIsNotFound) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    const auto request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("ERROR " + request.id + " IMSI unknown");
    peer.ReadCtrl();
  });
  OsmoMscVlr vlr(FakeOptions(server.port()));
  auto result = vlr.Expire(TestImsi());
  ASSERT_FALSE(result.has_value());
  ExpectError(result.error(), ErrorCode::kNotFound, "vlr_unknown_subscriber");
  EXPECT_EQ(result.error().message, "osmo-msc: IMSI unknown");
}

TEST(FakeMsc, OtherErrorTextIsInternalWithTheText) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    auto request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("ERROR " + request.id + " VLR not initialized");
    request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("ERROR " + request.id + " Command not found");  // MSC without the command
    request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("ERROR " + request.id + " IMSI unknown.");  // text match is exact
    peer.ReadCtrl();
  });
  OsmoMscVlr vlr(FakeOptions(server.port()));
  auto vlr_missing = vlr.Expire(TestImsi());
  ASSERT_FALSE(vlr_missing.has_value());
  ExpectError(vlr_missing.error(), ErrorCode::kInternal, "msc_error");
  EXPECT_EQ(vlr_missing.error().message, "osmo-msc: VLR not initialized");
  auto no_command = vlr.Expire(TestImsi());
  ASSERT_FALSE(no_command.has_value());
  ExpectError(no_command.error(), ErrorCode::kInternal, "msc_error");
  EXPECT_EQ(no_command.error().message, "osmo-msc: Command not found");
  auto near_miss = vlr.Expire(TestImsi());
  ASSERT_FALSE(near_miss.has_value());
  ExpectError(near_miss.error(), ErrorCode::kInternal, "msc_error");
}

TEST(FakeMsc, ReplyOfTheWrongKindIsInternal) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    auto request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("GET_REPLY " + request.id + " subscriber-expire ");
    request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("SET_REPLY " + request.id + " subscriber-list-active-v1 ");
    peer.ReadCtrl();
  });
  OsmoMscVlr vlr(FakeOptions(server.port()));
  auto get_reply = vlr.Expire(TestImsi());
  ASSERT_FALSE(get_reply.has_value());
  ExpectError(get_reply.error(), ErrorCode::kInternal, "msc_error");
  auto other_variable = vlr.Expire(TestImsi());
  ASSERT_FALSE(other_variable.has_value());
  ExpectError(other_variable.error(), ErrorCode::kInternal, "msc_error");
}

TEST(FakeMsc, ClosedPortIsUnavailable) {
  OsmoMscVlr vlr(FakeOptions(ClosedPort()));
  const auto start = std::chrono::steady_clock::now();
  auto result = vlr.Expire(TestImsi());
  ASSERT_FALSE(result.has_value());
  ExpectError(result.error(), ErrorCode::kUnavailable, "msc_unavailable");
  EXPECT_NE(result.error().message.find("osmo-msc CTRL 127.0.0.1:"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("cannot connect"), std::string::npos)
      << result.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // refused, not timed out
}

TEST(FakeMsc, SilentMscTimesOutAndLostConnectionIsUnavailable) {
  FakeCtrlServer server(2, [](FakePeer& peer, int connection) {
    peer.ReadCtrl();  // never answers
    if (connection == 1) {
      peer.Close();  // second connection: hang up instead
      return;
    }
    peer.ReadCtrl();  // until the client drops the connection
  });
  OsmoMscVlr vlr(FakeOptions(server.port(), 300ms));
  const auto start = std::chrono::steady_clock::now();
  auto silent = vlr.Expire(TestImsi());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  ASSERT_FALSE(silent.has_value());
  ExpectError(silent.error(), ErrorCode::kUnavailable, "msc_unavailable");
  auto hung_up = vlr.Expire(TestImsi());  // reconnects; the peer closes
  ASSERT_FALSE(hung_up.has_value());
  ExpectError(hung_up.error(), ErrorCode::kUnavailable, "msc_unavailable");
}

}  // namespace
}  // namespace simexit
