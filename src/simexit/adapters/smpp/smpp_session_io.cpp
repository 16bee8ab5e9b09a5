// SmppClient::Session on the I/O thread: PDUs in and out, and the submit
// queue (smpp_session.hpp).

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "simexit/adapters/smpp/smpp_session.hpp"

namespace simexit::smpp {

void SmppClient::Session::QuickAck() {
#ifdef TCP_QUICKACK
  // Acknowledge what was read at once. An SMSC that leaves Nagle's algorithm
  // on holds each submit_sm_resp until the previous one is acknowledged; with
  // the window draining (the end of a batch) nothing of ours carries that
  // acknowledgement, and the kernel's delayed ACK would cost 40 ms each
  // time. Linux clears the flag again on its own, so it is set per read.
  using QuickAckOption = asio::detail::socket_option::boolean<IPPROTO_TCP, TCP_QUICKACK>;
  boost::system::error_code ignored;
  socket_.set_option(QuickAckOption(true), ignored);
#endif
}

void SmppClient::Session::StartRead() {
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
                            QuickAck();
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

void SmppClient::Session::Write(std::vector<std::uint8_t> frame) {
  write_queue_.push_back(std::move(frame));
  if (!writing_) {
    DoWrite();
  }
}

void SmppClient::Session::DoWrite() {
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

std::uint32_t SmppClient::Session::NextSequence() {
  if (next_sequence_ >= 0x7FFFFFFFu) {
    next_sequence_ = 1;
  }
  return next_sequence_++;
}

void SmppClient::Session::Handle(const Pdu& pdu) {
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
                     h.command_status == status::kOk ? status::kSysErr : h.command_status, nullptr);
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

void SmppClient::Session::OnDeliverSm(const Pdu& pdu) {
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

void SmppClient::Session::Enqueue(const std::vector<std::shared_ptr<Job>>& jobs, bool first) {
  if (state_ != State::kBound) {
    std::lock_guard lock(status_mutex_);
    for (const auto& job : jobs) {
      Complete(*job, Fail(NotBound()));
    }
    return;
  }
  queue_.insert(first ? queue_.begin() : queue_.end(), jobs.begin(), jobs.end());
  Pump();
}

void SmppClient::Session::Pump() {
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

void SmppClient::Session::OnSubmitResp(std::uint32_t seq, std::uint32_t command_status,
                                       const Pdu* pdu) {
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

void SmppClient::Session::OnSubmitTimeout(std::uint32_t seq) {
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

void SmppClient::Session::Complete(Job& job, Result<SmsAccepted> result) {
  if (job.done) {
    return;
  }
  job.done = true;
  job.promise.set_value(std::move(result));
}

}  // namespace simexit::smpp
