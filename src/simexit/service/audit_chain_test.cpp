// The audit chain checked and exported over a real SQLite file, with rows
// edited, deleted, re-ordered and inserted behind the store's back as a
// person with database access would.
#include "simexit/service/audit_chain.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>

#include <array>
#include <sstream>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/testing/temp_dir.hpp"

namespace simexit {
namespace {

constexpr UnixSeconds kDay1 = 1'767'225'600;  // 2026-01-01T00:00:00Z

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("simexit.db");
    store_ = SqliteStore::Open(path_).value();
    ASSERT_TRUE(store_->Migrate());
    ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> Result<void> {
      OperatorRecord op;
      op.code = "kcell";
      op.name = "Kcell";
      SIMEXIT_ASSIGN_OR_RETURN(kcell_, tx.InsertOperator(op));
      op.code = "beeline";
      op.name = "Beeline";
      SIMEXIT_ASSIGN_OR_RETURN(beeline_, tx.InsertOperator(op));
      return {};
    }));
    // Records 1..4 for kcell on days 1..4, 5 for beeline, 6 for nobody.
    for (int i = 0; i < 4; ++i) {
      Append(kcell_, "step " + std::to_string(i + 1), kDay1 + i * kSecondsPerDay);
    }
    Append(beeline_, "theirs", kDay1);
    Append(0, "nobody's", kDay1);
  }

  void Append(std::int64_t operator_id, const std::string& detail, UnixSeconds at) {
    AuditRecord a;
    a.actor = "staff:1";
    a.action = "policy_changed";
    a.subject = "operator:x";
    a.detail = detail;
    a.at = at;
    a.operator_id = operator_id;
    ASSERT_TRUE(store_->Transact([&](StoreTx& tx) -> Result<void> {
      SIMEXIT_TRY(tx.AppendAudit(a));
      return {};
    }));
  }

  // Runs SQL on the database file directly.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error == nullptr ? "" : error;
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  std::vector<ChainBreak> Breaks(const std::optional<std::string>& op = std::nullopt) {
    Result<AuditChainReport> report = VerifyAuditChains(*store_, op);
    EXPECT_TRUE(report) << (report ? "" : report.error().message);
    return report ? report->breaks : std::vector<ChainBreak>{};
  }

  testing::TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  std::int64_t kcell_ = 0;
  std::int64_t beeline_ = 0;
};

TEST_F(AuditChainTest, AnUntouchedDatabaseVerifies) {
  Result<AuditChainReport> report = VerifyAuditChains(*store_, std::nullopt);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->chains, 3);
  EXPECT_EQ(report->links, 6);
  EXPECT_TRUE(report->breaks.empty());
  Result<AuditChainReport> one = VerifyAuditChains(*store_, std::string("kcell"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->chains, 1);
  EXPECT_EQ(one->links, 4);
}

TEST_F(AuditChainTest, AnEditedRecordBreaksItsLink) {
  Tamper("UPDATE audit_log SET detail = 'step two, quietly' WHERE id = 2");
  EXPECT_EQ(Breaks(),
            (std::vector<ChainBreak>{{kcell_, 2, "audit:2", "record_changed",
                                      "its record no longer matches the hash written with it"}}));
}

TEST_F(AuditChainTest, ARecordMovedToAnotherOperatorBreaksItsLink) {
  Tamper("UPDATE audit_log SET operator_id = " + std::to_string(beeline_) + " WHERE id = 3");
  const std::vector<ChainBreak> breaks = Breaks();
  ASSERT_EQ(breaks.size(), 1u);
  EXPECT_EQ(breaks[0].record, "audit:3");
  EXPECT_EQ(breaks[0].reason, "record_changed");
}

TEST_F(AuditChainTest, ADeletedRecordIsNamed) {
  Tamper("DELETE FROM audit_log WHERE id = 2");
  const std::vector<ChainBreak> breaks = Breaks();
  ASSERT_EQ(breaks.size(), 1u);
  EXPECT_EQ(breaks[0].record, "audit:2");
  EXPECT_EQ(breaks[0].reason, "record_deleted");
}

TEST_F(AuditChainTest, ARecordDeletedWithItsLinkBreaksTheNextLink) {
  Tamper("DELETE FROM audit_log WHERE id = 2; DELETE FROM audit_chain WHERE record_id = 2");
  const std::vector<ChainBreak> breaks = Breaks();
  ASSERT_EQ(breaks.size(), 1u);
  EXPECT_EQ(breaks[0].record, "audit:3");
  EXPECT_EQ(breaks[0].reason, "link_out_of_place");
}

