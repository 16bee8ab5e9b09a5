#pragma once
// Store contract: LineRepository: holders and lines.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, HolderRoundTrips) {
  HolderRecord h = Tx([](StoreTx& tx) -> Result<HolderRecord> {
    HolderRecord holder = SampleHolder(Must(tx.InsertOperator(SampleOperator("kcell"))));
    holder.id = Must(tx.InsertHolder(holder));
    return holder;
  });
  HolderRecord got = Tx([&](StoreTx& tx) { return tx.GetHolder(h.id); });
  EXPECT_EQ(got, h);
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetHolder(12345); }).problem_code, "not_found");
}

TEST_P(StoreContractTest, LineRoundTripsAndUpdates) {
  LineRecord line = SeedLine();
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetLine(line.id); }), line);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetLineByMsisdn(line.msisdn); }), line);

  line.holder_id = 0;  // back to the pool
  line.status = LineStatus::kAvailable;
  line.quarantine_until.reset();
  line.main_balance = Money::Zero();
  line.outstanding_charges = Money::Tiyn(-1);  // stored as given
  line.updated_at = 1'800'000'000;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateLine(line));
    return true;
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetLine(line.id); }), line);

  LineRecord ghost = line;
  ghost.id = 9999;
  ghost.msisdn = TestMsisdn("+77019999999");
  Error missing = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.UpdateLine(ghost);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.problem_code, "not_found");
  EXPECT_EQ(TxError([](StoreTx& tx) {
              return tx.GetLineByMsisdn(TestMsisdn("+77000000000"));
            }).problem_code,
            "not_found");
}

// The empty Msisdn is a record not filled in: the store refuses to write it
// as a line's number (it binds as NULL), and nothing is written.
TEST_P(StoreContractTest, ALineWithoutANumberIsRefused) {
  LineRecord line = SeedLine("0001");
  LineRecord blank = SampleLine(line.operator_id, 0, "0002");
  blank.msisdn = Msisdn();
  const Error refused = TxError([&](StoreTx& tx) { return tx.InsertLine(blank); });
  EXPECT_EQ(refused.code, ErrorCode::kInternal) << refused.message;
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListLines(std::nullopt, 10); }).size(), 1u);
}

TEST_P(StoreContractTest, LineIdentifiersAreUnique) {
  LineRecord line = SeedLine("0001");
  auto insert_variant = [&](auto mutate) {
    LineRecord other = SampleLine(line.operator_id, line.holder_id, "0002");
    mutate(other);
    return TxError([&](StoreTx& tx) { return tx.InsertLine(other); });
  };
  for (const Error& error : {insert_variant([&](LineRecord& l) { l.msisdn = line.msisdn; }),
                             insert_variant([&](LineRecord& l) { l.iccid = line.iccid; }),
                             insert_variant([&](LineRecord& l) { l.imsi = line.imsi; })}) {
    EXPECT_EQ(error.code, ErrorCode::kAlreadyExists);
    EXPECT_EQ(error.problem_code, "duplicate");
    EXPECT_NE(error.message.find("lines"), std::string::npos) << error.message;
  }
  // Unknown ICCID/IMSI (empty) never collide.
  Tx([&](StoreTx& tx) -> Result<bool> {
    for (const char* suffix : {"0003", "0004"}) {
      LineRecord l = SampleLine(line.operator_id, 0, suffix);
      l.iccid = Iccid();
      l.imsi = Imsi();
      Must(tx.InsertLine(l));
    }
    return true;
  });
  LineRecord blank = Tx([](StoreTx& tx) { return tx.GetLineByMsisdn(TestMsisdn("+77010000004")); });
  EXPECT_TRUE(blank.iccid.empty());
  EXPECT_TRUE(blank.imsi.empty());
  EXPECT_EQ(blank.holder_id, 0);
}

TEST_P(StoreContractTest, ListLinesFiltersByOperatorAndLimits) {
  LineRecord a1 = SeedLine("0001");
  LineRecord a2 = SeedLine("0002");
  std::int64_t other_op =
      Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("beeline")); });
  Tx([&](StoreTx& tx) { return tx.InsertLine(SampleLine(other_op, 0, "0003")); });

  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListLines(std::nullopt, 100); }).size(), 3u);
  std::vector<LineRecord> mine = Tx([&](StoreTx& tx) { return tx.ListLines(a1.operator_id, 100); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, a1.id);
  EXPECT_EQ(mine[1].id, a2.id);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListLines(a1.operator_id, 1); }).size(), 1u);
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListLines(other_op + 100, 10); }).empty());
}

