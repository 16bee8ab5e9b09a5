#include "simexit/domain/imsi.hpp"

#include <cstddef>
#include <ostream>

namespace simexit {
namespace {

constexpr std::size_t kMinLength = 6;
constexpr std::size_t kMaxLength = 15;

}  // namespace

Result<Imsi> Imsi::Parse(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') {
      return Fail(ErrorCode::kInvalidArgument, "invalid_imsi", "an IMSI contains only digits");
    }
  }
  if (text.size() < kMinLength || text.size() > kMaxLength) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_imsi",
                "an IMSI has 6 to 15 digits (got " + std::to_string(text.size()) + ")");
  }
  return Imsi(std::string(text));
}

std::ostream& operator<<(std::ostream& os, const Imsi& value) { return os << value.digits_; }

}  // namespace simexit
