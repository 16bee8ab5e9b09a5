#pragma once
// FakeSmsc: a scripted SMPP 3.4 SMSC on 127.0.0.1 (ephemeral port) for the
// SmppClient unit tests only. Blocking sockets, one reader thread per
// connection, one responder thread for (possibly delayed) submit_sm_resp.
// Real-SMSC behaviour is covered by smpp_osmo_msc_peertest.cpp against osmo-msc.
// Header-only; its users link simexit_smpp.

#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "simexit/adapters/smpp/pdu.hpp"

namespace simexit::smpp::testing {

class FakeSmsc {
 public:
  static constexpr std::uint32_t kNoResponse = 0xFFFFFFFF;

  FakeSmsc()
      : acceptor_(io_,
                  boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
    responder_thread_ = std::thread([this] { ResponderLoop(); });
  }

  ~FakeSmsc() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    accept_thread_.join();
    DropConnections();
    responder_thread_.join();
    std::vector<std::thread> readers;
    {
      std::lock_guard lock(mutex_);
      readers.swap(readers_);
    }
    for (auto& t : readers) {
      t.join();
    }
  }

  std::uint16_t port() const { return port_; }

  // ---- script ----
  void SetPassword(std::string password) {
    std::lock_guard lock(mutex_);
    password_ = std::move(password);
  }
  // Statuses for the next submit_sm (in order); kNoResponse sends nothing. Then ESME_ROK.
  void QueueSubmitStatuses(std::vector<std::uint32_t> statuses) {
    std::lock_guard lock(mutex_);
    statuses_.insert(statuses_.end(), statuses.begin(), statuses.end());
  }
  void SetResponseDelay(std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    delay_ = delay;
  }
  void SetMessageId(std::string id) {
    std::lock_guard lock(mutex_);
    message_id_ = std::move(id);
  }
  // Closes every client connection (as if the SMSC crashed).
  void DropConnections() {
    std::vector<std::shared_ptr<Conn>> conns;
    {
      std::lock_guard lock(mutex_);
      conns = conns_;
      conns_.clear();
    }
    for (auto& c : conns) {
      ::shutdown(c->socket.native_handle(), SHUT_RDWR);
    }
  }
  // Writes a frame to the newest connection; false if there is none.
  bool SendToClient(const std::vector<std::uint8_t>& frame) {
    std::shared_ptr<Conn> conn;
    {
      std::lock_guard lock(mutex_);
      if (conns_.empty()) {
        return false;
      }
      conn = conns_.back();
    }
    return Write(*conn, frame);
  }

  // Polls `predicate` (called under no lock) until true or timeout.
  static bool WaitFor(const std::function<bool()>& predicate,
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (predicate()) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return predicate();
  }

  // ---- observations ----
  std::vector<ShortMessage> submits() const {
    std::lock_guard lock(mutex_);
    return submits_;
  }
  std::vector<std::uint32_t> submit_sequences() const {
    std::lock_guard lock(mutex_);
    return submit_sequences_;
  }
  int bind_attempts() const {
    std::lock_guard lock(mutex_);
    return bind_attempts_;
  }
  int binds_ok() const {
    std::lock_guard lock(mutex_);
    return binds_ok_;
  }
  int enquire_links() const {
    std::lock_guard lock(mutex_);
    return enquire_links_;
  }
  int unbinds() const {
    std::lock_guard lock(mutex_);
    return unbinds_;
  }
  // Responses the client sent (deliver_sm_resp, enquire_link_resp, generic_nack).
  std::vector<Header> client_responses() const {
    std::lock_guard lock(mutex_);
    return client_responses_;
  }
  int max_outstanding() const {
    std::lock_guard lock(mutex_);
    return max_outstanding_;
  }
  std::vector<std::chrono::steady_clock::time_point> submit_times() const {
    std::lock_guard lock(mutex_);
    return submit_times_;
  }

 private:
  struct Conn {
    explicit Conn(boost::asio::ip::tcp::socket s) : socket(std::move(s)) {}
    boost::asio::ip::tcp::socket socket;
    std::mutex write_mutex;
  };
  struct Delayed {
    std::chrono::steady_clock::time_point due;
    std::shared_ptr<Conn> conn;
    std::vector<std::uint8_t> frame;
  };

  static bool Write(Conn& conn, const std::vector<std::uint8_t>& frame) {
    std::lock_guard lock(conn.write_mutex);
    boost::system::error_code ec;
    boost::asio::write(conn.socket, boost::asio::buffer(frame), ec);
    return !ec;
  }