TEST_P(StoreContractTest, FindLinesByIccidOrHolderDocument) {
  LineRecord a1 = SeedLine("0001");  // each SeedLine has its own holder, same document
  LineRecord a2 = SeedLine("0002");
  std::int64_t other_op =
      Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("beeline")); });
  LineRecord pooled = SampleLine(other_op, 0, "0003");
  pooled.id = Tx([&](StoreTx& tx) { return tx.InsertLine(pooled); });
  auto find = [&](std::optional<std::int64_t> op, const std::optional<Iccid>& iccid,
                  const std::string& document, int limit = 10) {
    return Tx([&](StoreTx& tx) { return tx.FindLines(op, iccid, document, limit); });
  };

  std::vector<LineRecord> by_iccid = find(std::nullopt, a2.iccid, "");
  ASSERT_EQ(by_iccid.size(), 1u);
  EXPECT_EQ(by_iccid[0], a2);
  EXPECT_EQ(find(std::nullopt, pooled.iccid, "").at(0).id, pooled.id);  // no holder
  EXPECT_TRUE(find(a1.operator_id, pooled.iccid, "").empty());          // another operator's

  std::vector<LineRecord> by_document = find(a1.operator_id, std::nullopt, "N1234567");
  ASSERT_EQ(by_document.size(), 2u);
  EXPECT_EQ(by_document[0].id, a1.id);
  EXPECT_EQ(by_document[1].id, a2.id);
  EXPECT_EQ(find(a1.operator_id, std::nullopt, "900101300123").size(), 2u);  // the holder's IIN
  EXPECT_EQ(find(a1.operator_id, std::nullopt, "N1234567", 1).size(), 1u);
  EXPECT_TRUE(find(other_op, std::nullopt, "N1234567").empty());
  EXPECT_TRUE(find(std::nullopt, std::nullopt, "N7654321").empty());
  // An empty criterion matches nothing, not the lines without an ICCID or holder.
  EXPECT_TRUE(find(std::nullopt, std::nullopt, "").empty());
}

TEST_P(StoreContractTest, RecordPaidActivityOnlyMovesForward) {
  LineRecord older = SeedLine("0001");  // activity 1'699'000'000 (SampleLine)
  LineRecord newer = SeedLine("0002");
  LineRecord same = SeedLine("0003");
  const UnixSeconds at = older.last_paid_activity_at + 86'400;
  newer.last_paid_activity_at = at + 1;
  TxDo([&](StoreTx& tx) { return tx.UpdateLine(newer); });

  auto record = [&](const std::vector<PaidActivity>& activity, UnixSeconds updated_at) {
    return Tx([&](StoreTx& tx) { return tx.RecordPaidActivity(activity, updated_at); });
  };
  std::vector<PaidActivity> batch = {{older.id, at},
                                     {newer.id, at},
                                     {same.id, same.last_paid_activity_at},
                                     {999'999, at}};  // not a line: ignored
  EXPECT_EQ(record(batch, 1'800'000'000), 1);
  LineRecord got = Tx([&](StoreTx& tx) { return tx.GetLine(older.id); });
  EXPECT_EQ(got.last_paid_activity_at, at);
  EXPECT_EQ(got.updated_at, 1'800'000'000);
  got.last_paid_activity_at = older.last_paid_activity_at;
  got.updated_at = older.updated_at;
  EXPECT_EQ(got, older);  // nothing else changed
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetLine(newer.id); }), newer);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetLine(same.id); }), same);

  EXPECT_EQ(record(batch, 1'800'000'100), 0);  // idempotent
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetLine(older.id); }).updated_at, 1'800'000'000);
  EXPECT_EQ(record({}, 1'800'000'200), 0);
  // A line given twice ends at the later time.
  EXPECT_GE(record({{same.id, at + 5}, {same.id, at + 9}}, 1'800'000'300), 1);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetLine(same.id); }).last_paid_activity_at, at + 9);
}

}  // namespace simexit::testing
