#include "simexit/jobs/worker.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iterator>
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

std::string ErrorText(const Error& error) { return error.problem_code + ": " + error.message; }

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

std::optional<Error> Worker::Refusal(const JobRecord& job, int max_attempts) const {
  // A job whose lease keeps expiring (it crashes or hangs its worker) is
  // dead-lettered instead of being handed out for ever.
  if (job.attempts > max_attempts) {
    return Error{ErrorCode::kInternal, "too_many_attempts",
                 "the job's lease expired on every attempt"};
  }
  // The stored name is parsed here, once; a kind this build does not know
  // (written by a newer build, or by hand) cannot succeed on a retry.
  if (!ParseJobKind(job.kind)) {
    return Error{
        ErrorCode::kInvalidArgument, "unknown_job",
        "no job kind \"" + job.kind + "\" in this build (known: " + kJobKindNames.List() + ")"};
  }
  return std::nullopt;
}

Result<void> Worker::Run(const JobRecord& job, int max_attempts) {
  if (std::optional<Error> refused = Refusal(job, max_attempts)) {
    return Fail(*refused);
  }
  return handler_(*ParseJobKind(job.kind), job.payload);
}

const BatchedJobs* Worker::BatchedFor(const std::string& kind) const {
  for (const BatchedJobs& batched : batched_) {
    if (kind == ToString(batched.kind)) {
      return &batched;
    }
  }
  return nullptr;
}

Result<void> Worker::Record(StoreTx& tx, const JobRecord& job, const Result<void>& outcome) {
  if (outcome) {
    return tx.CompleteJob(job.id, options_.owner);
  }
  const int max_attempts = MaxAttempts(job);
  const bool dead = !Retryable(outcome.error().code) || job.attempts >= max_attempts;
  const UnixSeconds retry_at =
      clock_.Now() +
      BackoffSeconds(job.attempts, options_.backoff_base_seconds, options_.backoff_max_seconds);
  return tx.FailJob(job.id, options_.owner, ErrorText(outcome.error()), retry_at, dead);
}

void Worker::LogOutcome(const JobRecord& job, const Result<void>& outcome) const {
  if (outcome) {
    LogInfo("job done", {{"job_id", job.id}, {"kind", job.kind}, {"attempt", job.attempts}});
    return;
  }
  const bool dead = !Retryable(outcome.error().code) || job.attempts >= MaxAttempts(job);
  (dead ? LogError : LogWarn)(dead ? "job dead-lettered" : "job failed, will retry",
                              {{"job_id", job.id},
                               {"kind", job.kind},
                               {"attempt", job.attempts},
                               {"error", ErrorText(outcome.error())}});
}

void Worker::RunBatch(const BatchedJobs& batched, const std::vector<const JobRecord*>& jobs) {
  std::vector<Result<void>> outcomes(jobs.size());
  std::vector<std::size_t> runnable;
  std::vector<std::string> payloads;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (std::optional<Error> refused = Refusal(*jobs[i], MaxAttempts(*jobs[i]))) {
      outcomes[i] = Fail(*refused);
    } else {
      runnable.push_back(i);
      payloads.push_back(jobs[i]->payload);
    }
  }
  if (!payloads.empty()) {
    RequestIdScope scope("jobs-" + std::to_string(jobs[runnable.front()]->id) + "+" +
                         std::to_string(payloads.size() - 1));
    std::vector<Result<void>> ran = batched.run(batched.kind, payloads);
    for (std::size_t k = 0; k < runnable.size(); ++k) {
      outcomes[runnable[k]] =
          k < ran.size() ? std::move(ran[k])
                         : Result<void>(Fail(ErrorCode::kInternal, "batch_incomplete",
                                             "the batch handler gave no outcome for this job"));
    }
  }
  // Every outcome in one transaction; a job another worker took over meanwhile
  // (lease_lost) is theirs now and does not undo the others' records.
  std::vector<std::int64_t> lost;
  Result<void> recorded = store_.Transact([&](StoreTx& tx) -> Result<void> {
    lost.clear();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      Result<void> r = Record(tx, *jobs[i], outcomes[i]);
      if (!r && r.error().problem_code != "lease_lost") {
        return r;
      }
      if (!r) {
        lost.push_back(jobs[i]->id);
      }
    }
    return {};
  });
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    LogOutcome(*jobs[i], outcomes[i]);
  }
  if (!recorded) {
    LogWarn("job outcomes not recorded", {{"jobs", static_cast<std::int64_t>(jobs.size())},
                                          {"error", recorded.error().message}});
  }
  for (std::int64_t id : lost) {
    LogWarn("job outcome not recorded", {{"job_id", id}, {"error", "lease_lost"}});
  }
}

