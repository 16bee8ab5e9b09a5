#pragma once
// The Store port's contract as a value-parameterised GoogleTest suite.
//
// Test-only header: an adapter's *_test.cpp includes it once and instantiates
// it with a harness factory, e.g.
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
//                            ::testing::Values(StoreContractParam{"memory", MakeHarness}),
//                            [](const auto& info) { return info.param.name; });
// Every test gets a fresh, empty, migrated database from a fresh harness.

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
    ADD_FAILURE() << "unexpected error: " << result.error().reason << ": "
                  << result.error().message;
    throw std::runtime_error("Must() on an error");
  }
  return std::move(*result);
}

inline void Must(Result<void> result) {
  if (!result) {
    ADD_FAILURE() << "unexpected error: " << result.error().reason << ": "
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
    l.msisdn = "+7701000" + suffix;
    l.iccid = "8997101000000000" + suffix;
    l.imsi = "40101000000" + suffix;
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
    d.birth_date = "1990-01-01";
    d.expiry_date = "2031-12-31";
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
                                std::optional<TerminationState> state,
                                std::optional<std::string> msisdn, int limit = 100) {
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

inline void ExpectSameLine(const LineRecord& a, const LineRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.operator_id, b.operator_id);
  EXPECT_EQ(a.holder_id, b.holder_id);
  EXPECT_EQ(a.msisdn, b.msisdn);
  EXPECT_EQ(a.iccid, b.iccid);
  EXPECT_EQ(a.imsi, b.imsi);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.main_balance, b.main_balance);
  EXPECT_EQ(a.bonus_balance, b.bonus_balance);
  EXPECT_EQ(a.outstanding_charges, b.outstanding_charges);
  EXPECT_EQ(a.last_paid_activity_at, b.last_paid_activity_at);
  EXPECT_EQ(a.quarantine_until, b.quarantine_until);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

inline void ExpectSameTermination(const TerminationRecord& a, const TerminationRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.operator_id, b.operator_id);
  EXPECT_EQ(a.line_id, b.line_id);
  EXPECT_EQ(a.holder_id, b.holder_id);
  EXPECT_EQ(a.msisdn, b.msisdn);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.scheduled_for, b.scheduled_for);
  ASSERT_EQ(a.refund.has_value(), b.refund.has_value());
  if (a.refund) {
    EXPECT_EQ(a.refund->method, b.refund->method);
    EXPECT_EQ(a.refund->destination, b.refund->destination);
  }
  EXPECT_EQ(a.settlement, b.settlement);
  EXPECT_EQ(a.requested_by, b.requested_by);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.certificate_serial, b.certificate_serial);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.review_since, b.review_since);
  EXPECT_EQ(a.reason_code, b.reason_code);
  EXPECT_EQ(a.reviewed_by, b.reviewed_by);
  EXPECT_EQ(a.postmarked_on, b.postmarked_on);
}

inline void ExpectSameStaff(const StaffRecord& a, const StaffRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.operator_id, b.operator_id);
  EXPECT_EQ(a.username, b.username);
  EXPECT_EQ(a.full_name, b.full_name);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.password_hash, b.password_hash);
  EXPECT_EQ(a.disabled, b.disabled);
  EXPECT_EQ(a.failed_logins, b.failed_logins);
  EXPECT_EQ(a.locked_until, b.locked_until);
  EXPECT_EQ(a.last_login_at, b.last_login_at);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

inline void ExpectSameDocument(const DocumentCheckRecord& a, const DocumentCheckRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.operator_id, b.operator_id);
  EXPECT_EQ(a.termination_id, b.termination_id);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.country, b.country);
  EXPECT_EQ(a.full_name, b.full_name);
  EXPECT_EQ(a.iin, b.iin);
  EXPECT_EQ(a.birth_date, b.birth_date);
  EXPECT_EQ(a.expiry_date, b.expiry_date);
  EXPECT_EQ(a.mrz_checked, b.mrz_checked);
  EXPECT_EQ(a.checked_by, b.checked_by);
  EXPECT_EQ(a.checked_at, b.checked_at);
}

inline void ExpectSameUpload(const UploadRecord& a, const UploadRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.operator_id, b.operator_id);
  EXPECT_EQ(a.termination_id, b.termination_id);
  EXPECT_EQ(a.content_type, b.content_type);
  EXPECT_EQ(a.file_name, b.file_name);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.sha256, b.sha256);
  EXPECT_EQ(a.storage_key, b.storage_key);
  EXPECT_EQ(a.uploaded_by, b.uploaded_by);
  EXPECT_EQ(a.created_at, b.created_at);
}

inline void ExpectSameConfirmation(const ConfirmationRecord& a, const ConfirmationRecord& b) {
  EXPECT_EQ(a.termination_id, b.termination_id);
  EXPECT_EQ(a.code_hash, b.code_hash);
  EXPECT_EQ(a.salt, b.salt);
  EXPECT_EQ(a.link_token_hash, b.link_token_hash);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.expires_at, b.expires_at);
  EXPECT_EQ(a.attempts, b.attempts);
  EXPECT_EQ(a.max_attempts, b.max_attempts);
  EXPECT_EQ(a.confirmed_at, b.confirmed_at);
}

// --- Migrations and transactions ---------------------------------------------

TEST_P(StoreContractTest, MigrateTwiceIsANoOp) {
  std::vector<int> before = Must(store_->AppliedMigrations());
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before.front(), 1);
  Must(store_->Migrate());
  Must(store_->Migrate());
  EXPECT_EQ(Must(store_->AppliedMigrations()), before);
}

TEST_P(StoreContractTest, CallbackErrorRollsBackAndIsReturnedUnchanged) {
  Result<void> result = store_->Transact([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertOperator(SampleOperator("kcell")));
    Must(tx.NextSequence("certificate"));
    return Fail(ErrorCode::kPermissionDenied, "custom_reason", "custom message");
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(result.error().reason, "custom_reason");
  EXPECT_EQ(result.error().message, "custom message");
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListOperators(); }).empty());
  // The sequence increment was rolled back too.
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.NextSequence("certificate"); }), 1);
}

TEST_P(StoreContractTest, CommittedWritesAreVisibleToLaterTransactions) {
  std::int64_t id = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetOperator(id); }).code, "kcell");
}

// --- Operators and holders ----------------------------------------------------

TEST_P(StoreContractTest, OperatorRoundTripsAndUpdates) {
  OperatorRecord op = SampleOperator("kcell");
  op.id = Tx([&](StoreTx& tx) { return tx.InsertOperator(op); });
  EXPECT_GT(op.id, 0);
  OperatorRecord got = Tx([&](StoreTx& tx) { return tx.GetOperator(op.id); });
  EXPECT_EQ(got.id, op.id);
  EXPECT_EQ(got.code, "kcell");
  EXPECT_EQ(got.name, "Op kcell");
  EXPECT_EQ(got.policy, op.policy);
  EXPECT_EQ(got.default_language, "kk");
  EXPECT_EQ(got.created_at, op.created_at);

  op.name = "Kcell JSC";
  op.policy.minimum_refund = Money::Tiyn(50'00);
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateOperator(op));
    return true;
  });
  OperatorRecord by_code = Tx([](StoreTx& tx) { return tx.GetOperatorByCode("kcell"); });
  EXPECT_EQ(by_code.name, "Kcell JSC");
  EXPECT_EQ(by_code.policy.minimum_refund, Money::Tiyn(50'00));

  Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("beeline")); });
  std::vector<OperatorRecord> all = Tx([](StoreTx& tx) { return tx.ListOperators(); });
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].code, "kcell");
  EXPECT_EQ(all[1].code, "beeline");
}

