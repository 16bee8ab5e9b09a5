// `simexit staff ...` and `simexit operator policy ...`: accounts and policies
// an administrator manages from the command line. Declared in cli_commands.hpp.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "simexit/app/cli_commands.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/domain/content_type.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit::app {

// ---------------------------------------------------------------- staff

namespace {

// One line from stdin, without its line ending ("--password-stdin": keeps the
// password out of argv and the shell history).
std::optional<std::string> ReadPasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
    line.pop_back();
  }
  return line;
}

void PrintGeneratedPassword(const std::string& password) {
  if (password.empty()) {
    return;
  }
  std::cout << "password (shown once, hand it over and forget it): " << password << "\n";
}

}  // namespace

int AddStaff(Runtime& rt, const std::string& op_code, const NewStaff& staff_in,
             bool password_stdin) {
  NewStaff staff = staff_in;
  if (password_stdin) {
    staff.password = ReadPasswordFromStdin();
    if (!staff.password) {
      std::cerr << "simexit: no password on standard input\n";
      return 2;
    }
  }
  Result<CreatedStaff> created = rt.staff->AddStaff(Caller::System("cli"), op_code, staff);
  if (!created) {
    return Report(created.error());
  }
  const StaffRecord& s = created->staff.staff;
  std::cout << "added staff " << s.id << " " << s.username << " (" << ToString(s.role)
            << (created->staff.operator_code.empty() ? "" : ", " + created->staff.operator_code)
            << ")\n";
  PrintGeneratedPassword(created->password);
  return 0;
}

int DisableStaff(Runtime& rt, const std::string& username) {
  const Caller cli = Caller::System("cli");
  Result<StaffView> staff = rt.staff->GetStaffByUsername(cli, username);
  if (!staff) {
    return Report(staff.error());
  }
  Result<StaffView> disabled = rt.staff->DisableStaff(cli, staff->staff.id);
  if (!disabled) {
    return Report(disabled.error());
  }
  std::cout << "staff " << disabled->staff.username << " is disabled; their sessions have ended\n";
  return 0;
}

int EnableStaff(Runtime& rt, const std::string& username) {
  const Caller cli = Caller::System("cli");
  Result<StaffView> staff = rt.staff->GetStaffByUsername(cli, username);
  if (!staff) {
    return Report(staff.error());
  }
  Result<StaffView> enabled = rt.staff->EnableStaff(cli, staff->staff.id);
  if (!enabled) {
    return Report(enabled.error());
  }
  std::cout << "staff " << enabled->staff.username << " may sign in again\n";
  return 0;
}

int ResetStaffPassword(Runtime& rt, const std::string& username, bool password_stdin) {
  const Caller cli = Caller::System("cli");
  std::optional<std::string> password;
  if (password_stdin) {
    password = ReadPasswordFromStdin();
    if (!password) {
      std::cerr << "simexit: no password on standard input\n";
      return 2;
    }
  }
  Result<StaffView> staff = rt.staff->GetStaffByUsername(cli, username);
  if (!staff) {
    return Report(staff.error());
  }
  Result<PasswordReset> reset = rt.staff->ResetPassword(cli, staff->staff.id, password);
  if (!reset) {
    return Report(reset.error());
  }
  std::cout << "password of " << reset->staff.staff.username
            << " reset; their sessions have ended\n";
  PrintGeneratedPassword(reset->password);
  return 0;
}

int ListStaff(Runtime& rt, const std::string& op_code) {
  Result<std::vector<StaffView>> list = rt.staff->ListStaff(Caller::System("cli"), op_code);
  if (!list) {
    return Report(list.error());
  }
  const UnixSeconds now = rt.clock.Now();
  std::cout << fmt::format("{:<6} {:<24} {:<15} {:<10} {:<9} {:<20} {}\n", "ID", "USERNAME", "ROLE",
                           "OPERATOR", "STATE", "LAST LOGIN", "NAME");
  for (const StaffView& v : *list) {
    const StaffRecord& s = v.staff;
    const char* state = s.disabled                                ? "disabled"
                        : s.locked_until && *s.locked_until > now ? "locked"
                                                                  : "active";
    std::cout << fmt::format("{:<6} {:<24} {:<15} {:<10} {:<9} {:<20} {}\n", s.id, s.username,
                             ToString(s.role), v.operator_code.empty() ? "-" : v.operator_code,
                             state, s.last_login_at ? FormatRfc3339(*s.last_login_at) : "-",
                             s.full_name);
  }
  return 0;
}

// ---------------------------------------------------------------- operator policy

namespace {

// Boost.JSON has no pretty printer: two-space indentation, one member per line.
void PrintPrettyJson(std::ostream& out, const boost::json::value& value, int indent = 0) {
  const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
  const std::string closing(static_cast<std::size_t>(indent), ' ');
  if (value.is_object() && !value.as_object().empty()) {
    out << "{\n";
    bool first = true;
    for (const auto& member : value.as_object()) {
      if (!first) {
        out << ",\n";
      }
      first = false;
      out << pad << boost::json::serialize(boost::json::string(member.key())) << ": ";
      PrintPrettyJson(out, member.value(), indent + 2);
    }
    out << "\n" << closing << "}";
  } else if (value.is_array() && !value.as_array().empty()) {
    out << "[\n";
    bool first = true;
    for (const boost::json::value& item : value.as_array()) {
      if (!first) {
        out << ",\n";
      }
      first = false;
      out << pad;
      PrintPrettyJson(out, item, indent + 2);
    }
    out << "\n" << closing << "]";
  } else {
    out << boost::json::serialize(value);
  }
}

}  // namespace

int ShowPolicy(Runtime& rt, const std::string& code) {
  Result<OperatorRecord> op = rt.operators->GetOperator(Caller::System("cli"), code);
  if (!op) {
    return Report(op.error());
  }
  PrintPrettyJson(std::cout, op->policy.ToJson());
  std::cout << "\n";
  return 0;
}

int SetPolicy(Runtime& rt, const std::string& code, const std::string& file) {
  std::stringstream buffer;
  if (file == "-") {
    buffer << std::cin.rdbuf();
  } else {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "simexit: cannot read " << file << "\n";
      return 1;
    }
    buffer << in.rdbuf();
  }
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(buffer.str(), ec);
  if (ec) {
    std::cerr << "simexit: " << (file == "-" ? "standard input" : file)
              << " is not valid JSON: " << ec.message() << "\n";
    return 1;
  }
  // The message names the offending key (e.g. "otp.length must be ...").
  Result<Policy> policy = Policy::FromJson(json);
  if (!policy) {
    return Report(policy.error());
  }
  Result<OperatorRecord> op = rt.operators->SetPolicy(Caller::System("cli"), code, *policy);
  if (!op) {
    return Report(op.error());
  }
  std::cout << "policy of " << op->code << " updated\n";
  return 0;
}

}  // namespace simexit::app
