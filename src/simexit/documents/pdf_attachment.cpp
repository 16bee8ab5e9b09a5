#include "simexit/documents/pdf_attachment.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace simexit::documents {
namespace {

constexpr std::string_view kCode = "unsupported_pdf";

tl::unexpected<Error> Unsupported(const std::string& why) {
  return Fail(ErrorCode::kInvalidArgument, std::string(kCode), "cannot attach a file: " + why);
}

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

bool IsDelimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

std::size_t SkipSpace(std::string_view s, std::size_t pos) {
  while (pos < s.size() && IsSpace(s[pos])) {
    ++pos;
  }
  return pos;
}

// A non-negative integer at `pos` (after spaces); advances `pos` past it.
std::optional<std::uint64_t> ReadNumber(std::string_view s, std::size_t& pos) {
  pos = SkipSpace(s, pos);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), value);
  if (ec != std::errc() || end == s.data() + pos) {
    return std::nullopt;
  }
  pos = static_cast<std::size_t>(end - s.data());
  return value;
}

bool StartsWithAt(std::string_view s, std::size_t pos, std::string_view word) {
  return pos <= s.size() && s.substr(pos).starts_with(word);
}

// Position just after the dictionary that starts with "<<" at `pos`, skipping
// nested dictionaries, strings and comments; nullopt when it never ends.
std::optional<std::size_t> DictionaryEnd(std::string_view s, std::size_t pos) {
  int depth = 0;
  while (pos < s.size()) {
    const char c = s[pos];
    if (c == '<' && StartsWithAt(s, pos, "<<")) {
      ++depth;
      pos += 2;
    } else if (c == '>' && StartsWithAt(s, pos, ">>")) {
      --depth;
      pos += 2;
      if (depth == 0) {
        return pos;
      }
    } else if (c == '<') {  // hex string
      const std::size_t end = s.find('>', pos);
      if (end == std::string_view::npos) {
        return std::nullopt;
      }
      pos = end + 1;
    } else if (c == '(') {  // literal string: balanced parentheses, \ escapes
      int parens = 0;
      for (; pos < s.size(); ++pos) {
        if (s[pos] == '\\') {
          ++pos;
        } else if (s[pos] == '(') {
          ++parens;
        } else if (s[pos] == ')' && --parens == 0) {
          break;
        }
      }
      ++pos;
    } else if (c == '%') {  // comment to the end of the line
      while (pos < s.size() && s[pos] != '\n' && s[pos] != '\r') {
        ++pos;
      }
    } else {
      ++pos;
    }
  }
  return std::nullopt;
}

struct Token {
  std::size_t begin;
  std::size_t end;
  bool name;
};

// The top-level tokens of dictionary `dict` ("<< ... >>"): names, numbers and
// keywords, and whole nested dictionaries, arrays and strings as one token.
std::optional<std::vector<Token>> Tokens(std::string_view dict) {
  std::vector<Token> tokens;
  const std::size_t end = dict.size() - 2;
  std::size_t pos = 2;
  while (true) {
    pos = SkipSpace(dict, pos);
    if (pos >= end) {
      return tokens;
    }
    const char c = dict[pos];
    std::size_t next = pos + 1;
    if (c == '<' && StartsWithAt(dict, pos, "<<")) {
      const std::optional<std::size_t> after = DictionaryEnd(dict, pos);
      if (!after) {
        return std::nullopt;
      }
      next = *after;
    } else if (c == '[' || c == '(' || c == '<') {
      int depth = 0;
      for (next = pos; next < end; ++next) {
        const char d = dict[next];
        if (d == '\\') {
          ++next;
        } else if (d == '[' || d == '(' || d == '<') {
          ++depth;
        } else if ((d == ']' || d == ')' || d == '>') && --depth == 0) {
          ++next;
          break;
        }
      }
    } else {
      while (next < end && !IsSpace(dict[next]) && !IsDelimiter(dict[next])) {
        ++next;
      }
    }
    tokens.push_back(Token{pos, next, c == '/'});
    pos = next;
  }
}

