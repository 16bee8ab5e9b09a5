#include "simexit/common/canonical_json.hpp"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace simexit {
namespace {

// Decodes `text` as UTF-8 into UTF-16 code units. Returns false on malformed
// UTF-8: truncated or stray continuation bytes, overlong forms, surrogate code
// points (U+D800..U+DFFF) and anything above U+10FFFF.
bool Utf8ToUtf16(std::string_view text, std::u16string* out) {
  out->clear();
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::uint32_t cp = 0;
    std::size_t extra = 0;
    std::uint32_t min = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0U) == 0xC0U) {
      cp = lead & 0x1FU;
      extra = 1;
      min = 0x80;
    } else if ((lead & 0xF0U) == 0xE0U) {
      cp = lead & 0x0FU;
      extra = 2;
      min = 0x800;
    } else if ((lead & 0xF8U) == 0xF0U) {
      cp = lead & 0x07U;
      extra = 3;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= text.size()) {
      return false;
    }
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0U) != 0x80U) {
        return false;
      }
      cp = (cp << 6U) | (next & 0x3FU);
    }
    if (extra > 0 && cp < min) {
      return false;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    if (cp >= 0x10000) {
      const std::uint32_t v = cp - 0x10000;
      out->push_back(static_cast<char16_t>(0xD800U + (v >> 10U)));
      out->push_back(static_cast<char16_t>(0xDC00U + (v & 0x3FFU)));
    } else {
      out->push_back(static_cast<char16_t>(cp));
    }
    i += extra + 1;
  }
  return true;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80U; });
}

// Valid UTF-8 (ASCII checked without converting: most of what is signed).
bool IsUtf8(std::string_view text) {
  std::u16string ignored;
  return IsAscii(text) || Utf8ToUtf16(text, &ignored);
}

tl::unexpected<Error> Unsupported(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "unsupported_json_value", std::move(message));
}

void AppendString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\r':
        out->append("\\r");
        break;
      default:
        if (byte < 0x20U) {
          out->append("\\u00");
          out->push_back(kHex[byte >> 4U]);
          out->push_back(kHex[byte & 0x0FU]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// `path` names the position of `value` for error messages, e.g. "/settlement/fee".
Result<void> AppendCanonical(const boost::json::value& value, const std::string& path,
                             std::string* out) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out->append("null");
      return {};
    case boost::json::kind::bool_:
      out->append(value.get_bool() ? "true" : "false");
      return {};
    case boost::json::kind::int64: {
      const std::int64_t n = value.get_int64();
      if (n > kMaxCanonicalInteger || n < -kMaxCanonicalInteger) {
        return Unsupported("integer at '" + path + "' is beyond +-(2^53 - 1)");
      }
      out->append(std::to_string(n));
      return {};
    }
    case boost::json::kind::uint64: {
      const std::uint64_t n = value.get_uint64();
      if (n > static_cast<std::uint64_t>(kMaxCanonicalInteger)) {
        return Unsupported("integer at '" + path + "' is beyond 2^53 - 1");
      }
      out->append(std::to_string(n));
      return {};
    }
    case boost::json::kind::double_:
      return Unsupported("floating-point number at '" + path +
                         "': canonical JSON allows integers only");
    case boost::json::kind::string: {
      const boost::json::string& s = value.get_string();
      if (!IsUtf8(std::string_view(s.data(), s.size()))) {
        return Unsupported("string at '" + path + "' is not valid UTF-8");
      }
      AppendString(std::string_view(s.data(), s.size()), out);
      return {};
    }
    case boost::json::kind::array: {
      const boost::json::array& array = value.get_array();
      out->push_back('[');
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (i > 0) {
          out->push_back(',');
        }
        if (auto r = AppendCanonical(array[i], path + "/" + std::to_string(i), out); !r) {
          return r;
        }
      }
      out->push_back(']');
      return {};
    }
    case boost::json::kind::object: {
      const boost::json::object& object = value.get_object();
      std::vector<std::pair<std::u16string, const boost::json::key_value_pair*>> members;
      members.reserve(object.size());
      bool ascii = true;  // then UTF-16 code unit order is byte order: no conversion
      for (const boost::json::key_value_pair& member : object) {
        const std::string_view key(member.key().data(), member.key().size());
        ascii = ascii && IsAscii(key);
        members.emplace_back(std::u16string(), &member);
      }
      if (ascii) {
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return a.second->key() < b.second->key(); });
      } else {
        for (auto& [key16, member] : members) {
          if (!Utf8ToUtf16(std::string_view(member->key().data(), member->key().size()), &key16)) {
            return Unsupported("a key in '" + path + "' is not valid UTF-8");
          }
        }
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
      }
      out->push_back('{');
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (i > 0) {
          out->push_back(',');
        }
        const boost::json::key_value_pair& member = *members[i].second;
        const std::string key(member.key().data(), member.key().size());
        AppendString(key, out);
        out->push_back(':');
        if (auto r = AppendCanonical(member.value(), path + "/" + key, out); !r) {
          return r;
        }
      }
      out->push_back('}');
      return {};
    }
  }
  return Unsupported("unknown JSON value kind at '" + path + "'");
}

// A basic_parser handler that builds nothing: it only notices an object that
// repeats a key (Boost.JSON's own parser silently keeps the last copy).
class DuplicateKeyDetector {
 public:
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(std::size_t, boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, boost::json::error_code&) {
    keys_.pop_back();
    return true;
  }
  bool on_string_part(boost::json::string_view, std::size_t, boost::json::error_code&) {
    return true;
  }
  bool on_string(boost::json::string_view, std::size_t, boost::json::error_code&) { return true; }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code& ec) {
    key_.append(s.data(), s.size());
    const bool inserted = keys_.back().insert(key_).second;
    if (!inserted) {
      duplicate_ = key_;
      ec = boost::json::error::syntax;
      return false;
    }
    key_.clear();
    return true;
  }
  bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_double(double, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_bool(bool, boost::json::error_code&) { return true; }
  bool on_null(boost::json::error_code&) { return true; }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }

  const std::optional<std::string>& duplicate() const { return duplicate_; }

 private:
  std::vector<std::set<std::string>> keys_;
  std::string key_;
  std::optional<std::string> duplicate_;
};

}  // namespace

Result<std::string> CanonicalJson(const boost::json::value& value) {
  std::string out;
  if (auto r = AppendCanonical(value, "", &out); !r) {
    return Fail(r.error());
  }
  return out;
}

Result<boost::json::value> ParseStrictJson(std::string_view text) {
  boost::json::error_code ec;
  boost::json::value value =
      boost::json::parse(boost::json::string_view(text.data(), text.size()), ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_json", "not a JSON text: " + ec.message());
  }
  boost::json::basic_parser<DuplicateKeyDetector> detector{boost::json::parse_options{}};
  detector.write_some(false, text.data(), text.size(), ec);
  if (detector.handler().duplicate().has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_json",
                "an object repeats the key '" + *detector.handler().duplicate() + "'");
  }
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_json", "not a JSON text: " + ec.message());
  }
  return value;
}

}  // namespace simexit
