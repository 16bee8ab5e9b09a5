#include "simexit/adapters/smpp/smpp_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "simexit/common/log.hpp"
#include "simexit/testing/fake_smsc.hpp"
#include "simexit/testing/test_bytes.hpp"

namespace simexit::smpp {
namespace {

using std::chrono::milliseconds;
using testing::FakeSmsc;
using ::testing::HasSubstr;
using testing::Hex;
using testing::Str;

SmppOptions OptionsFor(const FakeSmsc& fake) {
  SmppOptions o;
  o.port = fake.port();
  o.system_id = "deregsvc";
  o.password = "secret";
  o.rate_per_second = 1000;
  o.response_timeout = milliseconds(1000);
  o.reconnect_min = milliseconds(50);
  o.reconnect_max = milliseconds(200);
  return o;
}

SmsMessage Otp(std::string text = "Your OTP is 123456") {
  SmsMessage m;
  m.recipient = "+77011234567";
  m.text = std::move(text);
  m.kind = "sign_in_code";
  m.user_message_reference = 0x1234;
  m.want_delivery_report = true;
  return m;
}

bool WaitBound(const SmppClient& client, bool bound = true) {
  return FakeSmsc::WaitFor([&] { return client.status().bound == bound; });
}

TEST(BuildSubmits, AddressesAndFields) {
  SmppOptions o;
  auto s = BuildSubmits(o, Otp(), 9);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->size(), 1u);
  const ShortMessage& m = (*s)[0];
  EXPECT_EQ(m.source, (Address{5, 0, "simexit"}));
  EXPECT_EQ(m.destination, (Address{1, 1, "77011234567"}));
  EXPECT_EQ(m.esm_class, 0);
  EXPECT_EQ(m.registered_delivery, 1);
  EXPECT_EQ(m.data_coding, 0);
  EXPECT_EQ(m.short_message, Str("Your OTP is 123456"));
  ASSERT_EQ(m.tlvs.size(), 1u);
  EXPECT_EQ(m.tlvs[0], (Tlv{0x0204, {0x12, 0x34}}));

  o.source_addr = "+7700";
  o.registered_delivery = false;
  auto numeric = BuildSubmits(o, Otp(), 9);
  ASSERT_TRUE(numeric);
  EXPECT_EQ((*numeric)[0].source, (Address{1, 1, "7700"}));
  EXPECT_EQ((*numeric)[0].registered_delivery, 0);

  auto bad_to = Otp();
  bad_to.recipient = "+7701abc";
  EXPECT_EQ(BuildSubmits(o, bad_to, 1).error().problem_code, "invalid_recipient");
  EXPECT_EQ(BuildSubmits(o, Otp(""), 1).error().problem_code, "invalid_text");
  EXPECT_EQ(BuildSubmits(o, Otp("\xFF"), 1).error().problem_code, "invalid_text");
}

TEST(BuildSubmits, LongUcs2TextGetsUdhAndEsmClass) {
  std::string text;
  for (int i = 0; i < 71; ++i) {
    text += "\u04D9";
  }
  auto s = BuildSubmits(SmppOptions{}, Otp(text), 0x42);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ((*s)[0].esm_class, 0x40);
  EXPECT_EQ((*s)[0].data_coding, 8);
  EXPECT_EQ(
      std::vector<std::uint8_t>((*s)[1].short_message.begin(), (*s)[1].short_message.begin() + 8),
      Hex("05 00 03 42 02 02 04 D9"));
}

TEST(DeliveryStateFromStat, Mapping) {
  EXPECT_EQ(DeliveryStateFromStat("DELIVRD"), DeliveryState::kDelivered);
  EXPECT_EQ(DeliveryStateFromStat("EXPIRED"), DeliveryState::kExpired);
  EXPECT_EQ(DeliveryStateFromStat("UNDELIV"), DeliveryState::kFailed);
  EXPECT_EQ(DeliveryStateFromStat("REJECTD"), DeliveryState::kFailed);
  EXPECT_EQ(DeliveryStateFromStat("DELETED"), DeliveryState::kFailed);
  EXPECT_EQ(DeliveryStateFromStat("ACCEPTD"), DeliveryState::kUnknown);
  EXPECT_EQ(DeliveryStateFromStat(""), DeliveryState::kUnknown);
}

TEST(SmppClient, BindsAndSubmits) {
  FakeSmsc fake;
  SmppClient client(OptionsFor(fake));
  EXPECT_EQ(client.Describe(), "SMPP 3.4 ESME deregsvc@127.0.0.1:" + std::to_string(fake.port()));
  // Send waits for the bind in progress.
  auto sent = client.Send(Otp());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->parts, 1);
  EXPECT_EQ(sent->message_ids, std::vector<std::string>{"fake-1"});
  EXPECT_TRUE(client.status().bound);
  EXPECT_EQ(client.status().last_error, "");
  auto submits = fake.submits();
  ASSERT_EQ(submits.size(), 1u);
  EXPECT_EQ(submits[0].destination.addr, "77011234567");
  EXPECT_EQ(submits[0].registered_delivery, 1);
  EXPECT_EQ(FindTlv(submits[0].tlvs, tlv::kUserMessageReference)->value, Hex("12 34"));
  EXPECT_EQ(fake.bind_attempts(), 1);
}