TEST_P(StoreContractTest, OperatorErrors) {
  Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  Error dup = TxError([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.reason, "duplicate");
  EXPECT_NE(dup.message.find("operators"), std::string::npos) << dup.message;

  Error missing = TxError([](StoreTx& tx) { return tx.GetOperator(999); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.reason, "not_found");
  Error missing_code = TxError([](StoreTx& tx) { return tx.GetOperatorByCode("tele2"); });
  EXPECT_EQ(missing_code.reason, "not_found");
  OperatorRecord ghost = SampleOperator("ghost");
  ghost.id = 999;
  Error update = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.UpdateOperator(ghost);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(update.reason, "not_found");
}

TEST_P(StoreContractTest, HolderRoundTrips) {
  HolderRecord h = Tx([](StoreTx& tx) -> Result<HolderRecord> {
    HolderRecord holder = SampleHolder(Must(tx.InsertOperator(SampleOperator("kcell"))));
    holder.id = Must(tx.InsertHolder(holder));
    return holder;
  });
  HolderRecord got = Tx([&](StoreTx& tx) { return tx.GetHolder(h.id); });
  EXPECT_EQ(got.id, h.id);
  EXPECT_EQ(got.operator_id, h.operator_id);
  EXPECT_EQ(got.full_name, "TESTOV TEST");
  EXPECT_EQ(got.document_kind, DocumentKind::kPassport);
  EXPECT_EQ(got.document_number, "N1234567");
  EXPECT_EQ(got.document_country, "KAZ");
  EXPECT_EQ(got.iin, "900101300123");
  EXPECT_EQ(got.language, "en");
  EXPECT_EQ(got.time_zone, "Asia/Qostanay");
  EXPECT_EQ(got.created_at, h.created_at);
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetHolder(12345); }).reason, "not_found");
}

// --- Lines ----------------------------------------------------------------------

TEST_P(StoreContractTest, LineRoundTripsAndUpdates) {
  LineRecord line = SeedLine();
  ExpectSameLine(Tx([&](StoreTx& tx) { return tx.GetLine(line.id); }), line);
  ExpectSameLine(Tx([&](StoreTx& tx) { return tx.GetLineByMsisdn(line.msisdn); }), line);

  line.holder_id = 0;  // back to the pool
  line.status = LineStatus::kAvailable;
  line.quarantine_until.reset();
  line.main_balance = Money::Zero();
  line.outstanding_charges = Money::Tiyn(-1);  // stored as given
  line.updated_at = 1'800'000'000;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateLine(line));
    return true;
  });
  ExpectSameLine(Tx([&](StoreTx& tx) { return tx.GetLine(line.id); }), line);

  LineRecord ghost = line;
  ghost.id = 9999;
  ghost.msisdn = "+77019999999";
  Error missing = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.UpdateLine(ghost);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.reason, "not_found");
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetLineByMsisdn("+77000000000"); }).reason,
            "not_found");
}

TEST_P(StoreContractTest, LineIdentifiersAreUnique) {
  LineRecord line = SeedLine("0001");
  auto insert_variant = [&](auto mutate) {
    LineRecord other = SampleLine(line.operator_id, line.holder_id, "0002");
    mutate(other);
    return TxError([&](StoreTx& tx) { return tx.InsertLine(other); });
  };
  for (Error error : {insert_variant([&](LineRecord& l) { l.msisdn = line.msisdn; }),
                      insert_variant([&](LineRecord& l) { l.iccid = line.iccid; }),
                      insert_variant([&](LineRecord& l) { l.imsi = line.imsi; })}) {
    EXPECT_EQ(error.code, ErrorCode::kAlreadyExists);
    EXPECT_EQ(error.reason, "duplicate");
    EXPECT_NE(error.message.find("lines"), std::string::npos) << error.message;
  }
  // Unknown ICCID/IMSI ("") never collide.
  Tx([&](StoreTx& tx) -> Result<bool> {
    for (const char* suffix : {"0003", "0004"}) {
      LineRecord l = SampleLine(line.operator_id, 0, suffix);
      l.iccid.clear();
      l.imsi.clear();
      Must(tx.InsertLine(l));
    }
    return true;
  });
  LineRecord blank = Tx([](StoreTx& tx) { return tx.GetLineByMsisdn("+77010000004"); });
  EXPECT_EQ(blank.iccid, "");
  EXPECT_EQ(blank.imsi, "");
  EXPECT_EQ(blank.holder_id, 0);
}

TEST_P(StoreContractTest, ListLinesFiltersByOperatorAndLimits) {
  LineRecord a1 = SeedLine("0001");
  LineRecord a2 = SeedLine("0002");
  std::int64_t other_op =
      Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("beeline")); });
  Tx([&](StoreTx& tx) { return tx.InsertLine(SampleLine(other_op, 0, "0003")); });

  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListLines(std::nullopt, 100); }).size(), 3u);
  std::vector<LineRecord> mine = Tx([&](StoreTx& tx) { return tx.ListLines(a1.operator_id, 100); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, a1.id);
  EXPECT_EQ(mine[1].id, a2.id);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListLines(a1.operator_id, 1); }).size(), 1u);
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListLines(other_op + 100, 10); }).empty());
}

// --- Terminations and events -----------------------------------------------------

TEST_P(StoreContractTest, TerminationRoundTripsWithRefundAndSettlement) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_000000000000000000000001", line);
  ASSERT_TRUE(t.settlement.has_value());
  ASSERT_TRUE(t.settlement->amount_due.IsZero());
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    return true;
  });
  ExpectSameTermination(Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); }), t);

  t.state = TerminationState::kTerminated;
  t.refund.reset();
  t.settlement.reset();
  t.scheduled_for.reset();
  t.certificate_serial = "SX-2026-000001";
  t.reason = "closed";
  t.updated_at = 1'800'000'000;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateTermination(t));
    return true;
  });
  ExpectSameTermination(Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); }), t);

  Error dup = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.InsertTermination(t);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(dup.reason, "duplicate");
  EXPECT_NE(dup.message.find("terminations"), std::string::npos) << dup.message;
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetTermination("trm_missing"); }).reason,
            "not_found");
}

TEST_P(StoreContractTest, FindOpenTerminationIgnoresFinalStates) {
  LineRecord line = SeedLine();
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FindOpenTermination(line.id); }).has_value());

  for (TerminationState final_state :
       {TerminationState::kTerminated, TerminationState::kRejected, TerminationState::kCancelled}) {
    TerminationRecord done = SampleTermination(std::string("trm_") + ToString(final_state), line);
    done.state = final_state;
    Tx([&](StoreTx& tx) -> Result<bool> {
      Must(tx.InsertTermination(done));
      return true;
    });
  }
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.FindOpenTermination(line.id); }).has_value());

  TerminationRecord open = SampleTermination("trm_open", line);
  open.state = TerminationState::kAwaitingPayment;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(open));
    return true;
  });
  std::optional<TerminationRecord> found =
      Tx([&](StoreTx& tx) { return tx.FindOpenTermination(line.id); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "trm_open");

  // A second open termination for the same line is refused.
  TerminationRecord second = SampleTermination("trm_second", line);
  second.state = TerminationState::kSubmitted;
  Error dup = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.InsertTermination(second);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.reason, "duplicate");
}

TEST_P(StoreContractTest, ListTerminationsFiltersNewestFirst) {
  LineRecord l1 = SeedLine("0001");
  LineRecord l2 = SeedLine("0002");
  TerminationRecord a = SampleTermination("trm_a", l1);
  a.state = TerminationState::kCancelled;
  a.created_at = 100;
  TerminationRecord b = SampleTermination("trm_b", l1);
  b.state = TerminationState::kSubmitted;
  b.created_at = 200;
  TerminationRecord c = SampleTermination("trm_c", l2);
  c.state = TerminationState::kSubmitted;
  c.created_at = 300;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(a));
    Must(tx.InsertTermination(b));
    Must(tx.InsertTermination(c));
    return true;
  });
  auto ids = [&](TerminationFilter filter) {
    std::vector<std::string> out;
    for (const TerminationRecord& t :
         Tx([&](StoreTx& tx) { return tx.ListTerminations(filter); })) {
      out.push_back(t.id);
    }
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<std::string>{"trm_c", "trm_b", "trm_a"}));
  EXPECT_EQ(ids(Filter(std::nullopt, TerminationState::kSubmitted, std::nullopt)),
            (std::vector<std::string>{"trm_c", "trm_b"}));
  EXPECT_EQ(ids(Filter(std::nullopt, std::nullopt, l1.msisdn)),
            (std::vector<std::string>{"trm_b", "trm_a"}));
  EXPECT_EQ(ids(Filter(l1.operator_id, std::nullopt, std::nullopt, 1)),
            (std::vector<std::string>{"trm_c"}));
  EXPECT_TRUE(ids(Filter(l1.operator_id + 1000, std::nullopt, std::nullopt)).empty());
}

