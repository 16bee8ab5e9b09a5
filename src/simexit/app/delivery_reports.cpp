#include "simexit/app/delivery_reports.hpp"

#include "simexit/common/log.hpp"

namespace simexit::app {

DeliveryReportQueue::DeliveryReportQueue(Record record, int attempts,
                                         std::chrono::milliseconds retry_delay)
    : record_(std::move(record)), attempts_(attempts), retry_delay_(retry_delay) {
  thread_ = std::thread([this] { Loop(); });
}

DeliveryReportQueue::~DeliveryReportQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DeliveryReportQueue::Push(const DeliveryReport& report) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    items_.push_back(Item{report, 0, std::chrono::steady_clock::now()});
  }
  wake_.notify_all();
}

void DeliveryReportQueue::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (items_.empty()) {
      if (stopping_) {
        return;
      }
      wake_.wait(lock);
      continue;
    }
    Item item = items_.front();
    items_.pop_front();
    // On the way out, retries are not waited for: one last try each.
    if (!stopping_ && item.due > std::chrono::steady_clock::now()) {
      items_.push_back(item);
      wake_.wait_until(lock, item.due);
      continue;
    }
    lock.unlock();
    Result<std::int64_t> recorded = record_(item.report);
    lock.lock();
    if (recorded) {
      continue;
    }
    if (recorded.error().code == ErrorCode::kNotFound && ++item.tries < attempts_ && !stopping_) {
      item.due = std::chrono::steady_clock::now() + retry_delay_;
      items_.push_back(item);
      continue;
    }
    LogWarn("delivery report not recorded", {{"recipient", item.report.recipient},
                                             {"message_id", item.report.message_id},
                                             {"error", recorded.error().problem_code}});
  }
}

}  // namespace simexit::app
