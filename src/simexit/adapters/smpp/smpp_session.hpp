#pragma once
// SmppClient's session (internal to adapters/smpp; smpp_client.hpp describes
// the behaviour): one Asio io_context on its own thread. Split by concern:
//   smpp_session.cpp     sending from any thread, status, and the connection's
//                        life: connect, bind, enquire_link, drop, reconnect,
//                        unbind
//   smpp_session_io.cpp  on the I/O thread: reading and writing PDUs, handling
//                        each, deliver_sm, and the submit queue and its window
// All members below "I/O thread only" are touched only on the I/O thread.

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "simexit/adapters/smpp/smpp_client.hpp"
#include "simexit/adapters/smpp/smpp_messages.hpp"
#include "simexit/adapters/smpp/token_bucket.hpp"
#include "simexit/common/log.hpp"

namespace simexit::smpp {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// "250 ms", for messages.
inline std::string Ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

class SmppClient::Session {
 public:
  explicit Session(const SmppOptions& options)
      : options_(options),
        peer_(options.host + ":" + std::to_string(options.port)),
        work_(asio::make_work_guard(io_)),
        socket_(io_),
        resolver_(io_),
        connect_timer_(io_),
        reconnect_timer_(io_),
        enquire_timer_(io_),
        keepalive_timer_(io_),
        pump_timer_(io_),
        unbind_timer_(io_),
        throttle_(options.rate_per_second, Clock::now()) {
    {
      std::lock_guard lock(status_mutex_);
      connecting_ = true;
    }
    asio::post(io_, [this] { StartConnect(); });
    thread_ = std::thread([this] { io_.run(); });
  }

  // May throw only when the process cannot go on (no memory for the post, a
  // thread that cannot be joined): std::terminate is then the right end.
  ~Session() {  // NOLINT(bugprone-exception-escape)
    asio::post(io_, [this] { Shutdown(); });
    thread_.join();
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Result<SmsAccepted> Send(const SmsMessage& message);

  void SendBatch(const std::vector<SmsMessage>& messages, const SmsSettled& settled);

  void SetHandler(std::function<void(const DeliveryReport&)> handler);

  SmppClient::Status GetStatus() const;

 private:
  enum class State { kDisconnected, kConnecting, kBinding, kBound, kUnbinding, kStopped };

  struct Job {
    std::vector<ShortMessage> parts;
    std::vector<std::string> ids;
    std::size_t next_part = 0;
    std::size_t remaining = 0;
    bool done = false;
    std::promise<Result<SmsAccepted>> promise;
  };

  struct Outstanding {
    std::shared_ptr<Job> job;
    std::size_t part = 0;
    std::unique_ptr<asio::steady_timer> timer;
  };

  Error NotBound() const;  // status_mutex_ held

  // Waits up to response_timeout for a connect/bind attempt in progress; the
  // reason when no session is bound.
  std::optional<Error> WaitBound();

  // The job that submits `message`'s parts, or why it cannot be sent.
  Result<std::shared_ptr<Job>> MakeJob(const SmsMessage& message);

  // Waits for `job` until `deadline` (a guard against a stuck queue: the I/O
  // thread completes every job), then fails it as timed out.
  Result<SmsAccepted> Await(const std::shared_ptr<Job>& job, Clock::time_point deadline);

  void SetStatus(bool bound, bool connecting, std::optional<std::string> last_error);

  // ---- connection ----

  void StartConnect();

  void OnConnected();

  void OnBindResp(const Pdu& pdu);

  // Closes the connection, fails every job, and (unless stopping) schedules a reconnect.
  void Drop(const std::string& reason, bool log = true);

  void FailAll(const std::string& reason);

  void ScheduleReconnect();

  void ScheduleEnquireLink();

  void Shutdown();

  // Ends the session for good: Drop() stops the io_context once kStopped.
  void Finish(const std::string& reason);

  // ---- I/O ----

  void StartRead();

  // TCP_QUICKACK on the socket (where the system has it).
  void QuickAck();

  void Write(std::vector<std::uint8_t> frame);

  void DoWrite();

  std::uint32_t NextSequence();

  void Handle(const Pdu& pdu);

  void OnDeliverSm(const Pdu& pdu);

  // ---- submits ----

  // Queues `jobs` behind those waiting, or before them when `first` (a single
  // Send, e.g. a sign-in code someone waits for, need not wait for a batch).
  void Enqueue(const std::vector<std::shared_ptr<Job>>& jobs, bool first);

  void Pump();

  void OnSubmitResp(std::uint32_t seq, std::uint32_t command_status, const Pdu* pdu);

  void OnSubmitTimeout(std::uint32_t seq);

  static void Complete(Job& job, Result<SmsAccepted> result);

  static constexpr std::size_t kMaxPduSize = std::size_t{64} * 1024;

  const SmppOptions options_;
  const std::string peer_;
  std::atomic<std::uint8_t> concat_reference_{1};

  mutable std::mutex status_mutex_;
  std::condition_variable status_changed_;
  bool bound_ = false;
  bool connecting_ = false;
  std::string last_error_;

  std::mutex handler_mutex_;
  std::function<void(const DeliveryReport&)> handler_;

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  // I/O thread only.
  tcp::socket socket_;
  tcp::resolver resolver_;
  asio::steady_timer connect_timer_;
  asio::steady_timer reconnect_timer_;
  asio::steady_timer enquire_timer_;
  asio::steady_timer keepalive_timer_;
  asio::steady_timer pump_timer_;
  asio::steady_timer unbind_timer_;
  State state_ = State::kDisconnected;
  std::uint64_t generation_ = 0;
  int backoff_attempt_ = 0;
  std::uint32_t next_sequence_ = 1;
  std::uint32_t bind_seq_ = 0;
  PduStreamDecoder decoder_{kMaxPduSize};
  std::array<std::uint8_t, 8192> read_buffer_{};
  std::deque<std::vector<std::uint8_t>> write_queue_;
  bool writing_ = false;
  bool close_after_write_ = false;
  std::deque<std::shared_ptr<Job>> queue_;
  std::map<std::uint32_t, Outstanding> outstanding_;
  TokenBucket throttle_;

  std::thread thread_;
};

}  // namespace simexit::smpp
