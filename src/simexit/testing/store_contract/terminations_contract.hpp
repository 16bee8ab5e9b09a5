#pragma once
// Store contract: TerminationRepository: terminations, their events, the review queue, certificates
// and sequences. Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/common/clock.hpp"
#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, TerminationRoundTripsWithRefundAndSettlement) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_000000000000000000000001", line);
  ASSERT_TRUE(t.settlement.has_value());
  ASSERT_TRUE(t.settlement->amount_due.IsZero());
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    return true;
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); }), t);

  t.state = TerminationState::kTerminated;
  t.refund.reset();
  t.settlement.reset();
  t.scheduled_for.reset();
  t.certificate_serial = "SX-2026-000001";
  t.reason = "closed";
  t.updated_at = 1'800'000'000;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateTermination(t));
    return true;
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); }), t);

  Error dup = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.InsertTermination(t);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(dup.problem_code, "duplicate");
  EXPECT_NE(dup.message.find("terminations"), std::string::npos) << dup.message;
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetTermination("trm_missing"); }).problem_code,
            "not_found");
}

TEST_P(StoreContractTest, FindOpenTerminationIgnoresFinalStates) {
  LineRecord line = SeedLine();
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FindOpenTermination(line.id); }).has_value());

  for (TerminationState final_state :
       {TerminationState::kTerminated, TerminationState::kRejected, TerminationState::kCancelled}) {
    TerminationRecord done = SampleTermination(std::string("trm_") + ToString(final_state), line);
    done.state = final_state;
    Tx([&](StoreTx& tx) -> Result<bool> {
      Must(tx.InsertTermination(done));
      return true;
    });
  }
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FindOpenTermination(line.id); }).has_value());

  TerminationRecord open = SampleTermination("trm_open", line);
  open.state = TerminationState::kAwaitingPayment;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(open));
    return true;
  });
  std::optional<TerminationRecord> found =
      Tx([&](StoreTx& tx) { return tx.FindOpenTermination(line.id); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "trm_open");

  // A second open termination for the same line is refused.
  TerminationRecord second = SampleTermination("trm_second", line);
  second.state = TerminationState::kSubmitted;
  Error dup = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.InsertTermination(second);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");
}

TEST_P(StoreContractTest, ListTerminationsFiltersNewestFirst) {
  LineRecord l1 = SeedLine("0001");
  LineRecord l2 = SeedLine("0002");
  TerminationRecord a = SampleTermination("trm_a", l1);
  a.state = TerminationState::kCancelled;
  a.created_at = 100;
  TerminationRecord b = SampleTermination("trm_b", l1);
  b.state = TerminationState::kSubmitted;
  b.created_at = 200;
  TerminationRecord c = SampleTermination("trm_c", l2);
  c.state = TerminationState::kSubmitted;
  c.created_at = 300;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(a));
    Must(tx.InsertTermination(b));
    Must(tx.InsertTermination(c));
    return true;
  });
  auto ids = [&](TerminationFilter filter) {
    std::vector<std::string> out;
    for (const TerminationRecord& t :
         Tx([&](StoreTx& tx) { return tx.ListTerminations(filter); })) {
      out.push_back(t.id);
    }
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<std::string>{"trm_c", "trm_b", "trm_a"}));
  EXPECT_EQ(ids(Filter(std::nullopt, TerminationState::kSubmitted, std::nullopt)),
            (std::vector<std::string>{"trm_c", "trm_b"}));
  EXPECT_EQ(ids(Filter(std::nullopt, std::nullopt, std::optional<Msisdn>(l1.msisdn))),
            (std::vector<std::string>{"trm_b", "trm_a"}));
  EXPECT_EQ(ids(Filter(l1.operator_id, std::nullopt, std::nullopt, 1)),
            (std::vector<std::string>{"trm_c"}));
  EXPECT_TRUE(ids(Filter(l1.operator_id + 1000, std::nullopt, std::nullopt)).empty());
}

TEST_P(StoreContractTest, EventsAppendInOrder) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_ev", line);
  std::vector<std::int64_t> ids = Tx([&](StoreTx& tx) -> Result<std::vector<std::int64_t>> {
    Must(tx.InsertTermination(t));
    std::vector<std::int64_t> out;
    out.push_back(Must(tx.AppendEvent({.termination_id = t.id,
                                       .event = "created",
                                       .from_state = "",
                                       .to_state = "submitted",
                                       .actor = "holder:1",
                                       .channel = "online",
                                       .detail = "requested",
                                       .at = 10})));
    out.push_back(Must(tx.AppendEvent({.termination_id = t.id,
                                       .event = "verify",
                                       .from_state = "submitted",
                                       .to_state = "verified",
                                       .actor = "worker",
                                       .channel = "",
                                       .detail = "",
                                       .at = 20})));
    return out;
  });
  std::vector<TerminationEventRecord> events = Tx([&](StoreTx& tx) { return tx.ListEvents(t.id); });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, ids[0]);
  EXPECT_EQ(events[0].event, "created");
  EXPECT_EQ(events[0].from_state, "");
  EXPECT_EQ(events[0].to_state, "submitted");
  EXPECT_EQ(events[0].actor, "holder:1");
  EXPECT_EQ(events[0].channel, "online");
  EXPECT_EQ(events[0].detail, "requested");
  EXPECT_EQ(events[0].at, 10);
  EXPECT_EQ(events[1].id, ids[1]);
  EXPECT_EQ(events[1].from_state, "submitted");
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListEvents("trm_none"); }).empty());
}