TEST_P(StoreContractTest, EventsAppendInOrder) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_ev", line);
  std::vector<std::int64_t> ids = Tx([&](StoreTx& tx) -> Result<std::vector<std::int64_t>> {
    Must(tx.InsertTermination(t));
    std::vector<std::int64_t> out;
    out.push_back(Must(tx.AppendEvent({.termination_id = t.id,
                                       .event = "created",
                                       .from_state = "",
                                       .to_state = "submitted",
                                       .actor = "holder:1",
                                       .channel = "online",
                                       .detail = "requested",
                                       .at = 10})));
    out.push_back(Must(tx.AppendEvent({.termination_id = t.id,
                                       .event = "verify",
                                       .from_state = "submitted",
                                       .to_state = "verified",
                                       .actor = "worker",
                                       .channel = "",
                                       .detail = "",
                                       .at = 20})));
    return out;
  });
  std::vector<TerminationEventRecord> events = Tx([&](StoreTx& tx) { return tx.ListEvents(t.id); });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, ids[0]);
  EXPECT_EQ(events[0].event, "created");
  EXPECT_EQ(events[0].from_state, "");
  EXPECT_EQ(events[0].to_state, "submitted");
  EXPECT_EQ(events[0].actor, "holder:1");
  EXPECT_EQ(events[0].channel, "online");
  EXPECT_EQ(events[0].detail, "requested");
  EXPECT_EQ(events[0].at, 10);
  EXPECT_EQ(events[1].id, ids[1]);
  EXPECT_EQ(events[1].from_state, "submitted");
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListEvents("trm_none"); }).empty());
}

// --- Ledger ---------------------------------------------------------------------------

TEST_P(StoreContractTest, PostingsRoundTripAndLedgerBalances) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_ledger", line);
  LineBalances balances{line.main_balance, line.bonus_balance, line.outstanding_charges};
  Posting opening = OpeningBalancePosting(line.id, line.operator_id, balances);
  Posting settlement = SettlementPosting(line.id, line.operator_id, *t.settlement);
  ASSERT_FALSE(opening.entries.empty());
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    Must(tx.InsertPosting(PostingFor(line, "", opening, 50)));
    Must(tx.InsertPosting(PostingFor(line, t.id, settlement, 60)));
    // A posting without entries is balanced and allowed.
    Must(tx.InsertPosting(PostingFor(line, t.id, Posting{"payment", {}}, 70)));
    return true;
  });
  std::vector<PostingRecord> postings = Tx([&](StoreTx& tx) { return tx.ListPostings(line.id); });
  ASSERT_EQ(postings.size(), 3u);
  EXPECT_EQ(postings[0].termination_id, "");
  EXPECT_EQ(postings[0].posting.kind, "opening_balance");
  EXPECT_EQ(postings[0].posting.entries, opening.entries);
  EXPECT_EQ(postings[0].created_at, 50);
  EXPECT_EQ(postings[1].termination_id, t.id);
  EXPECT_EQ(postings[1].posting.entries, settlement.entries);
  EXPECT_EQ(postings[2].posting.kind, "payment");
  EXPECT_TRUE(postings[2].posting.entries.empty());
  EXPECT_EQ(postings[1].operator_id, line.operator_id);
  EXPECT_EQ(postings[1].line_id, line.id);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); }).size(), 3u);
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListPostings(line.id + 1000); }).empty());
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
}

TEST_P(StoreContractTest, UnbalancedPostingIsRefusedAndWritesNothing) {
  LineRecord line = SeedLine();
  Posting bad{
      .kind = "opening_balance",
      .entries = {{"line:1:main", Money::Tiyn(-100)}, {"operator:1:prepaid", Money::Tiyn(99)}}};
  Result<std::int64_t> result = TransactValue<std::int64_t>(
      *store_, [&](StoreTx& tx) { return tx.InsertPosting(PostingFor(line, "", bad)); });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
  EXPECT_EQ(result.error().reason, "unbalanced_posting");
  // Even when the caller ignores the error and commits, nothing was written.
  Tx([&](StoreTx& tx) -> Result<bool> {
    EXPECT_FALSE(tx.InsertPosting(PostingFor(line, "", bad)));
    return true;
  });
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); }).empty());
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
}

TEST_P(StoreContractTest, SecondPostingOfAKindPerTerminationIsRefused) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_once", line);
  Posting settlement = SettlementPosting(line.id, line.operator_id, *t.settlement);
  PostingRecord record = PostingFor(line, t.id, settlement);
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    Must(tx.InsertPosting(record));
    return true;
  });
  // The caller ignores the duplicate's error and commits: no entry may leak.
  std::size_t entries_before = settlement.entries.size();
  Tx([&](StoreTx& tx) -> Result<bool> {
    Result<std::int64_t> again = tx.InsertPosting(record);
    EXPECT_FALSE(again);
    if (!again) {
      EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
      EXPECT_EQ(again.error().reason, "duplicate");
      EXPECT_NE(again.error().message.find("postings"), std::string::npos);
    }
    return true;
  });
  std::vector<PostingRecord> postings =
      Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); });
  ASSERT_EQ(postings.size(), 1u);
  EXPECT_EQ(postings[0].posting.entries.size(), entries_before);
  // Opening balances (no termination) may repeat.
  Posting opening = OpeningBalancePosting(
      line.id, line.operator_id,
      LineBalances{line.main_balance, line.bonus_balance, line.outstanding_charges});
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertPosting(PostingFor(line, "", opening)));
    Must(tx.InsertPosting(PostingFor(line, "", opening)));
    return true;
  });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); }).size(), 3u);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
}

TEST_P(StoreContractTest, LedgerTotalSumsEveryEntry) {
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
  LineRecord line = SeedLine();
  Posting p{
      .kind = "opening_balance",
      .entries = {{"line:1:main", Money::Tiyn(-250)}, {"operator:1:prepaid", Money::Tiyn(250)}}};
  Tx([&](StoreTx& tx) { return tx.InsertPosting(PostingFor(line, "", p)); });
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.LedgerTotal(); }), Money::Zero());
  std::vector<PostingRecord> all = Tx([](StoreTx& tx) { return tx.ListPostings(std::nullopt); });
  ASSERT_EQ(all.size(), 1u);
  ASSERT_EQ(all[0].posting.entries.size(), 2u);
  EXPECT_EQ(all[0].posting.entries[0].amount, Money::Tiyn(-250));
  EXPECT_EQ(all[0].posting.entries[1].account, "operator:1:prepaid");
}

// --- Jobs ---------------------------------------------------------------------------------

TEST_P(StoreContractTest, EnqueueWithUsedDedupeKeyIsANoOp) {
  std::int64_t first =
      Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("settle", "settle:trm_1", 1000)); });
  JobRecord changed = SampleJob("other", "settle:trm_1", 5);
  changed.payload = "{}";
  std::int64_t second = Tx([&](StoreTx& tx) { return tx.EnqueueJob(changed); });
  EXPECT_EQ(second, first);
  JobRecord job = Tx([&](StoreTx& tx) { return tx.GetJob(first); });
  EXPECT_EQ(job.kind, "settle");
  EXPECT_EQ(job.payload, R"({"termination_id":"trm_1"})");
  EXPECT_EQ(job.dedupe_key, "settle:trm_1");
  EXPECT_EQ(job.state, JobState::kPending);
  EXPECT_EQ(job.run_at, 1000);
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(job.max_attempts, 5);
  EXPECT_EQ(job.lease_owner, "");
  EXPECT_EQ(job.created_at, 900);
  // Jobs without a dedupe key never collide.
  std::int64_t a = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("sms", "", 1)); });
  std::int64_t b = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("sms", "", 1)); });
  EXPECT_NE(a, b);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.ListJobs({}); }).size(), 3u);
  EXPECT_EQ(TxError([](StoreTx& tx) { return tx.GetJob(424242); }).reason, "not_found");
}

