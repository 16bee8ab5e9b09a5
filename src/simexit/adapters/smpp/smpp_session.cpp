// SmppClient::Session: sending, status and the connection's life (smpp_session.hpp).

#include "simexit/adapters/smpp/smpp_session.hpp"

namespace simexit::smpp {

std::optional<Error> SmppClient::Session::WaitBound() {
  std::unique_lock lock(status_mutex_);
  status_changed_.wait_for(lock, options_.response_timeout,
                           [this] { return bound_ || !connecting_; });
  if (!bound_) {
    return NotBound();
  }
  return std::nullopt;
}

Result<std::shared_ptr<SmppClient::Session::Job>> SmppClient::Session::MakeJob(
    const SmsMessage& message) {
  auto submits =
      BuildSubmits(options_, message, concat_reference_.fetch_add(1, std::memory_order_relaxed));
  if (!submits) {
    return Fail(submits.error());
  }
  auto job = std::make_shared<Job>();
  job->parts = std::move(*submits);
  job->ids.resize(job->parts.size());
  job->remaining = job->parts.size();
  return job;
}

Result<SmsAccepted> SmppClient::Session::Await(const std::shared_ptr<Job>& job,
                                               Clock::time_point deadline) {
  auto future = job->promise.get_future();
  if (future.wait_until(deadline) != std::future_status::ready) {
    asio::post(io_, [this, job] {
      Complete(*job, Fail(ErrorCode::kUnavailable, "smsc_timeout",
                          "SMSC " + peer_ + ": the SMS was not acknowledged within " +
                              Ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  options_.response_timeout))));
    });
  }
  return future.get();
}

Result<SmsAccepted> SmppClient::Session::Send(const SmsMessage& message) {
  Result<std::shared_ptr<Job>> job = MakeJob(message);
  if (!job) {
    return Fail(job.error());
  }
  if (std::optional<Error> unbound = WaitBound()) {
    return Fail(*unbound);
  }
  asio::post(io_, [this, jobs = std::vector{*job}] { Enqueue(jobs, true); });
  const std::size_t parts = (*job)->parts.size();
  return Await(*job, Clock::now() + options_.response_timeout * static_cast<int>(parts + 2) +
                         throttle_.TimeFor(parts));
}

void SmppClient::Session::SendBatch(const std::vector<SmsMessage>& messages,
                                    const SmsSettled& settled) {
  std::vector<std::shared_ptr<Job>> jobs;
  std::vector<std::size_t> indexes;  // of jobs in `messages`
  std::size_t parts = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    Result<std::shared_ptr<Job>> job = MakeJob(messages[i]);
    if (!job) {
      settled(i, Fail(job.error()));
      continue;
    }
    parts += (*job)->parts.size();
    jobs.push_back(std::move(*job));
    indexes.push_back(i);
  }
  if (jobs.empty()) {
    return;
  }
  if (std::optional<Error> unbound = WaitBound()) {
    for (std::size_t i : indexes) {
      settled(i, Fail(*unbound));
    }
    return;
  }
  asio::post(io_, [this, jobs] { Enqueue(jobs, false); });
  // The window and the throttle pace the batch as a whole.
  const auto deadline = Clock::now() + options_.response_timeout * static_cast<int>(parts + 2) +
                        throttle_.TimeFor(parts);
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    settled(indexes[k], Await(jobs[k], deadline));
  }
}

void SmppClient::Session::SetHandler(std::function<void(const DeliveryReport&)> handler) {
  std::lock_guard lock(handler_mutex_);
  handler_ = std::move(handler);
}

SmppClient::Status SmppClient::Session::GetStatus() const {
  std::lock_guard lock(status_mutex_);
  return SmppClient::Status{bound_, last_error_};
}

Error SmppClient::Session::NotBound() const {
  return Error{ErrorCode::kUnavailable, "smsc_not_bound",
               "not bound to SMSC " + peer_ + ": " +
                   (last_error_.empty() ? std::string("connecting") : last_error_)};
}

void SmppClient::Session::SetStatus(bool bound, bool connecting,
                                    std::optional<std::string> last_error) {
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

void SmppClient::Session::StartConnect() {
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

void SmppClient::Session::OnConnected() {
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

void SmppClient::Session::OnBindResp(const Pdu& pdu) {
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
  LogError("smpp bind rejected",
           {{"smsc", peer_}, {"system_id", options_.system_id}, {"status", CommandStatusName(st)}});
  Drop(reason, /*log=*/false);
}

void SmppClient::Session::Drop(const std::string& reason, bool log) {
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

void SmppClient::Session::FailAll(const std::string& reason) {
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

void SmppClient::Session::ScheduleReconnect() {
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

void SmppClient::Session::ScheduleEnquireLink() {
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

void SmppClient::Session::Shutdown() {
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

void SmppClient::Session::Finish(const std::string& reason) {
  state_ = State::kStopped;
  Drop(reason, /*log=*/false);
}

}  // namespace simexit::smpp