int Worker::RunClaimed(const std::vector<JobRecord>& jobs) {
  if (jobs.empty()) {
    return 0;
  }
  // The first claim's lease is the earliest (a batched kind's top-up came later).
  LeaseRenewal renewal(store_, clock_, options_, jobs.front().lease_until);
  std::vector<std::pair<const BatchedJobs*, std::vector<const JobRecord*>>> groups;
  int ran = 0;
  for (const JobRecord& job : jobs) {
    if (stop_.load()) {
      break;
    }
    ++ran;
    // The lease was taken for the whole claim and is renewed while it runs; a
    // job reached after it ran out anyway (renewals failed) may already be
    // another worker's: leave it to them. Like the store's claim, a lease
    // counts as expired only once its second has passed (lease_until < now);
    // with whole seconds, `>=` would give a 1 s lease claimed late in a
    // second only milliseconds.
    if (clock_.Now() > renewal.valid_until()) {
      LogWarn("job lease expired before it ran; left to the next claim", {{"job_id", job.id}});
      continue;
    }
    if (const BatchedJobs* batched = BatchedFor(job.kind)) {
      auto group = std::find_if(groups.begin(), groups.end(),
                                [&](const auto& g) { return g.first == batched; });
      if (group == groups.end()) {
        groups.emplace_back(batched, std::vector<const JobRecord*>{});
        group = std::prev(groups.end());
      }
      group->second.push_back(&job);
      continue;
    }
    RequestIdScope scope("job-" + std::to_string(job.id));
    const Result<void> outcome = Run(job, MaxAttempts(job));
    const Result<void> recorded =
        store_.Transact([&](StoreTx& tx) { return Record(tx, job, outcome); });
    LogOutcome(job, outcome);
    if (!recorded) {
      LogWarn("job outcome not recorded",
              {{"job_id", job.id}, {"error", recorded.error().message}});
    }
  }
  for (const auto& [batched, group] : groups) {
    RunBatch(*batched, group);
  }
  return ran;
}

Result<int> Worker::RunOnce() {
  Result<std::vector<JobRecord>> jobs =
      TransactValue<std::vector<JobRecord>>(store_, [&](StoreTx& tx) {
        return tx.ClaimJobs(options_.owner, clock_.Now(), options_.lease_seconds, options_.batch);
      });
  if (!jobs) {
    return Fail(jobs.error());
  }
  // Each batched kind is topped up to its limit, so that the jobs of that kind
  // the ordinary claim took run in the same batch as the rest.
  for (const BatchedJobs& batched : batched_) {
    const std::string kind = ToString(batched.kind);
    const auto taken = std::count_if(jobs->begin(), jobs->end(),
                                     [&](const JobRecord& job) { return job.kind == kind; });
    if (taken >= batched.limit) {
      continue;
    }
    Result<std::vector<JobRecord>> more =
        TransactValue<std::vector<JobRecord>>(store_, [&](StoreTx& tx) {
          return tx.ClaimJobsOfKind(options_.owner, clock_.Now(), options_.lease_seconds,
                                    batched.limit - static_cast<int>(taken), kind);
        });
    if (!more) {
      // What was claimed runs; the rest waits for the next round.
      LogWarn("worker could not claim a batch", {{"kind", kind}, {"error", more.error().message}});
      break;
    }
    jobs->insert(jobs->end(), std::make_move_iterator(more->begin()),
                 std::make_move_iterator(more->end()));
  }
  return RunClaimed(*jobs);
}

void Worker::Run() {
  LogInfo("worker started", {{"owner", options_.owner}});
  while (!stop_.load()) {
    Result<int> ran = RunOnce();
    if (!ran) {
      LogWarn("worker could not claim jobs", {{"error", ran.error().message}});
    }
    if (!ran || *ran == 0) {
      // In steps of at most 50 ms, so Stop() is seen soon; a shorter
      // interval than that is slept as it is.
      for (int waited = 0; waited < options_.poll_interval_ms && !stop_.load();) {
        const int step = std::min(50, options_.poll_interval_ms - waited);
        std::this_thread::sleep_for(std::chrono::milliseconds(step));
        waited += step;
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
