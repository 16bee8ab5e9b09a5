// SmppClient against a real osmo-msc 1.9.0 SMSC at SIMEXIT_TEST_SMPP=host:port
// (tests/support/run_msc_tests.sh sets it, with SIMEXIT_TEST_SMPP_SYSTEM_ID,
// SIMEXIT_TEST_SMPP_PASSWORD and SIMEXIT_TEST_MSC_SMS_DB). Not part of ctest;
// fails (never skips) without its peer. Reads osmo-msc's SMS table read-only to check
// what it stored: data_coding_scheme, user_data septets/octets and the UDH.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <string>
#include <vector>

#include "simexit/adapters/smpp/gsm_encoding.hpp"
#include "simexit/adapters/smpp/smpp_client.hpp"
#include "simexit/testing/fake_smsc.hpp"
#include "simexit/testing/peer_address.hpp"
#include "simexit/testing/test_bytes.hpp"

namespace simexit::smpp {
namespace {

using std::chrono::milliseconds;
using testing::Hex;

struct Row {
  int dcs = -1;
  int ud_hdr_ind = -1;
  int status_rep_req = -1;
  int msg_ref = -1;
  std::string src_addr;
  int src_ton = -1;
  std::vector<std::uint8_t> user_data;
};

class OsmoMscSmpp : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto peer = simexit::testing::PeerAddressFromEnv("SIMEXIT_TEST_SMPP");
    ASSERT_TRUE(peer.has_value()) << simexit::testing::MissingPeer("SIMEXIT_TEST_SMPP");
    options_.host = peer->host;
    options_.port = peer->port;
    options_.system_id = simexit::testing::PeerEnv("SIMEXIT_TEST_SMPP_SYSTEM_ID");
    options_.password = simexit::testing::PeerEnv("SIMEXIT_TEST_SMPP_PASSWORD");
    options_.reconnect_min = milliseconds(100);
    options_.reconnect_max = milliseconds(500);
    db_path_ = simexit::testing::PeerEnv("SIMEXIT_TEST_MSC_SMS_DB");
    ASSERT_FALSE(db_path_.empty()) << "SIMEXIT_TEST_MSC_SMS_DB is not set; run "
                                      "tests/support/run_msc_tests.sh <binary>";
  }

  // A fresh MSISDN per test (4990... is unassigned), so rows never mix.
  static std::string UniqueMsisdn() {
    static int counter = 0;
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    return "+4990" + std::to_string((now / 1000 + ++counter) % 100000000);
  }

  std::vector<Row> Rows(const std::string& msisdn) {
    std::vector<Row> rows;
    if (db_path_.empty()) {
      ADD_FAILURE() << "SIMEXIT_TEST_MSC_SMS_DB not set";
      return rows;
    }
    sqlite3* db = nullptr;
    const std::string uri = "file:" + db_path_ + "?mode=ro";
    if (sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) !=
        SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << db_path_ << ": " << sqlite3_errmsg(db);
      sqlite3_close(db);
      return rows;
    }
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* stmt = nullptr;
    const char* sql =
        "SELECT data_coding_scheme, ud_hdr_ind, status_rep_req, msg_ref, src_addr, src_ton, "
        "user_data FROM SMS WHERE dest_addr = ? ORDER BY id";
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sqlite3_errmsg(db);
      sqlite3_close(db);
      return rows;
    }
    const std::string dest = msisdn.substr(1);
    sqlite3_bind_text(stmt, 1, dest.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      Row r;
      r.dcs = sqlite3_column_int(stmt, 0);
      r.ud_hdr_ind = sqlite3_column_int(stmt, 1);
      r.status_rep_req = sqlite3_column_int(stmt, 2);
      r.msg_ref = sqlite3_column_int(stmt, 3);
      const auto* src = sqlite3_column_text(stmt, 4);
      r.src_addr = src != nullptr ? reinterpret_cast<const char*>(src) : "";
      r.src_ton = sqlite3_column_int(stmt, 5);
      const auto* blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, 6));
      const int size = sqlite3_column_bytes(stmt, 6);
      if (blob != nullptr && size > 0) {
        r.user_data.assign(blob, blob + size);
      }
      rows.push_back(std::move(r));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
  }

  SmsMessage Message(const std::string& to, std::string text) {
    SmsMessage m;
    m.recipient = to;
    m.text = std::move(text);
    m.kind = "test";
    m.user_message_reference = 0x1234;
    m.want_delivery_report = true;
    return m;
  }

  static std::vector<std::uint8_t> Slice(const std::vector<std::uint8_t>& v, std::size_t from,
                                         std::size_t n) {
    return std::vector<std::uint8_t>(v.begin() + static_cast<std::ptrdiff_t>(from),
                                     v.begin() + static_cast<std::ptrdiff_t>(from + n));
  }

  SmppOptions options_;
  std::string db_path_;
};

