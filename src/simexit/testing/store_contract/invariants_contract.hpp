#pragma once
// Store contract: InvariantRepository: the rules between repositories, checked
// on a live database. Part of the suite in store_contract.hpp; include that
// header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

namespace invariants_contract {

inline constexpr UnixSeconds kNow = 1'700'100'000;

inline JobRecord DueJob(const std::string& dedupe_key, UnixSeconds run_at) {
  JobRecord job;
  job.kind = "settle";
  job.payload = "{}";
  job.dedupe_key = dedupe_key;
  job.run_at = run_at;
  return job;
}

inline TerminationEventRecord Event(const TerminationRecord& t, const std::string& event,
                                    const std::string& from, const std::string& to,
                                    UnixSeconds at) {
  TerminationEventRecord record;
  record.termination_id = t.id;
  record.event = event;
  record.from_state = from;
  record.to_state = to;
  record.actor = "worker";
  record.channel = "store";
  record.at = at;
  return record;
}

}  // namespace invariants_contract

// A closed line as the workflow leaves it: terminated with its certificate and
// its events, the line quarantined, a balanced settlement, the job done.
TEST_P(StoreContractTest, InvariantsHoldOnASoundDatabase) {
  using namespace invariants_contract;
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.CheckInvariants(kNow, 10); }).empty());

  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_sound", line);
  t.state = TerminationState::kTerminated;
  line.status = LineStatus::kQuarantined;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertTermination(t));
    Must(tx.AppendEvent(Event(t, "created", "", "", 10)));
    Must(tx.AppendEvent(Event(t, "deprovisioned", "deprovisioning", "terminated", 20)));
    Must(tx.InsertCertificate({.serial = "SX-1",
                               .termination_id = t.id,
                               .operator_id = t.operator_id,
                               .document = "{}"}));
    Must(tx.UpdateLine(line));
    Must(tx.InsertPosting(
        PostingFor(line, t.id, SettlementPosting(line.id, line.operator_id, *t.settlement))));
    Must(tx.EnqueueJob(DueJob("settle:trm_sound", kNow - 100)));
    return {};
  });
  // A job leased now and not yet expired is fine; so is a pending one.
  Tx([](StoreTx& tx) { return tx.ClaimJobs("w1", kNow, 60, 10); });
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.CheckInvariants(kNow, 10); }).empty());
}

TEST_P(StoreContractTest, InvariantsNameEachViolationAndItsSubject) {
  using namespace invariants_contract;
  // Terminated, but no certificate, no events at all, and the line still active.
  LineRecord line = SeedLine("0001");
  TerminationRecord closed = SampleTermination("trm_closed", line);
  closed.state = TerminationState::kTerminated;
  // Open (scheduled), but the line already quarantined; its trail stops at verified.
  LineRecord other = SeedLine("0002");
  TerminationRecord open = SampleTermination("trm_open", other);
  other.status = LineStatus::kQuarantined;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertTermination(closed));
    Must(tx.InsertTermination(open));
    Must(tx.AppendEvent(Event(open, "created", "", "", 10)));
    Must(tx.AppendEvent(Event(open, "document_checked", "submitted", "verified", 20)));
    Must(tx.UpdateLine(other));
    Must(tx.EnqueueJob(DueJob("settle:trm_open", kNow - 1000)));
    return {};
  });
  // Leased by a worker that died: the lease ran out 40 s before now.
  const std::vector<JobRecord> claimed =
      Tx([](StoreTx& tx) { return tx.ClaimJobs("w-dead", kNow - 100, 60, 10); });
  ASSERT_EQ(claimed.size(), 1u);

  const std::vector<InvariantViolation> found =
      Tx([](StoreTx& tx) { return tx.CheckInvariants(kNow, 10); });
  std::vector<std::pair<std::string, std::string>> named;
  for (const InvariantViolation& v : found) {
    named.emplace_back(v.invariant, v.subject);
    EXPECT_FALSE(v.detail.empty()) << v.invariant;
  }
  const std::string other_line = "line:" + std::to_string(other.id);
  const std::string job = "job:" + std::to_string(claimed[0].id);
  EXPECT_EQ(named, (std::vector<std::pair<std::string, std::string>>{
                       {"certificate_issued", "trm_closed"},
                       // quarantined while a termination is open, and its latest
                       // termination is not terminated
                       {"line_status", other_line},
                       {"line_status", other_line},
                       {"job_lease", job},
                       {"audit_trail", "trm_closed"},
                       {"audit_trail", "trm_closed"},
                       {"audit_trail", "trm_open"},
                   }));
  // The limit applies per invariant.
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.CheckInvariants(kNow, 1); }).size(), 4u);
}

}  // namespace simexit::testing
