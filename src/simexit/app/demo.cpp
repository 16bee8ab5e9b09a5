#include "simexit/app/demo.hpp"

#include <fmt/format.h>

#include "simexit/common/clock.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/mrz.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit::app {
namespace {

struct DemoOperator {
  const char* code;
  const char* name;
  const char* language;
  const char* def_codes[3];
  long long fee_tiyn;
  int quarantine_days;
};

constexpr DemoOperator kOperators[] = {
    {"kcell", "Kcell", "ru", {"701", "775", "778"}, 0, 180},
    {"beeline", "Beeline Kazakhstan", "kk", {"705", "771", "777"}, 500'00, 90},
    {"tele2", "Tele2 / Altel", "ru", {"707", "747", "700"}, 0, 180},
};

// A valid synthetic IIN for the given birth date, century digit and serial.
std::string MakeIin(int yy, int mm, int dd, int century, int serial) {
  for (int s = serial;; ++s) {
    const std::string first = fmt::format("{:02}{:02}{:02}{}{:04}", yy, mm, dd, century, s % 10000);
    const int check = Iin::CheckDigit(first);
    if (check >= 0) {
      return first + static_cast<char>('0' + check);
    }
  }
}

std::string MakeIccid(int op_index, int n) {
  const std::string body = fmt::format("8977{:02}{:012}", op_index + 1, 100000 + n);
  return body + Iccid::LuhnDigit(body);
}

struct DemoHolder {
  const char* name;
  const char* kind;  // iin | passport
  const char* country;
  const char* language;
  bool female;  // the IIN's century digit carries sex: 3 male / 4 female (1900s)
};

constexpr DemoHolder kHolders[] = {
    {"TESTOV TEST", "iin", "KAZ", "ru", false},     {"TESTOVA AIGERIM", "iin", "KAZ", "kk", true},
    {"SMITH JOHN", "passport", "GBR", "en", false}, {"WANG LI", "passport", "CHN", "zh", true},
    {"AKHMETOV NURLAN", "iin", "KAZ", "kk", false}, {"IVANOVA OLGA", "iin", "KAZ", "ru", true},
};

}  // namespace

Result<void> RunDemo(Runtime& rt, std::ostream& out) {
  const UnixSeconds now = rt.clock.Now();
  int provisioned = 0;
  std::string hlr_problem;
  out << "simexit demo data\n=================\n";
  for (int oi = 0; oi < 3; ++oi) {
    const DemoOperator& d = kOperators[oi];
    Result<OperatorRecord> existing = rt.operators->GetOperator(Caller::System("cli"), d.code);
    if (!existing) {
      Policy policy;
      policy.termination_fee = Money::Tiyn(d.fee_tiyn);
      policy.quarantine_days = d.quarantine_days;
      if (std::string(d.code) == "tele2") {
        policy.minimum_refund = Money::Tiyn(500'00);
      }
      Result<OperatorRecord> op = rt.operators->CreateOperator(d.code, d.name, policy, d.language);
      if (!op) {
        return Fail(op.error());
      }
      std::vector<NewLine> lines;
      for (int n = 0; n < 12; ++n) {
        const DemoHolder& h = kHolders[(n + oi) % 6];
        NewLine line;
        line.operator_code = d.code;
        line.msisdn = fmt::format("+7{}{:07}", d.def_codes[n % 3], 1000000 + oi * 1000 + n + 1);
        line.iccid = MakeIccid(oi, n + 1);
        line.imsi = fmt::format("00101{:010}", (oi + 1) * 100000 + n + 1);
        line.kind = n % 4 == 3 ? "esim" : "physical";
        // A spread of money situations: refund, small remainder, bonus, debt.
        switch (n % 4) {
          case 0:
            line.main_balance = Money::Tiyn(2'500'00);
            line.bonus_balance = Money::Tiyn(300'00);
            break;
          case 1:
            line.main_balance = Money::Tiyn(45'50);
            break;
          case 2:
            line.bonus_balance = Money::Tiyn(1'000'00);
            break;
          case 3:
            line.main_balance = Money::Tiyn(200'00);
            line.outstanding_charges = Money::Tiyn(1'200'00);
            break;
        }
        line.last_paid_activity_at = now - (n * 20) * kSecondsPerDay;
        line.holder_name = h.name;
        line.document_kind = h.kind;
        line.document_country = h.country;
        line.language = h.language;
        if (std::string(h.kind) == "iin") {
          line.document_number =
              MakeIin(85 + n % 10, 1 + n % 12, 1 + n, h.female ? 4 : 3, oi * 100 + n);
        } else {
          line.document_number = fmt::format("N{:08}", 10000000 + oi * 100 + n);
          line.iin = "";
        }
        lines.push_back(line);
      }
      Result<void> added = rt.store->Transact([&](StoreTx& tx) -> Result<void> {
        for (const NewLine& line : lines) {
          Result<std::int64_t> id = rt.operators->AddLine(tx, line, now);
          if (!id) {
            return Fail(id.error());
          }
        }
        return {};
      });
      if (!added) {
        return added;
      }
    }
    Result<OperatorRecord> op = rt.operators->GetOperator(Caller::System("cli"), d.code);
    if (!op) {
      return Fail(op.error());
    }
    Result<CreatedApiKey> key = rt.auth->CreateApiKey(op->id, "demo");
    if (!key) {
      return Fail(key.error());
    }
    out << "\n" << op->name << " (" << op->code << ")  operator API key: " << key->key << "\n";
    // One person per role, so every channel can be tried by hand. A second
    // back-office account lets a posted application be registered by one and
    // decided by the other (four eyes).
    static constexpr std::pair<const char*, const char*> kDemoStaff[] = {
        {"store", "agent_store"},
        {"phone", "agent_phone"},
        {"office", "back_office"},
        {"office2", "back_office"},
        {"admin", "operator_admin"}};
    for (const auto& [suffix, role] : kDemoStaff) {
      const std::string username = op->code + "." + suffix;
      std::string password;
      Result<CreatedStaff> created = rt.staff->AddStaff(
          Caller::System("cli"), op->code,
          NewStaff{username, std::string("Demo ") + role, *ParseStaffRole(role), std::nullopt});
      if (created) {
        password = created->password;
      } else if (created.error().problem_code == "duplicate") {
        Result<StaffView> existing_staff =
            rt.staff->GetStaffByUsername(Caller::System("cli"), username);
        if (!existing_staff) {
          return Fail(existing_staff.error());
        }
        Result<PasswordReset> reset =
            rt.staff->ResetPassword(Caller::System("cli"), existing_staff->staff.id, std::nullopt);
        if (!reset) {
          return Fail(reset.error());
        }
        password = reset->password;
      } else {
        return Fail(created.error());
      }
      out << fmt::format("  staff {:<16} {:<15} password: {}\n", username, role, password);
    }
    out << fmt::format("  {:<14} {:<20} {:<8} {:>10} {:>10} {:>10}  {:<22} {}\n", "MSISDN", "ICCID",
                       "kind", "main", "bonus", "charges", "holder document", "holder");
    Result<std::vector<LineRecord>> lines = TransactValue<std::vector<LineRecord>>(
        *rt.store, [&](StoreTx& tx) { return tx.ListLines(op->id, 1000); });
    if (!lines) {
      return Fail(lines.error());
    }
    for (const LineRecord& l : *lines) {
      Result<HolderRecord> h = TransactValue<HolderRecord>(
          *rt.store, [&](StoreTx& tx) { return tx.GetHolder(l.holder_id); });
      if (l.status == LineStatus::kActive && hlr_problem.empty()) {
        Result<void> p = rt.hlr->Provision(l.imsi, l.msisdn);
        if (p || p.error().code == ErrorCode::kAlreadyExists) {
          ++provisioned;
        } else {
          hlr_problem = p.error().message;
        }
      }
      out << fmt::format(
          "  {:<14} {:<20} {:<8} {:>10} {:>10} {:>10}  {:<22} {} [{}]{}\n", l.msisdn.e164(),
          l.iccid.digits(), ToString(l.kind), l.main_balance.ToDecimalString(),
          l.bonus_balance.ToDecimalString(), l.outstanding_charges.ToDecimalString(),
          h ? std::string(ToString(h->document_kind)) + " " +
                  (h->document_kind == DocumentKind::kIin ? std::string()
                                                          : h->document_country + " ") +
                  h->document_number
            : "",
          h ? h->full_name : "", h ? h->language : "",
          l.status == LineStatus::kActive ? "" : std::string("  (") + ToString(l.status) + ")");
    }
  }
  out << "\nAdmin API key: " << rt.admin_key << "\n";
  if (hlr_problem.empty()) {
    out << "HLR: " << provisioned << " active lines provisioned in the HLR.\n";
  } else {
    out << "HLR: lines NOT provisioned: " << hlr_problem << "\n";
  }
  return {};
}

}  // namespace simexit::app
