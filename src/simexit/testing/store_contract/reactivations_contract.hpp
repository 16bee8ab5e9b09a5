#pragma once
// Store contract: ReactivationRepository: reactivations, their events, a line's
// last closure and the SIM-in-use lookup.
// Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {
namespace reactivations_contract {

inline ReactivationRecord SampleReactivation(const std::string& id, const TerminationRecord& t) {
  ReactivationRecord r;
  r.id = id;
  r.operator_id = t.operator_id;
  r.line_id = t.line_id;
  r.holder_id = t.holder_id;
  r.termination_id = t.id;
  r.msisdn = t.msisdn;
  r.channel = Channel::kMail;
  r.state = ReactivationState::kPendingReview;
  r.iccid = IccidWithCheckDigit("8997010000000009999");
  r.imsi = TestImsi("401010000099999");
  r.new_sim = true;
  r.closed_at = 1'700'050'000;
  r.postmarked_on = CivilDate{2023, 11, 14};
  r.requested_by = "staff:7";
  r.created_at = 1'700'060'000;
  r.updated_at = 1'700'060'001;
  return r;
}

inline TerminationEventRecord MoveTo(const TerminationRecord& t, const std::string& to,
                                     UnixSeconds at) {
  TerminationEventRecord e;
  e.termination_id = t.id;
  e.event = to == "terminated" ? "complete" : "start_deprovisioning";
  e.from_state = to == "terminated" ? "deprovisioning" : "settling";
  e.to_state = to;
  e.actor = "worker";
  e.channel = "store";
  e.at = at;
  return e;
}

}  // namespace reactivations_contract

TEST_P(StoreContractTest, ReactivationRoundTripsAndUpdates) {
  using namespace reactivations_contract;
  TerminationRecord t = SeedTermination("trm_r1", "0101");
  ReactivationRecord r = SampleReactivation("rea_1", t);
  TxDo([&](StoreTx& tx) { return tx.InsertReactivation(r); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetReactivation("rea_1"); }), r);

  r.state = ReactivationState::kRejected;
  r.reviewed_by = "staff:8";
  r.reason = "signature differs";
  r.new_sim = false;
  r.updated_at = 1'700'070'000;
  r.created_at = 1;  // not written by an update
  TxDo([&](StoreTx& tx) { return tx.UpdateReactivation(r); });
  ReactivationRecord back = Tx([&](StoreTx& tx) { return tx.GetReactivation("rea_1"); });
  r.created_at = 1'700'060'000;
  EXPECT_EQ(back, r);

  Error missing = TxError([&](StoreTx& tx) { return tx.GetReactivation("rea_none"); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  ReactivationRecord ghost = SampleReactivation("rea_none", t);
  Error not_updated = TxDoError([&](StoreTx& tx) { return tx.UpdateReactivation(ghost); });
  EXPECT_EQ(not_updated.code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, OneOpenReactivationPerLine) {
  using namespace reactivations_contract;
  TerminationRecord t = SeedTermination("trm_r2", "0102");
  ReactivationRecord first = SampleReactivation("rea_a", t);
  TxDo([&](StoreTx& tx) { return tx.InsertReactivation(first); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FindOpenReactivation(t.line_id); }), first);

  ReactivationRecord second = SampleReactivation("rea_b", t);
  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertReactivation(second); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");

  first.state = ReactivationState::kRefused;
  TxDo([&](StoreTx& tx) { return tx.UpdateReactivation(first); });
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FindOpenReactivation(t.line_id); }).has_value());
  TxDo([&](StoreTx& tx) { return tx.InsertReactivation(second); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FindOpenReactivation(t.line_id); }), second);
}

