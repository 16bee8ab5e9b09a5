#pragma once
// The fixture of the Store contract suite (store_contract.hpp): the harness an
// adapter provides, the parameterised test class with its sample records and
// seeding helpers, and Must(). Test-only: never compiled into a library.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "simexit/domain/ledger.hpp"
#include "simexit/domain/settlement.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/testing/store_contract/record_printers.hpp"
#include "simexit/testing/values.hpp"

namespace simexit::testing {

// One fresh database. Open() returns a migrated Store on it; when
// SharesDatabase() is true, every Open() is a new connection to the same
// database (used by the concurrency tests), otherwise Open() is called once.
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  virtual std::unique_ptr<Store> Open() = 0;
  virtual bool SharesDatabase() const = 0;
};

struct StoreContractParam {
  std::string name;
  std::function<std::unique_ptr<StoreHarness>()> make;
};

// Unwraps a Result in a test, failing loudly with its error.
template <typename T>
T Must(Result<T> result) {
  if (!result) {
    ADD_FAILURE() << "unexpected error: " << result.error().problem_code << ": "
                  << result.error().message;
    throw std::runtime_error("Must() on an error");
  }
  return std::move(*result);
}

inline void Must(Result<void> result) {
  if (!result) {
    ADD_FAILURE() << "unexpected error: " << result.error().problem_code << ": "
                  << result.error().message;
    throw std::runtime_error("Must() on an error");
  }
}

class StoreContractTest : public ::testing::TestWithParam<StoreContractParam> {
 protected:
  void SetUp() override {
    harness_ = GetParam().make();
    store_ = harness_->Open();
    ASSERT_NE(store_, nullptr);
  }

  // Runs `fn` in a transaction and returns its value (failing the test on error).
  template <typename Fn>
  auto Tx(Fn&& fn) {
    using T = typename std::invoke_result_t<Fn, StoreTx&>::value_type;
    return Must(TransactValue<T>(*store_, std::forward<Fn>(fn)));
  }

  // Runs `fn` in a transaction and returns the transaction's error.
  template <typename Fn>
  Error TxError(Fn&& fn) {
    using T = typename std::invoke_result_t<Fn, StoreTx&>::value_type;
    Result<T> result = TransactValue<T>(*store_, std::forward<Fn>(fn));
    if (result) {
      ADD_FAILURE() << "expected an error";
      return Error{};
    }
    return result.error();
  }

