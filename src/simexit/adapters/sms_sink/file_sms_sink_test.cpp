#include "simexit/adapters/sms_sink/file_sms_sink.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

namespace simexit {
namespace {

TEST(FileSmsSinkTest, AppendsOneJsonLinePerMessage) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("simexit-sink-" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(path);
  FileSmsSink sink(path);
  ASSERT_TRUE(sink.Send({"+77011234567", "", "Код: 123456", "sign_in_code", "r1", 0, false}));
  ASSERT_TRUE(sink.Send({"+77011234568", "", "second", "terminated", "r2", 0, false}));
  std::ifstream in(path);
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  boost::json::value a = boost::json::parse(first);
  EXPECT_EQ(a.at("recipient").as_string(), "+77011234567");
  EXPECT_EQ(a.at("text").as_string(), "Код: 123456");
  EXPECT_EQ(boost::json::parse(second).at("kind").as_string(), "terminated");
  std::filesystem::remove(path);
}

TEST(FileSmsSinkTest, UnwritablePathIsUnavailable) {
  FileSmsSink sink("/nonexistent-dir/simexit/sms.log");
  Result<SmsAccepted> r = sink.Send({"+77011234567", "", "x", "k", "", 0, false});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST(FileSmsSinkTest, DescribeSaysNothingIsDelivered) {
  FileSmsSink sink("x.log");
  EXPECT_NE(sink.Describe().find("NOT delivered"), std::string::npos);
}

}  // namespace
}  // namespace simexit
