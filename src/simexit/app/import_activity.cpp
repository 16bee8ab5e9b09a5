#include "simexit/app/import_activity.hpp"

#include <map>

#include "simexit/app/import_lines.hpp"

namespace simexit::app {

Result<ActivityReport> ImportActivity(Runtime& rt, const std::string& csv_text, bool skip_bad,
                                      std::ostream& out) {
  Result<std::vector<std::vector<std::string>>> rows = ParseCsv(csv_text);
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->empty()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_csv", "the file is empty");
  }
  std::map<std::string, std::size_t> column;
  const std::vector<std::string>& header = (*rows)[0];
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] != "msisdn" && header[i] != "last_paid_activity_at") {
      return Fail(ErrorCode::kInvalidArgument, "invalid_csv",
                  "line 1: unknown column '" + header[i] + "'");
    }
    column[header[i]] = i;
  }
  for (const char* required : {"msisdn", "last_paid_activity_at"}) {
    if (!column.count(required)) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_csv",
                  std::string("line 1: missing column '") + required + "'");
    }
  }

  std::vector<ActivityRow> activity;
  std::vector<std::size_t> line_numbers;  // of each entry of `activity`
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const std::vector<std::string>& fields = (*rows)[r];
    if (fields.empty()) {
      continue;
    }
    line_numbers.push_back(r + 1);
    if (fields.size() != header.size()) {
      activity.push_back({"", "",
                          "has " + std::to_string(fields.size()) + " fields, the header has " +
                              std::to_string(header.size())});
      continue;
    }
    activity.push_back(
        {fields[column["msisdn"]], fields[column["last_paid_activity_at"]], std::string()});
  }

  SIMEXIT_ASSIGN_OR_RETURN(
      ActivityReport report,
      RecordPaidActivity(*rt.store, std::nullopt, activity, skip_bad, rt.clock.Now()));
  for (const ActivityRowProblem& bad : report.bad) {
    out << "line " << line_numbers[bad.row] << ": " << bad.message << "\n";
  }
  if (!report.written) {
    out << report.bad.size()
        << " bad row(s); nothing written (use --skip-bad to record the others)\n";
    return report;
  }
  out << report.updated << " line(s) updated, " << report.unchanged << " unchanged";
  if (!report.bad.empty()) {
    out << ", " << report.bad.size() << " bad row(s) skipped";
  }
  out << "\n";
  return report;
}

}  // namespace simexit::app
