#include "simexit/api/problem_catalogue.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "simexit/api/problem.hpp"

namespace simexit::api {
namespace {

namespace fs = std::filesystem;

// The source tree: $SIMEXIT_SOURCE_DIR, else the first directory at or above
// the working directory (ctest runs in the build directory) that holds this
// module's sources.
std::optional<fs::path> SourceRoot() {
  if (const char* dir = std::getenv("SIMEXIT_SOURCE_DIR"); dir != nullptr && *dir != '\0') {
    return fs::path(dir);
  }
  for (fs::path dir = fs::current_path(); !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / "src/simexit/api/problem_catalogue.cpp")) {
      return dir;
    }
    if (dir == dir.parent_path()) {
      break;
    }
  }
  return std::nullopt;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// C++ source with comments blanked out, and its string literals.
struct Lexed {
  std::string code;                   // comments replaced by spaces
  std::vector<std::string> literals;  // contents of "..." (escapes kept as written)
};

Lexed Lex(std::string_view text) {
  Lexed out;
  out.code.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') {
        out.code += ' ';
        ++i;
      }
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const std::size_t end = text.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? text.size() : end + 2;
      out.code.append(stop - i, ' ');
      i = stop;
    } else if (c == 'R' && i + 1 < text.size() && text[i + 1] == '"') {
      // Raw string R"delim(...)delim": kept in the code, not a reason literal.
      const std::size_t open = text.find('(', i + 2);
      const std::string close =
          ")" + std::string(text.substr(i + 2, open == std::string_view::npos ? 0 : open - i - 2)) +
          "\"";
      const std::size_t end = open == std::string_view::npos ? text.npos : text.find(close, open);
      const std::size_t stop = end == std::string_view::npos ? text.size() : end + close.size();
      out.code.append(text.substr(i, stop - i));
      i = stop;
    } else if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != c && text[j] != '\n') {
        j += text[j] == '\\' ? 2u : 1u;
      }
      const std::size_t stop = std::min(j + 1, text.size());
      if (c == '"') {
        out.literals.emplace_back(text.substr(i + 1, j - i - 1));
      }
      out.code.append(text.substr(i, stop - i));
      i = stop;
    } else {
      out.code += c;
      ++i;
    }
  }
  return out;
}

// One reason found in the code.
struct Use {
  std::string code;
  std::optional<ErrorCode> error_code;  // Fail / FailField / Error{...}
  std::optional<unsigned> status;       // Problem(status, "code", ...)
  std::string where;                    // file:line
};

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::optional<ErrorCode> ParseErrorCode(std::string_view name) {
  static const std::map<std::string_view, ErrorCode> kNames = {
      {"kInvalidArgument", ErrorCode::kInvalidArgument},
      {"kUnauthenticated", ErrorCode::kUnauthenticated},
      {"kPermissionDenied", ErrorCode::kPermissionDenied},
      {"kNotFound", ErrorCode::kNotFound},
      {"kAlreadyExists", ErrorCode::kAlreadyExists},
      {"kFailedPrecondition", ErrorCode::kFailedPrecondition},
      {"kResourceExhausted", ErrorCode::kResourceExhausted},
      {"kUnavailable", ErrorCode::kUnavailable},
      {"kInternal", ErrorCode::kInternal},
  };
  const auto it = kNames.find(name);
  return it == kNames.end() ? std::nullopt : std::optional(it->second);
}

bool IsReasonSlug(std::string_view text) {
  return !text.empty() && std::islower(static_cast<unsigned char>(text[0])) != 0 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c)) != 0 ||
                  std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '_';
         });
}

