#pragma once
// Test-only (header-only, used by the osmocom adapter tests, which link
// simexit_osmocom): a scripted in-process Osmocom CTRL server on an ephemeral
// 127.0.0.1 port, plus helpers.
//
//   FakeCtrlServer server(1, [](FakePeer& peer, int connection) {
//     auto request = SplitRequest(peer.ReadCtrl());       // "SET 1 var value"
//     peer.WriteCtrl("SET_REPLY " + request.id + " " + request.variable + " ");
//     peer.ReadCtrl();                                     // until the client hangs up
//   });

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "simexit/adapters/osmocom/ipa_frame.hpp"

namespace simexit::fake_ctrl {

namespace asio = boost::asio;
using asio::ip::tcp;

// One accepted connection, blocking I/O, used from the server thread only.
class FakePeer {
 public:
  explicit FakePeer(tcp::socket socket) : socket_(std::move(socket)) {}

  // The next CTRL request text, or "" when the client closed the connection.
  std::string ReadCtrl() {
    for (;;) {
      auto frame = decoder_.Next();
      if (!frame) {
        ADD_FAILURE() << "fake server: " << frame.error().message;
        return "";
      }
      if (frame->has_value() && (*frame)->kind == osmo::IpaFrame::Kind::kCtrl) {
        return (*frame)->payload;
      }
      if (frame->has_value()) {
        last_ccm_ = (*frame)->payload;
        continue;
      }
      std::array<char, 4096> buffer{};
      boost::system::error_code ec;
      const std::size_t size = socket_.read_some(asio::buffer(buffer), ec);
      if (ec) {
        return "";
      }
      decoder_.Append(std::string_view(buffer.data(), size));
    }
  }

  // Reads the next frame, expecting CCM; returns its payload.
  std::string ReadCcm() {
    ReadCtrlOrCcm();
    return last_ccm_;
  }

  void WriteCtrl(const std::string& text) { WriteRaw(*osmo::EncodeCtrlFrame(text)); }
  void WriteRaw(const std::string& bytes) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(bytes), ec);
  }
  void Close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

 private:
  void ReadCtrlOrCcm() {
    for (;;) {
      auto frame = decoder_.Next();
      if (!frame) {
        return;
      }
      if (frame->has_value()) {
        if ((*frame)->kind == osmo::IpaFrame::Kind::kCcm) {
          last_ccm_ = (*frame)->payload;
        }
        return;
      }
      std::array<char, 4096> buffer{};
      boost::system::error_code ec;
      const std::size_t size = socket_.read_some(asio::buffer(buffer), ec);
      if (ec) {
        return;
      }
      decoder_.Append(std::string_view(buffer.data(), size));
    }
  }

  tcp::socket socket_;
  osmo::IpaDecoder decoder_;
  std::string last_ccm_;
};

// Listens on 127.0.0.1:<ephemeral>; runs `script` once per accepted connection,
// for `connections` connections, on its own thread.
class FakeCtrlServer {
 public:
  FakeCtrlServer(int connections, std::function<void(FakePeer&, int)> script)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, connections, script = std::move(script)] {
      for (int i = 0; i < connections; ++i) {
        boost::system::error_code ec;
        tcp::socket socket(io_);
        acceptor_.accept(socket, ec);
        if (ec) {
          return;
        }
        FakePeer peer(std::move(socket));
        script(peer, i);
      }
    });
  }
  ~FakeCtrlServer() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// One CTRL request as the fake server saw it.
struct Request {
  std::string verb;  // "GET" / "SET"
  std::string id;
  std::string variable;
  std::string value;  // "" for GET
};

// Splits "GET <id> <var>" / "SET <id> <var> <value>" (the value may contain spaces).
inline Request SplitRequest(const std::string& text) {
  Request request;
  const auto first = text.find(' ');
  const auto second = text.find(' ', first == std::string::npos ? first : first + 1);
  const auto third = text.find(' ', second == std::string::npos ? second : second + 1);
  request.verb = text.substr(0, first);
  if (first == std::string::npos) {
    return request;
  }
  request.id =
      text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  if (second == std::string::npos) {
    return request;
  }
  request.variable =
      text.substr(second + 1, third == std::string::npos ? std::string::npos : third - second - 1);
  if (third != std::string::npos) {
    request.value = text.substr(third + 1);
  }
  return request;
}

// A 127.0.0.1 port nobody listens on (bound, then closed again).
inline std::uint16_t ClosedPort() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const std::uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

}  // namespace simexit::fake_ctrl
