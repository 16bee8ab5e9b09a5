// Tests of OsmoHlrCtrl.
//   FakeCtrl*:  against a scripted in-process CTRL server (fake_ctrl_server.hpp) on an
//               ephemeral 127.0.0.1 port (always run): id matching, timeouts, lost
//               connections, reconnects, refused connections, IPA PING.
//   The tests against a real osmo-hlr are in osmo_hlr_ctrl_peertest.cpp.
#include "simexit/adapters/osmocom/osmo_hlr_ctrl.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "simexit/adapters/osmocom/ipa_frame.hpp"
#include "simexit/testing/fake_ctrl_server.hpp"

namespace simexit {
namespace {

using namespace std::chrono_literals;
using fake_ctrl::ClosedPort;
using fake_ctrl::FakeCtrlServer;
using fake_ctrl::FakePeer;
using fake_ctrl::Request;
using fake_ctrl::SplitRequest;

OsmoHlrCtrlOptions FakeOptions(std::uint16_t port, std::chrono::milliseconds timeout = 5000ms) {
  OsmoHlrCtrlOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.request_timeout = timeout;
  return options;
}

TEST(FakeCtrl, MatchesRepliesById) {
  constexpr int kCallers = 3;
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    std::vector<Request> requests;
    requests.reserve(kCallers);

    for (int i = 0; i < kCallers; ++i) {
      requests.push_back(SplitRequest(peer.ReadCtrl()));
    }
    // Answer in reverse order; each value names the variable it belongs to.
    for (auto it = requests.rbegin(); it != requests.rend(); ++it) {
      peer.WriteCtrl("GET_REPLY " + it->id + " " + it->variable + " value-of-" + it->variable);
    }
    peer.ReadCtrl();  // until the client disconnects
  });
  OsmoHlrCtrl hlr(FakeOptions(server.port()));
  std::vector<std::thread> callers;
  std::vector<Result<std::string>> results(kCallers, Fail(ErrorCode::kInternal, "unset", ""));
  callers.reserve(kCallers);

  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back(
        [&, i] { results[static_cast<std::size_t>(i)] = hlr.Get("v" + std::to_string(i)); });
  }
  for (auto& caller : callers) {
    caller.join();
  }
  for (int i = 0; i < kCallers; ++i) {
    const auto& result = results[static_cast<std::size_t>(i)];
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(*result, "value-of-v" + std::to_string(i));
  }
}

TEST(FakeCtrl, MapsErrorRepliesAndChecksTheReplyKind) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    auto a = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("ERROR " + a.id + " Subscriber already exists.");
    auto b = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("GET_REPLY " + b.id + " " + b.variable + " 1");  // wrong kind for a SET
    auto c = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("SET_REPLY " + c.id + " " + c.variable + " OK");
    peer.ReadCtrl();
  });
  OsmoHlrCtrl hlr(FakeOptions(server.port()));
  auto exists = hlr.Set("subscriber.create", "901700000000001");
  ASSERT_FALSE(exists.has_value());
  EXPECT_EQ(exists.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(exists.error().problem_code, "hlr_subscriber_exists");
  auto wrong_kind = hlr.Set("subscriber.create", "901700000000001");
  ASSERT_FALSE(wrong_kind.has_value());
  EXPECT_EQ(wrong_kind.error().code, ErrorCode::kInternal);
  EXPECT_EQ(wrong_kind.error().problem_code, "hlr_error");
  auto ok = hlr.Set("subscriber.by-imsi-901700000000001.msisdn", "77011234567");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(*ok, "OK");
}

TEST(FakeCtrl, BadRequestIsNotSent) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    auto request = SplitRequest(peer.ReadCtrl());
    EXPECT_EQ(request.variable, "good");
    peer.WriteCtrl("GET_REPLY " + request.id + " good 1");
    peer.ReadCtrl();
  });
  OsmoHlrCtrl hlr(FakeOptions(server.port()));
  auto bad = hlr.Set("bad variable", "1");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().problem_code, "ctrl_bad_request");
  EXPECT_TRUE(hlr.Get("good").has_value());
}

TEST(FakeCtrl, ClosedPortIsUnavailable) {
  OsmoHlrCtrl hlr(FakeOptions(ClosedPort()));
  const auto start = std::chrono::steady_clock::now();
  auto imsi = Imsi::Parse("901700000000001");
  ASSERT_TRUE(imsi.has_value());
  auto result = hlr.Lookup(*imsi);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().problem_code, "hlr_unavailable");
  EXPECT_NE(result.error().message.find("cannot connect"), std::string::npos)
      << result.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // refused, not timed out
  auto again = hlr.Remove(*imsi);  // still nobody there: fails the same way
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kUnavailable);
}

