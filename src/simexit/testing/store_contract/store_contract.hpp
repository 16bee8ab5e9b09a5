#pragma once
// The Store port's contract as a value-parameterised GoogleTest suite, one
// header per repository (ports/store/*.hpp) plus transactions_contract.hpp.
//
// Test-only: an adapter's *_test.cpp includes this header once and
// instantiates StoreContractTest with a harness factory, e.g.
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
//                            ::testing::Values(StoreContractParam{"Memory", MakeHarness}),
//                            [](const auto& info) { return info.param.name; });
// Every test gets a fresh, empty, migrated database from a fresh harness. The
// suite uses nothing but the port (store.hpp), so a PostgreSQL adapter runs
// it unchanged from its own *_pgtest.cpp.

#include "simexit/testing/store_contract/audit_chain_contract.hpp"
#include "simexit/testing/store_contract/audit_contract.hpp"
#include "simexit/testing/store_contract/bulk_terminations_contract.hpp"
#include "simexit/testing/store_contract/dormancy_contract.hpp"
#include "simexit/testing/store_contract/events_contract.hpp"
#include "simexit/testing/store_contract/evidence_contract.hpp"
#include "simexit/testing/store_contract/fixture.hpp"
#include "simexit/testing/store_contract/holder_sign_in_contract.hpp"
#include "simexit/testing/store_contract/idempotency_contract.hpp"
#include "simexit/testing/store_contract/idempotent_requests_contract.hpp"
#include "simexit/testing/store_contract/invariants_contract.hpp"
#include "simexit/testing/store_contract/jobs_contract.hpp"
#include "simexit/testing/store_contract/ledger_contract.hpp"
#include "simexit/testing/store_contract/lines_contract.hpp"
#include "simexit/testing/store_contract/number_recycling_contract.hpp"
#include "simexit/testing/store_contract/operators_contract.hpp"
#include "simexit/testing/store_contract/reactivations_contract.hpp"
#include "simexit/testing/store_contract/sms_contract.hpp"
#include "simexit/testing/store_contract/staff_contract.hpp"
#include "simexit/testing/store_contract/terminations_contract.hpp"
#include "simexit/testing/store_contract/transactions_contract.hpp"
