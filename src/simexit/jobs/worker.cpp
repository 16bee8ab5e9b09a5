#include "simexit/jobs/worker.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "simexit/common/log.hpp"

namespace simexit {
namespace {

bool Retryable(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kNotFound:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kUnauthenticated:
      return false;
    default:
      return true;
  }
}

// Renews the worker's leases while a claimed batch runs: every `interval`, in
// its own transaction, each lease the owner holds is extended to now + the
// lease. valid_until() is the lease as last written, for the check before
// each job. Stops (and joins) when destroyed.
class LeaseRenewal {
 public:
  LeaseRenewal(Store& store, Clock& clock, const WorkerOptions& options, UnixSeconds claimed_until)
      : store_(store),
        clock_(clock),
        owner_(options.owner),
        lease_seconds_(options.lease_seconds),
        interval_(options.renew_interval_ms > 0 ? options.renew_interval_ms
                                                : std::max(1, options.lease_seconds * 1000 / 3)),
        valid_until_(claimed_until),
        thread_([this] { Loop(); }) {}
  LeaseRenewal(const LeaseRenewal&) = delete;
  LeaseRenewal& operator=(const LeaseRenewal&) = delete;
  ~LeaseRenewal() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  UnixSeconds valid_until() const { return valid_until_.load(); }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      Renew();
      lock.lock();
    }
  }

  void Renew() {
    const UnixSeconds until = clock_.Now() + lease_seconds_;
    Result<std::int64_t> renewed = TransactValue<std::int64_t>(
        store_, [&](StoreTx& tx) { return tx.RenewLeases(owner_, until); });
    if (!renewed) {
      // The lease written last still holds until it runs out; the next round tries again.
      LogWarn("worker could not renew its leases", {{"error", renewed.error().message}});
      return;
    }
    valid_until_.store(until);
  }

  Store& store_;
  Clock& clock_;
  const std::string owner_;
  const int lease_seconds_;
  const std::chrono::milliseconds interval_;
  std::atomic<UnixSeconds> valid_until_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once every member above is ready
};

}  // namespace

int Worker::MaxAttempts(const JobRecord& job) const {
  // A job that asks for more than the default may have them (an SMS keeps
  // trying for its validity period); otherwise the smaller cap wins.
  if (job.max_attempts > kDefaultJobMaxAttempts) {
    return job.max_attempts;
  }
  return job.max_attempts > 0 && job.max_attempts < options_.max_attempts ? job.max_attempts
                                                                          : options_.max_attempts;
}

int Worker::BackoffSeconds(int attempts, int base, int max) {
  long long delay = base;
  for (int i = 1; i < attempts && delay < max; ++i) {
    delay *= 2;
  }
  return static_cast<int>(delay < max ? delay : max);
}

Result<void> Worker::Run(const JobRecord& job, int max_attempts) {
  // A job whose lease keeps expiring (it crashes or hangs its worker) is
  // dead-lettered instead of being handed out for ever.
  if (job.attempts > max_attempts) {
    return Fail(ErrorCode::kInternal, "too_many_attempts",
                "the job's lease expired on every attempt");
  }
  // The stored name is parsed here, once; a kind this build does not know
  // (written by a newer build, or by hand) cannot succeed on a retry.
  const std::optional<JobKind> kind = ParseJobKind(job.kind);
  if (!kind) {
    return Fail(
        ErrorCode::kInvalidArgument, "unknown_job",
        "no job kind \"" + job.kind + "\" in this build (known: " + kJobKindNames.List() + ")");
  }
  return handler_(*kind, job.payload);
}

Result<int> Worker::RunOnce() {
  Result<std::vector<JobRecord>> jobs =
      TransactValue<std::vector<JobRecord>>(store_, [&](StoreTx& tx) {
        return tx.ClaimJobs(options_.owner, clock_.Now(), options_.lease_seconds, options_.batch);
      });
  if (!jobs) {
    return Fail(jobs.error());
  }
  if (jobs->empty()) {
    return 0;
  }
  // Every job of the batch was leased until the same time.
  LeaseRenewal renewal(store_, clock_, options_, jobs->front().lease_until);
  int ran = 0;
  for (const JobRecord& job : *jobs) {
    if (stop_.load()) {
      break;
    }
    ++ran;
    RequestIdScope scope("job-" + std::to_string(job.id));
    const int max_attempts = MaxAttempts(job);
    // The lease was taken for the whole batch and is renewed while it runs; a
    // job reached after it ran out anyway (renewals failed) may already be
    // another worker's: leave it to them. Like the store's claim, a lease
    // counts as expired only once its second has passed (lease_until < now);
    // with whole seconds, `>=` would give a 1 s lease claimed late in a
    // second only milliseconds.
    if (clock_.Now() > renewal.valid_until()) {
      LogWarn("job lease expired before it ran; left to the next claim", {{"job_id", job.id}});
      continue;
    }
    Result<void> outcome = Run(job, max_attempts);
    Result<void> recorded;
    if (outcome) {
      recorded =
          store_.Transact([&](StoreTx& tx) { return tx.CompleteJob(job.id, options_.owner); });
      LogInfo("job done", {{"job_id", job.id}, {"kind", job.kind}, {"attempt", job.attempts}});
    } else {
      const bool dead = !Retryable(outcome.error().code) || job.attempts >= max_attempts;
      const UnixSeconds retry_at =
          clock_.Now() +
          BackoffSeconds(job.attempts, options_.backoff_base_seconds, options_.backoff_max_seconds);
      const std::string error = outcome.error().problem_code + ": " + outcome.error().message;
      recorded = store_.Transact(
          [&](StoreTx& tx) { return tx.FailJob(job.id, options_.owner, error, retry_at, dead); });
      (dead ? LogError : LogWarn)(
          dead ? "job dead-lettered" : "job failed, will retry",
          {{"job_id", job.id}, {"kind", job.kind}, {"attempt", job.attempts}, {"error", error}});
    }
    if (!recorded) {
      LogWarn("job outcome not recorded",
              {{"job_id", job.id}, {"error", recorded.error().message}});
    }
  }
  return ran;
}

void Worker::Run() {
  LogInfo("worker started", {{"owner", options_.owner}});
  while (!stop_.load()) {
    Result<int> ran = RunOnce();
    if (!ran) {
      LogWarn("worker could not claim jobs", {{"error", ran.error().message}});
    }
    if (!ran || *ran == 0) {
      for (int waited = 0; waited < options_.poll_interval_ms && !stop_.load(); waited += 50) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }
  Result<void> released =
      store_.Transact([&](StoreTx& tx) { return tx.ReleaseLeases(options_.owner); });
  if (!released) {
    LogWarn("worker could not release its leases", {{"error", released.error().message}});
  }
  LogInfo("worker stopped", {{"owner", options_.owner}});
}

Result<int> Worker::RunUntilIdle() {
  int total = 0;
  for (;;) {
    Result<int> ran = RunOnce();
    if (!ran) {
      return ran;
    }
    if (*ran == 0) {
      return total;
    }
    total += *ran;
  }
}

}  // namespace simexit
