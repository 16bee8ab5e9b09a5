#pragma once
// What the dormancy sweep keeps per line (docs/dormancy.md): the warnings it
// sent and the holder's latest "keep my line", and the query for the lines
// due today. The decision itself is domain/dormancy.hpp's.
//
// Errors as in store.hpp: kUnavailable when the database is busy or
// unreachable, kInternal otherwise.

#include <cstdint>
#include <optional>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/store/lines.hpp"

namespace simexit {

enum class DormancyWarning { kFirst, kFinal };

// A line's dormancy marks (table line_dormancy); all absent until the sweep
// warns the line or its holder keeps it.
struct DormancyMarks {
  std::optional<UnixSeconds> first_warned_at;
  std::optional<UnixSeconds> final_warned_at;
  std::optional<UnixSeconds> kept_at;  // the holder's latest "keep my line"

  bool operator==(const DormancyMarks&) const = default;
};

// A line the sweep may act on, with what the decision needs.
struct DormantLine {
  LineRecord line;
  DormancyMarks marks;
  bool open_termination = false;

  bool operator==(const DormantLine&) const = default;
};

// Where a page of ListDormantLines ends: the next page starts after it.
struct DormantCursor {
  UnixSeconds last_paid_activity_at = 0;
  std::int64_t line_id = 0;

  bool operator==(const DormantCursor&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class DormancyRepository {
 public:
  virtual ~DormancyRepository() = default;

  // The active lines with a holder of `operator_id` whose clock, the later of
  // their last paid activity and their kept_at, is at or before `idle_since`,
  // ordered by (last_paid_activity_at, id) strictly after `after` (nullopt:
  // from the start), at most `limit`. Read through the index on (operator_id,
  // last_paid_activity_at): the cost follows the lines idle since then, not
  // the operator's lines. On PostgreSQL the lines are locked for the
  // transaction (FOR UPDATE), so activity recorded meanwhile waits for it.
  virtual Result<std::vector<DormantLine>> ListDormantLines(std::int64_t operator_id,
                                                            UnixSeconds idle_since,
                                                            std::optional<DormantCursor> after,
                                                            int limit) = 0;

  // Records that `which` warning went to line `line_id` at `at` (replacing an
  // earlier one of the same kind, which belonged to an earlier dormancy).
  virtual Result<void> RecordDormancyWarning(std::int64_t line_id, std::int64_t operator_id,
                                             DormancyWarning which, UnixSeconds at) = 0;

  // Records the holder's "keep my line" at `at`; an earlier keep is replaced,
  // a later one kept.
  virtual Result<void> RecordLineKept(std::int64_t line_id, std::int64_t operator_id,
                                      UnixSeconds at) = 0;

  // The marks of line `line_id` (all absent when it has none).
  virtual Result<DormancyMarks> GetDormancyMarks(std::int64_t line_id) = 0;
};

}  // namespace simexit