TEST_P(StoreContractTest, TerminationReviewAndPostmarkColumnsRoundTrip) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_review", line);
  t.channel = Channel::kMail;
  t.state = TerminationState::kInReview;
  t.review_since = 1'700'000'450;
  t.postmarked_on = CivilDate{2026, 3, 2};
  TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); }), t);

  t.state = TerminationState::kRejected;
  t.review_since.reset();
  t.reason_code = "document_mismatch";
  t.reviewed_by = "staff:12";
  t.postmarked_on.reset();
  t.updated_at = 1'700'009'000;
  TxDo([&](StoreTx& tx) { return tx.UpdateTermination(t); });
  TerminationRecord got = Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); });
  EXPECT_EQ(got, t);
  EXPECT_FALSE(got.review_since.has_value());
}

TEST_P(StoreContractTest, TerminationContactMsisdnRoundTrips) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_contact", line);
  t.contact_msisdn = MustParse<ContactMsisdn>("+447911123456");
  TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); }).contact_msisdn,
            t.contact_msisdn);
  t.contact_msisdn = std::nullopt;
  t.updated_at += 10;
  TxDo([&](StoreTx& tx) { return tx.UpdateTermination(t); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); }), t);
}

TEST_P(StoreContractTest, TallyTerminationsCountsOneOperatorsByStateChannelAndLocalDay) {
  constexpr UnixSeconds kDay = 86'400;
  constexpr UnixSeconds kOffset = 5 * kSecondsPerHour;  // Asia/Almaty
  // Day 19'700 in local time starts at 19'700 * kDay - kOffset (UTC).
  const UnixSeconds day_start = 19'700 * kDay - kOffset;
  struct Row {
    const char* id;
    const char* suffix;
    TerminationState state;
    Channel channel;
    UnixSeconds created_at;
  };
  const std::vector<Row> rows = {
      {"trm_t1", "0001", TerminationState::kTerminated, Channel::kOnline, day_start},
      {"trm_t2", "0002", TerminationState::kTerminated, Channel::kStore, day_start + kDay - 1},
      {"trm_t3", "0003", TerminationState::kInReview, Channel::kMail, day_start + kDay},
      // Before `since`: counted by state and channel, not per day.
      {"trm_t4", "0004", TerminationState::kCancelled, Channel::kOnline, day_start - 10 * kDay},
  };
  std::int64_t kcell = 0;
  for (const Row& row : rows) {
    LineRecord line = SeedLine(row.suffix);
    kcell = line.operator_id;
    TerminationRecord t = SampleTermination(row.id, line);
    t.state = row.state;
    t.channel = row.channel;
    t.created_at = row.created_at;
    TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  }
  // Another operator's request counts only for everyone.
  TxDo([&](StoreTx& tx) -> Result<void> {
    const std::int64_t other = Must(tx.InsertOperator(SampleOperator("beeline")));
    const std::int64_t holder = Must(tx.InsertHolder(SampleHolder(other)));
    LineRecord line = SampleLine(other, holder, "0009");
    line.id = Must(tx.InsertLine(line));
    TerminationRecord t = SampleTermination("trm_t9", line);
    t.created_at = day_start;
    return tx.InsertTermination(t);
  });

  const TerminationTally mine =
      Tx([&](StoreTx& tx) { return tx.TallyTerminations(kcell, day_start - kDay, kOffset); });
  EXPECT_EQ(mine.by_state,
            (std::map<TerminationState, std::int64_t>{{TerminationState::kTerminated, 2},
                                                      {TerminationState::kInReview, 1},
                                                      {TerminationState::kCancelled, 1}}));
  EXPECT_EQ(mine.by_channel,
            (std::map<Channel, std::int64_t>{
                {Channel::kOnline, 2}, {Channel::kStore, 1}, {Channel::kMail, 1}}));
  EXPECT_EQ(mine.per_day, (std::map<std::int64_t, std::int64_t>{{19'700, 2}, {19'701, 1}}));

  const TerminationTally all = Tx(
      [&](StoreTx& tx) { return tx.TallyTerminations(std::nullopt, day_start - kDay, kOffset); });
  EXPECT_EQ(all.by_state.at(TerminationState::kScheduled), 1);
  EXPECT_EQ(all.per_day.at(19'700), 3);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.TallyTerminations(424242, 0, kOffset); }),
            TerminationTally{});
}

TEST_P(StoreContractTest, ListTerminationsOldestFirstIsTheReviewQueue) {
  struct Row {
    const char* id;
    const char* suffix;
    std::optional<UnixSeconds> review_since;
    UnixSeconds created_at;
  };
  // Inserted out of order so that neither insertion order nor rowid explains the result.
  const std::vector<Row> rows = {
      {"trm_q5", "0005", 200, 300},         {"trm_q1", "0001", 300, 100},
      {"trm_q4", "0004", std::nullopt, 50}, {"trm_q2", "0002", 200, 400},
      {"trm_q3", "0003", 200, 300},
  };
  for (const Row& row : rows) {
    LineRecord line = SeedLine(row.suffix);
    TerminationRecord t = SampleTermination(row.id, line);
    t.state = TerminationState::kInReview;
    t.review_since = row.review_since;
    t.created_at = row.created_at;
    TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  }
  LineRecord other = SeedLine("0006");
  TerminationRecord approved = SampleTermination("trm_q0", other);
  approved.state = TerminationState::kApproved;
  approved.review_since = 1;
  approved.created_at = 1;
  TxDo([&](StoreTx& tx) { return tx.InsertTermination(approved); });

  auto ids = [&](TerminationFilter filter) {
    std::vector<std::string> out;
    for (const TerminationRecord& t :
         Tx([&](StoreTx& tx) { return tx.ListTerminations(filter); })) {
      out.push_back(t.id);
    }
    return out;
  };
  TerminationFilter queue = Filter(other.operator_id, TerminationState::kInReview, std::nullopt);
  queue.oldest_first = true;
  // review_since ascending, then created_at, then id; never reviewed last.
  EXPECT_EQ(ids(queue),
            (std::vector<std::string>{"trm_q3", "trm_q5", "trm_q2", "trm_q1", "trm_q4"}));
  queue.limit = 2;
  EXPECT_EQ(ids(queue), (std::vector<std::string>{"trm_q3", "trm_q5"}));
  queue.state.reset();
  queue.limit = 1;
  EXPECT_EQ(ids(queue), (std::vector<std::string>{"trm_q0"}));
  // The default order is unchanged: newest created first.
  EXPECT_EQ(ids(Filter(other.operator_id, TerminationState::kInReview, std::nullopt)),
            (std::vector<std::string>{"trm_q2", "trm_q5", "trm_q3", "trm_q1", "trm_q4"}));
}

TEST_P(StoreContractTest, OneCertificatePerTermination) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_cert", line);
  CertificateRecord cert{.serial = "SX-2026-000001",
                         .termination_id = t.id,
                         .operator_id = line.operator_id,
                         .document = R"({"signed":true})",
                         .created_at = 99};
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    EXPECT_FALSE(Must(tx.FindCertificateForTermination(t.id)));
    Must(tx.InsertCertificate(cert));
    return true;
  });
  std::optional<CertificateRecord> got =
      Tx([&](StoreTx& tx) { return tx.FindCertificateForTermination(t.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, cert);
  CertificateRecord second = cert;
  second.serial = "SX-2026-000002";
  for (const CertificateRecord& dup : {cert, second}) {
    Error error = TxError([&](StoreTx& tx) -> Result<bool> {
      Result<void> r = tx.InsertCertificate(dup);
      if (!r) {
        return Fail(r.error());
      }
      return true;
    });
    EXPECT_EQ(error.code, ErrorCode::kAlreadyExists);
    EXPECT_EQ(error.problem_code, "duplicate");
    EXPECT_NE(error.message.find("certificates"), std::string::npos) << error.message;
  }
}

TEST_P(StoreContractTest, FindsCertificateBySerial) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_serial", line);
  CertificateRecord cert{.serial = "SX-0123456789ABCDEFGHJKMNPQRS",
                         .termination_id = t.id,
                         .operator_id = line.operator_id,
                         .document = R"({"signed":true})",
                         .created_at = 7};
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    EXPECT_FALSE(Must(tx.FindCertificateBySerial(cert.serial)));
    Must(tx.InsertCertificate(cert));
    return true;
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.FindCertificateBySerial(cert.serial); }), cert);
  // Exact match only: another case, a prefix, or a padded serial is not it.
  for (const std::string& other :
       {std::string("sx-0123456789abcdefghjkmnpqrs"), std::string("SX-0123456789ABCDEFGHJKMNPQR"),
        cert.serial + " ", std::string("SX-%"), std::string()}) {
    EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FindCertificateBySerial(other); })) << other;
  }
}

TEST_P(StoreContractTest, SequencesCountFromOnePerName) {
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.NextSequence("certificate"); }), 1);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.NextSequence("certificate"); }), 2);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.NextSequence("other"); }), 1);
  EXPECT_EQ(Tx([](StoreTx& tx) -> Result<std::int64_t> {
              Must(tx.NextSequence("certificate"));
              return tx.NextSequence("certificate");
            }),
            4);
}

}  // namespace simexit::testing