TEST_P(StoreContractTest, ReactivationsListNewestFirstByOperatorAndState) {
  using namespace reactivations_contract;
  TerminationRecord t1 = SeedTermination("trm_r3", "0103");
  TerminationRecord t2 = SeedTermination("trm_r4", "0104");
  ReactivationRecord older = SampleReactivation("rea_old", t1);
  older.state = ReactivationState::kReactivated;
  ReactivationRecord newer = SampleReactivation("rea_new", t2);
  newer.created_at = older.created_at + 10;
  TxDo([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.InsertReactivation(older));
    return tx.InsertReactivation(newer);
  });
  ReactivationFilter all;
  all.operator_id = t1.operator_id;
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListReactivations(all); }),
            (std::vector<ReactivationRecord>{newer, older}));
  ReactivationFilter done = all;
  done.state = ReactivationState::kReactivated;
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListReactivations(done); }),
            (std::vector<ReactivationRecord>{older}));
  ReactivationFilter other;
  other.operator_id = t1.operator_id + 1;
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListReactivations(other); }).empty());
  ReactivationFilter one;
  one.limit = 1;
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListReactivations(one); }).size(), 1u);
}

TEST_P(StoreContractTest, ReactivationEventsInOrderAppended) {
  using namespace reactivations_contract;
  TerminationRecord t = SeedTermination("trm_r5", "0105");
  ReactivationRecord r = SampleReactivation("rea_e", t);
  TxDo([&](StoreTx& tx) { return tx.InsertReactivation(r); });
  ReactivationEventRecord a{0,         "rea_e", "created", "",           "",
                            "staff:7", "mail",  "opened",  1'700'060'000};
  ReactivationEventRecord b{0,         "rea_e", "approve", "pending_review", "approved",
                            "staff:8", "mail",  "ok",      1'700'060'100};
  a.id = Tx([&](StoreTx& tx) { return tx.AppendReactivationEvent(a); });
  b.id = Tx([&](StoreTx& tx) { return tx.AppendReactivationEvent(b); });
  EXPECT_GT(b.id, a.id);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListReactivationEvents("rea_e"); }),
            (std::vector<ReactivationEventRecord>{a, b}));
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListReactivationEvents("rea_x"); }).empty());
}

TEST_P(StoreContractTest, LastClosureIsTheLatestTerminatedTerminationOfTheLine) {
  using namespace reactivations_contract;
  TerminationRecord first = SeedTermination("trm_c1", "0106");
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FindLastClosure(first.line_id); }).has_value());

  first.state = TerminationState::kTerminated;
  TerminationRecord second = first;
  second.id = "trm_c2";
  second.state = TerminationState::kTerminated;
  TerminationRecord open = first;
  open.id = "trm_c3";
  open.state = TerminationState::kDeprovisioning;
  TxDo([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.UpdateTermination(first));
    SIMEXIT_TRY(tx.InsertTermination(second));
    SIMEXIT_TRY(tx.InsertTermination(open));
    SIMEXIT_TRY(tx.AppendEvent(MoveTo(first, "terminated", 1'700'100'000)));
    SIMEXIT_TRY(tx.AppendEvent(MoveTo(second, "deprovisioning", 1'700'190'000)));
    SIMEXIT_TRY(tx.AppendEvent(MoveTo(second, "terminated", 1'700'200'000)));
    // Not terminated: its events do not count.
    SIMEXIT_TRY(tx.AppendEvent(MoveTo(open, "terminated", 1'700'300'000)));
    return {};
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FindLastClosure(first.line_id); }),
            (std::optional<LineClosure>(LineClosure{"trm_c2", first.holder_id, 1'700'200'000})));
  EXPECT_FALSE(
      Tx([&](StoreTx& tx) { return tx.FindLastClosure(first.line_id + 100); }).has_value());
}

TEST_P(StoreContractTest, LineUsingSimFindsOtherLinesByIccidOrImsi) {
  LineRecord a = SeedLine("0107");
  LineRecord b = SeedLine("0108");
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FindLineUsingSim(b.iccid, Imsi(), a.id); }),
            std::optional<std::int64_t>(b.id));
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FindLineUsingSim(Iccid(), b.imsi, a.id); }),
            std::optional<std::int64_t>(b.id));
  // The line itself does not count: an eSIM downloaded again keeps its SIM.
  EXPECT_FALSE(
      Tx([&](StoreTx& tx) { return tx.FindLineUsingSim(a.iccid, a.imsi, a.id); }).has_value());
  EXPECT_FALSE(
      Tx([&](StoreTx& tx) { return tx.FindLineUsingSim(Iccid(), Imsi(), a.id); }).has_value());
}

}  // namespace simexit::testing
