#include "simexit/domain/content_type.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

const std::string kPdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";
const std::string kJpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
const std::string kPng("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);

TEST(SniffContentTypeTest, RecognisesTheThreeSignatures) {
  EXPECT_EQ(SniffContentType(kPdf), "application/pdf");
  EXPECT_EQ(SniffContentType(kJpeg), "image/jpeg");
  EXPECT_EQ(SniffContentType(kPng), "image/png");
}

TEST(SniffContentTypeTest, SignatureMustBeAtOffsetZeroAndComplete) {
  EXPECT_EQ(SniffContentType(" %PDF-1.7"), std::nullopt);
  EXPECT_EQ(SniffContentType("%PDF"), std::nullopt);
  EXPECT_EQ(SniffContentType(std::string("\xFF\xD8", 2)), std::nullopt);
  EXPECT_EQ(SniffContentType(kPng.substr(0, 7)), std::nullopt);
  EXPECT_EQ(SniffContentType(std::string("\x89PNG\r\n\x1a\x0a", 8)), "image/png");
  EXPECT_EQ(SniffContentType(std::string("\x89PNG\n\r\x1a\n", 8)), std::nullopt);
  EXPECT_EQ(SniffContentType("<html><body>"), std::nullopt);
  EXPECT_EQ(SniffContentType("<svg xmlns="), std::nullopt);
  EXPECT_EQ(SniffContentType(""), std::nullopt);
}

TEST(CheckUploadTest, ReturnsTheSniffedType) {
  EXPECT_EQ(CheckUpload(kPdf, "application/pdf", "scan.pdf", 1000), "application/pdf");
  EXPECT_EQ(CheckUpload(kJpeg, "image/jpeg", "photo.JPEG", 1000), "image/jpeg");
  EXPECT_EQ(CheckUpload(kJpeg, "image/jpg", "photo.jpg", 1000), "image/jpeg");
  EXPECT_EQ(CheckUpload(kPng, "IMAGE/PNG; charset=binary", "Scan.PnG", 1000), "image/png");
}

TEST(CheckUploadTest, MissingClaimsAreNotMismatches) {
  EXPECT_EQ(CheckUpload(kPdf, "", "", 1000), "application/pdf");
  EXPECT_EQ(CheckUpload(kPdf, "application/octet-stream", "scan", 1000), "application/pdf");
}

TEST(CheckUploadTest, EmptyIsRefused) {
  Result<std::string> r = CheckUpload("", "application/pdf", "scan.pdf", 1000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().problem_code, "upload_empty");
}

TEST(CheckUploadTest, LimitIsInclusive) {
  const std::string exact = kPdf + std::string(100 - kPdf.size(), 'x');
  EXPECT_EQ(CheckUpload(exact, "application/pdf", "scan.pdf", 100), "application/pdf");
  Result<std::string> r = CheckUpload(exact + "x", "application/pdf", "scan.pdf", 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().problem_code, kUploadTooLarge);
}

TEST(CheckUploadTest, SizeIsCheckedBeforeTheType) {
  Result<std::string> r = CheckUpload(std::string(101, 'x'), "text/plain", "a.txt", 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problem_code, "upload_too_large");
}

TEST(CheckUploadTest, OtherContentIsUnsupportedWhateverItClaims) {
  for (const char* body : {"<html><script>alert(1)</script>", "PK\x03\x04", "GIF89a"}) {
    Result<std::string> r = CheckUpload(body, "application/pdf", "scan.pdf", 1000);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().problem_code, "unsupported_upload_type");
  }
}

TEST(CheckUploadTest, DeclaredTypeMustMatchTheContent) {
  Result<std::string> r = CheckUpload(kPng, "application/pdf", "scan.png", 1000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problem_code, "upload_type_mismatch");
  r = CheckUpload(kPdf, "text/html", "scan.pdf", 1000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problem_code, "upload_type_mismatch");
}

TEST(CheckUploadTest, ExtensionMustMatchTheContent) {
  for (const char* name : {"scan.png", "scan.pdf.jpg", "scan.html", "scan.exe", "x.tiff"}) {
    Result<std::string> r = CheckUpload(kPdf, "application/pdf", name, 1000);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().problem_code, "upload_type_mismatch") << name;
  }
  EXPECT_EQ(CheckUpload(kPdf, "", "scan.jpg.PDF", 1000), "application/pdf");
}

TEST(ExtensionForTest, NamesTheExtensionOfEachType) {
  EXPECT_EQ(ExtensionFor("application/pdf"), ".pdf");
  EXPECT_EQ(ExtensionFor("image/jpeg"), ".jpg");
  EXPECT_EQ(ExtensionFor("image/png"), ".png");
  EXPECT_EQ(ExtensionFor("text/html"), "");
}

}  // namespace
}  // namespace simexit
