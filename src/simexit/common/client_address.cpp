#include "simexit/common/client_address.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace simexit {

std::optional<ClientAddress> ClientAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) {
    return std::nullopt;
  }
  const std::string input(text);
  std::array<char, INET6_ADDRSTRLEN> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, input.c_str(), &v4) == 1) {
    if (inet_ntop(AF_INET, &v4, out.data(), out.size()) == nullptr) {
      return std::nullopt;
    }
    return ClientAddress(out.data());
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, input.c_str(), &v6) != 1) {
    return std::nullopt;
  }
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::memcpy(&v4, &v6.s6_addr[12], sizeof v4);
    if (inet_ntop(AF_INET, &v4, out.data(), out.size()) == nullptr) {
      return std::nullopt;
    }
    return ClientAddress(out.data());
  }
  if (inet_ntop(AF_INET6, &v6, out.data(), out.size()) == nullptr) {
    return std::nullopt;
  }
  return ClientAddress(out.data());
}

}  // namespace simexit