TEST_P(StoreContractTest, JobLifecycle) {
  std::int64_t j1 = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("settle", "k1", 1000)); });
  std::int64_t j2 =
      Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("deprovision", "k2", 2000)); });
  std::int64_t j3 = Tx([](StoreTx& tx) { return tx.EnqueueJob(SampleJob("sms", "k3", 5000)); });
  auto claim = [&](const std::string& owner, UnixSeconds now, int limit = 10) {
    return Tx([&](StoreTx& tx) { return tx.ClaimJobs(owner, now, 30, limit); });
  };
  auto error_of = [&](auto fn) {
    return TxError([&](StoreTx& tx) -> Result<bool> {
      Result<void> r = fn(tx);
      if (!r) {
        return Fail(r.error());
      }
      return true;
    });
  };
  auto ok = [&](auto fn) {
    Tx([&](StoreTx& tx) -> Result<bool> {
      Must(fn(tx));
      return true;
    });
  };

  // Claims respect run_at.
  EXPECT_TRUE(claim("a", 999).empty());
  std::vector<JobRecord> got = claim("a", 1000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, j1);
  EXPECT_EQ(got[0].state, JobState::kRunning);
  EXPECT_EQ(got[0].attempts, 1);
  EXPECT_EQ(got[0].lease_owner, "a");
  EXPECT_EQ(got[0].lease_until, 1030);
  // Leased: nobody else gets it while the lease lasts (lease_until itself included).
  EXPECT_TRUE(claim("b", 1010).empty());
  EXPECT_TRUE(claim("b", 1030).empty());
  Error lost = error_of([&](StoreTx& tx) { return tx.CompleteJob(j1, "b"); });
  EXPECT_EQ(lost.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(lost.reason, "lease_lost");

  // The lease expires: another owner takes the job over.
  got = claim("b", 1031);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, j1);
  EXPECT_EQ(got[0].attempts, 2);
  EXPECT_EQ(got[0].lease_owner, "b");
  EXPECT_EQ(error_of([&](StoreTx& tx) { return tx.CompleteJob(j1, "a"); }).reason, "lease_lost");
  ok([&](StoreTx& tx) { return tx.CompleteJob(j1, "b"); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(j1); }).state, JobState::kDone);
  EXPECT_EQ(error_of([&](StoreTx& tx) { return tx.CompleteJob(j1, "b"); }).reason, "lease_lost");
  EXPECT_TRUE(claim("a", 1'000'000'000, 0).empty());
  Error missing = error_of([](StoreTx& tx) { return tx.CompleteJob(424242, "a"); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.reason, "not_found");

  // Failure with a retry time.
  got = claim("a", 2000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, j2);
  EXPECT_EQ(error_of([&](StoreTx& tx) { return tx.FailJob(j2, "b", "x", 2100, false); }).reason,
            "lease_lost");
  ok([&](StoreTx& tx) { return tx.FailJob(j2, "a", "hlr unavailable", 2100, false); });
  JobRecord j2_state = Tx([&](StoreTx& tx) { return tx.GetJob(j2); });
  EXPECT_EQ(j2_state.state, JobState::kPending);
  EXPECT_EQ(j2_state.run_at, 2100);
  EXPECT_EQ(j2_state.last_error, "hlr unavailable");
  EXPECT_EQ(j2_state.lease_owner, "");
  EXPECT_EQ(j2_state.attempts, 1);
  EXPECT_TRUE(claim("a", 2099).empty());
  got = claim("a", 2100);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attempts, 2);

  // Dead-lettering: a dead job is never claimed again.
  ok([&](StoreTx& tx) { return tx.FailJob(j2, "a", "gave up", 0, true); });
  j2_state = Tx([&](StoreTx& tx) { return tx.GetJob(j2); });
  EXPECT_EQ(j2_state.state, JobState::kDead);
  EXPECT_EQ(j2_state.run_at, 2100);
  EXPECT_EQ(j2_state.last_error, "gave up");
  got = claim("a", 1'000'000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, j3);
  std::vector<JobRecord> dead = Tx([](StoreTx& tx) {
    return tx.ListJobs(JobFilter{JobState::kDead, std::nullopt, 100});
  });
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].id, j2);
  EXPECT_EQ(Tx([](StoreTx& tx) {
              return tx.ListJobs(JobFilter{std::nullopt, "sms", 100});
            }).size(),
            1u);
  EXPECT_EQ(Tx([](StoreTx& tx) {
              return tx.ListJobs(JobFilter{std::nullopt, std::nullopt, 2});
            }).size(),
            2u);

  // Retry: dead back to pending, due now, attempts reset. Running/done: refused.
  ok([&](StoreTx& tx) { return tx.RetryJob(j2, 3000); });
  j2_state = Tx([&](StoreTx& tx) { return tx.GetJob(j2); });
  EXPECT_EQ(j2_state.state, JobState::kPending);
  EXPECT_EQ(j2_state.run_at, 3000);
  EXPECT_EQ(j2_state.attempts, 0);
  Error running = error_of([&](StoreTx& tx) { return tx.RetryJob(j3, 3000); });
  EXPECT_EQ(running.code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(running.reason, "job_not_retryable");
  EXPECT_EQ(error_of([&](StoreTx& tx) { return tx.RetryJob(j1, 3000); }).reason,
            "job_not_retryable");
  EXPECT_EQ(error_of([](StoreTx& tx) { return tx.RetryJob(424242, 3000); }).reason, "not_found");

  // Releasing leases: back to pending, the attempt not counted; others untouched.
  JobRecord j3_state = Tx([&](StoreTx& tx) { return tx.GetJob(j3); });
  EXPECT_EQ(j3_state.attempts, 1);
  ok([](StoreTx& tx) { return tx.ReleaseLeases("b"); });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(j3); }).state, JobState::kRunning);
  ok([](StoreTx& tx) { return tx.ReleaseLeases("a"); });
  j3_state = Tx([&](StoreTx& tx) { return tx.GetJob(j3); });
  EXPECT_EQ(j3_state.state, JobState::kPending);
  EXPECT_EQ(j3_state.attempts, 0);
  EXPECT_EQ(j3_state.lease_owner, "");
  EXPECT_EQ(j3_state.run_at, 5000);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetJob(j1); }).state, JobState::kDone);
}

TEST_P(StoreContractTest, ClaimHandsOutDueJobsOldestFirstUpToTheLimit) {
  std::vector<std::int64_t> ids;
  for (UnixSeconds run_at : {300, 100, 200, 100}) {
    ids.push_back(Tx([&](StoreTx& tx) { return tx.EnqueueJob(SampleJob("k", "", run_at)); }));
  }
  std::vector<JobRecord> got = Tx([](StoreTx& tx) { return tx.ClaimJobs("w", 1000, 60, 3); });
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].id, ids[1]);
  EXPECT_EQ(got[1].id, ids[3]);
  EXPECT_EQ(got[2].id, ids[2]);
  got = Tx([](StoreTx& tx) { return tx.ClaimJobs("w", 1000, 60, 3); });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, ids[0]);
}

