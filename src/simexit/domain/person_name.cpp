#include "simexit/domain/person_name.hpp"

#include <array>
#include <cstddef>
#include <set>
#include <vector>

#include "simexit/domain/utf8.hpp"

namespace simexit {
namespace {

// One source letter's Latin spelling: `primary` is the ICAO form, `alt` (when
// not empty) another accepted spelling (the plain base letter for Ä, Ö, Ü...).
struct Segment {
  std::string primary;
  std::string alt;
};
using Word = std::vector<Segment>;

enum class Kind { kLetter, kSeparator, kIgnore, kApostrophe, kCombining, kInvalid };
enum class Apostrophe { kSeparates, kDropped };

// ICAO transliteration of U+0400..U+042F (upper case; lower case is folded onto it).
constexpr std::array<const char*, 48> kCyrillic = {
    "E", "E", "D", "G", "IE", "DZ", "I",  "I",  "J",  "LJ",   "NJ", "C", "K", "I", "U",  "DZ",
    "A", "B", "V", "G", "D",  "E",  "ZH", "Z",  "I",  "I",    "K",  "L", "M", "N", "O",  "P",
    "R", "S", "T", "U", "F",  "KH", "TS", "CH", "SH", "SHCH", "IE", "Y", "",  "E", "IU", "IA"};

// Base letters of U+0100..U+017F; '#' is IJ, '%' is OE.
constexpr std::string_view kLatinExtendedA =
    "AAAAAACCCCCCCCDD"
    "DDEEEEEEEEEEGGGG"
    "GGGGHHHHIIIIIIII"
    "II##JJKKKLLLLLLL"
    "LLLNNNNNNNNNOOOO"
    "OO%%RRRRRRSSSSSS"
    "SSTTTTTTUUUUUUUU"
    "UUUUWWYYYZZZZZZS";

// Base letters of U+00C0..U+00DF (lower case U+00E0..U+00FE folds onto it); '*'
// marks the letters handled one by one.
constexpr std::string_view kLatin1 = "AAAA***CEEEEIIIIDNOOOO*.*UUU*Y**";
static_assert(kLatin1.size() == 0xE0 - 0xC0);
static_assert(kLatinExtendedA.size() == 0x180 - 0x100);

Kind Letter(Segment* out, std::string primary, std::string alt = {}) {
  out->primary = std::move(primary);
  out->alt = std::move(alt);
  return Kind::kLetter;
}

Kind Latin1Letter(char32_t upper, Segment* out) {
  switch (upper) {
    case 0xC4:
      return Letter(out, "AE", "A");
    case 0xC5:
      return Letter(out, "AA", "A");
    case 0xC6:
      return Letter(out, "AE");
    case 0xD6:
      return Letter(out, "OE", "O");
    case 0xD7:
      return Kind::kSeparator;  // multiplication sign
    case 0xD8:
      return Letter(out, "OE", "O");
    case 0xDC:
      return Letter(out, "UE", "U");
    case 0xDE:
      return Letter(out, "TH");
    case 0xDF:
      return Letter(out, "SS");
    default:
      return Letter(out, std::string(1, kLatin1[upper - 0xC0]));
  }
}

// Kazakh and other Cyrillic letters outside U+0400..U+045F (upper, lower = upper + 1).
Kind CyrillicExtended(char32_t cp, Segment* out) {
  const char32_t upper = cp & ~char32_t{1};
  switch (upper) {
    case 0x46A:  // Ѫ
      return Letter(out, "U");
    case 0x490:  // Ґ
    case 0x492:  // Ғ
      return Letter(out, "G");
    case 0x49A:  // Қ
      return Letter(out, "K");
    case 0x4A2:  // Ң
      return Letter(out, "N");
    case 0x4AE:  // Ү
    case 0x4B0:  // Ұ
      return Letter(out, "U");
    case 0x4BA:  // Һ: H in Kazakh practice, C in the ICAO table
      return Letter(out, "H", "C");
    case 0x4D8:  // Ә
      return Letter(out, "A");
    case 0x4E8:  // Ө
      return Letter(out, "O");
    default:
      return Kind::kInvalid;
  }
}

Kind Classify(char32_t cp, Segment* out) {
  if (cp >= 'A' && cp <= 'Z') {
    return Letter(out, std::string(1, static_cast<char>(cp)));
  }
  if (cp >= 'a' && cp <= 'z') {
    return Letter(out, std::string(1, static_cast<char>(cp - 'a' + 'A')));
  }
  if (cp == '\'' || cp == '`') {
    return Kind::kApostrophe;
  }
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
    return Kind::kSeparator;
  }
  if (cp < 0x80) {
    if (cp < 0x20 || cp == 0x7F || (cp >= '0' && cp <= '9')) {
      return Kind::kInvalid;
    }
    return Kind::kSeparator;  // ASCII punctuation, including '-' and '<'
  }
  if (cp < 0xA0) {
    return Kind::kInvalid;  // C1 controls
  }
  if (cp == 0xAD) {
    return Kind::kIgnore;  // soft hyphen
  }
  if (cp == 0xB4) {
    return Kind::kApostrophe;  // acute accent typed as an apostrophe
  }
  if (cp < 0xC0) {
    return Kind::kSeparator;  // NBSP, guillemets, middle dot...
  }
  if (cp <= 0xDF) {
    return Latin1Letter(cp, out);
  }
  if (cp <= 0xFE) {
    return cp == 0xF7 ? Kind::kSeparator : Latin1Letter(cp - 0x20, out);  // ÷ or a letter
  }
  if (cp == 0xFF) {
    return Letter(out, "Y");
  }
  if (cp <= 0x17F) {
    const char base = kLatinExtendedA[cp - 0x100];
    if (base == '#') {
      return Letter(out, "IJ");
    }
    if (base == '%') {
      return Letter(out, "OE");
    }
    return Letter(out, std::string(1, base));
  }
  if (cp >= 0x218 && cp <= 0x219) {
    return Letter(out, "S");  // Ș
  }
  if (cp >= 0x21A && cp <= 0x21B) {
    return Letter(out, "T");  // Ț
  }
  if (cp == 0x2B9 || (cp >= 0x2BB && cp <= 0x2BD)) {
    return Kind::kApostrophe;  // modifier letters used as apostrophes (O‘G‘LI, Д’Артаньян)
  }
  if (cp >= 0x300 && cp <= 0x36F) {
    return Kind::kCombining;
  }
  if (cp >= 0x400 && cp <= 0x45F) {
    char32_t upper = cp;
    if (cp >= 0x450) {
      upper = cp - 0x50;
    } else if (cp >= 0x430) {
      upper = cp - 0x20;
    }
    return Letter(out, kCyrillic[upper - 0x400]);
  }
  if (cp >= 0x460 && cp <= 0x4FF) {
    return CyrillicExtended(cp, out);
  }
  if (cp == 0x1E9E) {
    return Letter(out, "SS");  // capital sharp s
  }
  if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF) {
    return Kind::kIgnore;  // zero-width characters
  }
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2032) {
    return Kind::kApostrophe;
  }
  if ((cp >= 0x2000 && cp <= 0x203A) || cp == 0x202F || cp == 0x205F || cp == 0x2212 ||
      cp == 0x3000) {
    return Kind::kSeparator;  // spaces, dashes, quotes, ellipsis, '‹' typed for '<'
  }
  return Kind::kInvalid;  // digits of other scripts, letters of other scripts, symbols
}

