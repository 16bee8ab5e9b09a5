#include "simexit/certificate/serial.hpp"

#include <gtest/gtest.h>

#include <set>

#include "simexit/common/random.hpp"

namespace simexit {
namespace {

// Hands out fixed hex, so the encoding can be checked exactly.
class FixedRandom final : public Random {
 public:
  explicit FixedRandom(std::string hex) : hex_(std::move(hex)) {}
  std::uint32_t Uniform(std::uint32_t) override { return 0; }
  std::string Hex(std::size_t bytes) override { return hex_.substr(0, 2 * bytes); }

 private:
  std::string hex_;
};

TEST(CertificateSerialTest, CrockfordBase32KnownValues) {
  EXPECT_EQ(CrockfordBase32(""), "");
  EXPECT_EQ(CrockfordBase32(std::string(1, '\0')), "00");
  EXPECT_EQ(CrockfordBase32("\xff"), "ZW");
  // "foobar" in RFC 4648 base32 is MZXW6YTBOI; Crockford maps the same 5-bit
  // groups to its own alphabet.
  EXPECT_EQ(CrockfordBase32("foobar"), "CSQPYRK1E8");
}

TEST(CertificateSerialTest, NewSerialCarries128BitsInCrockfordBase32) {
  FixedRandom zeros(std::string(32, '0'));
  EXPECT_EQ(NewCertificateSerial(zeros), "SX-" + std::string(26, '0'));
  FixedRandom ones(std::string(32, 'f'));
  EXPECT_EQ(NewCertificateSerial(ones), "SX-" + std::string(25, 'Z') + "W");
  FixedRandom mixed("00112233445566778899aabbccddeeff");
  const std::string serial = NewCertificateSerial(mixed);
  ASSERT_EQ(serial.size(), 29U);
  EXPECT_EQ(serial.find_first_of("ILOU", 3), std::string::npos);
}

TEST(CertificateSerialTest, SodiumSerialsDiffer) {
  SodiumRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string serial = NewCertificateSerial(random);
    EXPECT_TRUE(IsPlausibleCertificateSerial(serial)) << serial;
    seen.insert(serial);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(CertificateSerialTest, PlausibleSerials) {
  EXPECT_TRUE(IsPlausibleCertificateSerial("SX-2026-000123"));
  EXPECT_TRUE(IsPlausibleCertificateSerial("SX-0123456789ABCDEFGHJKMNPQRS"));
  EXPECT_FALSE(IsPlausibleCertificateSerial(""));
  EXPECT_FALSE(IsPlausibleCertificateSerial("sx-2026-000123"));
  EXPECT_FALSE(IsPlausibleCertificateSerial("SX-2026-000123'"));
  EXPECT_FALSE(IsPlausibleCertificateSerial("XX-1"));
  EXPECT_FALSE(IsPlausibleCertificateSerial("SX-" + std::string(62, '1')));
}

}  // namespace
}  // namespace simexit