TEST_F(AuditChainTest, ReorderedRecordsAreCaught) {
  // Two records swap places (their ids), as a re-ordering of the trail would.
  Tamper(
      "UPDATE audit_log SET id = 100 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3;"
      "UPDATE audit_log SET id = 3 WHERE id = 100");
  const std::vector<ChainBreak> breaks = Breaks();
  ASSERT_EQ(breaks.size(), 1u);
  EXPECT_EQ(breaks[0].record, "audit:2");
  EXPECT_EQ(breaks[0].reason, "record_changed");
}

TEST_F(AuditChainTest, ReorderedLinksAreCaught) {
  Tamper(
      "UPDATE audit_chain SET seq = 100 WHERE seq = 2; UPDATE audit_chain SET seq = 2 WHERE seq = "
      "3; UPDATE audit_chain SET seq = 3 WHERE seq = 100");
  const std::vector<ChainBreak> breaks = Breaks();
  ASSERT_EQ(breaks.size(), 1u);
  EXPECT_EQ(breaks[0].seq, 2);
  EXPECT_EQ(breaks[0].reason, "link_out_of_place");
}

TEST_F(AuditChainTest, ARecordInsertedWithoutALinkIsNamed) {
  Tamper(
      "INSERT INTO audit_log (actor, action, subject, detail, request_id, at) "
      "VALUES ('admin', 'policy_changed', 'operator:kcell', 'backdated', '', 1)");
  EXPECT_EQ(Breaks(), (std::vector<ChainBreak>{{0, 0, "audit:7", "unchained_record",
                                                "written since the chain began, without a link"}}));
  // One operator's check looks at that chain only.
  EXPECT_TRUE(Breaks("kcell").empty());
}

TEST_F(AuditChainTest, VerifyingAnUnknownOperatorSaysSo) {
  Result<AuditChainReport> report = VerifyAuditChains(*store_, std::string("tele2"));
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().problem_code, "operator_not_found");
}

class AuditExportTest : public AuditChainTest {
 protected:
  CertificateSigner signer_ = CertificateSigner::FromSeed(std::array<unsigned char, 32>{7});
};

TEST_F(AuditExportTest, ExportsTheRangeSignedWithTheKey) {
  Result<AuditExport> out = ExportAuditChain(
      *store_, signer_, "kcell", {{2026, 1, 2}, {2026, 1, 3}}, kDay1 + 10 * kSecondsPerDay);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->links, 2);
  std::istringstream lines(out->jsonl);
  std::string header, first, second, rest;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(std::getline(lines, rest));
  EXPECT_NE(header.find(R"("format":"simexit-audit-export/1")"), std::string::npos);
  EXPECT_NE(header.find(R"("from":"2026-01-02")"), std::string::npos);
  EXPECT_NE(header.find(R"("key_id":")" + signer_.key_id()), std::string::npos);
  EXPECT_NE(first.find(R"("detail":"step 2")"), std::string::npos);
  EXPECT_NE(second.find(R"("detail":"step 3")"), std::string::npos);
  ASSERT_EQ(out->signature.size(), 64u);
  EXPECT_EQ(
      crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(out->signature.data()),
                                  reinterpret_cast<const unsigned char*>(out->jsonl.data()),
                                  out->jsonl.size(), signer_.public_key().data()),
      0);
}

TEST_F(AuditExportTest, AReversedRangeIsRefused) {
  Result<AuditExport> out =
      ExportAuditChain(*store_, signer_, "kcell", {{2026, 1, 3}, {2026, 1, 2}}, kDay1);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(out.error().problem_code, "invalid_date_range");
}

TEST_F(AuditExportTest, AnUnknownOperatorIsRefused) {
  Result<AuditExport> out =
      ExportAuditChain(*store_, signer_, "tele2", {{2026, 1, 1}, {2026, 1, 2}}, kDay1);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().problem_code, "operator_not_found");
}

TEST_F(AuditExportTest, ABrokenChainIsNeverSigned) {
  Tamper("UPDATE audit_log SET detail = 'rewritten' WHERE id = 1");
  Result<AuditExport> out =
      ExportAuditChain(*store_, signer_, "kcell", {{2026, 1, 3}, {2026, 1, 4}}, kDay1);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().problem_code, "audit_chain_broken");
  EXPECT_NE(out.error().message.find("audit:1"), std::string::npos);
}

}  // namespace
}  // namespace simexit
