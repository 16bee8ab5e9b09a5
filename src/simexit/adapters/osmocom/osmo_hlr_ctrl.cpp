#include "simexit/adapters/osmocom/osmo_hlr_ctrl.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <future>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "simexit/adapters/osmocom/ctrl_message.hpp"
#include "simexit/adapters/osmocom/ipa_frame.hpp"

namespace simexit {

namespace asio = boost::asio;
using asio::ip::tcp;
using osmo::CtrlReply;

namespace {

constexpr std::string_view kUnavailableReason = "hlr_unavailable";

Error Unavailable(std::string message) {
  return Error{ErrorCode::kUnavailable, std::string(kUnavailableReason), std::move(message)};
}

std::optional<std::uint64_t> ParseId(std::string_view text) {
  std::uint64_t id = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (ec != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return id;
}

}  // namespace

// Owns the socket and the I/O thread. Every member below `thread-confined`
// is touched only on the I/O thread (inside handlers or posted functions).
class OsmoHlrCtrl::Connection {
 public:
  explicit Connection(const OsmoHlrCtrlOptions& options)
      : options_(options),
        endpoint_name_(options.host + ":" + std::to_string(options.port)),
        work_(asio::make_work_guard(io_)),
        socket_(io_),
        resolver_(io_) {
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Connection() {
    asio::post(io_, [this] {
      shutting_down_ = true;
      Drop("the HLR client is shutting down");
    });
    work_.reset();
    thread_.join();
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends one request and waits for its reply (any kind, ERROR included).
  Result<CtrlReply> Request(osmo::CtrlVerb verb, std::string_view variable,
                            std::string_view value) {
    const std::uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
    auto text = osmo::FormatCtrlRequest(verb, id, variable, value);
    if (!text) {
      return Fail(text.error());
    }
    auto frame = osmo::EncodeCtrlFrame(*text);
    if (!frame) {
      return Fail(frame.error());
    }
    auto promise = std::make_shared<std::promise<Result<CtrlReply>>>();
    auto future = promise->get_future();
    asio::post(io_, [this, id, frame = std::move(*frame), promise]() mutable {
      Submit(id, std::move(frame), std::move(promise));
    });
    if (future.wait_for(options_.request_timeout) == std::future_status::ready) {
      return future.get();
    }
    asio::post(io_, [this, id] { Abandon(id); });
    return Fail(Unavailable("no reply from osmo-hlr CTRL " + endpoint_name_ + " within " +
                            std::to_string(options_.request_timeout.count()) + " ms"));
  }

 private:
  using Promise = std::promise<Result<CtrlReply>>;
  enum class State { kIdle, kConnecting, kConnected };

  void Submit(std::uint64_t id, std::string frame, std::shared_ptr<Promise> promise) {
    if (shutting_down_) {
      promise->set_value(Fail(Unavailable("the HLR client is shutting down")));
      return;
    }
    pending_.emplace(id, std::move(promise));
    out_queue_ += frame;
    if (state_ == State::kIdle) {
      StartConnect();
    } else if (state_ == State::kConnected) {
      StartWrite();
    }
  }

  // The caller stopped waiting: the HLR did not answer in time. Requests are
  // answered in order, so everything sent after it is stuck too; drop the
  // connection (the next call reconnects).
  void Abandon(std::uint64_t id) {
    if (pending_.find(id) == pending_.end()) {
      return;  // answered or failed in the meantime
    }
    Drop("no reply from osmo-hlr within " + std::to_string(options_.request_timeout.count()) +
         " ms");
  }

  void StartConnect() {
    state_ = State::kConnecting;
    const std::uint64_t generation = ++generation_;
    decoder_ = osmo::IpaDecoder();
    socket_ = tcp::socket(io_);
    resolver_.async_resolve(
        options_.host, std::to_string(options_.port), tcp::resolver::numeric_service,
        [this, generation](const boost::system::error_code& ec,
                           const tcp::resolver::results_type& results) {
          if (generation != generation_) {
            return;
          }
          if (ec) {
            Drop("cannot resolve " + options_.host + ": " + ec.message());
            return;
          }
          asio::async_connect(socket_, results,
                              [this, generation](const boost::system::error_code& connect_ec,
                                                 const tcp::endpoint&) {
                                OnConnected(generation, connect_ec);
                              });
        });
  }

  void OnConnected(std::uint64_t generation, const boost::system::error_code& ec) {
    if (generation != generation_) {
      return;
    }
    if (ec) {
      Drop("cannot connect: " + ec.message());
      return;
    }
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    state_ = State::kConnected;
    StartRead();
    StartWrite();
  }

  void StartWrite() {
    if (writing_ || out_queue_.empty()) {
      return;
    }
    writing_ = true;
    out_writing_.swap(out_queue_);
    out_queue_.clear();
    const std::uint64_t generation = generation_;
    asio::async_write(socket_, asio::buffer(out_writing_),
                      [this, generation](const boost::system::error_code& ec, std::size_t) {
                        if (generation != generation_) {
                          return;
                        }
                        writing_ = false;
                        out_writing_.clear();
                        if (ec) {
                          Drop("write failed: " + ec.message());
                          return;
                        }
                        StartWrite();
                      });
  }

  void StartRead() {
    const std::uint64_t generation = generation_;
    socket_.async_read_some(
        asio::buffer(read_buffer_),
        [this, generation](const boost::system::error_code& ec, std::size_t size) {
          if (generation != generation_) {
            return;
          }
          if (ec) {
            Drop(ec == asio::error::eof ? std::string("connection closed by osmo-hlr")
                                        : "read failed: " + ec.message());
            return;
          }
          decoder_.Append(std::string_view(read_buffer_.data(), size));
          if (DispatchFrames()) {
            StartRead();
          }
        });
  }

  // Returns false when the connection was dropped.
  bool DispatchFrames() {
    for (;;) {
      auto next = decoder_.Next();
      if (!next) {
        Drop("protocol error: " + next.error().message);
        return false;
      }
      if (!next->has_value()) {
        return true;
      }
      osmo::IpaFrame& frame = **next;
      if (frame.kind == osmo::IpaFrame::Kind::kCcm) {
        if (!frame.payload.empty() &&
            static_cast<std::uint8_t>(frame.payload[0]) == osmo::kIpaCcmPing) {
          out_queue_ += osmo::EncodeCcmFrame(osmo::kIpaCcmPong);
          StartWrite();
        }
        continue;
      }
      auto reply = osmo::ParseCtrlReply(frame.payload);
      if (!reply) {
        Drop("protocol error: " + reply.error().message);
        return false;
      }
      if (reply->kind == CtrlReply::Kind::kTrap) {
        continue;
      }
      const auto id = ParseId(reply->id);
      if (!id) {
        continue;  // e.g. "ERROR err ..." for a request osmo could not parse
      }
      const auto it = pending_.find(*id);
      if (it == pending_.end()) {
        continue;  // late reply to an abandoned request
      }
      auto promise = std::move(it->second);
      pending_.erase(it);
      promise->set_value(std::move(*reply));
    }
  }

  // Closes the connection and fails every request in flight or queued.
  void Drop(const std::string& why) {
    ++generation_;
    state_ = State::kIdle;
    writing_ = false;
    out_queue_.clear();
    out_writing_.clear();
    resolver_.cancel();
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    auto pending = std::move(pending_);
    pending_.clear();
    const Error error = Unavailable("osmo-hlr CTRL " + endpoint_name_ + ": " + why);
    for (auto& [id, promise] : pending) {
      promise->set_value(Fail(error));
    }
  }

  const OsmoHlrCtrlOptions options_;
  const std::string endpoint_name_;
  std::atomic<std::uint64_t> next_id_{1};

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  // thread-confined:
  tcp::socket socket_;
  tcp::resolver resolver_;
  State state_ = State::kIdle;
  std::uint64_t generation_ = 0;
  bool shutting_down_ = false;
  bool writing_ = false;
  std::string out_queue_;    // frames waiting for the next write
  std::string out_writing_;  // the buffer of the write in progress
  std::array<char, 16384> read_buffer_{};
  osmo::IpaDecoder decoder_;
  std::unordered_map<std::uint64_t, std::shared_ptr<Promise>> pending_;

  std::thread thread_;  // last: starts after everything above exists
};

OsmoHlrCtrl::OsmoHlrCtrl(OsmoHlrCtrlOptions options)
    : options_(std::move(options)), connection_(std::make_unique<Connection>(options_)) {}

OsmoHlrCtrl::~OsmoHlrCtrl() = default;

Result<std::string> OsmoHlrCtrl::Call(bool is_set, std::string_view variable,
                                      std::string_view value) {
  auto reply = connection_->Request(is_set ? osmo::CtrlVerb::kSet : osmo::CtrlVerb::kGet,
                                    variable, value);
  if (!reply) {
    return Fail(reply.error());
  }
  if (reply->kind == CtrlReply::Kind::kError) {
    return Fail(osmo::MapHlrError(reply->value));
  }
  const auto expected = is_set ? CtrlReply::Kind::kSetReply : CtrlReply::Kind::kGetReply;
  if (reply->kind != expected || reply->variable != variable) {
    return Fail(ErrorCode::kInternal, "hlr_error",
                "osmo-hlr answered " + std::string(variable) + " with an unexpected reply for " +
                    reply->variable);
  }
  return std::move(reply->value);
}

Result<std::string> OsmoHlrCtrl::Get(std::string_view variable) {
  return Call(false, variable, {});
}

Result<std::string> OsmoHlrCtrl::Set(std::string_view variable, std::string_view value) {
  return Call(true, variable, value);
}

namespace {

std::string SubscriberVariable(const Imsi& imsi, std::string_view leaf) {
  return "subscriber.by-imsi-" + imsi.digits() + "." + std::string(leaf);
}

Result<bool> ParseFlag(const std::map<std::string, std::string, std::less<>>& fields,
                       std::string_view key) {
  const auto it = fields.find(key);
  if (it == fields.end() || (it->second != "0" && it->second != "1")) {
    return Fail(ErrorCode::kInternal, "hlr_error",
                "osmo-hlr info has no valid " + std::string(key) + " field");
  }
  return it->second == "1";
}

}  // namespace

Result<HlrSubscriber> OsmoHlrCtrl::Lookup(const Imsi& imsi) {
  auto info = Get(SubscriberVariable(imsi, "info"));
  if (!info) {
    return Fail(info.error());
  }
  const auto fields = osmo::ParseInfoValue(*info);
  HlrSubscriber subscriber;
  const auto imsi_field = fields.find("imsi");
  subscriber.imsi = imsi_field != fields.end() ? imsi_field->second : imsi.digits();
  const auto msisdn_field = fields.find("msisdn");
  if (msisdn_field != fields.end() && msisdn_field->second != "none") {
    subscriber.msisdn = msisdn_field->second;
  }
  auto cs = ParseFlag(fields, "nam_cs");
  if (!cs) {
    return Fail(cs.error());
  }
  auto ps = ParseFlag(fields, "nam_ps");
  if (!ps) {
    return Fail(ps.error());
  }
  subscriber.cs_enabled = *cs;
  subscriber.ps_enabled = *ps;
  return subscriber;
}

Result<void> OsmoHlrCtrl::Provision(const Imsi& imsi, const Msisdn& msisdn) {
  auto created = Set("subscriber.create", imsi.digits());
  if (!created) {
    return Fail(created.error());
  }
  auto numbered = Set(SubscriberVariable(imsi, "msisdn"), msisdn.digits());
  if (!numbered) {
    // Do not leave a subscriber without its number behind.
    (void)Set("subscriber.delete", imsi.digits());
    return Fail(numbered.error());
  }
  return {};
}

Result<void> OsmoHlrCtrl::Bar(const Imsi& imsi) {
  // ps/cs-enabled on a missing subscriber only says "An error has occurred.":
  // check existence first so that case is kNotFound.
  auto info = Get(SubscriberVariable(imsi, "info"));
  if (!info) {
    return Fail(info.error());
  }
  for (const std::string_view leaf : {"cs-enabled", "ps-enabled"}) {
    auto set = Set(SubscriberVariable(imsi, leaf), "0");
    if (!set) {
      if (set.error().code == ErrorCode::kInternal) {
        // Deleted between the check and now?
        auto again = Get(SubscriberVariable(imsi, "info"));
        if (!again && again.error().code == ErrorCode::kNotFound) {
          return Fail(again.error());
        }
      }
      return Fail(set.error());
    }
  }
  return {};
}

Result<void> OsmoHlrCtrl::Remove(const Imsi& imsi) {
  auto deleted = Set("subscriber.delete", imsi.digits());
  if (!deleted) {
    return Fail(deleted.error());
  }
  return {};
}

}  // namespace simexit