// A combining mark after a letter: the diaeresis and ring that ICAO spells as
// digraphs turn A/O/U into AE/OE/UE and AA; every other mark is dropped.
void ApplyCombining(char32_t mark, Segment& last) {
  if (!last.alt.empty()) {
    return;
  }
  if (mark == 0x308 && (last.primary == "A" || last.primary == "O" || last.primary == "U")) {
    last.alt = last.primary;
    last.primary += "E";
  } else if (mark == 0x30A && last.primary == "A") {
    last.alt = "A";
    last.primary = "AA";
  }
}

// Splits a name into words; false when it is not usable text.
bool Tokenise(std::string_view utf8, Apostrophe apostrophe, std::vector<Word>* words) {
  words->clear();
  std::u32string code_points;
  if (!DecodeUtf8(utf8, &code_points)) {
    return false;
  }
  Word current;
  bool after_letter = false;
  auto end_word = [&] {
    if (!current.empty()) {
      words->push_back(std::move(current));
      current.clear();
    }
    after_letter = false;
  };
  for (char32_t cp : code_points) {
    Segment segment;
    Kind kind = Classify(cp, &segment);
    if (kind == Kind::kApostrophe) {
      kind = apostrophe == Apostrophe::kSeparates ? Kind::kSeparator : Kind::kIgnore;
    }
    switch (kind) {
      case Kind::kInvalid:
        return false;
      case Kind::kSeparator:
        end_word();
        break;
      case Kind::kIgnore:
        break;
      case Kind::kCombining:
        if (after_letter && !current.empty()) {
          ApplyCombining(cp, current.back());
        }
        break;
      case Kind::kLetter:
        if (!segment.primary.empty()) {  // the soft sign spells as nothing
          current.push_back(std::move(segment));
        }
        after_letter = true;
        break;
      case Kind::kApostrophe:
        break;
    }
  }
  end_word();
  return true;
}

