// Certificate PDF rendering per second on one core (bench/README.md,
// "Certificate PDF"). Google Benchmark; one thread.
//
//   build/release/simexit_certificate_pdf_bench --benchmark_repetitions=5
//
// The rate to compare between runs is the ratio of BM_CertificatePdf to
// BM_BaselineOnePage (an A4 page with one line of text through the same
// Cairo/Pango canvas): what the certificate's own layout, QR code and
// attachment cost on top of starting a PDF at all.

#include <benchmark/benchmark.h>

#include <array>

#include "simexit/certificate/signer.hpp"
#include "simexit/documents/documents.hpp"
#include "simexit/documents/pdf_attachment.hpp"
#include "simexit/documents/pdf_canvas.hpp"

namespace {

using simexit::Language;

std::string Document() {
  std::array<unsigned char, 32> seed{};
  seed.fill(9);
  const simexit::CertificateSigner signer = simexit::CertificateSigner::FromSeed(seed);
  simexit::CertificateBody body;
  body.serial = "SX-8Z0K3M4N5P6Q7R8S9T0V1W2X3C";
  body.termination_id = "trm_0123456789abcdef01234567";
  body.operator_code = "kcell";
  body.operator_name = "Kcell JSC";
  body.msisdn = "+77011234567";
  body.iccid = "8997212345678901234";
  body.holder_ref = std::string(64, 'a');
  body.terminated_at = "2026-11-25T04:12:13Z";
  body.quarantine_until = "2027-05-24";
  body.settlement = {{"currency", "KZT"},    {"refund", "1234.50"},
                     {"fee", "0.00"},        {"outstanding_charges", "0.00"},
                     {"amount_due", "0.00"}, {"forfeited_bonus", "300.00"}};
  return signer.Sign(body)->ToDocument();
}

void BM_BaselineOnePage(benchmark::State& state) {
  for (auto _ : state) {
    simexit::documents::PdfCanvas canvas("baseline", false);
    canvas.Paragraph("Certificate of line closure", "");
    benchmark::DoNotOptimize(canvas.Finish());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BaselineOnePage)->Unit(benchmark::kMillisecond);

void BM_CertificatePdf(benchmark::State& state) {
  const std::string document = Document();
  const auto language = static_cast<Language>(state.range(0));
  state.SetLabel(simexit::ToString(language));
  for (auto _ : state) {
    auto pdf = simexit::documents::RenderCertificatePdf(
        {.document = document,
         .language = language,
         .time_zone = "Asia/Almaty",
         .verify_url = "https://simexit.example.kz/verify/SX-8Z0K3M4N5P6Q7R8S9T0V1W2X3C"});
    if (!pdf) {
      state.SkipWithError(pdf.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(pdf);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CertificatePdf)
    ->Arg(static_cast<int>(Language::kRu))
    ->Arg(static_cast<int>(Language::kKk))
    ->Arg(static_cast<int>(Language::kZh))
    ->Arg(static_cast<int>(Language::kEn))
    ->Unit(benchmark::kMillisecond);

void BM_AppendEmbeddedFile(benchmark::State& state) {
  const std::string document = Document();
  simexit::documents::PdfCanvas canvas("attachment", false);
  canvas.Paragraph("x", "");
  const std::string pdf = *canvas.Finish();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        simexit::documents::AppendEmbeddedFile(pdf, {.name = "certificate.json",
                                                     .mime_type = "application/json",
                                                     .description = "",
                                                     .content = document}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendEmbeddedFile)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