// The reason literals of `code` (comment-free source): the first literal
// argument of Fail/FailField/Error{ after an ErrorCode::kX, of Problem( after
// a status, of ProblemFor(, and of the local reason helpers Missing(,
// Reject( and fail( (when it is a slug). A reason computed at run time (a
// variable, a concatenation) is not seen here; its literal still counts as a
// use in CatalogueEntriesAreUsed.
std::vector<Use> FindReasonUses(std::string_view code, std::string_view file) {
  enum class Kind { kWithErrorCode, kWithStatus, kCodeFirst, kSlugFirst };
  static const std::vector<std::tuple<std::string_view, char, Kind>> kCalls = {
      {"Fail", '(', Kind::kWithErrorCode},   {"FailField", '(', Kind::kWithErrorCode},
      {"Error", '{', Kind::kWithErrorCode},  {"Problem", '(', Kind::kWithStatus},
      {"ProblemFor", '(', Kind::kCodeFirst}, {"Missing", '(', Kind::kSlugFirst},
      {"Reject", '(', Kind::kSlugFirst},     {"fail", '(', Kind::kSlugFirst},
  };
  std::vector<Use> uses;
  const auto skip_space = [&](std::size_t& i) {
    while (i < code.size() && std::isspace(static_cast<unsigned char>(code[i])) != 0) {
      ++i;
    }
  };
  const auto read_literal = [&](std::size_t& i) -> std::optional<std::string> {
    skip_space(i);
    if (i >= code.size() || code[i] != '"') {
      return std::nullopt;
    }
    const std::size_t end = code.find('"', i + 1);
    if (end == std::string_view::npos) {
      return std::nullopt;
    }
    std::string text(code.substr(i + 1, end - i - 1));
    i = end + 1;
    return text;
  };
  const auto read_comma = [&](std::size_t& i) {
    skip_space(i);
    if (i < code.size() && code[i] == ',') {
      ++i;
      return true;
    }
    return false;
  };
  for (const auto& [name, open, kind] : kCalls) {
    for (std::size_t at = code.find(name); at != std::string_view::npos;
         at = code.find(name, at + 1)) {
      if (at > 0 && IsIdentChar(code[at - 1])) {
        continue;
      }
      std::size_t i = at + name.size();
      skip_space(i);
      if (i >= code.size() || code[i] != open) {
        continue;
      }
      ++i;
      Use use;
      use.where =
          std::string(file) + ":" +
          std::to_string(
              1 + std::count(code.begin(), code.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
      if (kind == Kind::kWithErrorCode) {
        skip_space(i);
        std::size_t end = i;
        while (end < code.size() && (IsIdentChar(code[end]) || code[end] == ':')) {
          ++end;
        }
        const std::string_view qualified = code.substr(i, end - i);
        const std::size_t colon = qualified.rfind("::");
        if (colon == std::string_view::npos ||
            qualified.substr(0, colon).find("ErrorCode") == std::string_view::npos) {
          continue;
        }
        use.error_code = ParseErrorCode(qualified.substr(colon + 2));
        i = end;
        if (!use.error_code || !read_comma(i)) {
          continue;
        }
      } else if (kind == Kind::kWithStatus) {
        skip_space(i);
        std::size_t end = i;
        while (end < code.size() && std::isdigit(static_cast<unsigned char>(code[end])) != 0) {
          ++end;
        }
        if (end == i) {
          continue;
        }
        use.status = static_cast<unsigned>(std::stoul(std::string(code.substr(i, end - i))));
        i = end;
        if (!read_comma(i)) {
          continue;
        }
      }
      std::optional<std::string> reason = read_literal(i);
      if (!reason || (kind == Kind::kSlugFirst && !IsReasonSlug(*reason))) {
        continue;
      }
      use.code = std::move(*reason);
      uses.push_back(std::move(use));
    }
  }
  return uses;
}

// What the scan of src/simexit/** found: reason uses, and every string
// literal outside the catalogue's own file.
struct Scan {
  std::vector<Use> uses;
  std::set<std::string> literals;
  std::size_t files = 0;
};

// Test code is left out: *_test.cpp, the testing/ fakes and the *_contract.hpp
// suites may invent reasons no client ever sees.
bool IsProductionSource(const fs::path& relative) {
  const std::string name = relative.filename().string();
  const std::string ext = relative.extension().string();
  if (ext != ".cpp" && ext != ".hpp") {
    return false;
  }
  if (name.ends_with("_test.cpp") || name.ends_with("_contract.hpp")) {
    return false;
  }
  return *relative.begin() != "testing";
}

Scan ScanSources(const fs::path& root) {
  Scan scan;
  const fs::path dir = root / "src/simexit";
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const fs::path relative = fs::relative(entry.path(), dir);
    if (!entry.is_regular_file() || !IsProductionSource(relative)) {
      continue;
    }
    ++scan.files;
    const Lexed lexed = Lex(ReadFile(entry.path()));
    if (relative == "api/problem_catalogue.cpp") {
      continue;
    }
    for (Use& use : FindReasonUses(lexed.code, relative.string())) {
      scan.uses.push_back(std::move(use));
    }
    scan.literals.insert(lexed.literals.begin(), lexed.literals.end());
  }
  return scan;
}

class ProblemCatalogueScan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = SourceRoot();
    if (root_) {
      scan_ = ScanSources(*root_);
    }
  }
  void SetUp() override {
    ASSERT_TRUE(root_.has_value())
        << "source tree not found above " << fs::current_path()
        << "; run from the build or source directory, or set SIMEXIT_SOURCE_DIR";
  }
  static inline std::optional<fs::path> root_;
  static inline Scan scan_;
};

