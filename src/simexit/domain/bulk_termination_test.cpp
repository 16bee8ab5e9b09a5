#include "simexit/domain/bulk_termination.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(BulkTerminationTest, ReasonCodesAreAClosedSet) {
  EXPECT_TRUE(IsBulkReasonCode("contract_ended"));
  EXPECT_TRUE(IsBulkReasonCode("suspected_fraud"));
  EXPECT_FALSE(IsBulkReasonCode("Contract_Ended"));
  EXPECT_FALSE(IsBulkReasonCode(""));
  EXPECT_FALSE(IsBulkReasonCode("dormant"));
}

TEST(BulkTerminationTest, ReadsEveryNumberAndNamesTheBadOnesByRow) {
  BulkNumbers read =
      ReadBulkNumbers({"+77011000001", "8 701 100 0002", "hello", "77011000001", "+77011000003"});
  ASSERT_EQ(read.msisdns.size(), 3u);
  EXPECT_EQ(read.msisdns[0].e164(), "+77011000001");
  EXPECT_EQ(read.msisdns[1].e164(), "+77011000002");
  EXPECT_EQ(read.msisdns[2].e164(), "+77011000003");
  EXPECT_EQ(read.rows, (std::vector<std::size_t>{0, 1, 4}));
  ASSERT_EQ(read.problems.size(), 2u);
  EXPECT_EQ(read.problems[0].row, 2u);
  EXPECT_EQ(read.problems[0].code, "invalid_msisdn");
  EXPECT_EQ(read.problems[0].msisdn, "hello");
  // The same number in another form is a repeat of row 0.
  EXPECT_EQ(read.problems[1].row, 3u);
  EXPECT_EQ(read.problems[1].code, "duplicate_msisdn");
  EXPECT_EQ(read.problems[1].message, "the number is on row 0 too");
}

}  // namespace
}  // namespace simexit
