#include "simexit/adapters/osmocom/ctrl_client.hpp"

#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <future>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include "simexit/adapters/osmocom/ctrl_message.hpp"
#include "simexit/adapters/osmocom/ipa_frame.hpp"

namespace simexit::osmo {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

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
class CtrlClient::Connection {
 public:
  explicit Connection(const CtrlClientOptions& options)
      : options_(options),
        peer_(options.peer_name + " CTRL " + options.host + ":" + std::to_string(options.port)),
        unavailable_reason_(options.reason_prefix + "_unavailable"),
        work_(asio::make_work_guard(io_)),
        socket_(io_),
        resolver_(io_) {
    thread_ = std::thread([this] { io_.run(); });
  }

  // May throw only when the process cannot go on (no memory for the post, a
  // thread that cannot be joined): std::terminate is then the right end.
  ~Connection() {  // NOLINT(bugprone-exception-escape)
    asio::post(io_, [this] {
      shutting_down_ = true;
      Drop("the client is shutting down");
    });
    work_.reset();
    thread_.join();
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends one request and waits for its reply (any kind, ERROR included).
  Result<CtrlReply> Request(CtrlVerb verb, std::string_view variable, std::string_view value) {
    const std::uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
    auto text = FormatCtrlRequest(verb, id, variable, value);
    if (!text) {
      return Fail(text.error());
    }
    auto frame = EncodeCtrlFrame(*text);
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
    return Fail(Unavailable(peer_ + ": no reply within " +
                            std::to_string(options_.request_timeout.count()) + " ms"));
  }

 private:
  using Promise = std::promise<Result<CtrlReply>>;
  enum class State { kIdle, kConnecting, kConnected };

  void Submit(std::uint64_t id, const std::string& frame, std::shared_ptr<Promise> promise) {
    if (shutting_down_) {
      promise->set_value(Fail(Unavailable(peer_ + ": the client is shutting down")));
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

  // The caller stopped waiting: the peer did not answer in time. Requests are
  // answered in order, so everything sent after it is stuck too; drop the
  // connection (the next call reconnects).
  void Abandon(std::uint64_t id) {
    if (pending_.find(id) == pending_.end()) {
      return;  // answered or failed in the meantime
    }
    Drop("no reply within " + std::to_string(options_.request_timeout.count()) + " ms");
  }

  void StartConnect() {
    state_ = State::kConnecting;
    const std::uint64_t generation = ++generation_;
    decoder_ = IpaDecoder();
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
          asio::async_connect(
              socket_, results,
              [this, generation](const boost::system::error_code& connect_ec,
                                 const tcp::endpoint&) { OnConnected(generation, connect_ec); });
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
            Drop(ec == asio::error::eof ? "connection closed by " + options_.peer_name
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
      IpaFrame& frame = **next;
      if (frame.kind == IpaFrame::Kind::kCcm) {
        if (!frame.payload.empty() && static_cast<std::uint8_t>(frame.payload[0]) == kIpaCcmPing) {
          out_queue_ += EncodeCcmFrame(kIpaCcmPong);
          StartWrite();
        }
        continue;
      }
      auto reply = ParseCtrlReply(frame.payload);
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
    const Error error = Unavailable(peer_ + ": " + why);
    for (auto& [id, promise] : pending) {
      promise->set_value(Fail(error));
    }
  }

  Error Unavailable(std::string message) const {
    return Error{ErrorCode::kUnavailable, unavailable_reason_, std::move(message)};
  }

  const CtrlClientOptions options_;
  const std::string peer_;  // "osmo-hlr CTRL 127.0.0.1:4259"
  const std::string unavailable_reason_;
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
  IpaDecoder decoder_;
  std::unordered_map<std::uint64_t, std::shared_ptr<Promise>> pending_;

  std::thread thread_;  // last: starts after everything above exists
};

CtrlClient::CtrlClient(CtrlClientOptions options)
    : options_(std::move(options)), connection_(std::make_unique<Connection>(options_)) {}

CtrlClient::~CtrlClient() = default;

Result<std::string> CtrlClient::Call(bool is_set, std::string_view variable,
                                     std::string_view value) {
  auto reply = connection_->Request(is_set ? CtrlVerb::kSet : CtrlVerb::kGet, variable, value);
  if (!reply) {
    return Fail(reply.error());
  }
  if (reply->kind == CtrlReply::Kind::kError) {
    return Fail(ErrorCode::kInternal, std::string(kCtrlErrorReply), std::move(reply->value));
  }
  const auto expected = is_set ? CtrlReply::Kind::kSetReply : CtrlReply::Kind::kGetReply;
  if (reply->kind != expected || reply->variable != variable) {
    return Fail(ErrorCode::kInternal, options_.reason_prefix + "_error",
                options_.peer_name + " answered " + std::string(is_set ? "SET " : "GET ") +
                    std::string(variable) + " with an unexpected reply for " + reply->variable);
  }
  return std::move(reply->value);
}

Result<std::string> CtrlClient::Get(std::string_view variable) { return Call(false, variable, {}); }

Result<std::string> CtrlClient::Set(std::string_view variable, std::string_view value) {
  return Call(true, variable, value);
}

}  // namespace simexit::osmo
