#pragma once
// Work that must happen, but not before the caller is answered: one thread of
// its own and a bounded queue. Used for what would otherwise make an answer's
// timing tell something (docs/security.md: a sign-in code is sent after the
// answer, so a customer's number is not answered later than an unknown one).
//
// Nothing is dropped: when the queue is full, Run runs the task at once on the
// caller's thread (slower, never lost). The destructor runs what is queued,
// then stops. A task queued when the process dies is lost with the process;
// callers only queue what a person can ask for again (a sign-in code).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace simexit {

class BackgroundTasks {
 public:
  explicit BackgroundTasks(std::size_t capacity = 1024);
  ~BackgroundTasks();
  BackgroundTasks(const BackgroundTasks&) = delete;
  BackgroundTasks& operator=(const BackgroundTasks&) = delete;

  // Queues `task` (tasks run one at a time, in the order queued), or runs it
  // here when `capacity` tasks are already waiting. A task must not throw.
  void Run(std::function<void()> task);

  // Returns once every task queued before the call has run (tests, shutdown).
  void Drain();

 private:
  void Loop();

  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> tasks_;
  bool running_task_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace simexit
