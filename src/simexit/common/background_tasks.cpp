#include "simexit/common/background_tasks.hpp"

#include <utility>

namespace simexit {

BackgroundTasks::BackgroundTasks(std::size_t capacity)
    : capacity_(capacity), thread_([this] { Loop(); }) {}

BackgroundTasks::~BackgroundTasks() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void BackgroundTasks::Run(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (tasks_.size() < capacity_) {
      tasks_.push_back(std::move(task));
      wake_.notify_one();
      return;
    }
  }
  task();
}

void BackgroundTasks::Drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return tasks_.empty() && !running_task_; });
}

void BackgroundTasks::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) {
      return;  // stopping, and everything queued has run
    }
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    running_task_ = true;
    lock.unlock();
    task();
    lock.lock();
    running_task_ = false;
    if (tasks_.empty()) {
      idle_.notify_all();
    }
  }
}

}  // namespace simexit
