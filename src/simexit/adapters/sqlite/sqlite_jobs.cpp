// The job queue: one table for all background work (docs/storage.md, "Job leasing").

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "simexit/adapters/sqlite/sqlite_tx.hpp"

namespace simexit::sqlite {
namespace {

// SIMEXIT_WALL_CLOCK stands in for `now` where the port passes none.
#define SIMEXIT_WALL_CLOCK "CAST(strftime('%s', 'now') AS INTEGER)"
#define SIMEXIT_JOB_COLUMNS                                                             \
  "id, kind, payload, dedupe_key, state, run_at, attempts, max_attempts, lease_owner, " \
  "lease_until, last_error, created_at, updated_at"

constexpr const char* kEnqueueJob =
    "INSERT INTO jobs (kind, payload, dedupe_key, state, run_at, attempts, max_attempts, "
    "lease_owner, lease_until, last_error, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, '', 0, ?7, ?8, ?9) "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
constexpr const char* kJobIdByDedupeKey = "SELECT id FROM jobs WHERE dedupe_key = ?1";
// Selecting and leasing in one statement, inside the IMMEDIATE transaction,
// means no two connections can lease the same job.
constexpr const char* kClaimJobs =
    "UPDATE jobs SET state = 'running', lease_owner = ?1, lease_until = ?2, "
    "attempts = attempts + 1, updated_at = ?3 "
    "WHERE id IN (SELECT id FROM jobs "
    "             WHERE (state = 'pending' AND run_at <= ?3) "
    "                OR (state = 'running' AND lease_until < ?3) "
    "             ORDER BY run_at, id LIMIT ?4) "
    "RETURNING " SIMEXIT_JOB_COLUMNS;
constexpr const char* kClaimJobsOfKind =
    "UPDATE jobs SET state = 'running', lease_owner = ?1, lease_until = ?2, "
    "attempts = attempts + 1, updated_at = ?3 "
    "WHERE id IN (SELECT id FROM jobs "
    "             WHERE kind = ?5 AND ((state = 'pending' AND run_at <= ?3) "
    "                OR (state = 'running' AND lease_until < ?3)) "
    "             ORDER BY run_at, id LIMIT ?4) "
    "RETURNING " SIMEXIT_JOB_COLUMNS;
constexpr const char* kCompleteJob =
    "UPDATE jobs SET state = 'done', lease_owner = '', lease_until = 0, "
    "updated_at = " SIMEXIT_WALL_CLOCK " WHERE id = ?1 AND state = 'running' AND lease_owner = ?2";
constexpr const char* kFailJob =
    "UPDATE jobs SET state = CASE WHEN ?5 THEN 'dead' ELSE 'pending' END, "
    "run_at = CASE WHEN ?5 THEN run_at ELSE ?4 END, last_error = ?3, lease_owner = '', "
    "lease_until = 0, updated_at = " SIMEXIT_WALL_CLOCK
    " WHERE id = ?1 AND state = 'running' AND lease_owner = ?2";
constexpr const char* kReleaseLeases =
    "UPDATE jobs SET state = 'pending', lease_owner = '', lease_until = 0, "
    "attempts = MAX(attempts - 1, 0), updated_at = " SIMEXIT_WALL_CLOCK
    " WHERE state = 'running' AND lease_owner = ?1";
constexpr const char* kRenewLeases =
    "UPDATE jobs SET lease_until = ?2 WHERE state = 'running' AND lease_owner = ?1";
constexpr const char* kRetryJob =
    "UPDATE jobs SET state = 'pending', run_at = ?2, attempts = 0, lease_owner = '', "
    "lease_until = 0, updated_at = ?2 WHERE id = ?1 AND state IN ('pending', 'dead')";
// substr, not LIKE: ids contain '_', which LIKE reads as a wildcard.
constexpr const char* kDropPendingJobs =
    "DELETE FROM jobs WHERE state = 'pending' AND "
    "(dedupe_key = ?1 OR substr(dedupe_key, 1, length(?1) + 1) = ?1 || ':')";
constexpr const char* kJobExists = "SELECT 1 FROM jobs WHERE id = ?1";
constexpr const char* kGetJob = "SELECT " SIMEXIT_JOB_COLUMNS " FROM jobs WHERE id = ?1";
constexpr const char* kListJobs = "SELECT " SIMEXIT_JOB_COLUMNS
                                  " FROM jobs WHERE (?1 IS NULL OR state = ?1) "
                                  "AND (?2 IS NULL OR kind = ?2) ORDER BY id LIMIT ?3";
#undef SIMEXIT_JOB_COLUMNS
#undef SIMEXIT_WALL_CLOCK

Result<JobRecord> ReadJob(const Statement& row) {
  JobRecord job;
  job.id = row.Int64(0);
  job.kind = row.Text(1);
  job.payload = row.Text(2);
  job.dedupe_key = row.Text(3);
  SIMEXIT_ASSIGN_OR_RETURN(job.state, ParseColumn(row, 4, ParseJobState, "jobs", "state"));
  job.run_at = row.Int64(5);
  job.attempts = row.Int(6);
  job.max_attempts = row.Int(7);
  job.lease_owner = row.Text(8);
  job.lease_until = row.Int64(9);
  job.last_error = row.Text(10);
  job.created_at = row.Int64(11);
  job.updated_at = row.Int64(12);
  return job;
}

std::int64_t ReadId(const Statement& row) { return row.Int64(0); }

}  // namespace

// Empty dedupe keys are NULL, so they never collide.
Result<std::int64_t> SqliteTx::EnqueueJob(const JobRecord& job) {
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<std::int64_t> id,
      conn_.QueryOne(kEnqueueJob, "jobs", ReadId, job.kind, job.payload,
                     NullIfEmpty{job.dedupe_key}, job.run_at, job.attempts, job.max_attempts,
                     job.last_error, job.created_at, job.updated_at));
  if (id) {
    return *id;
  }
  // The dedupe key is taken: the job already exists.
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::int64_t> existing,
                           conn_.QueryOne(kJobIdByDedupeKey, "jobs", ReadId, job.dedupe_key));
  if (!existing) {
    return Fail(ErrorCode::kInternal, "database_error", "job dedupe conflict without a job");
  }
  return *existing;
}

