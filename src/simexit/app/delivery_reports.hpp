#pragma once
// Delivery reports are recorded off the SMSC session's I/O thread: the gateway
// pushes them here and returns at once (a slow database must not stall
// submit_sm_resp or enquire_link handling), and a thread of this queue records
// them. A report that arrives before its message is marked `submitted` (the
// worker is between the SMSC's acknowledgement and its own commit) is tried
// again a few times before it is given up and logged.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "simexit/common/result.hpp"
#include "simexit/ports/sms_gateway.hpp"

namespace simexit::app {

class DeliveryReportQueue {
 public:
  using Record = std::function<Result<std::int64_t>(const DeliveryReport&)>;

  explicit DeliveryReportQueue(
      Record record, int attempts = 5,
      std::chrono::milliseconds retry_delay = std::chrono::milliseconds(300));
  // Records what is queued (retries included), then stops.
  ~DeliveryReportQueue();
  DeliveryReportQueue(const DeliveryReportQueue&) = delete;
  DeliveryReportQueue& operator=(const DeliveryReportQueue&) = delete;

  void Push(const DeliveryReport& report);

 private:
  struct Item {
    DeliveryReport report;
    int tries = 0;
    std::chrono::steady_clock::time_point due;
  };
  void Loop();

  Record record_;
  int attempts_;
  std::chrono::milliseconds retry_delay_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> items_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace simexit::app
