#pragma once
// `simexit import lines FILE.csv`: bulk import of an operator's lines.
//
// The file is RFC 4180 CSV with a header row naming these columns (any order;
// unknown columns are refused): operator, msisdn, iccid, imsi, kind,
// main_balance, bonus_balance, outstanding_charges, holder_name, document_kind,
// document_number, document_country, iin, language, last_paid_activity_at, mrz
// (the passport/ID card MRZ, lines joined by '|'; checked and matched).
// Every row is checked first; if any row is bad, nothing is imported (unless
// skip_bad), and each bad row is reported with its line number and reason.

#include <ostream>
#include <string>

#include "simexit/app/runtime.hpp"

namespace simexit::app {

struct ImportReport {
  int imported = 0;
  int bad = 0;
};

// Splits CSV text into rows of fields (quotes, doubled quotes, CRLF).
// kInvalidArgument "invalid_csv" on an unterminated quote.
Result<std::vector<std::vector<std::string>>> ParseCsv(const std::string& text);

Result<ImportReport> ImportLines(Runtime& rt, const std::string& csv_text, bool skip_bad,
                                 std::ostream& out);

}  // namespace simexit::app
