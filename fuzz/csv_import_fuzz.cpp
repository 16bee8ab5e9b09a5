// `simexit import lines FILE.csv`: ParseCsv, then ImportLines on the fuzz
// runtime (every row validated: MSISDN, ICCID, IMSI, IIN, MRZ, amounts, dates;
// good rows written to the in-memory store). The first input byte chooses
// --skip-bad. Properties: ParseCsv splits what it accepts into rows that
// ImportLines accounts for (imported + bad never exceeds the data rows, plus
// one for a failed transaction).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "fuzz_runtime.hpp"
#include "simexit/app/import_lines.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  simexit::app::Runtime& rt = simexit::fuzz::FuzzRuntime();
  const bool skip_bad = (data[0] & 1) != 0;
  const std::string csv(reinterpret_cast<const char*>(data) + 1, size - 1);

  simexit::Result<std::vector<std::vector<std::string>>> rows = simexit::app::ParseCsv(csv);
  std::ostringstream out;
  simexit::Result<simexit::app::ImportReport> report =
      simexit::app::ImportLines(rt, csv, skip_bad, out);
  if (!rows) {
    if (report) std::abort();  // ImportLines parses the same text
    return 0;
  }
  if (report) {
    const std::size_t data_rows = rows->empty() ? 0 : rows->size() - 1;
    if (report->imported < 0 || report->bad < 0 ||
        static_cast<std::size_t>(report->imported + report->bad) > data_rows + 1) {
      std::abort();
    }
  }
  return 0;
}
