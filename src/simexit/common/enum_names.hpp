#pragma once
// One table per closed set: the enumerators of an enum class and the names
// they have in the API, the database and the CLI. ToString and Parse helpers
// of every such enum are written on top of this table, so a value and its
// name are listed once.
//
//   inline constexpr EnumNames<Channel, 6> kChannelNames{{
//       {Channel::kOnline, "online"}, {Channel::kStore, "store"}, ...}};
//   const char* ToString(Channel c) { return kChannelNames.Name(c); }
//   std::optional<Channel> ParseChannel(std::string_view s) { return kChannelNames.Parse(s); }

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace simexit {

template <typename E>
struct EnumName {
  E value;
  const char* name;
};

template <typename E, std::size_t N>
class EnumNames {
 public:
  constexpr explicit EnumNames(std::array<EnumName<E>, N> entries) : entries_(entries) {}

  // The name of `value`; "unknown" for a value outside the table (a bug).
  constexpr const char* Name(E value) const {
    for (const EnumName<E>& e : entries_) {
      if (e.value == value) {
        return e.name;
      }
    }
    return "unknown";
  }

  // The exact (case-sensitive) inverse of Name; nullopt for anything else.
  constexpr std::optional<E> Parse(std::string_view text) const {
    for (const EnumName<E>& e : entries_) {
      if (text == e.name) {
        return e.value;
      }
    }
    return std::nullopt;
  }

  // "a, b, c": for messages that list what is accepted.
  std::string List(std::string_view separator = ", ") const {
    std::string out;
    for (const EnumName<E>& e : entries_) {
      if (!out.empty()) {
        out.append(separator);
      }
      out.append(e.name);
    }
    return out;
  }

  constexpr const std::array<EnumName<E>, N>& entries() const { return entries_; }
  constexpr std::size_t size() const { return N; }

 private:
  std::array<EnumName<E>, N> entries_;
};

}  // namespace simexit