// The value after the key `key` at the top level of dictionary `dict`: one
// name, or the tokens up to the next name ("3 0 R", "<< ... >>", "[...]").
std::optional<std::string_view> DictionaryValue(std::string_view dict, std::string_view key) {
  const std::optional<std::vector<Token>> tokens = Tokens(dict);
  if (!tokens) {
    return std::nullopt;
  }
  std::size_t i = 0;
  while (i < tokens->size()) {
    const Token& k = (*tokens)[i];
    if (!k.name || i + 1 >= tokens->size()) {
      return std::nullopt;
    }
    std::size_t last = i + 1;
    if (!(*tokens)[last].name) {
      while (last + 1 < tokens->size() && !(*tokens)[last + 1].name) {
        ++last;
      }
    }
    if (dict.substr(k.begin + 1, k.end - k.begin - 1) == key) {
      return dict.substr((*tokens)[i + 1].begin, (*tokens)[last].end - (*tokens)[i + 1].begin);
    }
    i = last + 1;
  }
  return std::nullopt;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

struct XrefSection {
  std::map<std::uint64_t, std::uint64_t> offsets;  // in-use objects: number -> offset
  std::string_view trailer;                        // "<< ... >>"
};

Result<XrefSection> ReadXrefSection(std::string_view pdf, std::uint64_t offset) {
  if (offset >= pdf.size()) {
    return Unsupported("startxref points past the end");
  }
  std::size_t pos = static_cast<std::size_t>(offset);
  if (!StartsWithAt(pdf, pos, "xref")) {
    return Unsupported("no cross-reference table at startxref (an xref stream?)");
  }
  pos += 4;
  XrefSection section;
  while (true) {
    pos = SkipSpace(pdf, pos);
    if (StartsWithAt(pdf, pos, "trailer")) {
      pos = SkipSpace(pdf, pos + 7);
      if (!StartsWithAt(pdf, pos, "<<")) {
        return Unsupported("trailer is not a dictionary");
      }
      const std::optional<std::size_t> end = DictionaryEnd(pdf, pos);
      if (!end) {
        return Unsupported("trailer dictionary does not end");
      }
      section.trailer = pdf.substr(pos, *end - pos);
      return section;
    }
    const std::optional<std::uint64_t> first = ReadNumber(pdf, pos);
    const std::optional<std::uint64_t> count = ReadNumber(pdf, pos);
    if (!first || !count) {
      return Unsupported("malformed cross-reference subsection");
    }
    for (std::uint64_t i = 0; i < *count; ++i) {
      const std::optional<std::uint64_t> entry_offset = ReadNumber(pdf, pos);
      const std::optional<std::uint64_t> generation = ReadNumber(pdf, pos);
      pos = SkipSpace(pdf, pos);
      if (!entry_offset || !generation || pos >= pdf.size() ||
          (pdf[pos] != 'n' && pdf[pos] != 'f')) {
        return Unsupported("malformed cross-reference entry");
      }
      if (pdf[pos] == 'n') {
        section.offsets.emplace(*first + i, *entry_offset);
      }
      ++pos;
    }
  }
}

// "N G R" -> N.
std::optional<std::uint64_t> ReferencedObject(std::string_view reference) {
  std::size_t pos = 0;
  const std::optional<std::uint64_t> number = ReadNumber(reference, pos);
  const std::optional<std::uint64_t> generation = ReadNumber(reference, pos);
  pos = SkipSpace(reference, pos);
  if (!number || !generation || *generation != 0 || !StartsWithAt(reference, pos, "R")) {
    return std::nullopt;
  }
  return number;
}

bool HasName(std::string_view dict, std::string_view key) {
  return DictionaryValue(dict, key).has_value();
}

}  // namespace

std::string PdfLiteralString(std::string_view text) {
  std::string out = "(";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == '(' || c == ')') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\{:03o}", byte);
    } else {
      out += c;
    }
  }
  out += ')';
  return out;
}

