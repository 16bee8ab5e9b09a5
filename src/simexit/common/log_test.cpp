#include "simexit/common/log.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace simexit {
namespace {

// Captures log lines for the duration of a test and restores global state.
class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogSinkForTesting([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.emplace_back(line);
    });
    SetLogLevel(LogLevel::kInfo);
  }
  void TearDown() override {
    SetLogSinkForTesting({});
    SetLogLevel(LogLevel::kInfo);
  }
  std::vector<boost::json::object> Parsed() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<boost::json::object> out;
    for (const auto& line : lines_) {
      out.push_back(boost::json::parse(line).as_object());
    }
    return out;
  }

  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST_F(LogTest, WritesOneJsonObjectWithStandardKeysAndFields) {
  const std::string owned = "s";
  const std::string_view view = "v";
  LogInfo("hello", {{"count", 3},
                    {"who", "a\"b\n"},
                    {"ok", true},
                    {"owned", owned},
                    {"view", view},
                    {"size", std::size_t{7}}});

  const auto lines = Parsed();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("level").as_string(), "info");
  EXPECT_EQ(lines[0].at("msg").as_string(), "hello");
  EXPECT_EQ(lines[0].at("count").as_int64(), 3);
  EXPECT_EQ(lines[0].at("who").as_string(), "a\"b\n");
  EXPECT_TRUE(lines[0].at("ok").as_bool());
  EXPECT_EQ(lines[0].at("owned").as_string(), "s");
  EXPECT_EQ(lines[0].at("view").as_string(), "v");
  EXPECT_EQ(lines[0].at("size").to_number<int>(), 7);
  EXPECT_FALSE(lines[0].contains("request_id"));
  EXPECT_EQ(lines_[0].find('\n'), std::string::npos) << "escaped, one physical line";
}

TEST_F(LogTest, TimestampIsRfc3339UtcWithMilliseconds) {
  LogInfo("t");
  const std::string ts(Parsed().at(0).at("ts").as_string());
  ASSERT_EQ(ts.size(), 24u) << ts;  // 2026-11-25T04:12:13.042Z
  EXPECT_EQ(ts[4], '-');
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts[19], '.');
  EXPECT_EQ(ts[23], 'Z');
}

TEST_F(LogTest, LevelFilterDropsLowerLevels) {
  SetLogLevel(LogLevel::kWarn);
  LogDebug("d");
  LogInfo("i");
  LogWarn("w");
  LogError("e");
  const auto lines = Parsed();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].at("level").as_string(), "warn");
  EXPECT_EQ(lines[1].at("level").as_string(), "error");
}

TEST_F(LogTest, RequestIdScopeIsCarriedNestedAndRestored) {
  EXPECT_EQ(CurrentRequestId(), "");
  {
    RequestIdScope outer("abc");
    LogInfo("one");
    {
      RequestIdScope inner("def");
      EXPECT_EQ(CurrentRequestId(), "def");
      LogInfo("two");
    }
    EXPECT_EQ(CurrentRequestId(), "abc");
  }
  EXPECT_EQ(CurrentRequestId(), "");
  LogInfo("three");
  const auto lines = Parsed();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].at("request_id").as_string(), "abc");
  EXPECT_EQ(lines[1].at("request_id").as_string(), "def");
  EXPECT_FALSE(lines[2].contains("request_id"));
}

TEST_F(LogTest, RequestIdIsPerThread) {
  RequestIdScope scope("main-thread");
  std::thread other([] { LogInfo("other"); });
  other.join();
  const auto lines = Parsed();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].contains("request_id"));
}

TEST_F(LogTest, ReservedFieldNamesCannotOverrideStandardKeys) {
  RequestIdScope scope("real");
  LogInfo("real msg", {{"msg", "forged"}, {"request_id", "forged"}});
  const auto line = Parsed().at(0);
  EXPECT_EQ(line.at("msg").as_string(), "real msg");
  EXPECT_EQ(line.at("request_id").as_string(), "real");
  EXPECT_EQ(line.at("field.msg").as_string(), "forged");
  EXPECT_EQ(line.at("field.request_id").as_string(), "forged");
}

TEST_F(LogTest, ConcurrentLinesStayWhole) {
  std::vector<std::thread> threads;
  threads.reserve(4);

  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        LogInfo("x", {{"t", t}, {"i", i}});
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(Parsed().size(), 800u);  // every line parses as one object
}

TEST(ParseLogLevelTest, KnownAndUnknown) {
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("info"), LogLevel::kInfo);
  EXPECT_EQ(ParseLogLevel("warn"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("warning"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("error"), LogLevel::kError);
  EXPECT_EQ(ParseLogLevel("INFO"), std::nullopt);
  EXPECT_EQ(ParseLogLevel("verbose"), std::nullopt);
  EXPECT_EQ(ParseLogLevel(""), std::nullopt);
}

}  // namespace
}  // namespace simexit
