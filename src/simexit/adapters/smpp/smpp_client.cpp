#include "simexit/adapters/smpp/smpp_client.hpp"

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

#include "simexit/adapters/smpp/smpp_messages.hpp"
#include "simexit/adapters/smpp/token_bucket.hpp"
#include "simexit/common/log.hpp"

namespace simexit::smpp {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

std::string Ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

// All members below "I/O thread only" are touched only on the I/O thread.
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

  ~Session() {
    asio::post(io_, [this] { Shutdown(); });
    thread_.join();
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Result<SmsAccepted> Send(const SmsMessage& message) {
    auto submits =
        BuildSubmits(options_, message, concat_reference_.fetch_add(1, std::memory_order_relaxed));
    if (!submits) {
      return Fail(submits.error());
    }
    {
      std::unique_lock lock(status_mutex_);
      status_changed_.wait_for(lock, options_.response_timeout,
                               [this] { return bound_ || !connecting_; });
      if (!bound_) {
        return Fail(NotBound());
      }
    }
    auto job = std::make_shared<Job>();
    job->parts = std::move(*submits);
    job->ids.resize(job->parts.size());
    job->remaining = job->parts.size();
    auto future = job->promise.get_future();
    asio::post(io_, [this, job] { Enqueue(job); });
    // The I/O thread completes every job (response, per-part timeout, drop,
    // shutdown); this bound only guards against a stuck queue.
    const auto budget = options_.response_timeout * static_cast<int>(job->parts.size() + 2) +
                        throttle_.TimeFor(job->parts.size());
    if (future.wait_for(budget) != std::future_status::ready) {
      asio::post(io_, [this, job] {
        Complete(*job, Fail(ErrorCode::kUnavailable, "smsc_timeout",
                            "SMSC " + peer_ + ": the SMS was not acknowledged within " +
                                Ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    options_.response_timeout))));
      });
    }
    return future.get();
  }

  void SetHandler(std::function<void(const DeliveryReport&)> handler) {
    std::lock_guard lock(handler_mutex_);
    handler_ = std::move(handler);
  }

  SmppClient::Status GetStatus() const {
    std::lock_guard lock(status_mutex_);
    return SmppClient::Status{bound_, last_error_};
  }

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

  Error NotBound() const {  // status_mutex_ held
    return Error{ErrorCode::kUnavailable, "smsc_not_bound",
                 "not bound to SMSC " + peer_ + ": " +
                     (last_error_.empty() ? std::string("connecting") : last_error_)};
  }

  void SetStatus(bool bound, bool connecting, std::optional<std::string> last_error) {
    {
      std::lock_guard lock(status_mutex_);
      bound_ = bound;
      connecting_ = connecting;
      if (last_error) {
        last_error_ = std::move(*last_error);
      }
    }
    status_changed_.notify_all();
  }

  // ---- connection ----

  void StartConnect() {
    if (state_ == State::kStopped) {
      return;
    }
    state_ = State::kConnecting;
    SetStatus(false, true, std::nullopt);
    const auto generation = ++generation_;
    decoder_ = PduStreamDecoder(kMaxPduSize);
    connect_timer_.expires_after(options_.response_timeout);
    connect_timer_.async_wait([this, generation](const boost::system::error_code& ec) {
      if (ec || generation != generation_) {
        return;
      }
      if (state_ == State::kConnecting || state_ == State::kBinding) {
        Drop((state_ == State::kConnecting ? "no TCP connection" : "no bind_transceiver_resp") +
             std::string(" within ") + Ms(options_.response_timeout));
      }
    });
    resolver_.async_resolve(
        options_.host, std::to_string(options_.port),
        [this, generation](const boost::system::error_code& ec,
                           tcp::resolver::results_type results) {
          if (generation != generation_) {
            return;
          }
          if (ec) {
            Drop("cannot resolve " + options_.host + ": " + ec.message());
            return;
          }
          asio::async_connect(
              socket_, results,
              [this, generation](const boost::system::error_code& cec, const tcp::endpoint&) {
                if (generation != generation_) {
                  return;
                }
                if (cec) {
                  Drop("connect failed: " + cec.message());
                  return;
                }
                OnConnected();
              });
        });
  }

  void OnConnected() {
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    state_ = State::kBinding;
    StartRead();
    Bind bind;
    bind.system_id = options_.system_id;
    bind.password = options_.password;
    bind.system_type = options_.system_type;
    bind_seq_ = NextSequence();
    Write(EncodeBind(command::kBindTransceiver, bind_seq_, bind));
  }

  void OnBindResp(const Pdu& pdu) {
    connect_timer_.cancel();
    const std::uint32_t st = pdu.header.command_status;
    if (st == status::kOk) {
      state_ = State::kBound;
      backoff_attempt_ = 0;
      SetStatus(true, false, std::string());
      LogInfo("smpp bound", {{"smsc", peer_}, {"system_id", options_.system_id}});
      ScheduleEnquireLink();
      Pump();
      return;
    }
    const std::string reason = "bind rejected: " + DescribeCommandStatus(st);
    LogError(
        "smpp bind rejected",
        {{"smsc", peer_}, {"system_id", options_.system_id}, {"status", CommandStatusName(st)}});
    Drop(reason, /*log=*/false);
  }

  // Closes the connection, fails every job, and (unless stopping) schedules a reconnect.
  void Drop(const std::string& reason, bool log = true) {
    if (log && state_ != State::kStopped) {
      LogWarn("smpp session down", {{"smsc", peer_}, {"reason", reason}});
    }
    ++generation_;
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    resolver_.cancel();
    connect_timer_.cancel();
    enquire_timer_.cancel();
    keepalive_timer_.cancel();
    pump_timer_.cancel();
    unbind_timer_.cancel();
    write_queue_.clear();
    writing_ = false;
    close_after_write_ = false;
    FailAll(reason);
    if (state_ == State::kStopped || state_ == State::kUnbinding) {
      state_ = State::kStopped;
      SetStatus(false, false, reason);
      reconnect_timer_.cancel();
      work_.reset();
      io_.stop();
      return;
    }
    state_ = State::kDisconnected;
    SetStatus(false, false, reason);
    ScheduleReconnect();
  }

  void FailAll(const std::string& reason) {
    for (auto& [seq, out] : outstanding_) {
      Complete(*out.job, Fail(ErrorCode::kUnavailable, "smsc_connection_lost",
                              "connection to SMSC " + peer_ + " lost (" + reason + ") before " +
                                  PartName(out.part, out.job->parts.size()) + " was acknowledged"));
    }
    outstanding_.clear();
    for (auto& job : queue_) {
      if (job->next_part > 0) {
        Complete(*job, Fail(ErrorCode::kUnavailable, "smsc_connection_lost",
                            "connection to SMSC " + peer_ + " lost (" + reason +
                                ") in the middle of a multi-part SMS"));
      } else {
        Complete(*job, Fail(ErrorCode::kUnavailable, "smsc_not_bound",
                            "not bound to SMSC " + peer_ + ": " + reason));
      }
    }
    queue_.clear();
  }

  void ScheduleReconnect() {
    auto delay = options_.reconnect_min;
    for (int i = 0; i < backoff_attempt_ && delay < options_.reconnect_max; ++i) {
      delay *= 2;
    }
    delay = std::min(delay, options_.reconnect_max);
    ++backoff_attempt_;
    reconnect_timer_.expires_after(delay);
    reconnect_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec && state_ == State::kDisconnected) {
        StartConnect();
      }
    });
  }

  void ScheduleEnquireLink() {
    const auto generation = generation_;
    enquire_timer_.expires_after(options_.enquire_link_interval);
    enquire_timer_.async_wait([this, generation](const boost::system::error_code& ec) {
      if (ec || generation != generation_ || state_ != State::kBound) {
        return;
      }
      Write(EncodeHeaderOnly(command::kEnquireLink, 0, NextSequence()));
      keepalive_timer_.expires_after(options_.response_timeout);
      keepalive_timer_.async_wait([this, generation](const boost::system::error_code& kec) {
        if (kec || generation != generation_) {
          return;
        }
        Drop("no enquire_link_resp within " + Ms(options_.response_timeout));
      });
    });
  }

  void Shutdown() {
    reconnect_timer_.cancel();
    if (state_ == State::kBound) {
      state_ = State::kUnbinding;
      FailAll("the client is shutting down");
      Write(EncodeHeaderOnly(command::kUnbind, 0, NextSequence()));
      unbind_timer_.expires_after(options_.response_timeout);
      unbind_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
          Finish("no unbind_resp within " + Ms(options_.response_timeout));
        }
      });
      return;
    }
    Finish("the client is shutting down");
  }

  // Ends the session for good: Drop() stops the io_context once kStopped.
  void Finish(const std::string& reason) {
    state_ = State::kStopped;
    Drop(reason, /*log=*/false);
  }

  // ---- I/O ----

  void StartRead() {
    const auto generation = generation_;
    socket_.async_read_some(asio::buffer(read_buffer_),
                            [this, generation](const boost::system::error_code& ec, std::size_t n) {
                              if (generation != generation_) {
                                return;
                              }
                              if (ec) {
                                Drop(ec == asio::error::eof
                                         ? std::string("connection closed by the SMSC")
                                         : "read failed: " + ec.message());
                                return;
                              }
                              decoder_.Feed(std::span<const std::uint8_t>(read_buffer_.data(), n));
                              while (generation == generation_) {
                                auto next = decoder_.Next();
                                if (!next) {
                                  Drop("protocol error: " + next.error().message);
                                  return;
                                }
                                if (!*next) {
                                  break;
                                }
                                Handle(**next);
                              }
                              if (generation == generation_) {
                                StartRead();
                              }
                            });
  }

  void Write(std::vector<std::uint8_t> frame) {
    write_queue_.push_back(std::move(frame));
    if (!writing_) {
      DoWrite();
    }
  }

  void DoWrite() {
    writing_ = true;
    const auto generation = generation_;
    asio::async_write(socket_, asio::buffer(write_queue_.front()),
                      [this, generation](const boost::system::error_code& ec, std::size_t) {
                        if (generation != generation_) {
                          return;
                        }
                        if (ec) {
                          Drop("write failed: " + ec.message());
                          return;
                        }
                        write_queue_.pop_front();
                        if (!write_queue_.empty()) {
                          DoWrite();
                          return;
                        }
                        writing_ = false;
                        if (close_after_write_) {
                          Drop("the SMSC unbound");
                        }
                      });
  }

  std::uint32_t NextSequence() {
    if (next_sequence_ >= 0x7FFFFFFFu) {
      next_sequence_ = 1;
    }
    return next_sequence_++;
  }

  void Handle(const Pdu& pdu) {
    const Header& h = pdu.header;
    switch (h.command_id) {
      case command::kBindTransceiverResp:
        if (state_ == State::kBinding && h.sequence_number == bind_seq_) {
          OnBindResp(pdu);
        }
        return;
      case command::kSubmitSmResp:
        OnSubmitResp(h.sequence_number, h.command_status, &pdu);
        return;
      case command::kGenericNack:
        if (state_ == State::kBinding && h.sequence_number == bind_seq_) {
          // Whatever its status, a generic_nack is not a bind: treat it as a
          // rejection (a status of 0 would otherwise read as "bound").
          Pdu rejected = pdu;
          if (rejected.header.command_status == status::kOk) {
            rejected.header.command_status = status::kSysErr;
          }
          OnBindResp(rejected);
          return;
        }
        if (outstanding_.count(h.sequence_number) != 0) {
          OnSubmitResp(h.sequence_number,
                       h.command_status == status::kOk ? status::kSysErr : h.command_status,
                       nullptr);
          return;
        }
        LogWarn("smpp generic_nack", {{"smsc", peer_},
                                      {"status", CommandStatusName(h.command_status)},
                                      {"sequence", h.sequence_number}});
        return;
      case command::kEnquireLink:
        Write(EncodeHeaderOnly(command::kEnquireLinkResp, 0, h.sequence_number));
        return;
      case command::kEnquireLinkResp:
        keepalive_timer_.cancel();
        if (state_ == State::kBound) {
          ScheduleEnquireLink();
        }
        return;
      case command::kDeliverSm:
        OnDeliverSm(pdu);
        return;
      case command::kUnbind:
        Write(EncodeHeaderOnly(command::kUnbindResp, 0, h.sequence_number));
        close_after_write_ = true;
        return;
      case command::kUnbindResp:
        if (state_ == State::kUnbinding) {
          Finish("unbound");
        }
        return;
      case command::kAlertNotification: {
        auto alert = DecodeAlertNotification(pdu);
        LogInfo("smpp alert_notification",
                {{"smsc", peer_}, {"ms", alert ? alert->source.addr : std::string("?")}});
        return;
      }
      default:
        if ((h.command_id & command::kResponseBit) == 0) {
          Write(EncodeHeaderOnly(command::kGenericNack, status::kInvCmdId, h.sequence_number));
        }
        return;
    }
  }

  void OnDeliverSm(const Pdu& pdu) {
    auto message = DecodeShortMessage(pdu);
    if (!message) {
      // Permanent application error: the SMSC should not send it again.
      Write(EncodeIdResponse(command::kDeliverSmResp, 0x65, pdu.header.sequence_number, ""));
      LogWarn("smpp malformed deliver_sm", {{"smsc", peer_}, {"error", message.error().message}});
      return;
    }
    Write(EncodeIdResponse(command::kDeliverSmResp, status::kOk, pdu.header.sequence_number, ""));
    if ((message->esm_class & kEsmClassTypeMask) != kEsmClassDeliveryReceipt) {
      LogInfo("smpp mobile-originated SMS ignored", {{"smsc", peer_}});
      return;
    }
    const DeliveryReport report = DeliveryReportFrom(*message);
    std::function<void(const DeliveryReport&)> handler;
    {
      std::lock_guard lock(handler_mutex_);
      handler = handler_;
    }
    if (handler) {
      handler(report);
    } else {
      LogWarn("smpp delivery report without a handler", {{"smsc", peer_}});
    }
  }

  // ---- submits ----

  void Enqueue(const std::shared_ptr<Job>& job) {
    if (state_ != State::kBound) {
      std::lock_guard lock(status_mutex_);
      Complete(*job, Fail(NotBound()));
      return;
    }
    queue_.push_back(job);
    Pump();
  }

  void Pump() {
    const auto window = static_cast<std::size_t>(std::max(1, options_.window));
    while (state_ == State::kBound && !queue_.empty() && outstanding_.size() < window) {
      auto job = queue_.front();
      if (job->done || job->next_part >= job->parts.size()) {
        queue_.pop_front();
        continue;
      }
      if (const auto wait = throttle_.Take(Clock::now()); wait.has_value()) {
        pump_timer_.expires_after(*wait);
        pump_timer_.async_wait([this](const boost::system::error_code& ec) {
          if (!ec) {
            Pump();
          }
        });
        return;
      }
      const std::size_t part = job->next_part++;
      if (job->next_part >= job->parts.size()) {
        queue_.pop_front();
      }
      const std::uint32_t seq = NextSequence();
      Write(EncodeShortMessage(command::kSubmitSm, seq, job->parts[part]));
      auto timer = std::make_unique<asio::steady_timer>(io_);
      timer->expires_after(options_.response_timeout);
      timer->async_wait([this, seq](const boost::system::error_code& ec) {
        if (!ec) {
          OnSubmitTimeout(seq);
        }
      });
      outstanding_.emplace(seq, Outstanding{job, part, std::move(timer)});
    }
  }

  void OnSubmitResp(std::uint32_t seq, std::uint32_t command_status, const Pdu* pdu) {
    auto it = outstanding_.find(seq);
    if (it == outstanding_.end()) {
      return;  // timed out already, or not ours
    }
    Outstanding out = std::move(it->second);
    outstanding_.erase(it);
    out.timer->cancel();
    Job& job = *out.job;
    if (command_status != status::kOk) {
      Complete(job, Fail(SubmitStatusError(command_status, out.part, job.parts.size())));
    } else {
      if (pdu != nullptr) {
        if (auto id = DecodeIdResponse(*pdu)) {
          job.ids[out.part] = std::move(*id);
        }
      }
      if (--job.remaining == 0) {
        Complete(job, SmsAccepted{job.ids, static_cast<int>(job.parts.size())});
      }
    }
    Pump();
  }

  void OnSubmitTimeout(std::uint32_t seq) {
    auto it = outstanding_.find(seq);
    if (it == outstanding_.end()) {
      return;
    }
    Outstanding out = std::move(it->second);
    outstanding_.erase(it);
    Complete(*out.job, Fail(ErrorCode::kUnavailable, "smsc_timeout",
                            "SMSC " + peer_ + " sent no submit_sm_resp within " +
                                Ms(options_.response_timeout) + " for " +
                                PartName(out.part, out.job->parts.size())));
    Pump();
  }

  static void Complete(Job& job, Result<SmsAccepted> result) {
    if (job.done) {
      return;
    }
    job.done = true;
    job.promise.set_value(std::move(result));
  }

  static constexpr std::size_t kMaxPduSize = 64 * 1024;

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

SmppClient::SmppClient(SmppOptions options)
    : options_(std::move(options)), session_(std::make_unique<Session>(options_)) {}

SmppClient::~SmppClient() = default;

Result<SmsAccepted> SmppClient::Send(const SmsMessage& message) { return session_->Send(message); }

void SmppClient::SetDeliveryReportHandler(std::function<void(const DeliveryReport&)> handler) {
  session_->SetHandler(std::move(handler));
}

std::string SmppClient::Describe() const {
  const std::string& who = options_.system_id.empty() ? options_.source_addr : options_.system_id;
  return "SMPP 3.4 ESME " + who + "@" + options_.host + ":" + std::to_string(options_.port);
}

SmppClient::Status SmppClient::status() const { return session_->GetStatus(); }

}  // namespace simexit::smpp