TEST_P(StoreContractTest, ConcurrentClaimsNeverShareAJob) {
  if (!harness_->SharesDatabase()) {
    GTEST_SKIP() << "needs two connections to one database";
  }
  constexpr int kJobs = 120;
  Tx([&](StoreTx& tx) -> Result<bool> {
    for (int i = 0; i < kJobs; ++i) {
      Must(tx.EnqueueJob(SampleJob("k", "job:" + std::to_string(i), i)));
    }
    return true;
  });
  std::unique_ptr<Store> other = harness_->Open();
  ASSERT_NE(other, nullptr);
  auto worker = [](Store* store, std::string owner, std::vector<std::int64_t>* out, bool* failed) {
    while (true) {
      Result<std::vector<JobRecord>> got = TransactValue<std::vector<JobRecord>>(
          *store, [&](StoreTx& tx) { return tx.ClaimJobs(owner, 10'000, 3600, 2); });
      if (!got) {
        *failed = true;
        return;
      }
      if (got->empty()) {
        return;
      }
      for (const JobRecord& job : *got) {
        out->push_back(job.id);
      }
    }
  };
  std::vector<std::int64_t> a_ids;
  std::vector<std::int64_t> b_ids;
  bool a_failed = false;
  bool b_failed = false;
  std::thread a(worker, store_.get(), "a", &a_ids, &a_failed);
  std::thread b(worker, other.get(), "b", &b_ids, &b_failed);
  a.join();
  b.join();
  EXPECT_FALSE(a_failed);
  EXPECT_FALSE(b_failed);
  std::set<std::int64_t> all(a_ids.begin(), a_ids.end());
  for (std::int64_t id : b_ids) {
    EXPECT_TRUE(all.insert(id).second) << "job " << id << " claimed twice";
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(a_ids.size() + b_ids.size(), static_cast<std::size_t>(kJobs));
}

// --- Idempotency, OTP, sessions, API keys, certificates, sequences -----------------------

TEST_P(StoreContractTest, IdempotencyKeysRoundTripPerScope) {
  IdempotencyRecord r{.scope = "holder:12",
                      .key = "abc",
                      .request_hash = "h1",
                      .status = 201,
                      .response_body = R"({"id":"trm_1"})",
                      .created_at = 77};
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertIdempotency(r));
    return true;
  });
  std::optional<IdempotencyRecord> got =
      Tx([](StoreTx& tx) { return tx.FindIdempotency("holder:12", "abc"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->request_hash, "h1");
  EXPECT_EQ(got->status, 201);
  EXPECT_EQ(got->response_body, R"({"id":"trm_1"})");
  EXPECT_EQ(got->created_at, 77);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindIdempotency("holder:13", "abc"); }));
  Error dup = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> again = tx.InsertIdempotency(r);
    if (!again) {
      return Fail(again.error());
    }
    return true;
  });
  EXPECT_EQ(dup.reason, "duplicate");
  EXPECT_NE(dup.message.find("idempotency_keys"), std::string::npos) << dup.message;
}

TEST_P(StoreContractTest, OtpChallengesLatestCountAndUpdate) {
  const std::string msisdn = "+77010000001";
  EXPECT_FALSE(Tx([&](StoreTx& tx) { return tx.LatestOtpChallenge(msisdn); }));
  OtpChallengeRecord c{.msisdn = msisdn,
                       .code_hash = "aa",
                       .salt = "01",
                       .created_at = 100,
                       .expires_at = 400,
                       .consumed_at = std::nullopt};
  c.id = Tx([&](StoreTx& tx) { return tx.InsertOtpChallenge(c); });
  OtpChallengeRecord newer = c;
  newer.code_hash = "bb";
  newer.created_at = 200;
  newer.id = Tx([&](StoreTx& tx) { return tx.InsertOtpChallenge(newer); });
  Tx([&](StoreTx& tx) {
    return tx.InsertOtpChallenge({.msisdn = "+77010000002",
                                  .code_hash = "cc",
                                  .salt = "02",
                                  .created_at = 300,
                                  .consumed_at = std::nullopt});
  });
  std::optional<OtpChallengeRecord> latest =
      Tx([&](StoreTx& tx) { return tx.LatestOtpChallenge(msisdn); });
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->id, newer.id);
  EXPECT_EQ(latest->code_hash, "bb");
  EXPECT_EQ(latest->max_attempts, 5);
  EXPECT_FALSE(latest->consumed_at.has_value());
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.CountOtpChallengesSince(msisdn, 100); }), 2);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.CountOtpChallengesSince(msisdn, 101); }), 1);

  newer.attempts = 2;
  newer.consumed_at = 250;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateOtpChallenge(newer));
    return true;
  });
  latest = Tx([&](StoreTx& tx) { return tx.LatestOtpChallenge(msisdn); });
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->attempts, 2);
  EXPECT_EQ(latest->consumed_at, 250);
  OtpChallengeRecord ghost = newer;
  ghost.id = 99999;
  Error missing = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.UpdateOtpChallenge(ghost);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(missing.reason, "not_found");
}

TEST_P(StoreContractTest, SessionsRoundTrip) {
  LineRecord line = SeedLine();
  SessionRecord s{.token_hash = "deadbeef",
                  .holder_id = line.holder_id,
                  .msisdn = line.msisdn,
                  .created_at = 10,
                  .expires_at = 20};
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertSession(s));
    return true;
  });
  std::optional<SessionRecord> got = Tx([](StoreTx& tx) { return tx.FindSession("deadbeef"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->holder_id, line.holder_id);
  EXPECT_EQ(got->msisdn, line.msisdn);
  EXPECT_EQ(got->created_at, 10);
  EXPECT_EQ(got->expires_at, 20);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindSession("cafe"); }));
  Error dup = TxError([&](StoreTx& tx) -> Result<bool> {
    Result<void> r = tx.InsertSession(s);
    if (!r) {
      return Fail(r.error());
    }
    return true;
  });
  EXPECT_EQ(dup.reason, "duplicate");
}

TEST_P(StoreContractTest, ApiKeysRoundTrip) {
  std::int64_t op = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  ApiKeyRecord key{.key_hash = "h-op",
                   .prefix = "sk_kcell_ab12",
                   .role = ApiKeyRole::kOperator,
                   .operator_id = op,
                   .label = "billing",
                   .disabled = true,
                   .created_at = 5};
  key.id = Tx([&](StoreTx& tx) { return tx.InsertApiKey(key); });
  ApiKeyRecord admin{.key_hash = "h-admin",
                     .prefix = "sk_admin_x",
                     .role = ApiKeyRole::kAdmin,
                     .label = "root",
                     .created_at = 6};
  admin.id = Tx([&](StoreTx& tx) { return tx.InsertApiKey(admin); });

  std::optional<ApiKeyRecord> got = Tx([](StoreTx& tx) { return tx.FindApiKey("h-op"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, key.id);
  EXPECT_EQ(got->prefix, "sk_kcell_ab12");
  EXPECT_EQ(got->role, ApiKeyRole::kOperator);
  EXPECT_EQ(got->operator_id, op);
  EXPECT_EQ(got->label, "billing");
  EXPECT_TRUE(got->disabled);
  EXPECT_EQ(got->created_at, 5);
  got = Tx([](StoreTx& tx) { return tx.FindApiKey("h-admin"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->role, ApiKeyRole::kAdmin);
  EXPECT_EQ(got->operator_id, 0);
  EXPECT_FALSE(got->disabled);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindApiKey("nope"); }));
  Error dup = TxError([&](StoreTx& tx) { return tx.InsertApiKey(key); });
  EXPECT_EQ(dup.reason, "duplicate");
  EXPECT_NE(dup.message.find("api_keys"), std::string::npos) << dup.message;
}

TEST_P(StoreContractTest, OneCertificatePerTermination) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_cert", line);
  CertificateRecord cert{.serial = "SX-2026-000001",
                         .termination_id = t.id,
                         .operator_id = line.operator_id,
                         .document = R"({"signed":true})",
                         .created_at = 99};
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.InsertTermination(t));
    EXPECT_FALSE(Must(tx.FindCertificateForTermination(t.id)));
    Must(tx.InsertCertificate(cert));
    return true;
  });
  std::optional<CertificateRecord> got =
      Tx([&](StoreTx& tx) { return tx.FindCertificateForTermination(t.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->serial, "SX-2026-000001");
  EXPECT_EQ(got->operator_id, line.operator_id);
  EXPECT_EQ(got->document, R"({"signed":true})");
  EXPECT_EQ(got->created_at, 99);
  CertificateRecord second = cert;
  second.serial = "SX-2026-000002";
  for (const CertificateRecord& dup : {cert, second}) {
    Error error = TxError([&](StoreTx& tx) -> Result<bool> {
      Result<void> r = tx.InsertCertificate(dup);
      if (!r) {
        return Fail(r.error());
      }
      return true;
    });
    EXPECT_EQ(error.code, ErrorCode::kAlreadyExists);
    EXPECT_EQ(error.reason, "duplicate");
    EXPECT_NE(error.message.find("certificates"), std::string::npos) << error.message;
  }
}

TEST_P(StoreContractTest, SequencesCountFromOnePerName) {
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.NextSequence("certificate"); }), 1);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.NextSequence("certificate"); }), 2);
  EXPECT_EQ(Tx([](StoreTx& tx) { return tx.NextSequence("other"); }), 1);
  EXPECT_EQ(Tx([](StoreTx& tx) -> Result<std::int64_t> {
              Must(tx.NextSequence("certificate"));
              return tx.NextSequence("certificate");
            }),
            4);
}

