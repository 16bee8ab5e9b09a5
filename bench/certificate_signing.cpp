// Certificate signing per second on one thread, as a ratio to libsodium's
// Ed25519 signature of the same bytes alone (bench/README.md, "Certificate
// signing"). Google Benchmark.
//
//   build/release/simexit_certificate_signing --benchmark_repetitions=5
//
// BM_SignCertificate: CertificateSigner::Sign, i.e. validate the body, build
// its canonical JSON, sign it, base64 the signature: what issuing a certificate
// costs besides the database and the PDF.
// BM_LibsodiumSign: crypto_sign_detached over the canonical JSON of the same
// body, computed once outside the loop: the floor of any Ed25519 signer.

#include <benchmark/benchmark.h>
#include <sodium.h>

#include <array>
#include <string>

#include "simexit/certificate/certificate.hpp"
#include "simexit/certificate/signer.hpp"
#include "simexit/common/canonical_json.hpp"

namespace {

simexit::CertificateBody Body() {
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
  return body;
}

std::array<unsigned char, 32> Seed() {
  std::array<unsigned char, 32> seed{};
  seed.fill(9);
  return seed;
}

void BM_SignCertificate(benchmark::State& state) {
  const simexit::CertificateSigner signer = simexit::CertificateSigner::FromSeed(Seed());
  const simexit::CertificateBody body = Body();
  for (auto _ : state) {
    auto signed_certificate = signer.Sign(body);
    if (!signed_certificate) {
      state.SkipWithError(signed_certificate.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(signed_certificate->signature_b64);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignCertificate)->Unit(benchmark::kMicrosecond);

void BM_LibsodiumSign(benchmark::State& state) {
  if (sodium_init() < 0) {
    state.SkipWithError("sodium_init failed");
    return;
  }
  const std::array<unsigned char, 32> seed = Seed();
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};
  crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed.data());
  const auto canonical = simexit::CanonicalJson(boost::json::value(Body().ToJson()));
  if (!canonical) {
    state.SkipWithError(canonical.error().message.c_str());
    return;
  }
  std::array<unsigned char, crypto_sign_BYTES> signature{};
  for (auto _ : state) {
    crypto_sign_detached(signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(canonical->data()),
                         canonical->size(), secret_key.data());
    benchmark::DoNotOptimize(signature);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LibsodiumSign)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
