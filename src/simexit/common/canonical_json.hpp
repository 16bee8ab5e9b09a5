#pragma once
// Canonical JSON: the exact bytes a certificate signature covers.
//
// The rules are RFC 8785 (JSON Canonicalization Scheme, "JCS") restricted to a
// subset of JSON in which JCS is trivial to re-implement (docs/certificate.md):
//   - objects: members sorted by key, comparing keys as sequences of UTF-16
//     code units (JCS 3.2.3; for ASCII keys this is plain byte order); no
//     whitespace anywhere; `{"a":1,"b":{}}`.
//   - arrays: elements in their given order, `[1,"x"]`.
//   - strings: UTF-8, written raw except `"` -> \", `\` -> \\, U+0008 -> \b,
//     U+0009 -> \t, U+000A -> \n, U+000C -> \f, U+000D -> \r, other U+0000..U+001F
//     -> \u00xx (lower-case hex). Everything else, including '/', U+007F and
//     non-ASCII text, is written as its UTF-8 bytes.
//   - numbers: integers only, |n| <= 2^53 - 1, in plain decimal ("-0" is "0").
//     Floating-point numbers are refused: there is no money or time in floats.
//   - true, false, null as themselves.
// Any RFC 8785 implementation produces identical bytes for values in this subset.

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

// The largest integer magnitude CanonicalJson accepts (2^53 - 1, JavaScript's
// Number.MAX_SAFE_INTEGER), so every JCS implementation reads it exactly.
inline constexpr std::int64_t kMaxCanonicalInteger = 9007199254740991;

// The canonical serialisation of `value` (rules above).
// Errors: kInvalidArgument, problem code "unsupported_json_value", when `value` holds a
// floating-point number, an integer beyond +-kMaxCanonicalInteger, or a string
// or key that is not valid UTF-8 (the message says which and where).
Result<std::string> CanonicalJson(const boost::json::value& value);

// Parses one JSON text (RFC 8259) strictly: no comments, no trailing commas,
// valid UTF-8 only, whitespace allowed around tokens, and no object with two
// members of the same key (I-JSON, RFC 7493: parsers disagree on which copy
// wins, so a signed document must not contain any).
// Errors: kInvalidArgument, problem code "invalid_json", message naming the problem.
Result<boost::json::value> ParseStrictJson(std::string_view text);

}  // namespace simexit
