// Tests of OsmoHlrCtrl.
//   FakeCtrl*:  against a scripted in-process CTRL server (fake_ctrl_server.hpp) on an
//               ephemeral 127.0.0.1 port (always run): id matching, timeouts, lost
//               connections, reconnects, refused connections, IPA PING.
//   OsmoHlr*:   against a real osmo-hlr, only when SIMEXIT_TEST_OSMO_HLR_CTRL=host:port
//               is set (tests/support/run_msc_tests.sh does that in a private netns).
#include "simexit/adapters/osmocom/osmo_hlr_ctrl.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "simexit/adapters/osmocom/fake_ctrl_server.hpp"
#include "simexit/adapters/osmocom/ipa_frame.hpp"

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
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] { results[static_cast<std::size_t>(i)] = hlr.Get("v" +
                                                                std::to_string(i)); });
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
  EXPECT_EQ(exists.error().reason, "hlr_subscriber_exists");
  auto wrong_kind = hlr.Set("subscriber.create", "901700000000001");
  ASSERT_FALSE(wrong_kind.has_value());
  EXPECT_EQ(wrong_kind.error().code, ErrorCode::kInternal);
  EXPECT_EQ(wrong_kind.error().reason, "hlr_error");
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
  EXPECT_EQ(bad.error().reason, "ctrl_bad_request");
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
  EXPECT_EQ(result.error().reason, "hlr_unavailable");
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
  EXPECT_EQ(result.error().reason, "hlr_unavailable");
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
  EXPECT_EQ(lost.error().reason, "hlr_unavailable");
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
  EXPECT_EQ(broken.error().reason, "hlr_error");
}

// ------------------------------------------------------- real osmo-hlr

class OsmoHlr : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* target = std::getenv("SIMEXIT_TEST_OSMO_HLR_CTRL");
    if (target == nullptr || *target == '\0') {
      GTEST_SKIP() << "SIMEXIT_TEST_OSMO_HLR_CTRL (host:port) is not set; "
                      "run tests/support/run_msc_tests.sh for the osmo-hlr tests";
    }
    const std::string text(target);
    const auto colon = text.rfind(':');
    ASSERT_NE(colon, std::string::npos) << "SIMEXIT_TEST_OSMO_HLR_CTRL must be host:port";
    options_.host = text.substr(0, colon);
    options_.port = static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1)));
    options_.request_timeout = 5000ms;
    hlr_ = std::make_unique<OsmoHlrCtrl>(options_);
  }

  // IMSIs and MSISDNs unique within this process and unlikely to clash with
  // another run against the same HLR.
  static std::string Unique(int width) {
    static std::atomic<std::uint64_t> counter{0};
    static const std::uint64_t base = static_cast<std::uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count() / 1000);
    std::string digits = std::to_string((base + counter.fetch_add(1) * 7919) % 10000000000ULL);
    digits.insert(0, static_cast<std::size_t>(width) - std::min<std::size_t>(
                                                            digits.size(),
                                                            static_cast<std::size_t>(width)),
                  '0');
    return digits.substr(digits.size() - static_cast<std::size_t>(width));
  }
  static Imsi NewImsi() { return *Imsi::Parse("90170" + Unique(10)); }
  static Msisdn NewMsisdn() { return *Msisdn::Parse("+7701" + Unique(7)); }

  OsmoHlrCtrlOptions options_;
  std::unique_ptr<OsmoHlrCtrl> hlr_;
};

void ExpectError(const Error& error, ErrorCode code, const std::string& reason) {
  EXPECT_EQ(error.code, code) << error.message;
  EXPECT_EQ(error.reason, reason) << error.message;
}

TEST_F(OsmoHlr, ProvisionLookupBarRemove) {
  const Imsi imsi = NewImsi();
  const Msisdn msisdn = NewMsisdn();
  auto provisioned = hlr_->Provision(imsi, msisdn);
  ASSERT_TRUE(provisioned.has_value()) << provisioned.error().message;

  auto found = hlr_->Lookup(imsi);
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_EQ(found->imsi, imsi.digits());
  EXPECT_EQ(found->msisdn, msisdn.digits());
  EXPECT_TRUE(found->cs_enabled);
  EXPECT_TRUE(found->ps_enabled);

  auto barred = hlr_->Bar(imsi);
  ASSERT_TRUE(barred.has_value()) << barred.error().message;
  auto after_bar = hlr_->Lookup(imsi);
  ASSERT_TRUE(after_bar.has_value()) << after_bar.error().message;
  EXPECT_FALSE(after_bar->cs_enabled);
  EXPECT_FALSE(after_bar->ps_enabled);
  EXPECT_EQ(after_bar->msisdn, msisdn.digits());
  EXPECT_EQ(*hlr_->Get("subscriber.by-imsi-" + imsi.digits() + ".cs-enabled"), "0");
  EXPECT_EQ(*hlr_->Get("subscriber.by-imsi-" + imsi.digits() + ".ps-enabled"), "0");
  EXPECT_TRUE(hlr_->Bar(imsi).has_value());  // barring twice is fine

  auto removed = hlr_->Remove(imsi);
  ASSERT_TRUE(removed.has_value()) << removed.error().message;
  auto gone = hlr_->Lookup(imsi);
  ASSERT_FALSE(gone.has_value());
  ExpectError(gone.error(), ErrorCode::kNotFound, "hlr_unknown_subscriber");
  auto removed_again = hlr_->Remove(imsi);
  ASSERT_FALSE(removed_again.has_value());
  ExpectError(removed_again.error(), ErrorCode::kNotFound, "hlr_unknown_subscriber");
  auto barred_missing = hlr_->Bar(imsi);
  ASSERT_FALSE(barred_missing.has_value());
  ExpectError(barred_missing.error(), ErrorCode::kNotFound, "hlr_unknown_subscriber");
}