TEST(FakeCtrl, SilentServerTimesOut) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    peer.ReadCtrl();  // never answers
    peer.ReadCtrl();  // returns when the client drops the connection
  });
  OsmoHlrCtrl hlr(FakeOptions(server.port(), 300ms));
  const auto start = std::chrono::steady_clock::now();
  auto result = hlr.Get("x");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(result.error().problem_code, "hlr_unavailable");
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 3s);
}

TEST(FakeCtrl, LostConnectionFailsOutstandingCallsAndTheNextCallReconnects) {
  std::atomic<int> accepted{0};
  FakeCtrlServer server(2, [&](FakePeer& peer, int connection) {
    ++accepted;
    if (connection == 0) {
      peer.ReadCtrl();
      peer.Close();  // drop the request without an answer
      return;
    }
    auto request = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("GET_REPLY " + request.id + " " + request.variable + " back");
    peer.ReadCtrl();
  });
  OsmoHlrCtrl hlr(FakeOptions(server.port(), 5000ms));
  const auto start = std::chrono::steady_clock::now();
  auto lost = hlr.Get("x");
  ASSERT_FALSE(lost.has_value());
  EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(lost.error().problem_code, "hlr_unavailable");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);  // not the 5 s timeout
  auto back = hlr.Get("y");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, "back");
  EXPECT_EQ(accepted.load(), 2);
}

TEST(FakeCtrl, AnswersIpaPingWithPong) {
  std::string ccm;
  FakeCtrlServer server(1, [&](FakePeer& peer, int) {
    auto request = SplitRequest(peer.ReadCtrl());
    peer.WriteRaw(osmo::EncodeCcmFrame(osmo::kIpaCcmPing));
    ccm = peer.ReadCcm();
    peer.WriteCtrl("GET_REPLY " + request.id + " " + request.variable + " 1");
    peer.ReadCtrl();
  });
  {
    OsmoHlrCtrl hlr(FakeOptions(server.port()));
    auto result = hlr.Get("x");
    ASSERT_TRUE(result.has_value()) << result.error().message;
  }
  EXPECT_EQ(ccm, std::string(1, static_cast<char>(osmo::kIpaCcmPong)));
}

TEST(FakeCtrl, GarbageFromThePeerIsUnavailable) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    peer.ReadCtrl();
    peer.WriteRaw(std::string("\x00\x03\x42xyz", 6));  // unknown IPA proto
    peer.ReadCtrl();
  });
  OsmoHlrCtrl hlr(FakeOptions(server.port()));
  auto result = hlr.Get("x");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(result.error().message.find("protocol error"), std::string::npos)
      << result.error().message;
}

TEST(FakeCtrl, LookupParsesInfoAndRejectsInfoWithoutFlags) {
  FakeCtrlServer server(1, [](FakePeer& peer, int) {
    auto a = SplitRequest(peer.ReadCtrl());
    EXPECT_EQ(a.variable, "subscriber.by-imsi-901700000000001.info");
    peer.WriteCtrl("GET_REPLY " + a.id + " " + a.variable +
                   " \nid\t1\nimsi\t901700000000001\nnam_cs\t0\nnam_ps\t1\nlmsi\t00000000");
    auto b = SplitRequest(peer.ReadCtrl());
    peer.WriteCtrl("GET_REPLY " + b.id + " " + b.variable + " \nid\t1\nnam_cs\t1");
    peer.ReadCtrl();
  });
  OsmoHlrCtrl hlr(FakeOptions(server.port()));
  auto imsi = *Imsi::Parse("901700000000001");
  auto subscriber = hlr.Lookup(imsi);
  ASSERT_TRUE(subscriber.has_value()) << subscriber.error().message;
  EXPECT_EQ(subscriber->imsi, "901700000000001");
  EXPECT_EQ(subscriber->msisdn, "");  // osmo-hlr omits msisdn when none is set
  EXPECT_FALSE(subscriber->cs_enabled);
  EXPECT_TRUE(subscriber->ps_enabled);
  auto broken = hlr.Lookup(imsi);
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code, ErrorCode::kInternal);
  EXPECT_EQ(broken.error().problem_code, "hlr_error");
}

}  // namespace
}  // namespace simexit