  static OperatorRecord SampleOperator(const std::string& code) {
    OperatorRecord op;
    op.code = code;
    op.name = "Op " + code;
    op.policy.termination_fee = Money::Tiyn(500'00);
    op.policy.quarantine_days = 90;
    op.policy.allowed_channels = {Channel::kOnline, Channel::kStore};
    op.policy.review_channels = {Channel::kStore};
    op.policy.otp.length = 8;
    op.default_language = "kk";
    op.created_at = 1'700'000'000;
    return op;
  }

  static HolderRecord SampleHolder(std::int64_t operator_id) {
    HolderRecord h;
    h.operator_id = operator_id;
    h.full_name = "TESTOV TEST";
    h.document_kind = DocumentKind::kPassport;
    h.document_number = "N1234567";
    h.document_country = "KAZ";
    h.iin = "900101300123";
    h.language = "en";
    h.time_zone = "Asia/Qostanay";
    h.created_at = 1'700'000'100;
    return h;
  }

  static LineRecord SampleLine(std::int64_t operator_id, std::int64_t holder_id,
                               const std::string& suffix) {
    LineRecord l;
    l.operator_id = operator_id;
    l.holder_id = holder_id;
    l.msisdn = TestMsisdn("+7701000" + suffix);
    l.iccid = IccidWithCheckDigit("899710100000000" + suffix);
    l.imsi = TestImsi("40101000000" + suffix);
    l.kind = LineKind::kEsim;
    l.status = LineStatus::kBarred;
    l.main_balance = Money::Tiyn(2000'50);
    l.bonus_balance = Money::Tiyn(300'00);
    l.outstanding_charges = Money::Tiyn(120'00);
    l.last_paid_activity_at = 1'699'000'000;
    l.quarantine_until = 1'720'000'000;
    l.created_at = 1'700'000'200;
    l.updated_at = 1'700'000'300;
    return l;
  }

  static TerminationRecord SampleTermination(const std::string& id, const LineRecord& line) {
    TerminationRecord t;
    t.id = id;
    t.operator_id = line.operator_id;
    t.line_id = line.id;
    t.holder_id = line.holder_id;
    t.msisdn = line.msisdn;
    t.channel = Channel::kStore;
    t.state = TerminationState::kScheduled;
    t.scheduled_for = 1'700'086'400;
    t.refund = RefundInstruction{RefundMethod::kIban, "KZ86125KZT5004100100"};
    Policy policy;
    t.settlement = QuoteSettlement(
        LineBalances{line.main_balance, line.bonus_balance, line.outstanding_charges}, policy,
        Channel::kOnline);
    t.requested_by = "api_key:3";
    t.reason = "";
    t.certificate_serial = "";
    t.created_at = 1'700'000'400;
    t.updated_at = 1'700'000'500;
    return t;
  }

  // An operator, a holder and a line, written; the line comes back with its ids.
  LineRecord SeedLine(const std::string& suffix = "0001") {
    return Tx([&](StoreTx& tx) -> Result<LineRecord> {
      Result<OperatorRecord> existing = tx.GetOperatorByCode("kcell");
      std::int64_t op_id =
          existing ? existing->id : Must(tx.InsertOperator(SampleOperator("kcell")));
      std::int64_t holder_id = Must(tx.InsertHolder(SampleHolder(op_id)));
      LineRecord line = SampleLine(op_id, holder_id, suffix);
      line.id = Must(tx.InsertLine(line));
      return line;
    });
  }

  // Runs `fn` (returning Result<void>) in a transaction, failing the test on error.
  template <typename Fn>
  void TxDo(Fn&& fn) {
    Must(store_->Transact(std::forward<Fn>(fn)));
  }

  // Runs `fn` (returning Result<void>) in a transaction and returns its error.
  template <typename Fn>
  Error TxDoError(Fn&& fn) {
    Result<void> result = store_->Transact(std::forward<Fn>(fn));
    if (result) {
      ADD_FAILURE() << "expected an error";
      return Error{};
    }
    return result.error();
  }

  // A line (see SeedLine), active, with its latest paid activity at `paid_at`.
  LineRecord SeedActiveLine(const std::string& suffix, UnixSeconds paid_at) {
    LineRecord line = SeedLine(suffix);
    line.status = LineStatus::kActive;
    line.last_paid_activity_at = paid_at;
    TxDo([&](StoreTx& tx) { return tx.UpdateLine(line); });
    return line;
  }

  // A line (see SeedLine) with a termination `id` on it, written.
  TerminationRecord SeedTermination(const std::string& id, const std::string& suffix) {
    LineRecord line = SeedLine(suffix);
    TerminationRecord t = SampleTermination(id, line);
    TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
    return t;
  }

  static StaffRecord SampleStaff(std::int64_t operator_id, const std::string& username,
                                 StaffRole role) {
    StaffRecord s;
    s.operator_id = operator_id;
    s.username = username;
    s.full_name = "Agent " + username;
    s.role = role;
    s.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    s.created_at = 1'700'000'000;
    s.updated_at = 1'700'000'001;
    return s;
  }

  static DocumentCheckRecord SampleDocument(const std::string& id, const TerminationRecord& t,
                                            const std::string& role) {
    DocumentCheckRecord d;
    d.id = id;
    d.operator_id = t.operator_id;
    d.termination_id = t.id;
    d.role = role;
    d.kind = DocumentKind::kPassport;
    d.number = "N" + id.substr(id.size() - 3);
    d.country = "UZB";
    d.full_name = "TESTOV TEST";
    d.iin = "900101300123";
    d.birth_date = CivilDate{1990, 1, 1};
    d.expiry_date = CivilDate{2031, 12, 31};
    d.mrz_checked = true;
    d.checked_by = "staff:7";
    d.checked_at = 1'700'001'000;
    return d;
  }

  static UploadRecord SampleUpload(const std::string& id, std::int64_t operator_id) {
    UploadRecord u;
    u.id = id;
    u.operator_id = operator_id;
    u.content_type = "application/pdf";
    u.file_name = "application.pdf";
    u.size = 123'456;
    u.sha256 = std::string(64, 'a');
    u.storage_key = "uploads/" + id;
    u.uploaded_by = "staff:9";
    u.created_at = 1'700'002'000;
    return u;
  }

  static JobRecord SampleJob(const std::string& kind, const std::string& dedupe_key,
                             UnixSeconds run_at) {
    JobRecord job;
    job.kind = kind;
    job.payload = R"({"termination_id":"trm_1"})";
    job.dedupe_key = dedupe_key;
    job.run_at = run_at;
    job.max_attempts = 5;
    job.created_at = 900;
    job.updated_at = 900;
    return job;
  }

  std::unique_ptr<StoreHarness> harness_;
  std::unique_ptr<Store> store_;
};

inline TerminationFilter Filter(std::optional<std::int64_t> operator_id,
                                std::optional<TerminationState> state, std::optional<Msisdn> msisdn,
                                int limit = 100) {
  TerminationFilter filter;
  filter.operator_id = operator_id;
  filter.state = state;
  filter.msisdn = std::move(msisdn);
  filter.limit = limit;
  return filter;
}

inline PostingRecord PostingFor(const LineRecord& line, const std::string& termination_id,
                                Posting posting, UnixSeconds created_at = 0) {
  PostingRecord record;
  record.operator_id = line.operator_id;
  record.line_id = line.id;
  record.termination_id = termination_id;
  record.posting = std::move(posting);
  record.created_at = created_at;
  return record;
}

}  // namespace simexit::testing
