// UploadService on the real SQLite store (in memory) and blobs in memory.

#include "simexit/service/upload_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/matchers.hpp"
#include "simexit/testing/service_world.hpp"
#include "simexit/testing/values.hpp"

namespace simexit {
namespace {

using testing::IsError;
using testing::IsOk;

constexpr UnixSeconds kStart = testing::kTestStart;  // 2026-09-21
const std::string kPdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
const std::string kPng("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);

class UploadServiceTest : public ::testing::Test {
 protected:
  UploadServiceTest() : operators_(ctx_), uploads_(ctx_, blobs_, 1024) {
    EXPECT_TRUE(world_.migrated);
    Result<OperatorRecord> kcell = operators_.CreateOperator("kcell", "Kcell", Policy{}, "ru");
    EXPECT_TRUE(kcell) << kcell.error().message;
    kcell_id_ = kcell->id;
    Result<OperatorRecord> beeline =
        operators_.CreateOperator("beeline", "Beeline", Policy{}, "kk");
    EXPECT_TRUE(beeline);
    beeline_id_ = beeline->id;
  }

  Caller KcellBackOffice() const { return Caller::Staff(11, kcell_id_, StaffRole::kBackOffice); }
  Caller BeelineBackOffice() const {
    return Caller::Staff(21, beeline_id_, StaffRole::kBackOffice);
  }

  UploadRecord UploadPdf() {
    Result<UploadRecord> up =
        uploads_.Upload(KcellBackOffice(), {kPdf, "application/pdf", "C:\\scans\\application.pdf"});
    EXPECT_TRUE(up) << up.error().problem_code << ": " << up.error().message;
    return up ? *up : UploadRecord{};
  }

  testing::ServiceWorld world_;
  std::unique_ptr<SqliteStore>& store_ = world_.store;
  testing::FakeHlr& hlr_ = world_.hlr;
  testing::MemorySmsGateway& sms_ = world_.sms;
  ManualClock& clock_ = world_.clock;
  Random& random_ = world_.random;
  CertificateSigner& signer_ = world_.signer;
  ServiceContext& ctx_ = world_.ctx;
  testing::MemoryBlobStore blobs_;
  OperatorService operators_;
  UploadService uploads_;
  std::int64_t kcell_id_ = 0;
  std::int64_t beeline_id_ = 0;
};

TEST_F(UploadServiceTest, BackOfficeUploadsAndDownloads) {
  const UploadRecord up = UploadPdf();
  EXPECT_EQ(up.id.rfind("upl_", 0), 0u);
  EXPECT_EQ(up.id.size(), 4u + 24u);
  EXPECT_EQ(up.operator_id, kcell_id_);
  EXPECT_EQ(up.content_type, "application/pdf");
  EXPECT_EQ(up.file_name, "application.pdf");
  EXPECT_EQ(up.size, static_cast<std::int64_t>(kPdf.size()));
  EXPECT_EQ(up.sha256, Sha256Hex(kPdf));
  EXPECT_EQ(up.uploaded_by, "staff:11");
  EXPECT_EQ(up.created_at, kStart);
  EXPECT_TRUE(up.termination_id.empty());

  Result<UploadRecord> got = uploads_.Get(KcellBackOffice(), up.id);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->sha256, up.sha256);
  EXPECT_EQ(got->file_name, "application.pdf");

  Result<std::pair<UploadRecord, std::string>> down =
      uploads_.Download(Caller::Staff(12, kcell_id_, StaffRole::kAgentPhone), up.id);
  ASSERT_THAT(down, IsOk());
  EXPECT_EQ(down->first.id, up.id);
  EXPECT_EQ(down->second, kPdf);
}

TEST_F(UploadServiceTest, UploadIsAuditedWithoutContentOrName) {
  const UploadRecord up = UploadPdf();
  Result<std::vector<AuditRecord>> audit = TransactValue<std::vector<AuditRecord>>(
      *store_, [&](StoreTx& tx) { return tx.ListAudit(up.id, 10); });
  ASSERT_THAT(audit, IsOk());
  ASSERT_EQ(audit->size(), 1u);
  const AuditRecord& a = audit->front();
  EXPECT_EQ(a.action, "upload_stored");
  EXPECT_EQ(a.actor, "staff:11");
  EXPECT_EQ(a.subject, up.id);
  EXPECT_EQ(a.at, kStart);
  EXPECT_EQ(a.detail.find("application.pdf"), std::string::npos);
  EXPECT_EQ(a.detail.find("%PDF"), std::string::npos);
  EXPECT_NE(a.detail.find(std::to_string(kPdf.size())), std::string::npos);
}

TEST_F(UploadServiceTest, OtherOperatorSeesNothing) {
  const UploadRecord up = UploadPdf();
  Result<std::pair<UploadRecord, std::string>> down = uploads_.Download(BeelineBackOffice(), up.id);
  ASSERT_FALSE(down);
  Result<std::pair<UploadRecord, std::string>> absent =
      uploads_.Download(BeelineBackOffice(), "upl_000000000000000000000000");
  ASSERT_FALSE(absent);
  // Indistinguishable from an upload that does not exist.
  EXPECT_THAT(down, IsError(ErrorCode::kNotFound, "upload_not_found"));
  EXPECT_EQ(down.error().code, absent.error().code);
  EXPECT_EQ(down.error().problem_code, absent.error().problem_code);
  EXPECT_EQ(down.error().message, absent.error().message);
  Result<UploadRecord> got = uploads_.Get(Caller::Operator(beeline_id_, 5), up.id);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().problem_code, "upload_not_found");
}

TEST_F(UploadServiceTest, HoldersGetNotFound) {
  const UploadRecord up = UploadPdf();
  const Caller holder = Caller::Holder(1, testing::TestMsisdn("+77011234567"));
  Result<UploadRecord> uploaded = uploads_.Upload(holder, {kPdf, "application/pdf", "a.pdf"});
  ASSERT_FALSE(uploaded);
  EXPECT_EQ(uploaded.error().code, ErrorCode::kNotFound);
  Result<std::pair<UploadRecord, std::string>> down = uploads_.Download(holder, up.id);
  ASSERT_FALSE(down);
  EXPECT_THAT(down, IsError(ErrorCode::kNotFound, "upload_not_found"));
}

TEST_F(UploadServiceTest, PhoneAgentMayNotUpload) {
  Result<UploadRecord> up = uploads_.Upload(Caller::Staff(12, kcell_id_, StaffRole::kAgentPhone),
                                            {kPdf, "application/pdf", "a.pdf"});
  ASSERT_FALSE(up);
  EXPECT_THAT(up, IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_EQ(blobs_.size(), 0u);
}

TEST_F(UploadServiceTest, StoreAgentAndOperatorKeyMayUpload) {
  Result<UploadRecord> by_agent = uploads_.Upload(
      Caller::Staff(13, kcell_id_, StaffRole::kAgentStore), {kPng, "image/png", "id.png"});
  ASSERT_THAT(by_agent, IsOk());
  EXPECT_EQ(by_agent->content_type, "image/png");
  Result<UploadRecord> by_key = uploads_.Upload(Caller::Operator(beeline_id_, 5), {kPdf, "", ""});
  ASSERT_THAT(by_key, IsOk());
  EXPECT_EQ(by_key->operator_id, beeline_id_);
  EXPECT_EQ(by_key->uploaded_by, "api_key:5");
  EXPECT_EQ(by_key->file_name, "upload.pdf");
}

TEST_F(UploadServiceTest, AdminsMustUploadForAnOperatorButSeeAll) {
  Result<UploadRecord> up = uploads_.Upload(Caller::Admin(0), {kPdf, "application/pdf", "a.pdf"});
  ASSERT_FALSE(up);
  EXPECT_THAT(up, IsError(ErrorCode::kInvalidArgument, "operator_required"));
  const UploadRecord mine = UploadPdf();
  Result<std::pair<UploadRecord, std::string>> down = uploads_.Download(Caller::Admin(0), mine.id);
  ASSERT_THAT(down, IsOk());
  EXPECT_EQ(down->second, kPdf);
}

TEST_F(UploadServiceTest, ContentIsCheckedBeforeAnythingIsStored) {
  for (const auto& [body, type, name, reason] : std::vector<std::array<std::string, 4>>{
           {"", "application/pdf", "a.pdf", "upload_empty"},
           {"<html></html>", "application/pdf", "a.pdf", "unsupported_upload_type"},
           {kPdf, "image/png", "a.pdf", "upload_type_mismatch"},
           {kPdf, "application/pdf", "a.png", "upload_type_mismatch"},
           {kPdf, "application/pdf", "dir/a.exe", "upload_type_mismatch"},
           {kPdf + std::string(1024, ' '), "application/pdf", "a.pdf", "upload_too_large"}}) {
    Result<UploadRecord> up = uploads_.Upload(KcellBackOffice(), {body, type, name});
    ASSERT_FALSE(up) << reason;
    EXPECT_THAT(up, IsError(ErrorCode::kInvalidArgument, reason));
  }
  EXPECT_EQ(blobs_.size(), 0u);
}

TEST_F(UploadServiceTest, BlobStoreFailureIsReturned) {
  blobs_.FailNextPut();
  Result<UploadRecord> up = uploads_.Upload(KcellBackOffice(), {kPdf, "application/pdf", "a.pdf"});
  ASSERT_FALSE(up);
  EXPECT_EQ(up.error().code, ErrorCode::kUnavailable);
}

TEST_F(UploadServiceTest, MissingContentIsAnInternalError) {
  const UploadRecord up = UploadPdf();
  blobs_.Erase(up.storage_key);
  Result<std::pair<UploadRecord, std::string>> down = uploads_.Download(KcellBackOffice(), up.id);
  ASSERT_FALSE(down);
  EXPECT_THAT(down, IsError(ErrorCode::kInternal, "upload_content_missing"));
}

TEST(UploadFileNameTest, KeepsTheBaseNameOnly) {
  EXPECT_EQ(UploadService::SanitizeFileName("scan.pdf"), "scan.pdf");
  EXPECT_EQ(UploadService::SanitizeFileName("/etc/passwd"), "passwd");
  EXPECT_EQ(UploadService::SanitizeFileName("..\\..\\boot.ini"), "boot.ini");
  EXPECT_EQ(UploadService::SanitizeFileName("a/b/"), "");
  EXPECT_EQ(UploadService::SanitizeFileName(".."), "");
  EXPECT_EQ(UploadService::SanitizeFileName("  Заявление Иванова.pdf "), "Заявление Иванова.pdf");
}

TEST(UploadFileNameTest, DropsControlsBidiOverridesAndInvalidUtf8) {
  EXPECT_EQ(UploadService::SanitizeFileName("a\r\nb\t\x7f.pdf"), "ab.pdf");
  EXPECT_EQ(UploadService::SanitizeFileName("scan\xE2\x80\xAE"
                                            "fdp.exe"),
            "scanfdp.exe");
  EXPECT_EQ(UploadService::SanitizeFileName("a\xC2\x85"
                                            "b.pdf"),
            "ab.pdf");  // C1 NEL
  EXPECT_EQ(UploadService::SanitizeFileName("a\xFF\xC3(b.pdf"), "a(b.pdf");
  EXPECT_EQ(UploadService::SanitizeFileName("a\xC0\xAF.pdf"), "a.pdf");  // overlong '/'
  EXPECT_EQ(UploadService::SanitizeFileName(std::string("a\0b.pdf", 7)), "ab.pdf");
}

TEST(UploadFileNameTest, LongNamesKeepTheirExtensionAndWholeCharacters) {
  std::string name;  // 100 two-byte characters
  for (int i = 0; i < 100; ++i) {
    name += "я";
  }
  const std::string cut = UploadService::SanitizeFileName(name + ".pdf");
  EXPECT_LE(cut.size(), 200u);
  EXPECT_EQ(cut.size(), 196u + 4u);
  EXPECT_EQ(cut.substr(cut.size() - 4), ".pdf");
  const std::string odd = UploadService::SanitizeFileName("x" + name + ".pdf");
  EXPECT_EQ(odd.size(), 1u + 194u + 4u);  // never half a character
  EXPECT_EQ(odd.substr(odd.size() - 4), ".pdf");
  EXPECT_EQ(UploadService::SanitizeFileName(std::string(300, 'a')).size(), 200u);
}

}  // namespace
}  // namespace simexit
