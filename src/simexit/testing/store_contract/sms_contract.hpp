#pragma once
// Store contract: SmsRepository: the SMS outbox.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, SmsOutboxRoundTripsUpdatesAndLists) {
  SmsRecord m;
  m.recipient = "+77011234567";
  m.kind = "terminated";
  m.language = "kk";
  m.text = "Нөмір жабылды";
  m.created_at = 10;
  m.updated_at = 10;
  m.id = Tx([&](StoreTx& tx) { return tx.InsertSms(m); });
  SmsRecord other = m;
  other.recipient = "+77011234568";
  other.id = Tx([&](StoreTx& tx) { return tx.InsertSms(other); });

  SmsRecord got = Tx([&](StoreTx& tx) { return tx.GetSms(m.id); });
  EXPECT_EQ(got, m);  // queued, no operator, never submitted

  got.state = SmsState::kSubmitted;
  got.attempts = 1;
  got.parts = 2;
  got.message_ids = "a,b";
  got.submitted_at = 11;
  got.updated_at = 11;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateSms(got));
    return true;
  });
  SmsRecord again = Tx([&](StoreTx& tx) { return tx.GetSms(m.id); });
  EXPECT_EQ(again, got);

  SmsFilter submitted;
  submitted.state = SmsState::kSubmitted;
  std::vector<SmsRecord> list = Tx([&](StoreTx& tx) { return tx.ListSms(submitted); });
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, m.id);
  SmsFilter all;
  list = Tx([&](StoreTx& tx) { return tx.ListSms(all); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, other.id);  // newest first
  SmsFilter by_recipient;
  by_recipient.recipient = "+77011234568";
  list = Tx([&](StoreTx& tx) { return tx.ListSms(by_recipient); });
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, other.id);

  Error missing = TxError([](StoreTx& tx) { return tx.GetSms(9999); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
}

}  // namespace simexit::testing