Result<std::vector<JobRecord>> SqliteTx::ClaimJobs(const std::string& owner, UnixSeconds now,
                                                   int lease_seconds, int limit) {
  if (owner.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_owner", "a lease owner is required");
  }
  SIMEXIT_ASSIGN_OR_RETURN(
      std::vector<JobRecord> jobs,
      conn_.QueryAll(kClaimJobs, "jobs", ReadJob, owner, now + std::int64_t{lease_seconds}, now,
                     ClampLimit(limit)));
  // RETURNING has no defined order; hand jobs out in the order they were due.
  std::sort(jobs.begin(), jobs.end(), [](const JobRecord& a, const JobRecord& b) {
    return std::pair(a.run_at, a.id) < std::pair(b.run_at, b.id);
  });
  return jobs;
}

Result<std::vector<JobRecord>> SqliteTx::ClaimJobsOfKind(const std::string& owner, UnixSeconds now,
                                                         int lease_seconds, int limit,
                                                         const std::string& kind) {
  if (owner.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_owner", "a lease owner is required");
  }
  SIMEXIT_ASSIGN_OR_RETURN(
      std::vector<JobRecord> jobs,
      conn_.QueryAll(kClaimJobsOfKind, "jobs", ReadJob, owner, now + std::int64_t{lease_seconds},
                     now, ClampLimit(limit), kind));
  // RETURNING has no defined order; hand jobs out in the order they were due.
  std::sort(jobs.begin(), jobs.end(), [](const JobRecord& a, const JobRecord& b) {
    return std::pair(a.run_at, a.id) < std::pair(b.run_at, b.id);
  });
  return jobs;
}

Result<void> SqliteTx::CompleteJob(std::int64_t id, const std::string& owner) {
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t changed, conn_.Change(kCompleteJob, "jobs", id, owner));
  if (changed > 0) {
    return {};
  }
  return JobNotChanged(id, Error{ErrorCode::kFailedPrecondition, "lease_lost",
                                 fmt::format("job {} is not leased to this worker", id)});
}

Result<void> SqliteTx::FailJob(std::int64_t id, const std::string& owner, const std::string& error,
                               UnixSeconds retry_at, bool dead) {
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t changed,
                           conn_.Change(kFailJob, "jobs", id, owner, error, retry_at, dead));
  if (changed > 0) {
    return {};
  }
  return JobNotChanged(id, Error{ErrorCode::kFailedPrecondition, "lease_lost",
                                 fmt::format("job {} is not leased to this worker", id)});
}

Result<void> SqliteTx::ReleaseLeases(const std::string& owner) {
  return conn_.Run(kReleaseLeases, "jobs", owner);
}

Result<std::int64_t> SqliteTx::RenewLeases(const std::string& owner, UnixSeconds lease_until) {
  return conn_.Change(kRenewLeases, "jobs", owner, lease_until);
}

Result<void> SqliteTx::RetryJob(std::int64_t id, UnixSeconds now) {
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t changed, conn_.Change(kRetryJob, "jobs", id, now));
  if (changed > 0) {
    return {};
  }
  return JobNotChanged(id, Error{ErrorCode::kFailedPrecondition, "job_not_retryable",
                                 fmt::format("job {} is running or done", id)});
}

// An UPDATE of a job by id and state changed nothing: kNotFound when the job
// does not exist, `if_exists` when it is in the wrong state.
Result<void> SqliteTx::JobNotChanged(std::int64_t id, Error if_exists) {
  SIMEXIT_ASSIGN_OR_RETURN(std::optional<std::int64_t> exists,
                           conn_.QueryOne(kJobExists, "jobs", ReadId, id));
  if (!exists) {
    return Fail(NotFound("job"));
  }
  return Fail(std::move(if_exists));
}

Result<JobRecord> SqliteTx::GetJob(std::int64_t id) {
  return Required(conn_.QueryOne(kGetJob, "jobs", ReadJob, id), "job");
}

Result<std::vector<JobRecord>> SqliteTx::ListJobs(const JobFilter& filter) {
  return conn_.QueryAll(kListJobs, "jobs", ReadJob,
                        NullIfEmpty{filter.state ? ToString(*filter.state) : ""},
                        NullIfEmpty{filter.kind.value_or("")}, ClampLimit(filter.limit));
}

Result<std::int64_t> SqliteTx::DropPendingJobs(const std::string& key) {
  if (key.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_dedupe_key", "a job key is required");
  }
  return conn_.Change(kDropPendingJobs, "jobs", key);
}

}  // namespace simexit::sqlite
