#pragma once
// The one background-work mechanism: a loop that leases due jobs from the
// store, runs them through a handler, and records the outcome.
//
// Outcomes: success -> done; kUnavailable (and other retryable codes) ->
// back to pending after exponential back-off (base * 2^(attempts-1), capped);
// after max_attempts, or at once for kInvalidArgument / kFailedPrecondition /
// kNotFound (retrying cannot help), -> dead, visible in `simexit jobs list` and
// retryable by hand with `simexit jobs retry`. A job whose stored kind names no
// JobKind is dead-lettered at once ("unknown_job") without reaching the handler.
// Several workers (threads or processes) may run against the same store: the
// lease makes each job run on one of them at a time, and an expired lease (a
// crashed worker) lets another take it over. While a batch runs, the worker
// renews its leases every renew_interval_ms, so a step that takes longer than
// lease_seconds (a slow HLR, a full SMPP window) stays its own; a worker that
// dies stops renewing, and its jobs go to another after at most one lease.
//
// Batched kinds (SMS): after the ordinary claim of `batch` jobs, each kind
// given a BatchedJobs entry is topped up to its `limit` (ClaimJobsOfKind); the
// claimed jobs of that kind are handed to its handler together, after the
// others of the claim ran, and their outcomes recorded in one transaction.
// The rules above (retries, dead letters, leases) apply to each job.

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/service/job_kind.hpp"

namespace simexit {

struct WorkerOptions {
  std::string owner;  // unique per worker, e.g. "host:pid:thread"
  int lease_seconds = 60;
  int batch = 8;
  int max_attempts = 10;
  int backoff_base_seconds = 2;
  int backoff_max_seconds = 600;
  int poll_interval_ms = 500;
  // How often leases are renewed while a batch runs; 0: a third of the lease.
  int renew_interval_ms = 0;
};

using JobHandler = std::function<Result<void>(JobKind kind, const std::string& payload)>;

// Runs several jobs of one kind at once: one outcome per payload, in order.
using BatchJobHandler = std::function<std::vector<Result<void>>(
    JobKind kind, const std::vector<std::string>& payloads)>;

struct BatchedJobs {
  JobKind kind = JobKind::kSendSms;
  int limit = 1;  // jobs claimed and run together at most
  BatchJobHandler run;
};

class Worker {
 public:
  Worker(Store& store, Clock& clock, JobHandler handler, WorkerOptions options,
         std::vector<BatchedJobs> batched = {})
      : store_(store),
        clock_(clock),
        handler_(std::move(handler)),
        options_(std::move(options)),
        batched_(std::move(batched)) {}

  // Claims and runs one batch of due jobs. Returns how many ran (0 = idle).
  Result<int> RunOnce();

  // Runs until Stop() is called; sleeps poll_interval_ms when idle. Releases
  // its leases before returning.
  void Run();

  // Runs until no job is due now (for `simexit worker --until-idle` and tests).
  Result<int> RunUntilIdle();

  void Stop() { stop_.store(true); }

  // Attempts `job` gets: its own cap when it asks for more than
  // kDefaultJobMaxAttempts, else the smaller of its cap and worker.max_attempts.
  int MaxAttempts(const JobRecord& job) const;

  // Back-off before attempt `attempts` + 1.
  static int BackoffSeconds(int attempts, int base, int max);

 private:
  // One claimed job's outcome: the handler's, or the worker's own refusal
  // (too_many_attempts, unknown_job).
  Result<void> Run(const JobRecord& job, int max_attempts);
  // The worker's own refusal of `job` before any handler runs, if any.
  std::optional<Error> Refusal(const JobRecord& job, int max_attempts) const;
  // Runs the claimed `jobs` (one claim, one lease) and records their outcomes.
  int RunClaimed(const std::vector<JobRecord>& jobs);
  // Records one job's outcome in `tx` (the log line included).
  Result<void> Record(StoreTx& tx, const JobRecord& job, const Result<void>& outcome);
  const BatchedJobs* BatchedFor(const std::string& kind) const;
  // Runs one batched kind's claimed jobs together and records their outcomes
  // in one transaction.
  void RunBatch(const BatchedJobs& batched, const std::vector<const JobRecord*>& jobs);
  void LogOutcome(const JobRecord& job, const Result<void>& outcome) const;

  Store& store_;
  Clock& clock_;
  JobHandler handler_;
  WorkerOptions options_;
  std::vector<BatchedJobs> batched_;
  std::atomic<bool> stop_{false};
};

}  // namespace simexit
