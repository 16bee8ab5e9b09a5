#pragma once
// Store contract: LedgerRepository: postings, their entries and the total.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, PostingsRoundTripAndLedgerBalances) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_ledger", line);
  LineBalances balances{line.main_balance, line.bonus_balance, line.outstanding_charges};
  Posting opening = OpeningBalancePosting(line.id, line.operator_id, balances);
  Posting settlement = SettlementPosting(line.id, line.operator_id, *t.settlement);
  ASSERT_FALSE(opening.entries.empty());
  std::vector<PostingRecord> written = {PostingFor(line, "", opening, 50),
                                        PostingFor(line, t.id, settlement, 60),
                                        // A posting without entries is balanced and allowed.
                                        PostingFor(line, t.id, Posting{"payment", {}}, 70)};
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    for (PostingRecord& posting : written) {
      posting.id = Must(tx.InsertPosting(posting));
    }
    return true;
  });
  // Read back whole, in the order written.
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListPostings(line.id); }), written);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); }).size(), 3u);
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListPostings(line.id + 1000); }).empty());
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
}

TEST_P(StoreContractTest, UnbalancedPostingIsRefusedAndWritesNothing) {
  LineRecord line = SeedLine();
  Posting bad{
      .kind = "opening_balance",
      .entries = {{"line:1:main", Money::Tiyn(-100)}, {"operator:1:prepaid", Money::Tiyn(99)}}};
  Result<std::int64_t> result = TransactValue<std::int64_t>(
      *store_, [&](StoreTx& tx) { return tx.InsertPosting(PostingFor(line, "", bad)); });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
  EXPECT_EQ(result.error().problem_code, "unbalanced_posting");
  // Even when the caller ignores the error and commits, nothing was written.
  Tx([&](StoreTx& tx) -> Result<bool> {
    EXPECT_FALSE(tx.InsertPosting(PostingFor(line, "", bad)));
    return true;
  });
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); }).empty());
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
}

TEST_P(StoreContractTest, SecondPostingOfAKindPerTerminationIsRefused) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_once", line);
  Posting settlement = SettlementPosting(line.id, line.operator_id, *t.settlement);
  PostingRecord record = PostingFor(line, t.id, settlement);
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    Must(tx.InsertPosting(record));
    return true;
  });
  // The caller ignores the duplicate's error and commits: no entry may leak.
  std::size_t entries_before = settlement.entries.size();
  Tx([&](StoreTx& tx) -> Result<bool> {
    Result<std::int64_t> again = tx.InsertPosting(record);
    EXPECT_FALSE(again);
    if (!again) {
      EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
      EXPECT_EQ(again.error().problem_code, "duplicate");
      EXPECT_NE(again.error().message.find("postings"), std::string::npos);
    }
    return true;
  });
  std::vector<PostingRecord> postings =
      Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); });
  ASSERT_EQ(postings.size(), 1u);
  EXPECT_EQ(postings[0].posting.entries.size(), entries_before);
  // Opening balances (no termination) may repeat.
  Posting opening = OpeningBalancePosting(
      line.id, line.operator_id,
      LineBalances{line.main_balance, line.bonus_balance, line.outstanding_charges});
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertPosting(PostingFor(line, "", opening)));
    Must(tx.InsertPosting(PostingFor(line, "", opening)));
    return true;
  });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); }).size(), 3u);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
}

TEST_P(StoreContractTest, LedgerTotalSumsEveryEntry) {
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
  LineRecord line = SeedLine();
  Posting p{
      .kind = "opening_balance",
      .entries = {{"line:1:main", Money::Tiyn(-250)}, {"operator:1:prepaid", Money::Tiyn(250)}}};
  Tx([&](StoreTx& tx) { return tx.InsertPosting(PostingFor(line, "", p)); });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
  std::vector<PostingRecord> all = Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); });
  ASSERT_EQ(all.size(), 1u);
  ASSERT_EQ(all[0].posting.entries.size(), 2u);
  EXPECT_EQ(all[0].posting.entries[0].amount, Money::Tiyn(-250));
  EXPECT_EQ(all[0].posting.entries[1].account, "operator:1:prepaid");
}

}  // namespace simexit::testing
