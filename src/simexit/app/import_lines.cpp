#include "simexit/app/import_lines.hpp"

#include <map>
#include <set>

namespace simexit::app {

Result<std::vector<std::vector<std::string>>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      } else {
        rows.emplace_back();  // keep line numbers right for blank lines
      }
      row.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_csv", "a quoted field is not closed");
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<ImportReport> ImportLines(Runtime& rt, const std::string& csv_text, bool skip_bad,
                                 std::ostream& out) {
  Result<std::vector<std::vector<std::string>>> rows = ParseCsv(csv_text);
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->empty()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_csv", "the file is empty");
  }
  static const std::set<std::string> kColumns = {"operator",
                                                 "msisdn",
                                                 "iccid",
                                                 "imsi",
                                                 "kind",
                                                 "main_balance",
                                                 "bonus_balance",
                                                 "outstanding_charges",
                                                 "holder_name",
                                                 "document_kind",
                                                 "document_number",
                                                 "document_country",
                                                 "iin",
                                                 "language",
                                                 "last_paid_activity_at",
                                                 "mrz"};
  static const std::set<std::string> kRequired = {
      "operator", "msisdn", "iccid", "imsi", "holder_name", "document_kind", "document_number"};
  std::map<std::string, std::size_t> column;
  const std::vector<std::string>& header = (*rows)[0];
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!kColumns.count(header[i])) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_csv",
                  "line 1: unknown column '" + header[i] + "'");
    }
    column[header[i]] = i;
  }
  for (const std::string& required : kRequired) {
    if (!column.count(required)) {
      return Fail(ErrorCode::kInvalidArgument, "invalid_csv",
                  "line 1: missing column '" + required + "'");
    }
  }

  const UnixSeconds now = rt.clock.Now();
  struct Row {
    std::size_t line_number;
    NewLine line;
  };
  std::vector<Row> good;
  ImportReport report;
  std::set<std::string> seen_msisdn;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const std::vector<std::string>& fields = (*rows)[r];
    if (fields.empty()) {
      continue;
    }
    const std::size_t line_number = r + 1;
    auto bad = [&](const std::string& why) {
      ++report.bad;
      out << "line " << line_number << ": " << why << "\n";
    };
    if (fields.size() != header.size()) {
      bad("has " + std::to_string(fields.size()) + " fields, the header has " +
          std::to_string(header.size()));
      continue;
    }
    auto get = [&](const char* name) -> std::string {
      auto it = column.find(name);
      return it == column.end() ? std::string() : fields[it->second];
    };
    NewLine line;
    line.operator_code = get("operator");
    line.msisdn = get("msisdn");
    line.iccid = get("iccid");
    line.imsi = get("imsi");
    line.kind = get("kind").empty() ? "physical" : get("kind");
    line.holder_name = get("holder_name");
    line.document_kind = get("document_kind");
    line.document_number = get("document_number");
    line.document_country = get("document_country").empty() ? "KAZ" : get("document_country");
    line.iin = get("iin");
    line.language = get("language");
    line.mrz = get("mrz");
    bool ok = true;
    for (auto [name, target] : {std::pair{"main_balance", &line.main_balance},
                                std::pair{"bonus_balance", &line.bonus_balance},
                                std::pair{"outstanding_charges", &line.outstanding_charges}}) {
      const std::string text = get(name);
      if (text.empty()) {
        continue;
      }
      Result<Money> amount = Money::ParseKzt(text);
      if (!amount) {
        bad(std::string(name) + ": " + amount.error().message);
        ok = false;
        break;
      }
      *target = *amount;
    }
    if (!ok) {
      continue;
    }
    if (const std::string t = get("last_paid_activity_at"); !t.empty()) {
      if (!ParseRfc3339(t, &line.last_paid_activity_at)) {
        bad("last_paid_activity_at must be an RFC 3339 time or a date");
        continue;
      }
    }
    if (Result<void> valid =
            OperatorService::ValidateLine(line, std::stoi(FormatDate(now).substr(0, 4)));
        !valid) {
      bad(valid.error().message);
      continue;
    }
    if (!seen_msisdn.insert(line.msisdn).second) {
      bad("msisdn appears twice in the file");
      continue;
    }
    good.push_back({line_number, std::move(line)});
  }
  if (report.bad > 0 && !skip_bad) {
    out << report.bad << " bad row(s); nothing imported (use --skip-bad to import the others)\n";
    return report;
  }
  // One transaction per row so one conflict (a known MSISDN) does not undo the
  // rest when skipping; without --skip-bad everything is one transaction.
  if (!skip_bad) {
    Result<void> done = rt.store->Transact([&](StoreTx& tx) -> Result<void> {
      for (const Row& row : good) {
        Result<std::int64_t> id = rt.operators->AddLine(tx, row.line, now);
        if (!id) {
          return Fail(id.error().code, id.error().problem_code,
                      "line " + std::to_string(row.line_number) + ": " + id.error().message);
        }
      }
      return {};
    });
    if (!done) {
      out << done.error().message << "\nnothing imported\n";
      report.bad += 1;
      return report;
    }
    report.imported = static_cast<int>(good.size());
  } else {
    for (const Row& row : good) {
      Result<void> done = rt.store->Transact([&](StoreTx& tx) -> Result<void> {
        Result<std::int64_t> id = rt.operators->AddLine(tx, row.line, now);
        if (!id) {
          return Fail(id.error());
        }
        return {};
      });
      if (done) {
        ++report.imported;
      } else {
        ++report.bad;
        out << "line " << row.line_number << ": " << done.error().message << "\n";
      }
    }
  }
  out << report.imported << " line(s) imported";
  if (report.bad > 0) {
    out << ", " << report.bad << " bad row(s) skipped";
  }
  out << "\n";
  return report;
}

}  // namespace simexit::app