TEST(SmppClient, UnbindsOnDestruction) {
  FakeSmsc fake;
  {
    SmppClient client(OptionsFor(fake));
    ASSERT_TRUE(WaitBound(client));
  }
  EXPECT_EQ(fake.unbinds(), 1);
}

TEST(SmppClient, BindRejectedIsReportedLoggedAndRetried) {
  std::mutex log_mutex;
  std::vector<std::string> lines;
  SetLogSinkForTesting([&](std::string_view line) {
    std::lock_guard lock(log_mutex);
    lines.emplace_back(line);
  });
  FakeSmsc fake;
  fake.SetPassword("other");
  SmppClient client(OptionsFor(fake));
  ASSERT_TRUE(FakeSmsc::WaitFor([&] { return fake.bind_attempts() >= 2; }));
  auto status = client.status();
  EXPECT_FALSE(status.bound);
  EXPECT_EQ(status.last_error, "bind rejected: ESME_RINVPASWD (invalid password)");
  auto sent = client.Send(Otp());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(sent.error().problem_code, "smsc_not_bound");
  EXPECT_THAT(sent.error().message, HasSubstr("bind rejected: ESME_RINVPASWD (invalid password)"));
  EXPECT_TRUE(fake.submits().empty());
  {
    std::lock_guard lock(log_mutex);
    bool found = false;
    for (const auto& line : lines) {
      if (line.find("\"level\":\"error\"") != std::string::npos &&
          line.find("ESME_RINVPASWD") != std::string::npos) {
        found = true;
      }
      EXPECT_EQ(line.find("secret"), std::string::npos) << line;
    }
    EXPECT_TRUE(found);
  }
  // The password is fixed on the SMSC side: the back-off retry binds.
  fake.SetPassword("secret");
  ASSERT_TRUE(WaitBound(client));
  EXPECT_TRUE(client.Send(Otp()));
  SetLogSinkForTesting({});
}

TEST(SmppClient, NotBoundWhenNothingListens) {
  std::uint16_t port = 0;
  {
    FakeSmsc fake;
    port = fake.port();
  }
  SmppOptions o;
  o.port = port;
  o.response_timeout = milliseconds(300);
  SmppClient client(o);
  auto sent = client.Send(Otp());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().problem_code, "smsc_not_bound");
  EXPECT_THAT(sent.error().message, HasSubstr("connect failed"));
  EXPECT_FALSE(client.status().bound);
}

