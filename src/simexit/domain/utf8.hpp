#pragma once
// Strict UTF-8 decoding for the domain's text checks (names, free-text fields).

#include <string>
#include <string_view>

namespace simexit {

// Decodes `text` into code points. False (and `out` unspecified) on any invalid
// sequence: stray continuation bytes, truncated sequences, overlong forms,
// surrogates (U+D800..U+DFFF) or code points above U+10FFFF.
bool DecodeUtf8(std::string_view text, std::u32string* out);

// True when `text` is valid UTF-8 without control characters (C0, DEL, C1),
// i.e. printable text a person could have typed. Spaces are allowed.
bool IsPrintableUtf8(std::string_view text);

}  // namespace simexit
