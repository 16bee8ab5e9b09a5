#pragma once
// One entry of the message catalogue (messages.hpp): a key and its text in
// each language.

#include <string_view>

namespace simexit {

struct MessageText {
  std::string_view key;
  std::string_view en;
  std::string_view ru;
  std::string_view kk;
  std::string_view zh;
};

}  // namespace simexit
