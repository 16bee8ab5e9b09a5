#pragma once
// HTML built so that data is escaped by construction.
//
//   Html h;
//   h << "<p class=\"x\">" << Text(holder_name) << "</p>";
//
// Only string literals are taken as markup (Markup's constructor is
// consteval, so a std::string or a runtime char* does not compile there); any
// other text goes in through Text() or Attr(), which escape it for element
// content and for a double-quoted attribute value alike.

#include <string>
#include <string_view>

namespace simexit::web {

// Markup written in the source code.
struct Markup {
  consteval Markup(const char* literal)  // NOLINT(google-explicit-constructor)
      : text(literal) {}
  std::string_view text;
};

// Text to be escaped (element content or a double-quoted attribute value).
struct Escaped {
  std::string_view text;
};
inline Escaped Text(std::string_view text) { return Escaped{text}; }

// & < > " ' escaped.
std::string EscapeHtml(std::string_view text);

class Html {
 public:
  Html& operator<<(Markup markup) {
    out_.append(markup.text);
    return *this;
  }
  Html& operator<<(Escaped text) {
    out_ += EscapeHtml(text.text);
    return *this;
  }
  Html& operator<<(const Html& fragment) {
    out_ += fragment.out_;
    return *this;
  }
  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace simexit::web