TEST_F(OsmoMscSmpp, SevenBitTextIsStoredAsGsmSeptets) {
  SmppClient client(options_);
  const std::string to = UniqueMsisdn();
  const std::string text = "Code 123456 @home \u20AC5 [ok] {x}";
  auto sent = client.Send(Message(to, text));
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_TRUE(client.status().bound);
  EXPECT_EQ(sent->message_ids, std::vector<std::string>{"msg_id_not_implemented"});
  const auto rows = Rows(to);
  ASSERT_EQ(rows.size(), 1u);
  const auto expected = EncodeText(text);
  ASSERT_TRUE(expected);
  EXPECT_EQ(rows[0].dcs, 0);
  EXPECT_EQ(rows[0].ud_hdr_ind, 0);
  EXPECT_EQ(rows[0].status_rep_req, 1);
  EXPECT_EQ(rows[0].src_addr, "simexit");
  EXPECT_EQ(rows[0].src_ton, 5);
  EXPECT_EQ(UnpackSeptets(rows[0].user_data, expected->units.size()), expected->units);
  EXPECT_EQ(DecodeGsm7(UnpackSeptets(rows[0].user_data, expected->units.size())), text);
}

TEST_F(OsmoMscSmpp, KazakhTextIsStoredAsUcs2) {
  SmppClient client(options_);
  const std::string to = UniqueMsisdn();
  const std::string text = "\u04D9\u0493\u049B\u04A3\u04E9\u04B1\u04AF\u04BB\u0456 \U0001F600";
  ASSERT_TRUE(client.Send(Message(to, text)));
  const auto rows = Rows(to);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].dcs, 8);
  EXPECT_EQ(rows[0].ud_hdr_ind, 0);
  ASSERT_GE(rows[0].user_data.size(), 24u);
  EXPECT_EQ(Slice(rows[0].user_data, 0, 24),
            Hex("04D9 0493 049B 04A3 04E9 04B1 04AF 04BB 0456 0020 D83D DE00"));
}

TEST_F(OsmoMscSmpp, LongSevenBitTextIsStoredAsConcatenatedParts) {
  SmppClient client(options_);
  const std::string to = UniqueMsisdn();
  const std::string text = std::string(152, 'a') + "\u20AC" + std::string(40, 'b');
  auto sent = client.Send(Message(to, text));
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->parts, 2);
  const auto rows = Rows(to);
  ASSERT_EQ(rows.size(), 2u);
  const auto parts = SplitForSms(*EncodeText(text), 0);
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i].dcs, 0);
    EXPECT_EQ(rows[i].ud_hdr_ind, 1);
    ASSERT_GE(rows[i].user_data.size(), 6u);
    const auto udh = Slice(rows[i].user_data, 0, 6);
    EXPECT_EQ(Slice(udh, 0, 3), Hex("05 00 03"));
    EXPECT_EQ(udh[4], 2);
    EXPECT_EQ(udh[5], i + 1);
    // After a 6-octet UDH osmo-msc packs the septets after 1 fill bit.
    const std::vector<std::uint8_t> rest(rows[i].user_data.begin() + 6, rows[i].user_data.end());
    EXPECT_EQ(UnpackSeptets(rest, parts[i].payload.size(), 1), parts[i].payload);
  }
  EXPECT_EQ(rows[0].user_data[3], rows[1].user_data[3]);  // same concatenation reference
}

TEST_F(OsmoMscSmpp, LongUcs2TextIsStoredAsConcatenatedParts) {
  SmppClient client(options_);
  const std::string to = UniqueMsisdn();
  std::string text;
  for (int i = 0; i < 66; ++i) {
    text += "\u049B";
  }
  text += "\U0001F600\u049B\u049B\u049B\u049B\u049B";  // 73 UTF-16 units
  ASSERT_TRUE(client.Send(Message(to, text)));
  const auto rows = Rows(to);
  ASSERT_EQ(rows.size(), 2u);
  const auto parts = SplitForSms(*EncodeText(text), 0);
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i].dcs, 8);
    EXPECT_EQ(rows[i].ud_hdr_ind, 1);
    ASSERT_GE(rows[i].user_data.size(), 6 + parts[i].payload.size());
    EXPECT_EQ(rows[i].user_data[4], 2);
    EXPECT_EQ(rows[i].user_data[5], i + 1);
    EXPECT_EQ(Slice(rows[i].user_data, 6, parts[i].payload.size()), parts[i].payload);
  }
  EXPECT_EQ(Slice(rows[1].user_data, 6, 4), Hex("D83D DE00"));
}

TEST_F(OsmoMscSmpp, WrongPasswordShowsTheBindError) {
  options_.password = "wrong";
  SmppClient client(options_);
  ASSERT_TRUE(testing::FakeSmsc::WaitFor([&] { return !client.status().last_error.empty(); },
                                         milliseconds(5000)));
  EXPECT_FALSE(client.status().bound);
  EXPECT_EQ(client.status().last_error, "bind rejected: ESME_RINVPASWD (invalid password)");
  auto sent = client.Send(Message(UniqueMsisdn(), "hello"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().problem_code, "smsc_not_bound");
}

TEST_F(OsmoMscSmpp, UnknownSystemIdShowsTheBindError) {
  options_.system_id = "nosuchesme";
  SmppClient client(options_);
  ASSERT_TRUE(testing::FakeSmsc::WaitFor([&] { return !client.status().last_error.empty(); },
                                         milliseconds(5000)));
  EXPECT_EQ(client.status().last_error, "bind rejected: ESME_RINVSYSID (invalid system ID)");
}

}  // namespace
}  // namespace simexit::smpp