std::string Primary(const Word& word) {
  std::string out;
  for (const Segment& s : word) {
    out += s.primary;
  }
  return out;
}

// Every accepted spelling of a word. Bounded: past 6 letters with two spellings,
// only the all-digraph and all-plain spellings are produced.
std::set<std::string> Spellings(const Word& word) {
  std::vector<std::size_t> choices;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (!word[i].alt.empty()) {
      choices.push_back(i);
    }
  }
  std::set<std::string> out;
  if (choices.size() > 6) {
    std::string plain;
    for (const Segment& s : word) {
      plain += s.alt.empty() ? s.primary : s.alt;
    }
    out.insert(Primary(word));
    out.insert(plain);
    return out;
  }
  for (unsigned mask = 0; mask < (1u << choices.size()); ++mask) {
    std::string spelling;
    std::size_t next_choice = 0;
    for (std::size_t i = 0; i < word.size(); ++i) {
      const bool is_choice = next_choice < choices.size() && choices[next_choice] == i;
      if (is_choice) {
        spelling += (mask >> next_choice) & 1u ? word[i].alt : word[i].primary;
        ++next_choice;
      } else {
        spelling += word[i].primary;
      }
    }
    out.insert(std::move(spelling));
  }
  return out;
}

// Kazakh/Kyrgyz patronymic particles written as a separate word ("Серік ұлы").
bool IsParticle(const std::string& primary) {
  return primary == "ULY" || primary == "ULI" || primary == "KYZY" || primary == "QYZY";
}

bool IsPatronymic(const std::set<std::string>& spellings) {
  static constexpr std::array<std::string_view, 10> kSuffixes = {
      "OVICH", "EVICH", "ICH", "OVNA", "EVNA", "ICHNA", "ULY", "ULI", "KYZY", "QYZY"};
  for (const std::string& s : spellings) {
    for (std::string_view suffix : kSuffixes) {
      // At least two letters of stem, so "ULY" alone or "RICH"... still needs a stem.
      if (s.size() >= suffix.size() + 2 &&
          std::string_view(s).substr(s.size() - suffix.size()) == suffix) {
        return true;
      }
    }
  }
  return false;
}

using Spelled = std::vector<std::set<std::string>>;

Spelled SpellWords(std::vector<Word> words) {
  // Join a separate patronymic particle to the word before it.
  std::vector<Word> joined;
  for (Word& word : words) {
    if (!joined.empty() && IsParticle(Primary(word))) {
      joined.back().insert(joined.back().end(), word.begin(), word.end());
    } else {
      joined.push_back(std::move(word));
    }
  }
  Spelled out;
  out.reserve(joined.size());
  for (const Word& word : joined) {
    out.push_back(Spellings(word));
  }
  return out;
}

