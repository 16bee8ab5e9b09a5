// OsmoMscVlr against a real osmo-msc: SIMEXIT_TEST_MSC_CTRL=host:port, set by
// tests/support/run_msc_tests.sh in a private network namespace. Not part of ctest;
// fails (never skips) without its peer. The scripted-server tests are in
// osmo_msc_vlr_test.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "simexit/adapters/osmocom/osmo_msc_vlr.hpp"
#include "simexit/testing/fake_ctrl_server.hpp"
#include "simexit/testing/peer_address.hpp"

namespace simexit {
namespace {

using namespace std::chrono_literals;
using fake_ctrl::ClosedPort;

void ExpectError(const Error& error, ErrorCode code, const std::string& reason) {
  EXPECT_EQ(error.code, code) << error.message;
  EXPECT_EQ(error.problem_code, reason) << error.message;
}

class OsmoMsc : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto peer = testing::PeerAddressFromEnv("SIMEXIT_TEST_MSC_CTRL");
    ASSERT_TRUE(peer.has_value()) << testing::MissingPeer("SIMEXIT_TEST_MSC_CTRL");
    options_.host = peer->host;
    options_.port = peer->port;
    options_.request_timeout = 5000ms;
    vlr_ = std::make_unique<OsmoMscVlr>(options_);
  }

  OsmoMscVlrOptions options_;
  std::unique_ptr<OsmoMscVlr> vlr_;
};

TEST_F(OsmoMsc, ExpireOfANotAttachedImsiIsNotFound) {
  // Nothing attaches in this test environment: the VLR is empty.
  auto imsi = Imsi::Parse("901709999000001");
  ASSERT_TRUE(imsi.has_value());
  auto result = vlr_->Expire(*imsi);
  ASSERT_FALSE(result.has_value());
  ExpectError(result.error(), ErrorCode::kNotFound, "vlr_unknown_subscriber");
  EXPECT_EQ(result.error().message, "osmo-msc: IMSI unknown");
  auto again = vlr_->Expire(*imsi);  // same connection, same answer
  ASSERT_FALSE(again.has_value());
  ExpectError(again.error(), ErrorCode::kNotFound, "vlr_unknown_subscriber");
}

TEST_F(OsmoMsc, ClosedPortIsUnavailable) {
  OsmoMscVlrOptions options = options_;
  options.port = ClosedPort();
  OsmoMscVlr closed(options);
  auto imsi = Imsi::Parse("901709999000002");
  ASSERT_TRUE(imsi.has_value());
  auto result = closed.Expire(*imsi);
  ASSERT_FALSE(result.has_value());
  ExpectError(result.error(), ErrorCode::kUnavailable, "msc_unavailable");
}

}  // namespace
}  // namespace simexit