  void AcceptLoop() {
    while (true) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      std::lock_guard lock(mutex_);
      if (ec || stop_) {
        return;
      }
      auto conn = std::make_shared<Conn>(std::move(socket));
      conns_.push_back(conn);
      readers_.emplace_back([this, conn] { ReadLoop(conn); });
    }
  }

  void ReadLoop(const std::shared_ptr<Conn>& conn) {
    PduStreamDecoder decoder;
    std::array<std::uint8_t, 4096> buffer{};
    while (true) {
      boost::system::error_code ec;
      const std::size_t n = conn->socket.read_some(boost::asio::buffer(buffer), ec);
      if (ec) {
        return;
      }
      decoder.Feed(std::span<const std::uint8_t>(buffer.data(), n));
      while (true) {
        auto next = decoder.Next();
        if (!next || !*next) {
          if (!next) {
            return;
          }
          break;
        }
        Handle(conn, **next);
      }
    }
  }

  void Handle(const std::shared_ptr<Conn>& conn, const Pdu& pdu) {
    const Header& h = pdu.header;
    switch (h.command_id) {
      case command::kBindTransceiver: {
        auto bind = DecodeBind(pdu);
        std::uint32_t st = status::kOk;
        {
          std::lock_guard lock(mutex_);
          ++bind_attempts_;
          if (!bind || (!password_.empty() && bind->password != password_)) {
            st = status::kInvPaswd;
          } else {
            ++binds_ok_;
          }
        }
        Write(*conn,
              EncodeIdResponse(command::kBindTransceiverResp, st, h.sequence_number, "FakeSMSC"));
        return;
      }
      case command::kSubmitSm: {
        auto m = DecodeShortMessage(pdu);
        std::uint32_t st = status::kOk;
        std::chrono::milliseconds delay{0};
        std::string id;
        {
          std::lock_guard lock(mutex_);
          if (m) {
            submits_.push_back(*m);
          }
          submit_sequences_.push_back(h.sequence_number);
          submit_times_.push_back(std::chrono::steady_clock::now());
          if (!statuses_.empty()) {
            st = statuses_.front();
            statuses_.pop_front();
          }
          if (st == kNoResponse) {
            return;
          }
          ++outstanding_;
          max_outstanding_ = std::max(max_outstanding_, outstanding_);
          delay = delay_;
          id = message_id_ + std::to_string(submits_.size());
          delayed_.push_back(Delayed{std::chrono::steady_clock::now() + delay, conn,
                                     EncodeIdResponse(command::kSubmitSmResp, st, h.sequence_number,
                                                      st == status::kOk ? id : "")});
        }
        cv_.notify_all();
        return;
      }
      case command::kEnquireLink: {
        std::lock_guard lock(mutex_);
        ++enquire_links_;
      }
        Write(*conn, EncodeHeaderOnly(command::kEnquireLinkResp, 0, h.sequence_number));
        return;
      case command::kUnbind: {
        std::lock_guard lock(mutex_);
        ++unbinds_;
      }
        Write(*conn, EncodeHeaderOnly(command::kUnbindResp, 0, h.sequence_number));
        return;
      default:
        if ((h.command_id & command::kResponseBit) != 0) {
          std::lock_guard lock(mutex_);
          client_responses_.push_back(h);
        }
        return;
    }
  }

  void ResponderLoop() {
    std::unique_lock lock(mutex_);
    while (true) {
      if (stop_) {
        return;
      }
      if (delayed_.empty()) {
        cv_.wait(lock);
        continue;
      }
      // Responses in arrival order; each waits for its due time.
      auto due = delayed_.front().due;
      if (std::chrono::steady_clock::now() < due) {
        cv_.wait_until(lock, due);
        continue;
      }
      Delayed d = std::move(delayed_.front());
      delayed_.pop_front();
      --outstanding_;
      lock.unlock();
      Write(*d.conn, d.frame);
      lock.lock();
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::string password_ = "secret";
  std::deque<std::uint32_t> statuses_;
  std::chrono::milliseconds delay_{0};
  std::string message_id_ = "fake-";
  std::vector<std::shared_ptr<Conn>> conns_;
  std::vector<std::thread> readers_;
  std::deque<Delayed> delayed_;
  std::vector<ShortMessage> submits_;
  std::vector<std::uint32_t> submit_sequences_;
  std::vector<std::chrono::steady_clock::time_point> submit_times_;
  std::vector<Header> client_responses_;
  int bind_attempts_ = 0;
  int binds_ok_ = 0;
  int enquire_links_ = 0;
  int unbinds_ = 0;
  int outstanding_ = 0;
  int max_outstanding_ = 0;

  std::thread accept_thread_;
  std::thread responder_thread_;
};

}  // namespace simexit::smpp::testing
