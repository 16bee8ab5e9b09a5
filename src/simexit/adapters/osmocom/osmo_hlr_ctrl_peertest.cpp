// OsmoHlrCtrl against a real osmo-hlr: SIMEXIT_TEST_OSMO_HLR_CTRL=host:port, set by
// tests/support/run_msc_tests.sh in a private network namespace. Not part of ctest;
// fails (never skips) without its peer. The scripted-server tests are in
// osmo_hlr_ctrl_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "simexit/adapters/osmocom/osmo_hlr_ctrl.hpp"
#include "simexit/testing/fake_ctrl_server.hpp"
#include "simexit/testing/peer_address.hpp"

namespace simexit {
namespace {

using namespace std::chrono_literals;
using fake_ctrl::ClosedPort;

class OsmoHlr : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto peer = testing::PeerAddressFromEnv("SIMEXIT_TEST_OSMO_HLR_CTRL");
    ASSERT_TRUE(peer.has_value()) << testing::MissingPeer("SIMEXIT_TEST_OSMO_HLR_CTRL");
    options_.host = peer->host;
    options_.port = peer->port;
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
    digits.insert(0,
                  static_cast<std::size_t>(width) -
                      std::min<std::size_t>(digits.size(), static_cast<std::size_t>(width)),
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
  EXPECT_EQ(error.problem_code, reason) << error.message;
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
  threads.reserve(kThreads);

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
          failures[static_cast<std::size_t>(t)] += result.has_value()
                                                       ? "wrong subscriber " + result->imsi + "; "
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
