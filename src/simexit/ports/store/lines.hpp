#pragma once
// Lines (numbers with their SIM) and the holders registered for them.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// MSISDN, ICCID and IMSI are unique across all lines, of every operator.
// ListLines is ordered by id.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/identity_document.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/money.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/termination.hpp"

namespace simexit {

struct HolderRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string full_name;  // as registered, e.g. "TESTOV TEST"
  DocumentKind document_kind = DocumentKind::kIin;
  std::string document_number;   // IIN digits or passport/ID number; matched, never logged
  std::string document_country;  // ISO 3166 alpha-3 ("KAZ") for passports/ID cards
  std::string iin;               // the holder's IIN when known (may be empty for foreigners)
  std::string language = "ru";
  std::string time_zone = "Asia/Almaty";
  UnixSeconds created_at = 0;

  bool operator==(const HolderRecord&) const = default;
};

enum class LineKind { kPhysical, kEsim };
const char* ToString(LineKind kind);  // "physical", "esim"
std::optional<LineKind> ParseLineKind(std::string_view text);

struct LineRecord {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::int64_t holder_id = 0;  // 0 while the number is in the pool (available)
  Msisdn msisdn;
  Iccid iccid;
  Imsi imsi;
  LineKind kind = LineKind::kPhysical;
  LineStatus status = LineStatus::kActive;
  Money main_balance;
  Money bonus_balance;
  Money outstanding_charges;
  UnixSeconds last_paid_activity_at = 0;
  std::optional<UnixSeconds> quarantine_until;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  bool operator==(const LineRecord&) const = default;
};

// A line's paid activity as reported by its operator (RecordPaidActivity).
struct PaidActivity {
  std::int64_t line_id = 0;
  UnixSeconds at = 0;  // the time of the latest paid activity

  bool operator==(const PaidActivity&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class LineRepository {
 public:
  virtual ~LineRepository() = default;

  virtual Result<std::int64_t> InsertHolder(const HolderRecord& holder) = 0;
  virtual Result<HolderRecord> GetHolder(std::int64_t id) = 0;

  // Lines. MSISDN, ICCID and IMSI are unique across all lines.
  virtual Result<std::int64_t> InsertLine(const LineRecord& line) = 0;
  virtual Result<void> UpdateLine(const LineRecord& line) = 0;
  virtual Result<LineRecord> GetLine(std::int64_t id) = 0;
  virtual Result<LineRecord> GetLineByMsisdn(const Msisdn& msisdn) = 0;
  virtual Result<std::vector<LineRecord>> ListLines(std::optional<std::int64_t> operator_id,
                                                    int limit) = 0;
  // Lines of `operator_id` (nullopt: every operator) whose ICCID is `iccid`,
  // or whose holder's document number or IIN is `holder_document` (compared
  // as stored: upper case, no spaces). An empty criterion (nullopt, "")
  // matches nothing.
  // By id, at most `limit`.
  virtual Result<std::vector<LineRecord>> FindLines(std::optional<std::int64_t> operator_id,
                                                    const std::optional<Iccid>& iccid,
                                                    const std::string& holder_document,
                                                    int limit) = 0;
  // Sets last_paid_activity_at = `at` (and updated_at) on each line whose
  // recorded activity is older than `at`; a line with the same or newer
  // activity, or an id that is not a line, is left alone. Idempotent.
  // Returns how many lines changed. One statement per batch where the
  // database allows it.
  virtual Result<std::int64_t> RecordPaidActivity(const std::vector<PaidActivity>& activity,
                                                  UnixSeconds updated_at) = 0;
};

}  // namespace simexit