TEST(SmppClient, ThrottledThenOk) {
  FakeSmsc fake;
  fake.QueueSubmitStatuses({status::kThrottled, status::kMsgQFul});
  SmppClient client(OptionsFor(fake));
  auto first = client.Send(Otp());
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(first.error().problem_code, "smsc_busy");
  EXPECT_THAT(first.error().message, HasSubstr("ESME_RTHROTTLED"));
  auto second = client.Send(Otp());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().problem_code, "smsc_busy");
  EXPECT_THAT(second.error().message, HasSubstr("ESME_RMSGQFUL"));
  EXPECT_TRUE(client.Send(Otp()));
}

TEST(SmppClient, StatusMapping) {
  FakeSmsc fake;
  fake.QueueSubmitStatuses({status::kInvDstAdr, status::kSysErr, status::kUnknownErr});
  SmppClient client(OptionsFor(fake));
  auto rejected = client.Send(Otp());
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(rejected.error().problem_code, "sms_rejected");
  EXPECT_THAT(rejected.error().message,
              HasSubstr("ESME_RINVDSTADR (invalid destination address) for part 1/1"));
  auto syserr = client.Send(Otp());
  ASSERT_FALSE(syserr);
  EXPECT_EQ(syserr.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(syserr.error().problem_code, "smsc_temporary_error");
  auto unknown = client.Send(Otp());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().problem_code, "sms_rejected");
  EXPECT_THAT(unknown.error().message, HasSubstr("ESME_RUNKNOWNERR"));
}

TEST(SmppClient, TimeoutThenTheSessionStillWorks) {
  FakeSmsc fake;
  fake.QueueSubmitStatuses({FakeSmsc::kNoResponse});
  auto o = OptionsFor(fake);
  o.response_timeout = milliseconds(300);
  SmppClient client(o);
  ASSERT_TRUE(WaitBound(client));
  const auto start = std::chrono::steady_clock::now();
  auto sent = client.Send(Otp());
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(sent.error().problem_code, "smsc_timeout");
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(290));
  EXPECT_TRUE(client.Send(Otp()));
}

TEST(SmppClient, ReconnectsAfterTheConnectionDrops) {
  FakeSmsc fake;
  SmppClient client(OptionsFor(fake));
  ASSERT_TRUE(client.Send(Otp()));
  fake.DropConnections();
  ASSERT_TRUE(FakeSmsc::WaitFor([&] { return fake.binds_ok() >= 2; }));
  ASSERT_TRUE(WaitBound(client));
  auto sent = client.Send(Otp());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(fake.submits().size(), 2u);
}

TEST(SmppClient, DropWithSubmitsOutstandingFailsThem) {
  FakeSmsc fake;
  fake.QueueSubmitStatuses({FakeSmsc::kNoResponse});
  auto o = OptionsFor(fake);
  o.response_timeout = milliseconds(3000);
  SmppClient client(o);
  ASSERT_TRUE(WaitBound(client));
  std::thread dropper([&] {
    FakeSmsc::WaitFor([&] { return !fake.submits().empty(); });
    fake.DropConnections();
  });
  auto sent = client.Send(Otp());
  dropper.join();
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().problem_code, "smsc_connection_lost");
  // The session comes back by itself. (Its status may still read "bound" for
  // a moment after the failed send, so wait for a send to work, not for the
  // status.)
  EXPECT_TRUE(FakeSmsc::WaitFor([&] { return client.Send(Otp()).has_value(); }));
}

