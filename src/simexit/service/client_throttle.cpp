#include "simexit/service/client_throttle.hpp"

namespace simexit {

bool ClientThrottle::Allow(std::string_view client, UnixSeconds now) {
  if (client.empty()) {
    return true;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = seen_.find(std::string(client));
  if (it == seen_.end()) {
    if (seen_.size() >= max_clients_) {
      PruneLocked(now);
    }
    if (seen_.size() >= max_clients_) {
      return false;
    }
    it = seen_.emplace(std::string(client), std::deque<UnixSeconds>{}).first;
  }
  std::deque<UnixSeconds>& times = it->second;
  while (!times.empty() && times.front() <= now - window_seconds_) {
    times.pop_front();
  }
  if (static_cast<int>(times.size()) >= limit_) {
    return false;
  }
  times.push_back(now);
  return true;
}

void ClientThrottle::PruneLocked(UnixSeconds now) {
  for (auto it = seen_.begin(); it != seen_.end();) {
    if (it->second.empty() || it->second.back() <= now - window_seconds_) {
      it = seen_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace simexit