TEST(ProblemCatalogueTest, SortedAndEachPairOnce) {
  const auto catalogue = ProblemCatalogue();
  for (std::size_t i = 1; i < catalogue.size(); ++i) {
    const auto key = [](const ProblemType& e) { return std::tuple(e.code, e.error_code); };
    EXPECT_LT(key(catalogue[i - 1]), key(catalogue[i]))
        << catalogue[i].code << " is out of order or listed twice";
  }
}

TEST(ProblemCatalogueTest, EveryEntryHasAMeaningAndASlug) {
  for (const ProblemType& entry : ProblemCatalogue()) {
    EXPECT_TRUE(IsReasonSlug(entry.code)) << entry.code;
    EXPECT_FALSE(entry.meaning.empty()) << entry.code;
    EXPECT_EQ(entry.meaning.find('|'), std::string_view::npos) << entry.code;
  }
}

// Clients get today's statuses: the ErrorCode's own status, except the
// statuses the HTTP server answers by itself.
TEST(ProblemCatalogueTest, StatusIsTheErrorCodesUnlessTheServerAnswersItself) {
  const std::map<std::string_view, unsigned> kServerStatuses = {
      {"body_too_large", 413},
      {"upload_too_large", 413},
      {"headers_too_large", 431},
      {"method_not_allowed", 405},
      {"unsupported_transfer_encoding", 501},
  };
  for (const ProblemType& entry : ProblemCatalogue()) {
    const auto special = kServerStatuses.find(entry.code);
    const unsigned expected =
        special == kServerStatuses.end() ? HttpStatusFor(entry.error_code) : special->second;
    EXPECT_EQ(entry.status, expected) << entry.code;
  }
}

TEST(ProblemCatalogueTest, LooksUpPairsAndCodes) {
  ASSERT_NE(FindProblemType("invalid_code", ErrorCode::kUnauthenticated), nullptr);
  EXPECT_EQ(FindProblemType("invalid_code", ErrorCode::kUnauthenticated)->status, 401u);
  EXPECT_EQ(FindProblemType("invalid_code", ErrorCode::kInvalidArgument)->status, 400u);
  EXPECT_EQ(FindProblemType("invalid_msisdn", ErrorCode::kNotFound), nullptr);
  ASSERT_NE(FindProblemType("route_not_found"), nullptr);
  EXPECT_EQ(FindProblemType("route_not_found")->status, 404u);
  EXPECT_EQ(FindProblemType("no_such_code"), nullptr);
}

TEST(ProblemCatalogueTest, ScannerFindsReasonsAcrossLinesAndSkipsComments) {
  const Lexed lexed = Lex(
      "// Fail(ErrorCode::kNotFound, \"in_a_comment\", \"x\");\n"
      "return Fail(ErrorCode::kInvalidArgument,\n    \"multi_line\", \"m\");\n"
      "Error{ErrorCode::kUnavailable, \"braced\", \"m\"};\n"
      "ProblemFromError(Error{code, \"not_literal_code\", \"m\"});\n"
      "Problem(404, \"hand_built\", \"Not found\", \"d\");\n"
      "ProblemFor(\"looked_up\", \"d\");\n"
      "fail(\"cannot bind\"); /* Reject(\"in_block\", \"f\") */ Reject(\"slug\", \"f\", \"m\");\n");
  const std::vector<Use> uses = FindReasonUses(lexed.code, "x.cpp");
  std::set<std::string> codes;
  for (const Use& use : uses) {
    codes.insert(use.code);
  }
  EXPECT_EQ(codes,
            (std::set<std::string>{"multi_line", "braced", "hand_built", "looked_up", "slug"}));
  EXPECT_TRUE(std::count(lexed.literals.begin(), lexed.literals.end(), "in_a_comment") == 0);
}