TEST(SmppClient, DeliveryReceiptReachesTheHandlerAndIsAnswered) {
  FakeSmsc fake;
  SmppClient client(OptionsFor(fake));
  std::mutex mutex;
  std::vector<DeliveryReport> reports;
  client.SetDeliveryReportHandler([&](const DeliveryReport& r) {
    std::lock_guard lock(mutex);
    reports.push_back(r);
  });
  ASSERT_TRUE(WaitBound(client));
  ShortMessage receipt;
  receipt.service_type = "CMT";
  receipt.source = {3, 1, "77011234567"};
  receipt.destination = {5, 0, "simexit"};
  receipt.esm_class = 0x04;
  receipt.data_coding = 2;
  receipt.short_message =
      Str("id:00000007 sub:000 dlvrd:000 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD "
          "err:000 text:");
  receipt.tlvs = {Uint16Tlv(tlv::kUserMessageReference, 0x0034)};
  ASSERT_TRUE(fake.SendToClient(EncodeShortMessage(command::kDeliverSm, 77, receipt)));

  receipt.short_message = Str("stat:UNDELIV err:001");
  receipt.tlvs = {Tlv{tlv::kReceiptedMessageId, Str("AB12", true)}};
  ASSERT_TRUE(fake.SendToClient(EncodeShortMessage(command::kDeliverSm, 78, receipt)));

  ASSERT_TRUE(FakeSmsc::WaitFor([&] {
    std::lock_guard lock(mutex);
    return reports.size() == 2;
  }));
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(reports[0].message_id, "00000007");
    EXPECT_EQ(reports[0].recipient, "+77011234567");
    EXPECT_EQ(reports[0].user_message_reference, std::optional<std::uint16_t>(0x34));
    EXPECT_EQ(reports[0].state, DeliveryState::kDelivered);
    EXPECT_EQ(reports[0].detail, "stat:DELIVRD err:000");
    EXPECT_EQ(reports[1].message_id, "AB12");
    EXPECT_FALSE(reports[1].user_message_reference.has_value());
    EXPECT_EQ(reports[1].state, DeliveryState::kFailed);
  }
  ASSERT_TRUE(FakeSmsc::WaitFor([&] { return fake.client_responses().size() == 2; }));
  const auto responses = fake.client_responses();
  EXPECT_EQ(responses[0].command_id, command::kDeliverSmResp);
  EXPECT_EQ(responses[0].sequence_number, 77u);
  EXPECT_EQ(responses[0].command_status, 0u);
  EXPECT_EQ(responses[1].sequence_number, 78u);
}

TEST(SmppClient, AnswersEnquireLinkAndIgnoresAlertNotification) {
  FakeSmsc fake;
  SmppClient client(OptionsFor(fake));
  ASSERT_TRUE(WaitBound(client));
  AlertNotification alert;
  alert.source = {1, 1, "77011234567"};
  alert.ms_availability_status = 0;
  ASSERT_TRUE(fake.SendToClient(EncodeAlertNotification(5, alert)));
  ASSERT_TRUE(fake.SendToClient(EncodeHeaderOnly(command::kEnquireLink, 0, 6)));
  ASSERT_TRUE(FakeSmsc::WaitFor([&] { return !fake.client_responses().empty(); }));
  std::this_thread::sleep_for(milliseconds(50));
  const auto responses = fake.client_responses();
  ASSERT_EQ(responses.size(), 1u);  // nothing for the alert_notification
  EXPECT_EQ(responses[0].command_id, command::kEnquireLinkResp);
  EXPECT_EQ(responses[0].sequence_number, 6u);
  EXPECT_TRUE(client.status().bound);
}

TEST(SmppClient, SendsEnquireLinkKeepAlive) {
  FakeSmsc fake;
  auto o = OptionsFor(fake);
  o.enquire_link_interval = std::chrono::seconds(1);
  SmppClient client(o);
  ASSERT_TRUE(WaitBound(client));
  ASSERT_TRUE(FakeSmsc::WaitFor([&] { return fake.enquire_links() >= 1; }, milliseconds(3000)));
  EXPECT_TRUE(client.status().bound);
  EXPECT_EQ(fake.bind_attempts(), 1);
}

