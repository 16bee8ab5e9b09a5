// The audit chain's canonical forms and hashes, against values computed
// independently (Python: json.dumps(record, sort_keys=True,
// separators=(",", ":"), ensure_ascii=False) and hashlib.sha256), which is the
// procedure docs/audit.md gives an outside auditor.
#include "simexit/ports/store/audit_chain.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

AuditRecord SampleAudit() {
  AuditRecord a;
  a.id = 1;
  a.operator_id = 2;
  a.actor = "staff:3";
  a.action = "policy_changed";
  a.subject = "operator:kcell";
  a.detail = "fee \u2192 1200\n";
  a.request_id = "r1";
  a.at = 100;
  return a;
}

TerminationEventRecord SampleEvent() {
  TerminationEventRecord e;
  e.id = 7;
  e.termination_id = "trm_1";
  e.event = "created";
  e.actor = "holder:1";
  e.channel = "online";
  e.at = 101;
  return e;
}

constexpr const char* kAuditJson =
    R"({"action":"policy_changed","actor":"staff:3","at":100,"detail":"fee )"
    "\u2192"
    R"( 1200\n","id":1,"kind":"audit","operator_id":2,"request_id":"r1","subject":"operator:kcell"})";
constexpr const char* kEventJson =
    R"({"actor":"holder:1","at":101,"channel":"online","detail":"","event":"created",)"
    R"("from_state":"","id":7,"kind":"event","operator_id":2,"termination_id":"trm_1","to_state":""})";
constexpr const char* kAuditHash =
    "111759a3b6b32cd06ea0ae09b0447c9da23853b6e5e9464974358dbab0436132";
constexpr const char* kEventHash =
    "3bb408281ae978186ceaeef6dc305abcf034df5551c4fc2dec032002c02b38c7";

TEST(AuditChainTest, CanonicalFormsAreSortedCompactJson) {
  EXPECT_EQ(ChainRecordJson(SampleAudit()).value(), kAuditJson);
  EXPECT_EQ(ChainRecordJson(SampleEvent(), 2).value(), kEventJson);
}

TEST(AuditChainTest, HashesChainFromTheGenesis) {
  EXPECT_EQ(ChainHash(kChainGenesis, kAuditJson), kAuditHash);
  EXPECT_EQ(ChainHash(kAuditHash, kEventJson), kEventHash);
}

TEST(AuditChainTest, EveryFieldIsCovered) {
  const std::string base = ChainRecordJson(SampleAudit()).value();
  AuditRecord changed = SampleAudit();
  changed.operator_id = 3;
  EXPECT_NE(ChainRecordJson(changed).value(), base);
  changed = SampleAudit();
  changed.id = 2;
  EXPECT_NE(ChainRecordJson(changed).value(), base);
  changed = SampleAudit();
  changed.at = 99;
  EXPECT_NE(ChainRecordJson(changed).value(), base);
  EXPECT_NE(ChainRecordJson(SampleEvent(), 3).value(), ChainRecordJson(SampleEvent(), 2).value());
  EXPECT_NE(ChainHash(kAuditHash, kEventJson), ChainHash(kChainGenesis, kEventJson));
}

TEST(AuditChainTest, TextThatIsNotUtf8IsRefused) {
  AuditRecord bad = SampleAudit();
  bad.detail = "\xff";
  EXPECT_FALSE(ChainRecordJson(bad));
}

}  // namespace
}  // namespace simexit