std::string PdfName(std::string_view name) {
  std::string out = "/";
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < '!' || byte > '~' || IsDelimiter(c) || c == '#') {
      out += fmt::format("#{:02X}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::string> AppendEmbeddedFile(std::string_view pdf, const EmbeddedFile& file) {
  const std::size_t tail_start = pdf.size() > 1024 ? pdf.size() - 1024 : 0;
  const std::size_t startxref = pdf.rfind("startxref");
  if (startxref == std::string_view::npos || startxref < tail_start) {
    return Unsupported("no startxref near the end");
  }
  std::size_t pos = startxref + 9;
  const std::optional<std::uint64_t> last_xref = ReadNumber(pdf, pos);
  if (!last_xref) {
    return Unsupported("startxref has no offset");
  }

  // Follow the /Prev chain from the newest section; the newest entry wins.
  SIMEXIT_ASSIGN_OR_RETURN(XrefSection newest, ReadXrefSection(pdf, *last_xref));
  const std::optional<std::string_view> size_text = DictionaryValue(newest.trailer, "Size");
  const std::optional<std::string_view> root_text = DictionaryValue(newest.trailer, "Root");
  std::size_t size_pos = 0;
  const std::optional<std::uint64_t> size_found =
      size_text ? ReadNumber(*size_text, size_pos) : std::nullopt;
  const std::optional<std::uint64_t> root_found =
      root_text ? ReferencedObject(*root_text) : std::nullopt;
  if (!size_found || !root_found) {
    return Unsupported("trailer lacks /Size or /Root");
  }
  // Plain values from here on: GCC 12's flow analysis at -O2 cannot follow the
  // optionals through the rest of the function (-Wmaybe-uninitialized).
  const std::uint64_t size = *size_found;
  const std::uint64_t root = *root_found;
  std::optional<std::uint64_t> root_offset;
  std::set<std::uint64_t> seen;
  XrefSection section = newest;
  while (true) {
    if (auto it = section.offsets.find(root); it != section.offsets.end()) {
      root_offset = it->second;
      break;
    }
    const std::optional<std::string_view> prev = DictionaryValue(section.trailer, "Prev");
    std::size_t prev_pos = 0;
    const std::optional<std::uint64_t> prev_offset =
        prev ? ReadNumber(*prev, prev_pos) : std::nullopt;
    if (!prev_offset || !seen.insert(*prev_offset).second) {
      break;
    }
    SIMEXIT_ASSIGN_OR_RETURN(section, ReadXrefSection(pdf, *prev_offset));
  }
  if (!root_offset || *root_offset >= pdf.size()) {
    return Unsupported("the catalogue is not in the cross-reference table");
  }

  // The catalogue object: "N 0 obj << ... >> endobj".
  pos = static_cast<std::size_t>(*root_offset);
  const std::optional<std::uint64_t> object_number = ReadNumber(pdf, pos);
  const std::optional<std::uint64_t> object_generation = ReadNumber(pdf, pos);
  pos = SkipSpace(pdf, pos);
  if (object_number != root || object_generation != 0 || !StartsWithAt(pdf, pos, "obj")) {
    return Unsupported("the catalogue's offset does not hold the catalogue");
  }
  pos = SkipSpace(pdf, pos + 3);
  const std::optional<std::size_t> catalogue_end =
      StartsWithAt(pdf, pos, "<<") ? DictionaryEnd(pdf, pos) : std::nullopt;
  if (!catalogue_end) {
    return Unsupported("the catalogue is not a dictionary");
  }
  const std::string_view catalogue = pdf.substr(pos, *catalogue_end - pos);
  if (HasName(catalogue, "Names")) {
    return Unsupported("the catalogue already has a /Names dictionary");
  }

  std::string out(pdf);
  if (out.back() != '\n' && out.back() != '\r') {
    out += '\n';
  }
  const std::uint64_t stream_number = size;
  const std::uint64_t filespec_number = size + 1;
  const std::uint64_t tree_number = size + 2;
  std::map<std::uint64_t, std::size_t> written;

  written[stream_number] = out.size();
  out += fmt::format(
      "{} 0 obj\n<< /Type /EmbeddedFile /Subtype {} /Length {} /Params << /Size {} >> >>\n"
      "stream\n",
      stream_number, PdfName(file.mime_type), file.content.size(), file.content.size());
  out += file.content;
  out += "\nendstream\nendobj\n";

  written[filespec_number] = out.size();
  out += fmt::format(
      "{} 0 obj\n<< /Type /Filespec /F {} /UF {} /AFRelationship /Data /Desc {} "
      "/EF << /F {} 0 R /UF {} 0 R >> >>\nendobj\n",
      filespec_number, PdfLiteralString(file.name), PdfLiteralString(file.name),
      PdfLiteralString(file.description), stream_number, stream_number);

  written[tree_number] = out.size();
  out += fmt::format("{} 0 obj\n<< /Names [{} {} 0 R] >>\nendobj\n", tree_number,
                     PdfLiteralString(file.name), filespec_number);

  // The catalogue again, same number, with the name tree and the file listed.
  written[root] = out.size();
  const std::string_view inner = TrimRight(catalogue.substr(2, catalogue.size() - 4));
  out += fmt::format("{} 0 obj\n<<{} /Names << /EmbeddedFiles {} 0 R >> >>\nendobj\n", root, inner,
                     tree_number);

  const std::size_t xref_offset = out.size();
  out += "xref\n";
  // Subsections of consecutive numbers; each entry exactly 20 bytes.
  for (auto it = written.begin(); it != written.end();) {
    auto run_end = it;
    std::uint64_t expected = it->first;
    while (run_end != written.end() && run_end->first == expected) {
      ++run_end;
      ++expected;
    }
    out += fmt::format("{} {}\n", it->first, expected - it->first);
    for (; it != run_end; ++it) {
      out += fmt::format("{:010} 00000 n\r\n", it->second);
    }
  }
  std::string trailer = fmt::format("trailer\n<< /Size {} /Root {} 0 R", size + 3, root);
  if (const std::optional<std::string_view> info = DictionaryValue(newest.trailer, "Info")) {
    trailer += fmt::format(" /Info {}", *info);
  }
  if (const std::optional<std::string_view> id = DictionaryValue(newest.trailer, "ID")) {
    trailer += fmt::format(" /ID {}", *id);
  }
  trailer += fmt::format(" /Prev {} >>\nstartxref\n{}\n%%EOF\n", *last_xref, xref_offset);
  out += trailer;
  return out;
}

}  // namespace simexit::documents