bool Compatible(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const std::string& s : a) {
    if (b.count(s) != 0) {
      return true;
    }
  }
  return false;
}

// Kuhn's augmenting path for a perfect matching between equally sized word lists.
bool Augment(std::size_t i, const std::vector<std::vector<bool>>& edges, std::vector<bool>& seen,
             std::vector<int>& match_of_b) {
  for (std::size_t j = 0; j < edges[i].size(); ++j) {
    if (!edges[i][j] || seen[j]) {
      continue;
    }
    seen[j] = true;
    if (match_of_b[j] < 0 ||
        Augment(static_cast<std::size_t>(match_of_b[j]), edges, seen, match_of_b)) {
      match_of_b[j] = static_cast<int>(i);
      return true;
    }
  }
  return false;
}

bool SameWords(const Spelled& a, const Spelled& b) {
  if (a.size() != b.size() || a.empty()) {
    return false;
  }
  std::vector<std::vector<bool>> edges(a.size(), std::vector<bool>(b.size(), false));
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < b.size(); ++j) {
      edges[i][j] = Compatible(a[i], b[j]);
    }
  }
  std::vector<int> match_of_b(b.size(), -1);
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::vector<bool> seen(b.size(), false);
    if (!Augment(i, edges, seen, match_of_b)) {
      return false;
    }
  }
  return true;
}

// `longer` has one word more than `shorter`: it matches when dropping one
// patronymic-looking word (never the first, which is where a surname-first name
// keeps its surname) leaves the same words, at least two of them.
bool SameWithExtraPatronymic(const Spelled& longer, const Spelled& shorter) {
  if (shorter.size() < 2) {
    return false;
  }
  for (std::size_t k = 1; k < longer.size(); ++k) {
    if (!IsPatronymic(longer[k])) {
      continue;
    }
    Spelled rest;
    for (std::size_t i = 0; i < longer.size(); ++i) {
      if (i != k) {
        rest.push_back(longer[i]);
      }
    }
    if (SameWords(rest, shorter)) {
      return true;
    }
  }
  return false;
}

constexpr std::size_t kMaxWords = 12;  // bounds the matching work on hostile input

}  // namespace

std::string NormaliseName(std::string_view utf8) {
  std::vector<Word> words;
  if (!Tokenise(utf8, Apostrophe::kSeparates, &words)) {
    return "";
  }
  std::string out;
  for (const Word& word : words) {
    if (!out.empty()) {
      out.push_back(' ');
    }
    out += Primary(word);
  }
  return out;
}

bool NamesMatch(std::string_view registered, std::string_view presented) {
  for (Apostrophe a : {Apostrophe::kSeparates, Apostrophe::kDropped}) {
    for (Apostrophe b : {Apostrophe::kSeparates, Apostrophe::kDropped}) {
      std::vector<Word> words_a;
      std::vector<Word> words_b;
      if (!Tokenise(registered, a, &words_a) || !Tokenise(presented, b, &words_b)) {
        return false;  // unusable text never matches, whatever the apostrophes
      }
      if (words_a.empty() || words_b.empty() || words_a.size() > kMaxWords ||
          words_b.size() > kMaxWords) {
        return false;
      }
      const Spelled spelled_a = SpellWords(std::move(words_a));
      const Spelled spelled_b = SpellWords(std::move(words_b));
      if (SameWords(spelled_a, spelled_b)) {
        return true;
      }
      if (spelled_a.size() == spelled_b.size() + 1 &&
          SameWithExtraPatronymic(spelled_a, spelled_b)) {
        return true;
      }
      if (spelled_b.size() == spelled_a.size() + 1 &&
          SameWithExtraPatronymic(spelled_b, spelled_a)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace simexit
