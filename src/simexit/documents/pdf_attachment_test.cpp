#include "simexit/documents/pdf_attachment.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "simexit/documents/test_tools.hpp"

namespace simexit::documents {
namespace {

// A minimal one-page PDF with a classic cross-reference table, offsets exact.
// `catalogue_extra` goes into the catalogue's dictionary.
std::string MinimalPdf(const std::string& catalogue_extra = "") {
  std::string pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  std::map<int, std::size_t> offsets;
  const auto object = [&](int number, const std::string& body) {
    offsets[number] = pdf.size();
    pdf += fmt::format("{} 0 obj\n{}\nendobj\n", number, body);
  };
  object(1, "<< /Type /Catalog /Pages 2 0 R" + catalogue_extra + " >>");
  object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  object(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>");
  object(4, "<< /Producer (a \\(test\\) producer) >>");
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 5\n0000000000 65535 f \n";
  for (const auto& [number, offset] : offsets) {
    pdf += fmt::format("{:010} 00000 n \n", offset);
  }
  pdf += fmt::format(
      "trailer\n<< /Size 5 /Root 1 0 R /Info 4 0 R /ID [<0123abcd> <0123abcd>] >>\n"
      "startxref\n{}\n%%EOF\n",
      xref);
  return pdf;
}

EmbeddedFile SampleFile() {
  return EmbeddedFile{.name = "certificate.json",
                      .mime_type = "application/json",
                      .description = "Signed (test) certificate",
                      .content = R"({"certificate":{"serial":"SX-1"},"signature":{}})"};
}

TEST(PdfAttachmentTest, AppendsAfterTheOriginalBytesWithPrevAndNewObjects) {
  const std::string original = MinimalPdf();
  Result<std::string> out = AppendEmbeddedFile(original, SampleFile());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  // An incremental update: the original is a prefix, untouched.
  ASSERT_EQ(out->substr(0, original.size()), original);
  const std::string added = out->substr(original.size());
  const std::size_t original_xref = original.find("xref\n0 5");
  EXPECT_NE(added.find(fmt::format("/Prev {}", original_xref)), std::string::npos) << added;
  EXPECT_NE(added.find("/Size 8 /Root 1 0 R /Info 4 0 R /ID [<0123abcd> <0123abcd>]"),
            std::string::npos)
      << added;
  // Each new cross-reference entry points at its object.
  const std::size_t startxref = out->rfind("startxref\n");
  const std::size_t xref = std::stoul(out->substr(startxref + 10));
  ASSERT_EQ(out->substr(xref, 5), "xref\n");
  EXPECT_EQ(out->substr(xref, 9), "xref\n1 1\n");
  const std::size_t catalogue_offset = std::stoul(out->substr(xref + 9, 10));
  EXPECT_EQ(out->substr(catalogue_offset, 8), "1 0 obj\n");
  const std::size_t second = out->find("5 3\n", xref);
  ASSERT_NE(second, std::string::npos);
  for (int i = 0; i < 3; ++i) {
    const std::size_t entry = second + 4 + static_cast<std::size_t>(i) * 20;
    EXPECT_EQ(out->substr(entry + 10, 10), " 00000 n\r\n");
    const std::size_t offset = std::stoul(out->substr(entry, 10));
    EXPECT_EQ(out->substr(offset, 8), fmt::format("{} 0 obj\n", 5 + i));
  }
  // The new catalogue keeps what the old one had and names the file.
  const std::string catalogue =
      out->substr(catalogue_offset, out->find("endobj", catalogue_offset) - catalogue_offset);
  EXPECT_NE(catalogue.find("/Type /Catalog /Pages 2 0 R"), std::string::npos) << catalogue;
  EXPECT_NE(catalogue.find("/Names << /EmbeddedFiles 7 0 R >>"), std::string::npos) << catalogue;
  EXPECT_NE(added.find("/Names [(certificate.json) 6 0 R]"), std::string::npos);
  EXPECT_NE(added.find("/Desc (Signed \\(test\\) certificate)"), std::string::npos);
  EXPECT_NE(added.find("/Subtype /application#2Fjson /Length 48"), std::string::npos) << added;
  EXPECT_NE(added.find("stream\n" + SampleFile().content + "\nendstream"), std::string::npos);
  EXPECT_TRUE(out->ends_with("%%EOF\n"));
}

TEST(PdfAttachmentTest, QpdfAcceptsTheUpdateAndPdfdetachReturnsTheBytes) {
  if (!ToolAvailable("qpdf") || !ToolAvailable("pdfdetach")) {
    GTEST_SKIP() << "qpdf and poppler-utils are needed (scripts/install-deps.sh)";
  }
  Result<std::string> out = AppendEmbeddedFile(MinimalPdf(), SampleFile());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  const ToolRun check = RunOnPdf(*out, "qpdf --check {pdf}");
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_NE(check.output.find("No syntax or stream encoding errors"), std::string::npos)
      << check.output;
  EXPECT_EQ(DetachFile(*out, "certificate.json"), SampleFile().content);
}

TEST(PdfAttachmentTest, RefusesWhatItCannotUpdate) {
  const auto refused = [](const std::string& pdf) {
    Result<std::string> out = AppendEmbeddedFile(pdf, SampleFile());
    EXPECT_FALSE(out.has_value());
    return out ? std::string() : out.error().problem_code;
  };
  EXPECT_EQ(refused(""), "unsupported_pdf");
  EXPECT_EQ(refused("%PDF-1.4\nnot a pdf at all\n"), "unsupported_pdf");
  // startxref at an xref stream (PDF 1.5 object streams).
  EXPECT_EQ(refused("%PDF-1.5\n1 0 obj\n<< /Type /XRef >>\nendobj\nstartxref\n9\n%%EOF\n"),
            "unsupported_pdf");
  // startxref past the end.
  EXPECT_EQ(refused("%PDF-1.4\nstartxref\n99999\n%%EOF\n"), "unsupported_pdf");
  // A catalogue that already has a name dictionary: not merged.
  EXPECT_EQ(refused(MinimalPdf(" /Names << /Dests 3 0 R >>")), "unsupported_pdf");
  // So a second attachment is refused too, rather than hiding the first.
  Result<std::string> once = AppendEmbeddedFile(MinimalPdf(), SampleFile());
  ASSERT_TRUE(once.has_value());
  EXPECT_EQ(refused(*once), "unsupported_pdf");
  // A trailer without /Root.
  std::string no_root = MinimalPdf();
  no_root.replace(no_root.find("/Root 1 0 R"), 11, "/Xoot 1 0 R");
  EXPECT_EQ(refused(no_root), "unsupported_pdf");
}

TEST(PdfAttachmentTest, FindsTheCatalogueThroughPrev) {
  // An update that did not touch the catalogue: it is in the older section.
  std::string pdf = MinimalPdf();
  const std::size_t first_xref = pdf.find("xref\n0 5");
  const std::size_t offset = pdf.size();
  pdf += "5 0 obj\n<< /Unrelated true >>\nendobj\n";
  const std::size_t xref = pdf.size();
  pdf += fmt::format(
      "xref\n5 1\n{:010} 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R /Prev {} >>\nstartxref\n{}\n"
      "%%EOF\n",
      offset, first_xref, xref);
  Result<std::string> out = AppendEmbeddedFile(pdf, SampleFile());
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_NE(out->find(fmt::format("/Size 9 /Root 1 0 R /Prev {}", xref)), std::string::npos);
  if (ToolAvailable("qpdf")) {
    const ToolRun check = RunOnPdf(*out, "qpdf --check {pdf}");
    EXPECT_EQ(check.status, 0) << check.output;
  }
}

TEST(PdfAttachmentTest, EscapesStringsAndNames) {
  EXPECT_EQ(PdfLiteralString("a(b)c\\d"), "(a\\(b\\)c\\\\d)");
  EXPECT_EQ(PdfLiteralString(std::string("x\ny\0", 4)), "(x\\012y\\000)");
  EXPECT_EQ(PdfLiteralString("Қ"), "(Қ)");
  EXPECT_EQ(PdfName("application/json"), "/application#2Fjson");
  EXPECT_EQ(PdfName("a b#c"), "/a#20b#23c");
}

}  // namespace
}  // namespace simexit::documents
