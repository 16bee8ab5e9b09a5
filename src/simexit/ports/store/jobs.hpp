#pragma once
// The job queue every background step runs from: leased with an expiry,
// retried with back-off, dead-lettered (the worker's rules are in jobs/).
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// ClaimJobs and ClaimJobsOfKind take due jobs oldest run_at first; ListJobs is newest first.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"

namespace simexit {

enum class JobState { kPending, kRunning, kDone, kDead };
const char* ToString(JobState state);  // "pending", "running", "done", "dead"
std::optional<JobState> ParseJobState(std::string_view text);

inline constexpr int kDefaultJobMaxAttempts = 10;

struct JobRecord {
  std::int64_t id = 0;
  std::string kind;        // "start_termination", "settle", "deprovision", ...
  std::string payload;     // JSON object text
  std::string dedupe_key;  // unique among jobs; EnqueueJob with a used key is a no-op
  JobState state = JobState::kPending;
  UnixSeconds run_at = 0;
  int attempts = 0;
  int max_attempts = kDefaultJobMaxAttempts;  // see Worker::MaxAttempts
  std::string lease_owner;
  UnixSeconds lease_until = 0;
  std::string last_error;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  bool operator==(const JobRecord&) const = default;
};

struct JobFilter {
  std::optional<JobState> state;
  std::optional<std::string> kind;
  int limit = 100;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class JobRepository {
 public:
  virtual ~JobRepository() = default;

  // Jobs. EnqueueJob with a dedupe_key already used returns that job's id and
  // changes nothing.
  virtual Result<std::int64_t> EnqueueJob(const JobRecord& job) = 0;
  // Leases up to `limit` due jobs (pending with run_at <= now, or running with an
  // expired lease) to `owner` until now + lease_seconds, incrementing attempts.
  virtual Result<std::vector<JobRecord>> ClaimJobs(const std::string& owner, UnixSeconds now,
                                                   int lease_seconds, int limit) = 0;
  // The same, among the jobs of one `kind` only (the worker claims SMS in
  // large batches, jobs/worker.hpp).
  virtual Result<std::vector<JobRecord>> ClaimJobsOfKind(const std::string& owner, UnixSeconds now,
                                                         int lease_seconds, int limit,
                                                         const std::string& kind) = 0;
  // Marks a leased job done. kFailedPrecondition "lease_lost" when `owner` no
  // longer holds the lease (another worker took it over).
  virtual Result<void> CompleteJob(std::int64_t id, const std::string& owner) = 0;
  // Returns a leased job to pending at `retry_at`, or dead-letters it when
  // `dead` is true. Records `error`.
  virtual Result<void> FailJob(std::int64_t id, const std::string& owner, const std::string& error,
                               UnixSeconds retry_at, bool dead) = 0;
  // Releases every lease held by `owner` (graceful shutdown): back to pending,
  // attempts not counted.
  virtual Result<void> ReleaseLeases(const std::string& owner) = 0;
  // Extends every lease `owner` still holds (its running jobs) to `lease_until`,
  // so a step that runs longer than the lease is not taken over while its
  // worker is alive. Returns how many leases it extended: 0 when the owner
  // holds none (another worker claimed them after they expired).
  virtual Result<std::int64_t> RenewLeases(const std::string& owner, UnixSeconds lease_until) = 0;
  // Puts a dead (or pending) job back to pending, due now, with attempts reset.
  virtual Result<void> RetryJob(std::int64_t id, UnixSeconds now) = 0;
  virtual Result<JobRecord> GetJob(std::int64_t id) = 0;
  virtual Result<std::vector<JobRecord>> ListJobs(const JobFilter& filter) = 0;
  // Deletes the pending jobs whose dedupe_key is `key` or starts with `key:`
  // (all the steps of one termination: "start_termination:trm_1" also takes
  // "start_termination:trm_1:…"), so work that no longer applies is not left
  // waiting. Running, done and dead jobs are kept. Returns how many went.
  virtual Result<std::int64_t> DropPendingJobs(const std::string& key) = 0;
};

}  // namespace simexit
