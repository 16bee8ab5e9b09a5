#include "simexit/adapters/osmocom/ctrl_message.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace simexit::osmo {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Splits off the text up to the first ' ' (the separator is dropped).
std::pair<std::string_view, std::string_view> SplitWord(std::string_view text) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos) {
    return {text, {}};
  }
  return {text.substr(0, space), text.substr(space + 1)};
}

Result<CtrlReply> BadReply(std::string_view text, std::string_view why) {
  std::string shown(text.substr(0, 80));
  return Fail(ErrorCode::kInvalidArgument, "ctrl_bad_reply",
              "malformed CTRL message (" + std::string(why) + "): " + shown);
}

}  // namespace

Result<std::string> FormatCtrlRequest(CtrlVerb verb, std::uint64_t id, std::string_view variable,
                                      std::string_view value) {
  if (variable.empty() || std::any_of(variable.begin(), variable.end(), IsBlank)) {
    return Fail(ErrorCode::kInvalidArgument, "ctrl_bad_request",
                "CTRL variable must be non-empty and contain no whitespace");
  }
  if (value.find_first_of("\r\n") != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, "ctrl_bad_request",
                "CTRL value must not contain a line break");
  }
  std::string text = verb == CtrlVerb::kGet ? "GET " : "SET ";
  text += std::to_string(id);
  text += ' ';
  text += variable;
  if (verb == CtrlVerb::kSet) {
    text += ' ';
    text += value;
  }
  return text;
}

Result<CtrlReply> ParseCtrlReply(std::string_view text) {
  const auto [verb, after_verb] = SplitWord(text);
  CtrlReply reply;
  if (verb == "GET_REPLY") {
    reply.kind = CtrlReply::Kind::kGetReply;
  } else if (verb == "SET_REPLY") {
    reply.kind = CtrlReply::Kind::kSetReply;
  } else if (verb == "ERROR") {
    reply.kind = CtrlReply::Kind::kError;
  } else if (verb == "TRAP") {
    reply.kind = CtrlReply::Kind::kTrap;
  } else {
    return BadReply(text, "unknown verb");
  }
  const auto [id, after_id] = SplitWord(after_verb);
  if (id.empty()) {
    return BadReply(text, "missing id");
  }
  reply.id.assign(id);
  if (reply.kind == CtrlReply::Kind::kError) {
    reply.value.assign(after_id);
    return reply;
  }
  // The value may be empty ("SET_REPLY 2 var ") or absent, and may contain
  // spaces and line breaks: everything after the variable's separator.
  const auto [variable, value] = SplitWord(after_id);
  if (variable.empty()) {
    return BadReply(text, "missing variable");
  }
  reply.variable.assign(variable);
  reply.value.assign(value);
  return reply;
}

std::map<std::string, std::string, std::less<>> ParseInfoValue(std::string_view value) {
  std::map<std::string, std::string, std::less<>> fields;
  while (!value.empty()) {
    const auto eol = value.find('\n');
    std::string_view line = value.substr(0, eol);
    value = eol == std::string_view::npos ? std::string_view{} : value.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) {
      continue;
    }
    fields.insert_or_assign(std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)));
  }
  return fields;
}

Error MapHlrError(std::string_view hlr_text) {
  std::string message = "osmo-hlr: " + std::string(hlr_text);
  if (hlr_text == "No such subscriber." || hlr_text == "Subscriber doesn't exist.") {
    return Error{ErrorCode::kNotFound, "hlr_unknown_subscriber", std::move(message)};
  }
  if (hlr_text == "Subscriber already exists.") {
    return Error{ErrorCode::kAlreadyExists, "hlr_subscriber_exists", std::move(message)};
  }
  static constexpr std::array<std::string_view, 3> kRejected = {
      "Invalid IMSI value.",
      "Value failed verification.",
      "Invalid value part of 'by-xxx-value' selector.",
  };
  if (std::find(kRejected.begin(), kRejected.end(), hlr_text) != kRejected.end()) {
    return Error{ErrorCode::kInvalidArgument, "hlr_rejected", std::move(message)};
  }
  return Error{ErrorCode::kInternal, "hlr_error", std::move(message)};
}

}  // namespace simexit::osmo