TEST_P(StoreContractTest, SmsOutboxRoundTripsUpdatesAndLists) {
  SmsRecord m;
  m.to = "+77011234567";
  m.kind = "terminated";
  m.language = "kk";
  m.text = "Нөмір жабылды";
  m.created_at = 10;
  m.updated_at = 10;
  m.id = Tx([&](StoreTx& tx) { return tx.InsertSms(m); });
  SmsRecord other = m;
  other.to = "+77011234568";
  other.id = Tx([&](StoreTx& tx) { return tx.InsertSms(other); });

  SmsRecord got = Tx([&](StoreTx& tx) { return tx.GetSms(m.id); });
  EXPECT_EQ(got.to, m.to);
  EXPECT_EQ(got.text, "Нөмір жабылды");
  EXPECT_EQ(got.state, SmsState::kQueued);
  EXPECT_EQ(got.operator_id, 0);
  EXPECT_FALSE(got.submitted_at);

  got.state = SmsState::kSubmitted;
  got.attempts = 1;
  got.parts = 2;
  got.message_ids = "a,b";
  got.submitted_at = 11;
  got.updated_at = 11;
  Tx([&](StoreTx& tx) -> Result<bool> {
    Must(tx.UpdateSms(got));
    return true;
  });
  SmsRecord again = Tx([&](StoreTx& tx) { return tx.GetSms(m.id); });
  EXPECT_EQ(again.state, SmsState::kSubmitted);
  EXPECT_EQ(again.message_ids, "a,b");
  EXPECT_EQ(again.parts, 2);
  EXPECT_EQ(again.submitted_at, 11);

  SmsFilter submitted;
  submitted.state = SmsState::kSubmitted;
  std::vector<SmsRecord> list = Tx([&](StoreTx& tx) { return tx.ListSms(submitted); });
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, m.id);
  SmsFilter all;
  list = Tx([&](StoreTx& tx) { return tx.ListSms(all); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, other.id);  // newest first
  SmsFilter to;
  to.to = "+77011234568";
  list = Tx([&](StoreTx& tx) { return tx.ListSms(to); });
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, other.id);

  Error missing = TxError([](StoreTx& tx) { return tx.GetSms(9999); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, AuditTrailAppendsAndListsNewestFirst) {
  AuditRecord a;
  a.actor = "holder";
  a.action = "otp_sent";
  a.subject = "+77011234567";
  a.request_id = "r1";
  a.at = 5;
  Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  a.action = "otp_verified";
  a.at = 6;
  Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  a.subject = "+77011234568";
  Tx([&](StoreTx& tx) { return tx.AppendAudit(a); });
  std::vector<AuditRecord> list =
      Tx([&](StoreTx& tx) { return tx.ListAudit("+77011234567", 10); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].action, "otp_verified");
  EXPECT_EQ(list[1].action, "otp_sent");
  EXPECT_EQ(list[1].request_id, "r1");
  EXPECT_EQ(list[1].at, 5);
}

// --- Issue 4: review queue, staff, documents, uploads, confirmations --------------

TEST_P(StoreContractTest, TerminationReviewAndPostmarkColumnsRoundTrip) {
  LineRecord line = SeedLine();
  TerminationRecord t = SampleTermination("trm_review", line);
  t.channel = Channel::kMail;
  t.state = TerminationState::kInReview;
  t.review_since = 1'700'000'450;
  t.postmarked_on = "2026-03-02";
  TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  ExpectSameTermination(Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); }), t);

  t.state = TerminationState::kRejected;
  t.review_since.reset();
  t.reason_code = "document_mismatch";
  t.reviewed_by = "staff:12";
  t.postmarked_on = "";
  t.updated_at = 1'700'009'000;
  TxDo([&](StoreTx& tx) { return tx.UpdateTermination(t); });
  TerminationRecord got = Tx([&](StoreTx& tx) { return tx.GetTermination(t.id); });
  ExpectSameTermination(got, t);
  EXPECT_FALSE(got.review_since.has_value());
}

TEST_P(StoreContractTest, ListTerminationsOldestFirstIsTheReviewQueue) {
  struct Row {
    const char* id;
    const char* suffix;
    std::optional<UnixSeconds> review_since;
    UnixSeconds created_at;
  };
  // Inserted out of order so that neither insertion order nor rowid explains the result.
  const std::vector<Row> rows = {
      {"trm_q5", "0005", 200, 300}, {"trm_q1", "0001", 300, 100},
      {"trm_q4", "0004", std::nullopt, 50}, {"trm_q2", "0002", 200, 400},
      {"trm_q3", "0003", 200, 300},
  };
  for (const Row& row : rows) {
    LineRecord line = SeedLine(row.suffix);
    TerminationRecord t = SampleTermination(row.id, line);
    t.state = TerminationState::kInReview;
    t.review_since = row.review_since;
    t.created_at = row.created_at;
    TxDo([&](StoreTx& tx) { return tx.InsertTermination(t); });
  }
  LineRecord other = SeedLine("0006");
  TerminationRecord approved = SampleTermination("trm_q0", other);
  approved.state = TerminationState::kApproved;
  approved.review_since = 1;
  approved.created_at = 1;
  TxDo([&](StoreTx& tx) { return tx.InsertTermination(approved); });

  auto ids = [&](TerminationFilter filter) {
    std::vector<std::string> out;
    for (const TerminationRecord& t :
         Tx([&](StoreTx& tx) { return tx.ListTerminations(filter); })) {
      out.push_back(t.id);
    }
    return out;
  };
  TerminationFilter queue = Filter(other.operator_id, TerminationState::kInReview, std::nullopt);
  queue.oldest_first = true;
  // review_since ascending, then created_at, then id; never reviewed last.
  EXPECT_EQ(ids(queue),
            (std::vector<std::string>{"trm_q3", "trm_q5", "trm_q2", "trm_q1", "trm_q4"}));
  queue.limit = 2;
  EXPECT_EQ(ids(queue), (std::vector<std::string>{"trm_q3", "trm_q5"}));
  queue.state.reset();
  queue.limit = 1;
  EXPECT_EQ(ids(queue), (std::vector<std::string>{"trm_q0"}));
  // The default order is unchanged: newest created first.
  EXPECT_EQ(ids(Filter(other.operator_id, TerminationState::kInReview, std::nullopt)),
            (std::vector<std::string>{"trm_q2", "trm_q5", "trm_q3", "trm_q1", "trm_q4"}));
}