TEST(SmppClient, WindowLimitsOutstandingSubmits) {
  FakeSmsc fake;
  fake.SetResponseDelay(milliseconds(60));
  auto o = OptionsFor(fake);
  o.window = 2;
  SmppClient client(o);
  std::string text(153 * 4 + 10, 'a');  // 5 parts
  auto sent = client.Send(Otp(text));
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->parts, 5);
  EXPECT_EQ(sent->message_ids.size(), 5u);
  EXPECT_EQ(fake.max_outstanding(), 2);
  const auto submits = fake.submits();
  ASSERT_EQ(submits.size(), 5u);
  for (std::size_t i = 0; i < submits.size(); ++i) {
    EXPECT_EQ(submits[i].esm_class, 0x40);
    EXPECT_EQ(submits[i].short_message[4], 5);
    EXPECT_EQ(submits[i].short_message[5], i + 1);
  }
  auto seqs = fake.submit_sequences();
  std::sort(seqs.begin(), seqs.end());
  EXPECT_EQ(std::unique(seqs.begin(), seqs.end()), seqs.end());
}

TEST(SmppClient, ConcurrentSendersShareTheWindow) {
  FakeSmsc fake;
  fake.SetResponseDelay(milliseconds(5));
  auto o = OptionsFor(fake);
  o.window = 3;
  SmppClient client(o);
  ASSERT_TRUE(WaitBound(client));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(4);

  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        if (client.Send(Otp())) {
          ++ok;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(fake.submits().size(), 20u);
  EXPECT_LE(fake.max_outstanding(), 3);
}

TEST(SmppClient, RateLimitSpacesSubmits) {
  FakeSmsc fake;
  auto o = OptionsFor(fake);
  o.rate_per_second = 10;  // bucket of 1: one submit per 100 ms
  SmppClient client(o);
  ASSERT_TRUE(WaitBound(client));
  std::string text(153 * 4 + 10, 'b');  // 5 parts
  ASSERT_TRUE(client.Send(Otp(text)));
  const auto times = fake.submit_times();
  ASSERT_EQ(times.size(), 5u);
  EXPECT_GE(times.back() - times.front(), milliseconds(380));
}

// A batch from one thread keeps the window full (a Send at a time could only
// ever have one message outstanding), settles every message exactly once, and
// a message that cannot be encoded fails alone.
TEST(SmppClient, SendBatchKeepsTheWindowFullFromOneThread) {
  FakeSmsc fake;
  fake.SetResponseDelay(milliseconds(5));
  auto o = OptionsFor(fake);
  o.window = 4;
  SmppClient client(o);
  ASSERT_TRUE(WaitBound(client));
  std::vector<SmsMessage> batch(12, Otp());
  batch[5].recipient = "not a number";
  std::vector<int> settled(batch.size(), 0);
  std::vector<std::string> problems(batch.size());
  client.SendBatch(batch, [&](std::size_t i, Result<SmsAccepted> result) {
    ++settled[i];
    problems[i] = result ? "" : result.error().problem_code;
  });
  EXPECT_EQ(settled, std::vector<int>(batch.size(), 1));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ(problems[i], i == 5 ? "invalid_recipient" : "") << i;
  }
  EXPECT_EQ(fake.submits().size(), 11u);
  EXPECT_EQ(fake.max_outstanding(), 4);
}

// The per-SMSC throttle paces a batch like it paces single sends.
TEST(SmppClient, SendBatchKeepsTheRateLimit) {
  FakeSmsc fake;
  auto o = OptionsFor(fake);
  o.rate_per_second = 10;  // bucket of 1: one submit per 100 ms
  SmppClient client(o);
  ASSERT_TRUE(WaitBound(client));
  int ok = 0;
  client.SendBatch(std::vector<SmsMessage>(4, Otp()),
                   [&](std::size_t, Result<SmsAccepted> result) { ok += result ? 1 : 0; });
  EXPECT_EQ(ok, 4);
  const auto times = fake.submit_times();
  ASSERT_EQ(times.size(), 4u);
  EXPECT_GE(times.back() - times.front(), milliseconds(280));
}

}  // namespace
}  // namespace simexit::smpp