TEST_F(OsmoHlr, ProvisionTwiceIsAlreadyExists) {
  const Imsi imsi = NewImsi();
  ASSERT_TRUE(hlr_->Provision(imsi, NewMsisdn()).has_value());
  auto twice = hlr_->Provision(imsi, NewMsisdn());
  ASSERT_FALSE(twice.has_value());
  ExpectError(twice.error(), ErrorCode::kAlreadyExists, "hlr_subscriber_exists");
  EXPECT_TRUE(hlr_->Remove(imsi).has_value());
}

TEST_F(OsmoHlr, MsisdnTakenByAnotherSubscriberRollsBackTheCreate) {
  const Imsi first = NewImsi();
  const Imsi second = NewImsi();
  const Msisdn shared = NewMsisdn();
  ASSERT_TRUE(hlr_->Provision(first, shared).has_value());
  auto clash = hlr_->Provision(second, shared);
  ASSERT_FALSE(clash.has_value());
  ExpectError(clash.error(), ErrorCode::kInternal, "hlr_error");
  EXPECT_EQ(clash.error().message, "osmo-hlr: Update MSISDN failed");
  auto rolled_back = hlr_->Lookup(second);
  ASSERT_FALSE(rolled_back.has_value());
  ExpectError(rolled_back.error(), ErrorCode::kNotFound, "hlr_unknown_subscriber");
  EXPECT_TRUE(hlr_->Remove(first).has_value());
}

TEST_F(OsmoHlr, RejectedValuesAreInvalidArgument) {
  // Imsi::Parse only lets valid IMSIs through, so use the raw CTRL calls.
  auto bad_imsi = hlr_->Set("subscriber.create", "12345");
  ASSERT_FALSE(bad_imsi.has_value());
  ExpectError(bad_imsi.error(), ErrorCode::kInvalidArgument, "hlr_rejected");
  EXPECT_EQ(bad_imsi.error().message, "osmo-hlr: Invalid IMSI value.");

  auto bad_selector = hlr_->Get("subscriber.by-imsi-12x.info");
  ASSERT_FALSE(bad_selector.has_value());
  ExpectError(bad_selector.error(), ErrorCode::kInvalidArgument, "hlr_rejected");

  const Imsi imsi = NewImsi();
  ASSERT_TRUE(hlr_->Provision(imsi, NewMsisdn()).has_value());
  auto bad_msisdn = hlr_->Set("subscriber.by-imsi-" + imsi.digits() + ".msisdn", "+77011234567");
  ASSERT_FALSE(bad_msisdn.has_value());
  ExpectError(bad_msisdn.error(), ErrorCode::kInvalidArgument, "hlr_rejected");
  EXPECT_EQ(bad_msisdn.error().message, "osmo-hlr: Value failed verification.");
  EXPECT_TRUE(hlr_->Remove(imsi).has_value());
}

TEST_F(OsmoHlr, PsEnabledOnAMissingSubscriberIsTheGenericError) {
  // Why Bar() looks the subscriber up first.
  auto result = hlr_->Set("subscriber.by-imsi-" + NewImsi().digits() + ".ps-enabled", "0");
  ASSERT_FALSE(result.has_value());
  ExpectError(result.error(), ErrorCode::kInternal, "hlr_error");
  EXPECT_EQ(result.error().message, "osmo-hlr: An error has occurred.");
}

TEST_F(OsmoHlr, TwoHundredConcurrentRequestsFromFourThreadsAllMatch) {
  constexpr int kSubscribers = 10;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<Imsi> imsis;
  std::vector<Msisdn> msisdns;
  for (int i = 0; i < kSubscribers; ++i) {
    imsis.push_back(NewImsi());
    msisdns.push_back(NewMsisdn());
    ASSERT_TRUE(hlr_->Provision(imsis.back(), msisdns.back()).has_value());
  }
  const Imsi missing = NewImsi();
  std::atomic<int> correct{0};
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int n = (t * kPerThread + i) % (kSubscribers + 1);
        if (n == kSubscribers) {
          auto result = hlr_->Lookup(missing);
          if (!result.has_value() && result.error().code == ErrorCode::kNotFound) {
            ++correct;
          } else {
            failures[static_cast<std::size_t>(t)] += "missing IMSI found; ";
          }
          continue;
        }
        const auto k = static_cast<std::size_t>(n);
        auto result = hlr_->Lookup(imsis[k]);
        if (result.has_value() && result->imsi == imsis[k].digits() &&
            result->msisdn == msisdns[k].digits()) {
          ++correct;
        } else {
          failures[static_cast<std::size_t>(t)] +=
              result.has_value() ? "wrong subscriber " + result->imsi + "; "
                                 : result.error().message + "; ";
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(correct.load(), kThreads * kPerThread);
  for (const auto& failure : failures) {
    EXPECT_EQ(failure, "");
  }
  for (const auto& imsi : imsis) {
    EXPECT_TRUE(hlr_->Remove(imsi).has_value());
  }
}

TEST_F(OsmoHlr, ClosedPortIsUnavailable) {
  OsmoHlrCtrlOptions options = options_;
  options.port = ClosedPort();
  OsmoHlrCtrl closed(options);
  auto result = closed.Lookup(NewImsi());
  ASSERT_FALSE(result.has_value());
  ExpectError(result.error(), ErrorCode::kUnavailable, "hlr_unavailable");
}

}  // namespace
}  // namespace simexit
