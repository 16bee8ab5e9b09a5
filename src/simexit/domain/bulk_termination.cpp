#include "simexit/domain/bulk_termination.hpp"

#include <algorithm>
#include <unordered_map>

namespace simexit {

bool IsBulkReasonCode(std::string_view code) {
  return std::find(kBulkReasonCodes.begin(), kBulkReasonCodes.end(), code) !=
         kBulkReasonCodes.end();
}

BulkNumbers ReadBulkNumbers(const std::vector<std::string>& given) {
  BulkNumbers out;
  out.msisdns.reserve(given.size());
  out.rows.reserve(given.size());
  std::unordered_map<std::string, std::size_t> first_row;
  first_row.reserve(given.size());
  for (std::size_t row = 0; row < given.size(); ++row) {
    Result<Msisdn> msisdn = Msisdn::Parse(given[row]);
    if (!msisdn) {
      out.problems.push_back({row, given[row], "invalid_msisdn", msisdn.error().message});
      continue;
    }
    auto [it, fresh] = first_row.emplace(msisdn->e164(), row);
    if (!fresh) {
      out.problems.push_back({row, given[row], "duplicate_msisdn",
                              "the number is on row " + std::to_string(it->second) + " too"});
      continue;
    }
    out.msisdns.push_back(std::move(*msisdn));
    out.rows.push_back(row);
  }
  return out;
}

}  // namespace simexit