TEST_P(StoreContractTest, StaffRoundTripsUpdatesAndIsUniqueByUsername) {
  std::int64_t op = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  StaffRecord agent = SampleStaff(op, "aigerim.s", StaffRole::kAgentStore);
  agent.id = Tx([&](StoreTx& tx) { return tx.InsertStaff(agent); });
  StaffRecord admin = SampleStaff(0, "root", StaffRole::kAdmin);
  admin.disabled = true;
  admin.failed_logins = 3;
  admin.locked_until = 1'700'000'900;
  admin.last_login_at = 1'699'999'000;
  admin.id = Tx([&](StoreTx& tx) { return tx.InsertStaff(admin); });
  EXPECT_NE(agent.id, admin.id);

  ExpectSameStaff(Tx([&](StoreTx& tx) { return tx.GetStaff(agent.id); }), agent);
  ExpectSameStaff(Tx([&](StoreTx& tx) { return tx.GetStaff(admin.id); }), admin);
  std::optional<StaffRecord> found =
      Tx([](StoreTx& tx) { return tx.FindStaffByUsername("root"); });
  ASSERT_TRUE(found.has_value());
  ExpectSameStaff(*found, admin);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindStaffByUsername("nobody"); }).has_value());

  agent.role = StaffRole::kBackOffice;
  agent.full_name = "Aigerim S.";
  agent.password_hash = "$argon2id$new";
  agent.disabled = true;
  agent.failed_logins = 5;
  agent.locked_until = 1'700'003'600;
  agent.last_login_at = 1'700'000'500;
  agent.updated_at = 1'700'004'000;
  TxDo([&](StoreTx& tx) { return tx.UpdateStaff(agent); });
  ExpectSameStaff(Tx([&](StoreTx& tx) { return tx.GetStaff(agent.id); }), agent);
  agent.locked_until.reset();
  agent.failed_logins = 0;
  TxDo([&](StoreTx& tx) { return tx.UpdateStaff(agent); });
  ExpectSameStaff(Tx([&](StoreTx& tx) { return tx.GetStaff(agent.id); }), agent);

  StaffRecord twin = SampleStaff(op, "aigerim.s", StaffRole::kAgentPhone);
  Error dup = TxError([&](StoreTx& tx) { return tx.InsertStaff(twin); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.reason, "duplicate");
  StaffRecord renamed = admin;
  renamed.username = "aigerim.s";
  Error rename = TxDoError([&](StoreTx& tx) { return tx.UpdateStaff(renamed); });
  EXPECT_EQ(rename.reason, "duplicate");

  Error missing = TxError([](StoreTx& tx) { return tx.GetStaff(424242); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.reason, "staff_not_found");
  StaffRecord ghost = agent;
  ghost.id = 424242;
  Error update = TxDoError([&](StoreTx& tx) { return tx.UpdateStaff(ghost); });
  EXPECT_EQ(update.code, ErrorCode::kNotFound);
  EXPECT_EQ(update.reason, "staff_not_found");
}

TEST_P(StoreContractTest, ListStaffFiltersByOperatorInIdOrder) {
  std::int64_t kcell = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  std::int64_t tele2 = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("tele2")); });
  std::int64_t a = Tx([&](StoreTx& tx) {
    return tx.InsertStaff(SampleStaff(kcell, "a", StaffRole::kAgentStore));
  });
  std::int64_t b = Tx([&](StoreTx& tx) {
    return tx.InsertStaff(SampleStaff(tele2, "b", StaffRole::kOperatorAdmin));
  });
  std::int64_t c = Tx([&](StoreTx& tx) {
    return tx.InsertStaff(SampleStaff(kcell, "c", StaffRole::kAgentPhone));
  });
  std::int64_t root =
      Tx([&](StoreTx& tx) { return tx.InsertStaff(SampleStaff(0, "root", StaffRole::kAdmin)); });
  auto ids = [&](std::optional<std::int64_t> op) {
    std::vector<std::int64_t> out;
    for (const StaffRecord& s : Tx([&](StoreTx& tx) { return tx.ListStaff(op); })) {
      out.push_back(s.id);
    }
    return out;
  };
  EXPECT_EQ(ids(kcell), (std::vector<std::int64_t>{a, c}));
  EXPECT_EQ(ids(tele2), (std::vector<std::int64_t>{b}));
  EXPECT_EQ(ids(std::nullopt), (std::vector<std::int64_t>{a, b, c, root}));
  EXPECT_TRUE(ids(tele2 + 1000).empty());
}

TEST_P(StoreContractTest, StaffSessionsRoundTripAndRevoke) {
  std::int64_t op = Tx([](StoreTx& tx) { return tx.InsertOperator(SampleOperator("kcell")); });
  std::int64_t alice = Tx([&](StoreTx& tx) {
    return tx.InsertStaff(SampleStaff(op, "alice", StaffRole::kAgentStore));
  });
  std::int64_t bob = Tx([&](StoreTx& tx) {
    return tx.InsertStaff(SampleStaff(op, "bob", StaffRole::kBackOffice));
  });
  auto session = [](const std::string& hash, std::int64_t staff_id, UnixSeconds created_at,
                    std::optional<UnixSeconds> revoked_at = std::nullopt) {
    StaffSessionRecord s;
    s.token_hash = hash;
    s.staff_id = staff_id;
    s.created_at = created_at;
    s.expires_at = created_at + 90;
    s.revoked_at = revoked_at;
    return s;
  };
  StaffSessionRecord s1 = session("h1", alice, 10);
  StaffSessionRecord s2 = session("h2", alice, 11);
  StaffSessionRecord s3 = session("h3", alice, 12, 15);
  StaffSessionRecord s4 = session("h4", bob, 13);
  TxDo([&](StoreTx& tx) -> Result<void> {
    for (const StaffSessionRecord* s : {&s1, &s2, &s3, &s4}) {
      Must(tx.InsertStaffSession(*s));
    }
    return {};
  });
  auto find = [&](const std::string& hash) {
    return Tx([&](StoreTx& tx) { return tx.FindStaffSession(hash); });
  };
  std::optional<StaffSessionRecord> got = find("h1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->token_hash, "h1");
  EXPECT_EQ(got->staff_id, alice);
  EXPECT_EQ(got->created_at, 10);
  EXPECT_EQ(got->expires_at, 100);
  EXPECT_FALSE(got->revoked_at.has_value());
  EXPECT_EQ(find("h3")->revoked_at, std::optional<UnixSeconds>(15));
  EXPECT_FALSE(find("nope").has_value());

  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertStaffSession(s1); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.reason, "duplicate");

  // Logout revokes one session; a second logout keeps the first time.
  TxDo([](StoreTx& tx) { return tx.RevokeStaffSession("h1", 20); });
  EXPECT_EQ(find("h1")->revoked_at, std::optional<UnixSeconds>(20));
  TxDo([](StoreTx& tx) { return tx.RevokeStaffSession("h1", 25); });
  EXPECT_EQ(find("h1")->revoked_at, std::optional<UnixSeconds>(20));
  EXPECT_FALSE(find("h2")->revoked_at.has_value());
  Error missing = TxDoError([](StoreTx& tx) { return tx.RevokeStaffSession("nope", 20); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);

  // Disabling alice revokes her open sessions only; revoked ones keep their time.
  TxDo([&](StoreTx& tx) { return tx.RevokeStaffSessions(alice, 30); });
  EXPECT_EQ(find("h1")->revoked_at, std::optional<UnixSeconds>(20));
  EXPECT_EQ(find("h2")->revoked_at, std::optional<UnixSeconds>(30));
  EXPECT_EQ(find("h3")->revoked_at, std::optional<UnixSeconds>(15));
  EXPECT_FALSE(find("h4")->revoked_at.has_value());
  // Nothing to revoke is not an error.
  TxDo([&](StoreTx& tx) { return tx.RevokeStaffSessions(424242, 30); });
}

TEST_P(StoreContractTest, DocumentChecksRoundTripAndListByTermination) {
  TerminationRecord t = SeedTermination("trm_docs", "0001");
  TerminationRecord other = SeedTermination("trm_other", "0002");
  DocumentCheckRecord attorney = SampleDocument("doc_000000000000000000000002", t, "attorney");
  attorney.checked_at = 1'700'001'500;
  DocumentCheckRecord holder = SampleDocument("doc_000000000000000000000001", t, "holder");
  holder.kind = DocumentKind::kIin;
  holder.number = "900101300123";
  holder.country = "KAZ";
  holder.birth_date = "";
  holder.expiry_date = "";
  holder.mrz_checked = false;
  holder.checked_at = 1'700'001'000;
  DocumentCheckRecord elsewhere = SampleDocument("doc_000000000000000000000003", other, "holder");
  elsewhere.kind = DocumentKind::kIdCard;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertDocumentCheck(attorney));
    Must(tx.InsertDocumentCheck(holder));
    Must(tx.InsertDocumentCheck(elsewhere));
    return {};
  });
  ExpectSameDocument(Tx([&](StoreTx& tx) { return tx.GetDocumentCheck(holder.id); }), holder);
  ExpectSameDocument(Tx([&](StoreTx& tx) { return tx.GetDocumentCheck(attorney.id); }), attorney);
  ExpectSameDocument(Tx([&](StoreTx& tx) { return tx.GetDocumentCheck(elsewhere.id); }),
                     elsewhere);

  std::vector<DocumentCheckRecord> list =
      Tx([&](StoreTx& tx) { return tx.ListDocumentChecks(t.id); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, holder.id);  // checked first
  EXPECT_EQ(list[1].id, attorney.id);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListDocumentChecks(other.id); }).size(), 1u);
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListDocumentChecks("trm_none"); }).empty());

  Error missing = TxError([](StoreTx& tx) { return tx.GetDocumentCheck("doc_missing"); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.reason, "document_not_found");
  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertDocumentCheck(holder); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.reason, "duplicate");
}

