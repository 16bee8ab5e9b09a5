#pragma once
// The text layer of the Osmocom CTRL protocol (inside IPA frames, see ipa_frame.hpp)
// and the mapping of osmo-hlr 1.5's replies onto simexit's ErrorCode.
//
// Requests:  "GET <id> <variable>"  /  "SET <id> <variable> <value>"
// Replies:   "GET_REPLY <id> <variable> <value>"  /  "SET_REPLY <id> <variable> <value>"
//            "ERROR <id> <text>"  /  "TRAP <id> <variable> <value>" (unsolicited)
// <id> is a decimal number chosen by the client and echoed in the reply.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit::osmo {

enum class CtrlVerb { kGet, kSet };

// Builds the request text. The variable must be non-empty and contain no
// whitespace; the value no '\n' or '\r' (osmo's parser would split there).
// Errors: kInvalidArgument "ctrl_bad_request".
Result<std::string> FormatCtrlRequest(CtrlVerb verb, std::uint64_t id, std::string_view variable,
                                      std::string_view value = {});

struct CtrlReply {
  enum class Kind { kGetReply, kSetReply, kError, kTrap };
  Kind kind = Kind::kError;
  std::string id;        // as sent by the peer (digits for replies to our requests)
  std::string variable;  // empty for kError
  std::string value;     // the value (may be empty or start with '\n'); the text for kError
};

// Parses one CTRL message received from the peer.
// Errors: kInvalidArgument "ctrl_bad_reply" (unknown verb, missing id or variable).
Result<CtrlReply> ParseCtrlReply(std::string_view text);

// Parses an `info` value ("\nid\t1\nimsi\t9017...\nmsisdn\t49...\nnam_cs\t1...") into
// key -> value. Lines without a tab are ignored; a repeated key keeps the last value.
std::map<std::string, std::string, std::less<>> ParseInfoValue(std::string_view value);

// Maps the text of an "ERROR <id> <text>" reply from osmo-hlr to an Error:
//   "No such subscriber." / "Subscriber doesn't exist."   kNotFound "hlr_unknown_subscriber"
//   "Subscriber already exists."                          kAlreadyExists "hlr_subscriber_exists"
//   "Invalid IMSI value." / "Value failed verification." /
//   "Invalid value part of 'by-xxx-value' selector."      kInvalidArgument "hlr_rejected"
//   anything else (e.g. "An error has occurred.")          kInternal "hlr_error"
// The message always contains the HLR's text.
Error MapHlrError(std::string_view hlr_text);

}  // namespace simexit::osmo
