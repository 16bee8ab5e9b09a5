#include "simexit/domain/webhook_url.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(WebhookUrlTest, ParsesSchemeHostPortAndTarget) {
  Result<WebhookUrl> url = WebhookUrl::Parse("HTTP://Billing.Example:8081/in?x=1");
  ASSERT_TRUE(url);
  EXPECT_FALSE(url->https());
  EXPECT_EQ(url->host(), "billing.example");
  EXPECT_EQ(url->port(), 8081);
  EXPECT_EQ(url->target(), "/in?x=1");
  EXPECT_EQ(url->text(), "HTTP://Billing.Example:8081/in?x=1");

  Result<WebhookUrl> plain = WebhookUrl::Parse("http://10.0.0.5");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port(), 80);
  EXPECT_EQ(plain->target(), "/");
  Result<WebhookUrl> tls = WebhookUrl::Parse("https://crm.example/hook");
  ASSERT_TRUE(tls);
  EXPECT_TRUE(tls->https());
  EXPECT_EQ(tls->port(), 443);
  Result<WebhookUrl> v6 = WebhookUrl::Parse("http://[::1]:9000?q");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host(), "::1");
  EXPECT_EQ(v6->port(), 9000);
  EXPECT_EQ(v6->target(), "/?q");
}

TEST(WebhookUrlTest, RefusesWhatIsNotAnHttpUrlWithAHost) {
  for (const char* bad :
       {"", "ftp://host/x", "host:80/x", "http://", "http:///x", "http://user:pw@host/",
        "http://host/#frag", "http://host:0/", "http://host:65536/", "http://host:/",
        "http://host:8o/", "http://ho st/", "http://host/\x7f", "http://[::1/", "http://[zz]/",
        "http://-host/", "javascript://alert(1)"}) {
    Result<WebhookUrl> url = WebhookUrl::Parse(bad);
    ASSERT_FALSE(url) << bad;
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(url.error().problem_code, "invalid_webhook_url") << bad;
  }
  EXPECT_FALSE(WebhookUrl::Parse("http://h/" + std::string(2048, 'a')));
}

TEST(WebhookUrlTest, PointsAtTheSameHostAndPortWithLocalNamesAlike) {
  const WebhookUrl local = *WebhookUrl::Parse("http://localhost:8080/x");
  EXPECT_TRUE(PointsAt(local, "127.0.0.1", 8080));
  EXPECT_TRUE(PointsAt(local, "0.0.0.0", 8080));
  EXPECT_TRUE(PointsAt(local, "[::1]", 8080));
  EXPECT_FALSE(PointsAt(local, "127.0.0.1", 8081));
  EXPECT_FALSE(PointsAt(local, "10.0.0.5", 8080));
  const WebhookUrl named = *WebhookUrl::Parse("http://simexit.example/");
  EXPECT_TRUE(PointsAt(named, "SIMEXIT.example", 80));
  EXPECT_FALSE(PointsAt(named, "127.0.0.1", 80));
  EXPECT_TRUE(IsLocalHost("127.1.2.3"));
  EXPECT_FALSE(IsLocalHost("10.0.0.1"));
}

}  // namespace
}  // namespace simexit