TEST_F(ProblemCatalogueScan, EveryReasonInTheCodeIsInTheCatalogue) {
  // A scan that finds little means the scanner broke, not that all is well.
  ASSERT_GT(scan_.files, 100u);
  ASSERT_GT(scan_.uses.size(), 150u);
  for (const Use& use : scan_.uses) {
    if (use.error_code) {
      EXPECT_NE(FindProblemType(use.code, *use.error_code), nullptr)
          << use.where << ": (\"" << use.code << "\", " << ErrorCodeName(*use.error_code)
          << ") is not in api/problem_catalogue.cpp";
    } else if (use.status) {
      const ProblemType* type = FindProblemType(use.code);
      ASSERT_NE(type, nullptr) << use.where << ": \"" << use.code
                               << "\" is not in api/problem_catalogue.cpp";
      EXPECT_EQ(type->status, *use.status)
          << use.where << ": \"" << use.code << "\" is answered with another status than the "
          << "catalogue's";
    } else {
      EXPECT_NE(FindProblemType(use.code), nullptr)
          << use.where << ": \"" << use.code << "\" is not in api/problem_catalogue.cpp";
    }
  }
}

TEST_F(ProblemCatalogueScan, CatalogueEntriesAreUsed) {
  // Reasons composed at run time: osmocom's CtrlClient makes
  // reason_prefix + "_unavailable" with the prefixes "hlr" and "msc".
  const std::set<std::string_view> kComposed = {"hlr_unavailable", "msc_unavailable"};
  ASSERT_TRUE(scan_.literals.contains("_unavailable"));
  for (const ProblemType& entry : ProblemCatalogue()) {
    if (kComposed.contains(entry.code)) {
      continue;
    }
    EXPECT_TRUE(scan_.literals.contains(std::string(entry.code)))
        << "\"" << entry.code << "\" is in the catalogue but no source under src/simexit uses it";
  }
}

// Lines of `expected` missing from `actual` ("-") and extra in it ("+").
std::string LineDiff(const std::string& expected, const std::string& actual) {
  const auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) {
      out.push_back(line);
    }
    return out;
  };
  const std::vector<std::string> want = lines(expected);
  const std::vector<std::string> have = lines(actual);
  const std::multiset<std::string> want_set(want.begin(), want.end());
  const std::multiset<std::string> have_set(have.begin(), have.end());
  std::string diff;
  for (const std::string& line : want) {
    if (!have_set.contains(line)) {
      diff += "- " + line + "\n";
    }
  }
  for (const std::string& line : have) {
    if (!want_set.contains(line)) {
      diff += "+ " + line + "\n";
    }
  }
  return diff.empty() ? "(same lines, different order or blank lines)\n" : diff;
}

bool WriteMode() {
  const char* write = std::getenv("SIMEXIT_WRITE_PROBLEM_DOCS");
  return write != nullptr && std::string_view(write) == "1";
}

constexpr std::string_view kRegenerate =
    "regenerate with: SIMEXIT_WRITE_PROBLEM_DOCS=1 build/dev/simexit_api_tests "
    "--gtest_filter='ProblemCatalogueDocs.*'";

class ProblemCatalogueDocs : public ProblemCatalogueScan {};

TEST_F(ProblemCatalogueDocs, ProblemsMarkdownIsCurrent) {
  const fs::path path = *root_ / "docs/problems.md";
  const std::string expected = RenderProblemsMarkdown();
  if (WriteMode()) {
    std::ofstream(path, std::ios::binary) << expected;
  }
  const std::string actual = ReadFile(path);
  EXPECT_TRUE(actual == expected) << "docs/problems.md is not what the catalogue renders; "
                                  << kRegenerate << "\n"
                                  << LineDiff(expected, actual);
}

TEST_F(ProblemCatalogueDocs, OpenApiCodeEnumIsCurrent) {
  const fs::path path = *root_ / "docs/openapi.yaml";
  std::string yaml = ReadFile(path);
  const std::size_t begin = yaml.find(kOpenApiCodesBegin);
  const std::size_t end = yaml.find(kOpenApiCodesEnd);
  ASSERT_NE(begin, std::string::npos) << "docs/openapi.yaml lacks the line: " << kOpenApiCodesBegin;
  ASSERT_NE(end, std::string::npos) << "docs/openapi.yaml lacks the line: " << kOpenApiCodesEnd;
  ASSERT_LT(begin, end);
  const std::size_t body = begin + kOpenApiCodesBegin.size();
  const std::string expected = RenderOpenApiCodeEnum();
  if (WriteMode()) {
    yaml.replace(body, end - body, expected);
    std::ofstream(path, std::ios::binary) << yaml;
  }
  const std::string actual = ReadFile(path).substr(body, yaml.find(kOpenApiCodesEnd) - body);
  EXPECT_TRUE(actual == expected) << "the Problem code enum in docs/openapi.yaml is not the "
                                  << "catalogue's; " << kRegenerate << "\n"
                                  << LineDiff(expected, actual);
}

}  // namespace
}  // namespace simexit::api
