// Unit tests of TerminationWorkflow's steps, one step at a time, on the real
// SQLite store (in memory) with fakes for the HLR and the MSC (VLR). The whole
// journey through the worker is in termination_workflow_test.cpp.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simexit/domain/iccid.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/service/termination_workflow.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/service_world.hpp"

namespace simexit {
namespace {

constexpr char kImsi[] = "001010000000001";
constexpr char kMsisdn[] = "+77011234567";

// One line of operator "kcell" with a termination already in `deprovisioning`,
// the state the Deprovision step acts on.
class DeprovisionTest : public ::testing::Test {
 protected:
  DeprovisionTest() : operators_(ctx_), workflow_(ctx_) {
    EXPECT_TRUE(world_.migrated);
    Result<OperatorRecord> kcell = operators_.CreateOperator("kcell", "Kcell", Policy{}, "ru");
    EXPECT_TRUE(kcell) << kcell.error().message;
    NewLine line;
    line.operator_code = "kcell";
    line.msisdn = kMsisdn;
    const std::string body = "897701000000001000";
    line.iccid = body + Iccid::LuhnDigit(body);
    line.imsi = kImsi;
    line.holder_name = "TESTOV TEST";
    line.document_kind = "iin";
    line.document_number = "900101300017";
    Result<void> added = world_.store->Transact([&](StoreTx& tx) -> Result<void> {
      Result<std::int64_t> line_id = operators_.AddLine(tx, line, world_.clock.Now());
      if (!line_id) {
        return Fail(line_id.error());
      }
      Result<LineRecord> stored = tx.GetLine(*line_id);
      if (!stored) {
        return Fail(stored.error());
      }
      TerminationRecord t;
      t.id = "trm_000000000000000000000001";
      t.operator_id = kcell->id;
      t.line_id = stored->id;
      t.holder_id = stored->holder_id;
      t.msisdn = stored->msisdn;
      t.state = TerminationState::kDeprovisioning;
      t.requested_by = "admin";
      t.created_at = world_.clock.Now();
      t.updated_at = world_.clock.Now();
      termination_id_ = t.id;
      return tx.InsertTermination(t);
    });
    EXPECT_TRUE(added) << added.error().message;
    EXPECT_TRUE(world_.hlr.Provision(*Imsi::Parse(kImsi), *Msisdn::Parse(kMsisdn)));
  }

  std::vector<std::string> EventNames() {
    std::vector<TerminationEventRecord> events =
        TransactValue<std::vector<TerminationEventRecord>>(*world_.store, [&](StoreTx& tx) {
          return tx.ListEvents(termination_id_);
        }).value();
    std::vector<std::string> names;
    names.reserve(events.size());

    for (const TerminationEventRecord& e : events) {
      names.push_back(e.event);
    }
    return names;
  }

  bool HasEvent(const std::string& name) {
    for (const std::string& n : EventNames()) {
      if (n == name) {
        return true;
      }
    }
    return false;
  }

  testing::ServiceWorld world_;
  ServiceContext& ctx_ = world_.ctx;
  OperatorService operators_;
  TerminationWorkflow workflow_;
  std::string termination_id_;
};

TEST_F(DeprovisionTest, WithoutAnMscNoDetachIsRecorded) {
  ASSERT_FALSE(ctx_.vlr_for);  // no MSC configured for any operator

  ASSERT_TRUE(workflow_.Deprovision(termination_id_));

  EXPECT_FALSE(world_.hlr.Has(kImsi));
  EXPECT_TRUE(HasEvent("hlr_removed"));
  EXPECT_FALSE(HasEvent("msc_detached"));
}

TEST_F(DeprovisionTest, SubscriberNotAttachedToTheMscIsNotRecordedAsDetached) {
  testing::FakeVlr vlr;  // nobody attached
  ctx_.vlr_for = [&](const std::string&) -> Vlr* { return &vlr; };

  ASSERT_TRUE(workflow_.Deprovision(termination_id_));

  EXPECT_TRUE(HasEvent("hlr_removed"));
  EXPECT_FALSE(HasEvent("msc_detached"));
}

TEST_F(DeprovisionTest, AttachedSubscriberIsRecordedAsDetached) {
  testing::FakeVlr vlr;
  vlr.Attach(kImsi);
  ctx_.vlr_for = [&](const std::string&) -> Vlr* { return &vlr; };

  ASSERT_TRUE(workflow_.Deprovision(termination_id_));

  EXPECT_FALSE(vlr.Attached(kImsi));
  EXPECT_TRUE(HasEvent("msc_detached"));
}

}  // namespace
}  // namespace simexit
