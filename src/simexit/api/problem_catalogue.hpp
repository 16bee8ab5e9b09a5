#pragma once
// The catalogue of problem codes: every `code` (Error::reason) the API can
// answer, with the ErrorCode it travels with, the HTTP status clients get and
// a one-line meaning. It is the one mapping from reasons to statuses;
// ProblemFromError and ProblemFor read it.
//
// A reason may appear more than once when different ErrorCodes carry it
// (e.g. "invalid_code": a malformed code is kInvalidArgument 400, a wrong one
// kUnauthenticated 401); each (code, error_code) pair appears at most once.
// Entries are sorted by code, then by error_code.
//
// problem_catalogue_test.cpp keeps the catalogue honest: it scans
// src/simexit/** for reason literals and fails when one is missing here or an
// entry is used nowhere, and it checks that docs/problems.md and the `code`
// enum in docs/openapi.yaml are what RenderProblemsMarkdown() and
// RenderOpenApiCodeEnum() produce. Regenerate both files with:
//   SIMEXIT_WRITE_PROBLEM_DOCS=1 build/dev/simexit_api_tests
//   --gtest_filter='ProblemCatalogueDocs.*'

#include <span>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit::api {

struct ProblemType {
  std::string_view code;  // the problem's `code`, e.g. "invalid_msisdn"
  ErrorCode error_code;   // the ErrorCode the reason travels with
  unsigned status;        // the HTTP status of the problem
  std::string_view meaning;
};

// All entries, sorted by code then error_code.
std::span<const ProblemType> ProblemCatalogue();

// The entry for exactly this pair, or nullptr.
const ProblemType* FindProblemType(std::string_view code, ErrorCode error_code);

// The first entry with this code (whatever its ErrorCode), or nullptr.
const ProblemType* FindProblemType(std::string_view code);

// docs/problems.md as the catalogue renders it.
std::string RenderProblemsMarkdown();

// The lines between the generated-block markers of the Problem schema's
// `code` in docs/openapi.yaml (an `enum` of every distinct code).
std::string RenderOpenApiCodeEnum();

// The markers that enclose RenderOpenApiCodeEnum() in docs/openapi.yaml.
inline constexpr std::string_view kOpenApiCodesBegin =
    "          # BEGIN problem codes: generated from src/simexit/api/problem_catalogue.cpp\n";
inline constexpr std::string_view kOpenApiCodesEnd = "          # END problem codes\n";

}  // namespace simexit::api
