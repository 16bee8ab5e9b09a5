#include "simexit/common/client_address.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(ClientAddressTest, IpLiteralsAreKeptInTheirCanonicalForm) {
  EXPECT_EQ(ClientAddress::Parse("127.0.0.1")->text(), "127.0.0.1");
  EXPECT_EQ(ClientAddress::Parse("2001:DB8:0:0::1")->text(), "2001:db8::1");
  // The IPv4 client of a dual-stack socket has one name.
  EXPECT_EQ(ClientAddress::Parse("::ffff:10.1.2.3")->text(), "10.1.2.3");
  EXPECT_EQ(*ClientAddress::Parse("::ffff:10.1.2.3"), *ClientAddress::Parse("10.1.2.3"));
}

TEST(ClientAddressTest, AnythingElseIsRefused) {
  for (const char* text : {"", "localhost", "127.0.0.1:80", "1.2.3", "1.2.3.256", "fe80::1%lo",
                           " 127.0.0.1", "::1 ", "1.2.3.4\n"}) {
    EXPECT_FALSE(ClientAddress::Parse(text)) << text;
  }
}

TEST(ClientAddressTest, TheDefaultIsNoPeer) {
  EXPECT_TRUE(ClientAddress().empty());
  EXPECT_EQ(ClientAddress().text(), "");
  EXPECT_FALSE(ClientAddress::Parse("127.0.0.1")->empty());
}

}  // namespace
}  // namespace simexit
