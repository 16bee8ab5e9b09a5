// `simexit terminate --file FILE --operator CODE --reason R`: a bulk closure
// (docs/bulk-terminations.md) submitted through BulkTerminationService, as
// POST /v1/operators/{code}/bulk-terminations does, then followed with a
// progress bar until every line is done or failed (the workers of `simexit
// serve` or `simexit worker` open and close the lines).

#include <unistd.h>

#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "simexit/app/cli_commands.hpp"

namespace simexit::app {
namespace {

// One number per line; blank lines, lines starting with '#' and a header line
// "msisdn" are skipped; of a CSV row, the first field is the number.
Result<std::vector<std::string>> ReadNumbers(const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_file", "cannot read " + file);
  }
  std::vector<std::string> numbers;
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find(','));
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') {
      continue;
    }
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    if (numbers.empty() && line == "msisdn") {
      continue;
    }
    numbers.push_back(line);
  }
  return numbers;
}

std::string Bar(const BulkProgress& p, int width) {
  const std::int64_t total = p.total > 0 ? p.total : 1;
  const int finished = static_cast<int>((p.done + p.failed) * width / total);
  return "[" + std::string(static_cast<std::size_t>(finished), '#') +
         std::string(static_cast<std::size_t>(width - finished), '.') + "] " +
         std::to_string(p.done) + " done, " + std::to_string(p.failed) + " failed, " +
         std::to_string(p.pending) + " pending of " + std::to_string(p.total);
}

// Sleeps `ms`, or less when SIGINT/SIGTERM (blocked by RunCli) arrives: true then.
bool Interrupted(const sigset_t& signals, int ms) {
  timespec wait{ms / 1000, static_cast<long>(ms % 1000) * 1'000'000};
  return sigtimedwait(&signals, nullptr, &wait) > 0;
}

}  // namespace

int TerminateInBulk(Runtime& rt, const std::string& file, const std::string& op_code,
                    const std::string& reason, bool wait, const sigset_t& signals) {
  Result<std::vector<std::string>> numbers = ReadNumbers(file);
  if (!numbers) {
    return Report(numbers.error());
  }
  const Caller cli = Caller::System("cli");
  Result<BulkSubmission> submitted =
      rt.bulk_terminations->Submit(cli, op_code, {std::move(*numbers), reason});
  if (!submitted) {
    return Report(submitted.error());
  }
  if (!submitted->refused.empty()) {
    for (const BulkNumberProblem& p : submitted->refused) {
      std::cerr << "line " << p.row + 1 << ": " << p.msisdn << ": " << p.message << " (" << p.code
                << ")\n";
    }
    std::cerr << "simexit: " << submitted->refused.size()
              << " number(s) refused; nothing was submitted\n";
    return 1;
  }
  const BulkTerminationRecord& bulk = submitted->bulk;
  std::cout << "bulk termination " << bulk.id << ": " << bulk.line_count << " line(s), reason "
            << bulk.reason_code << "\n";
  if (!wait) {
    return 0;
  }
  std::cout << "the workers of `simexit serve` or `simexit worker` close them; Ctrl-C stops "
               "watching, not the closure\n";
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  std::string last;
  for (;;) {
    Result<BulkTerminationView> view = rt.bulk_terminations->Get(cli, op_code, bulk.id, 0);
    if (!view) {
      return Report(view.error());
    }
    const std::string bar = Bar(view->progress, 40);
    if (tty) {
      std::cout << "\r" << bar << std::flush;
    } else if (bar != last) {
      std::cout << bar << "\n" << std::flush;
    }
    last = bar;
    if (view->progress.pending == 0) {
      break;
    }
    if (Interrupted(signals, 500)) {
      std::cout << (tty ? "\n" : "") << "stopped watching; bulk termination " << bulk.id
                << " goes on\n";
      return 130;
    }
  }
  if (tty) {
    std::cout << "\n";
  }
  Result<BulkTerminationView> final_view =
      rt.bulk_terminations->Get(cli, op_code, bulk.id, static_cast<int>(kMaxBulkNumbers));
  if (!final_view) {
    return Report(final_view.error());
  }
  for (const BulkFailure& f : final_view->failures) {
    std::cout << "failed " << f.msisdn.e164() << ": " << f.detail << " (" << f.code << ")\n";
  }
  return final_view->failures.empty() ? 0 : 1;
}

}  // namespace simexit::app
