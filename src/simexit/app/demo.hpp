#pragma once
// `simexit demo`: sample operators, holders and lines so the product can be
// tried at once. Every number is synthetic (valid check digits, no real person).

#include <ostream>

#include "simexit/app/runtime.hpp"

namespace simexit::app {

// Creates Kcell, Beeline and Tele2 with sample policies and lines (skipped if
// present), provisions the lines in the configured HLR, creates an API key per
// operator, and prints what a person needs to try a termination.
Result<void> RunDemo(Runtime& rt, std::ostream& out);

}  // namespace simexit::app
