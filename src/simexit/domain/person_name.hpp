#pragma once
// Person names as typed by staff (Latin or Cyrillic, any case) compared with
// names as registered or as read from an MRZ.
//
// Normalisation (ICAO Doc 9303 Part 3, Section 6):
//  - letters are upper-cased; Cyrillic (Russian, Kazakh, Ukrainian, Belarusian,
//    Serbian/Macedonian letters of the ICAO table) is transliterated to Latin
//    with the ICAO table: Ж ZH, Х KH, Ц TS, Ч CH, Ш SH, Щ SHCH, Ъ IE, Ю IU,
//    Я IA, Й I, Ё E, Ь dropped, Є IE, Ї I, Ґ G, Ў U, Ѕ DZ, Љ LJ, Њ NJ, Џ DZ...
//    Kazakh letters the ICAO table does not list use the KZ passport practice:
//    Ә A, Ғ G, Қ K, Ң N, Ө O, Ұ U, Ү U, І I, Һ H (ICAO's Һ C is also accepted);
//  - Latin letters with diacritics fold per the ICAO Latin table: Ä AE, Ö OE,
//    Ü UE, Å AA, Ø OE (each also accepted as the plain base letter, so MÜLLER
//    matches both MUELLER and MULLER), Æ AE, Œ OE, ß SS, Þ TH, Ĳ IJ, and every
//    other accented letter its base letter (É E, Ñ N, Ç C, Ł L...). Decomposed
//    input (base letter + combining mark) gives the same result;
//  - hyphens, apostrophes, '<', other punctuation and whitespace separate
//    words; runs collapse to one space. (NamesMatch also tries apostrophes
//    dropped, as the MRZ omits them: O'NEIL matches ONEIL.)
// A name holding invalid UTF-8, control characters, digits or letters of
// another script normalises to "" and matches nothing.

#include <string>
#include <string_view>

namespace simexit {

// The ICAO form: "Тестова Айгерим" -> "TESTOVA AIGERIM", "Müller-Lüdenscheidt"
// -> "MUELLER LUEDENSCHEIDT". "" when the name is empty or unusable (see above).
std::string NormaliseName(std::string_view utf8);

// Whether two names denote the same person: the words (normalised, each with
// its digraph and plain-letter spellings) are the same multiset in any order
// (surname and given names swap between documents), or one side has exactly one
// extra word that looks like a patronymic (ends in OVICH, EVICH, ICH, OVNA, EVNA,
// ICHNA, ULY, ULI, KYZY, QYZY; a separate "ULY"/"KYZY" joins the word before it)
// and is not that side's first word, while the rest (at least two words) match.
// Empty or unusable names never match.
bool NamesMatch(std::string_view registered, std::string_view presented);

}  // namespace simexit