TEST_P(StoreContractTest, OnePowerOfAttorneyPerTermination) {
  TerminationRecord t = SeedTermination("trm_proxy", "0001");
  TerminationRecord other = SeedTermination("trm_proxy2", "0002");
  DocumentCheckRecord attorney = SampleDocument("doc_000000000000000000000009", t, "attorney");
  TxDo([&](StoreTx& tx) { return tx.InsertDocumentCheck(attorney); });
  PowerOfAttorneyRecord poa;
  poa.termination_id = t.id;
  poa.operator_id = t.operator_id;
  poa.number = "POA-77/2026";
  poa.issued_on = "2026-01-15";
  poa.valid_until = "2027-01-14";
  poa.issuer = "Notary A. B. Cde, Almaty";
  poa.principal_document = "900101300123";
  poa.scope = {"termination", "refund \"to\" card"};
  poa.attorney_document_id = attorney.id;
  poa.created_at = 1'700'003'000;
  TxDo([&](StoreTx& tx) { return tx.InsertPowerOfAttorney(poa); });
  std::optional<PowerOfAttorneyRecord> got =
      Tx([&](StoreTx& tx) { return tx.FindPowerOfAttorney(t.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->termination_id, poa.termination_id);
  EXPECT_EQ(got->operator_id, poa.operator_id);
  EXPECT_EQ(got->number, poa.number);
  EXPECT_EQ(got->issued_on, poa.issued_on);
  EXPECT_EQ(got->valid_until, poa.valid_until);
  EXPECT_EQ(got->issuer, poa.issuer);
  EXPECT_EQ(got->principal_document, poa.principal_document);
  EXPECT_EQ(got->scope, poa.scope);
  EXPECT_EQ(got->attorney_document_id, poa.attorney_document_id);
  EXPECT_EQ(got->created_at, poa.created_at);

  // Without an attorney document and with an empty scope.
  PowerOfAttorneyRecord bare = poa;
  bare.termination_id = other.id;
  bare.scope.clear();
  bare.attorney_document_id = "";
  TxDo([&](StoreTx& tx) { return tx.InsertPowerOfAttorney(bare); });
  got = Tx([&](StoreTx& tx) { return tx.FindPowerOfAttorney(other.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->scope.empty());
  EXPECT_EQ(got->attorney_document_id, "");

  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindPowerOfAttorney("trm_none"); }).has_value());
  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertPowerOfAttorney(poa); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.reason, "duplicate");
}

TEST_P(StoreContractTest, UploadsAttachToATerminationAndListByIt) {
  TerminationRecord t = SeedTermination("trm_mail", "0001");
  UploadRecord scan = SampleUpload("upl_000000000000000000000001", t.operator_id);
  UploadRecord photo = SampleUpload("upl_000000000000000000000002", t.operator_id);
  photo.content_type = "image/jpeg";
  photo.file_name = "passport.jpg";
  photo.created_at = scan.created_at + 10;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertUpload(photo));
    Must(tx.InsertUpload(scan));
    return {};
  });
  ExpectSameUpload(Tx([&](StoreTx& tx) { return tx.GetUpload(scan.id); }), scan);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetUpload(scan.id); }).termination_id, "");
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListUploads(t.id); }).empty());

  scan.termination_id = t.id;
  photo.termination_id = t.id;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.UpdateUpload(scan));
    Must(tx.UpdateUpload(photo));
    return {};
  });
  ExpectSameUpload(Tx([&](StoreTx& tx) { return tx.GetUpload(scan.id); }), scan);
  std::vector<UploadRecord> list = Tx([&](StoreTx& tx) { return tx.ListUploads(t.id); });
  ASSERT_EQ(list.size(), 2u);
  ExpectSameUpload(list[0], scan);  // uploaded first
  ExpectSameUpload(list[1], photo);

  Error missing = TxError([](StoreTx& tx) { return tx.GetUpload("upl_missing"); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.reason, "upload_not_found");
  UploadRecord ghost = scan;
  ghost.id = "upl_missing";
  Error update = TxDoError([&](StoreTx& tx) { return tx.UpdateUpload(ghost); });
  EXPECT_EQ(update.code, ErrorCode::kNotFound);
  EXPECT_EQ(update.reason, "upload_not_found");
  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertUpload(scan); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.reason, "duplicate");
}

TEST_P(StoreContractTest, OneConfirmationPerTerminationFoundByLink) {
  TerminationRecord t = SeedTermination("trm_phone", "0001");
  TerminationRecord other = SeedTermination("trm_phone2", "0002");
  ConfirmationRecord c{.termination_id = t.id,
                       .code_hash = "codehash",
                       .salt = "5a17",
                       .link_token_hash = "linkhash",
                       .created_at = 100,
                       .expires_at = 1000,
                       .attempts = 0,
                       .max_attempts = 3,
                       .confirmed_at = std::nullopt};
  TxDo([&](StoreTx& tx) { return tx.InsertConfirmation(c); });
  std::optional<ConfirmationRecord> got =
      Tx([&](StoreTx& tx) { return tx.FindConfirmation(t.id); });
  ASSERT_TRUE(got.has_value());
  ExpectSameConfirmation(*got, c);
  got = Tx([](StoreTx& tx) { return tx.FindConfirmationByLink("linkhash"); });
  ASSERT_TRUE(got.has_value());
  ExpectSameConfirmation(*got, c);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindConfirmationByLink("other"); }).has_value());
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindConfirmation("trm_none"); }).has_value());

  c.attempts = 2;
  c.code_hash = "newcode";
  c.salt = "beef";
  c.expires_at = 2000;
  c.confirmed_at = 150;
  TxDo([&](StoreTx& tx) { return tx.UpdateConfirmation(c); });
  ExpectSameConfirmation(*Tx([&](StoreTx& tx) { return tx.FindConfirmation(t.id); }), c);

  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertConfirmation(c); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.reason, "duplicate");
  ConfirmationRecord same_link = c;
  same_link.termination_id = other.id;
  Error link_dup = TxDoError([&](StoreTx& tx) { return tx.InsertConfirmation(same_link); });
  EXPECT_EQ(link_dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(link_dup.reason, "duplicate");
  ConfirmationRecord ghost = c;
  ghost.termination_id = "trm_none";
  Error missing = TxDoError([&](StoreTx& tx) { return tx.UpdateConfirmation(ghost); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
}

}  // namespace simexit::testing
