#include "simexit/domain/person_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace simexit {
namespace {

TEST(NormaliseNameTest, RussianCyrillicUsesTheIcaoTable) {
  EXPECT_EQ(NormaliseName("Тестова Айгерим"), "TESTOVA AIGERIM");
  EXPECT_EQ(NormaliseName("Ахметов Нурлан Серикович"), "AKHMETOV NURLAN SERIKOVICH");
  // Every letter of the Russian alphabet, upper and lower case.
  EXPECT_EQ(NormaliseName("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"),
            "ABVGDEEZHZIIKLMNOPRSTUFKHTSCHSHSHCHIEYEIUIA");
  EXPECT_EQ(NormaliseName("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
            "ABVGDEEZHZIIKLMNOPRSTUFKHTSCHSHSHCHIEYEIUIA");
  EXPECT_EQ(NormaliseName("Юлия Щукина"), "IULIIA SHCHUKINA");
  EXPECT_EQ(NormaliseName("Подъячев Игорь"), "PODIEIACHEV IGOR");  // Ъ IE, Ь dropped
  EXPECT_EQ(NormaliseName("Хэ Цзянь"), "KHE TSZIAN");
}

TEST(NormaliseNameTest, KazakhLetters) {
  EXPECT_EQ(NormaliseName("Әлия Қасымова"), "ALIIA KASYMOVA");
  EXPECT_EQ(NormaliseName("ӘҒҚҢӨҰҮҺІ"), "AGKNOUUHI");
  EXPECT_EQ(NormaliseName("әғқңөұүһі"), "AGKNOUUHI");
  EXPECT_EQ(NormaliseName("Серікұлы"), "SERIKULY");
  EXPECT_EQ(NormaliseName("Айгүл Серікқызы"), "AIGUL SERIKKYZY");
}

TEST(NormaliseNameTest, OtherCyrillicLettersOfTheIcaoTable) {
  EXPECT_EQ(NormaliseName("Їжак Євген Ґудзь"), "IZHAK IEVGEN GUDZ");  // Ukrainian
  EXPECT_EQ(NormaliseName("Ўладзімір"), "ULADZIMIR");                 // Belarusian Ў, І
  EXPECT_EQ(NormaliseName("Љубица Њушка Џамић Ѕвезда Ђорђе Јован"),
            "LJUBITSA NJUSHKA DZAMIC DZVEZDA DORDE JOVAN");
}

TEST(NormaliseNameTest, LatinDiacriticsFoldToIcaoDigraphs) {
  EXPECT_EQ(NormaliseName("Müller"), "MUELLER");
  EXPECT_EQ(NormaliseName("Åsa Ørsted Ærø"), "AASA OERSTED AEROE");
  EXPECT_EQ(NormaliseName("Strauß"), "STRAUSS");
  EXPECT_EQ(NormaliseName("Peña Çelik José Łukasz Šťastný Þór Œuvre Ĳssel"),
            "PENA CELIK JOSE LUKASZ STASTNY THOR OEUVRE IJSSEL");
  EXPECT_EQ(NormaliseName("ÀÉÎÕÝÿ"), "AEIOYY");
  EXPECT_EQ(NormaliseName("Ștefan Țurcan"), "STEFAN TURCAN");
}

TEST(NormaliseNameTest, DecomposedInputMatchesPrecomposed) {
  // "Mu" + COMBINING DIAERESIS + "ller", "Jose" + COMBINING ACUTE.
  EXPECT_EQ(NormaliseName("Mu\u0308ller"), "MUELLER");
  EXPECT_EQ(NormaliseName("A\u030Asa"), "AASA");
  EXPECT_EQ(NormaliseName("Jose\u0301"), "JOSE");
  EXPECT_EQ(NormaliseName("И\u0306"), "I");  // Й decomposed
}

TEST(NormaliseNameTest, PunctuationSeparatesAndCollapses) {
  EXPECT_EQ(NormaliseName("  anna-maria   o'neil  "), "ANNA MARIA O NEIL");
  EXPECT_EQ(NormaliseName("ERIKSSON<<ANNA<MARIA<<<<"), "ERIKSSON ANNA MARIA");
  EXPECT_EQ(NormaliseName("Smith,\tJohn.\n(Jr)"), "SMITH JOHN JR");
  EXPECT_EQ(NormaliseName("Анна\u00A0Мария\u2014Ли"), "ANNA MARIIA LI");  // NBSP, em dash
  EXPECT_EQ(NormaliseName("Ан\u00ADна"), "ANNA");                         // soft hyphen
}

TEST(NormaliseNameTest, UnusableTextNormalisesToEmpty) {
  EXPECT_EQ(NormaliseName(""), "");
  EXPECT_EQ(NormaliseName("  - ' < "), "");
  EXPECT_EQ(NormaliseName("Ivan\xFF"), "");                // invalid byte
  EXPECT_EQ(NormaliseName("Iv\xC3"), "");                  // truncated sequence
  EXPECT_EQ(NormaliseName("\xC0\xAF"), "");                // overlong '/'
  EXPECT_EQ(NormaliseName("\xED\xA0\x80"), "");            // surrogate
  EXPECT_EQ(NormaliseName("Ivan\x01Petrov"), "");          // control character
  EXPECT_EQ(NormaliseName("Ivan 2"), "");                  // digits are not a name
  EXPECT_EQ(NormaliseName("王 小明"), "");                 // script outside the tables
  EXPECT_EQ(NormaliseName(std::string("Iv\0an", 5)), "");  // NUL
}

struct NamePair {
  const char* registered;
  const char* presented;
};

class NamesMatchTest : public ::testing::TestWithParam<NamePair> {};

TEST_P(NamesMatchTest, Matches) {
  EXPECT_TRUE(NamesMatch(GetParam().registered, GetParam().presented));
  EXPECT_TRUE(NamesMatch(GetParam().presented, GetParam().registered)) << "symmetric";
}

INSTANTIATE_TEST_SUITE_P(
    SamePerson, NamesMatchTest,
    ::testing::Values(
        NamePair{"TESTOVA AIGERIM", "Тестова Айгерим"},
        NamePair{"TESTOVA<<AIGERIM", "тестова айгерим"},
        NamePair{"AKHMETOV NURLAN", "Ахметов Нурлан Серикович"},  // extra patronymic
        NamePair{"Ахметов Нурлан Серикович", "NURLAN AKHMETOV"},  // and order swapped
        NamePair{"Нурлан Серикович Ахметов", "AKHMETOV NURLAN"},  // patronymic in the middle
        NamePair{"KASYMOVA ALIIA", "Әлия Қасымова"},
        NamePair{"Иванова Мария Петровна", "IVANOVA MARIIA"},    // -OVNA
        NamePair{"Сергеев Илья Андреевич", "SERGEEV ILIA"},      // -EVICH
        NamePair{"Кузьмина Анна Никитична", "KUZMINA ANNA"},     // -ICHNA
        NamePair{"Қасымов Нұрлан Серікұлы", "KASYMOV NURLAN"},   // -ULY
        NamePair{"Қасымова Айгүл Серікқызы", "KASYMOVA AIGUL"},  // -KYZY
        NamePair{"Қасымов Нұрлан Серік ұлы", "KASYMOV NURLAN"},  // separate particle
        NamePair{"Қасымов Нұрлан Серік ұлы", "Kasymov Nurlan Serikuly"},
        NamePair{"MÜLLER HANS", "MUELLER HANS"}, NamePair{"MÜLLER HANS", "MULLER HANS"},
        NamePair{"Hans Mu\u0308ller", "MULLER HANS"},
        NamePair{"ØSTERGÅRD LÆRKE", "OESTERGAARD LAERKE"},
        NamePair{"ØSTERGÅRD LÆRKE", "OSTERGARD LAERKE"}, NamePair{"JOSÉ PEÑA", "jose pena"},
        NamePair{"ERIKSSON ANNA MARIA", "Anna-Maria Eriksson"},
        NamePair{"O'NEIL SEAN", "ONEIL SEAN"},  // MRZ drops apostrophes
        NamePair{"O’NEIL SEAN", "O NEIL SEAN"}, NamePair{"ANNA ANNA", "anna anna"},
        NamePair{"Әлия", "ALIIA"}));

class NamesDifferTest : public ::testing::TestWithParam<NamePair> {};

TEST_P(NamesDifferTest, DoesNotMatch) {
  EXPECT_FALSE(NamesMatch(GetParam().registered, GetParam().presented));
  EXPECT_FALSE(NamesMatch(GetParam().presented, GetParam().registered)) << "symmetric";
}

INSTANTIATE_TEST_SUITE_P(
    NotTheSamePerson, NamesDifferTest,
    ::testing::Values(
        NamePair{"TESTOVA AIGERIM", "TESTOVA AIGUL"},  // different given name
        NamePair{"TESTOVA AIGERIM", "Петрова Айгерим"},
        NamePair{"AKHMETOV NURLAN", "AKHMETOV NURLAN BOLATBEK"},  // extra, not a patronymic
        NamePair{"AKHMETOV NURLAN", "AKHMETOV NURLAN SERIKOVICH IVANOVICH"},  // two extra
        NamePair{"NURLAN", "AKHMETOV NURLAN"},                                // missing surname
        NamePair{"NURLAN", "NURLAN SERIKOVICH"},                              // only one word left
        NamePair{"ABRAMOVICH ROMAN", "ROMAN"},
        NamePair{"ABRAMOVICH ROMAN", "ROMAN ARKADEVICH"},           // surname swapped for one
        NamePair{"SERIKOVICH NURLAN AKHMETOV", "NURLAN AKHMETOV"},  // first word never dropped
        NamePair{"ANNA ANNA", "ANNA"},                              // multiset, not set
        NamePair{"ANNA ANNA", "ANNA MARIA"}, NamePair{"MÜLLER HANS", "MILLER HANS"},
        NamePair{"AIGERIM", "AIGERIMA"}, NamePair{"", ""},  // empty never matches
        NamePair{"", "TESTOV"}, NamePair{"  <<  ", "  - "},
        NamePair{"Ivan\xFF", "Ivan\xFF"},  // invalid UTF-8
        NamePair{"IVAN", "Ivan\xC3"}, NamePair{"王 小明", "王 小明"}));

TEST(NamesMatchTest, ManyWordsAreBoundedAndDoNotMatch) {
  std::string many;
  for (int i = 0; i < 40; ++i) {
    many += "ANNA ";
  }
  EXPECT_FALSE(NamesMatch(many, many));
}

TEST(NamesMatchTest, ManyDiacriticsStillCompare) {
  // More than six two-way letters: only the all-digraph and all-plain spellings are tried.
  EXPECT_TRUE(NamesMatch("ÄÖÜÄÖÜÄÖ X", "AEOEUEAEOEUEAEOE X"));
  EXPECT_TRUE(NamesMatch("ÄÖÜÄÖÜÄÖ X", "AOUAOUAO X"));
}

}  // namespace
}  // namespace simexit
