// Reactivations in the console through the router (no sockets), over the real
// services on the in-memory SQLite store with the worker's steps: a closed
// number given back at the counter from its line's card, with each problem
// next to its field; a posted application decided by a second person (four
// eyes, a rejection needs its reason); another operator's not found.

#include <gtest/gtest.h>

#include "simexit/service/reactivation_service.hpp"
#include "simexit/service/staff_service.hpp"
#include "simexit/service/termination_test_fixture.hpp"
#include "simexit/service/upload_service.hpp"
#include "simexit/web/pages.hpp"
#include "simexit/web/test_browser.hpp"

namespace simexit::web {
namespace {

using testing::Browser;
using testing::Location;

constexpr const char* kPassword = "correct horse battery";
constexpr const char* kLine = "+77011234567";  // kcell, physical SIM, refund due
constexpr const char* kLineQuery = "%2B77011234567";
constexpr const char* kNewImsi = "001010000000091";
// The former holder's document as the counter types it.
constexpr const char* kDocument =
    "document_kind=iin&document_number=900101300017&document_full_name=Testov+Test";

std::string NewIccid() {
  const std::string body = "8977010000000099001";
  return body + Iccid::LuhnDigit(body);
}

class ConsoleReactivationsTest : public ChannelTest {
 protected:
  ConsoleReactivationsTest()
      : staff_(ctx_),
        uploads_(ctx_, blobs_, 1 << 20),
        reactivations_(ctx_),
        services_{auth_, terminations_, operators_, staff_, uploads_, world_.signer},
        router_(api::BuildRouter(services_)) {
    AddConsoleReactivationPages(router_, services_, reactivations_);
    for (const auto& [name, role] : {std::pair{"kcell.store", StaffRole::kAgentStore},
                                     std::pair{"kcell.office1", StaffRole::kBackOffice},
                                     std::pair{"kcell.office2", StaffRole::kBackOffice},
                                     std::pair{"kcell.phone", StaffRole::kAgentPhone}}) {
      EXPECT_TRUE(
          staff_.AddStaff(Caller::System("cli"), "kcell", NewStaff{name, name, role, kPassword}));
    }
    EXPECT_TRUE(staff_.AddStaff(
        Caller::System("cli"), "beeline",
        NewStaff{"beeline.store", "Beeline store", StaffRole::kAgentStore, kPassword}));
  }

  // Closes kLine online and runs the workflow to the end: it rests in quarantine.
  void CloseLine() {
    ASSERT_TRUE(terminations_.Create(SignIn(kLine), OnlineRequest(kLine), std::nullopt));
    RunJobs();
    ASSERT_EQ(LineOf(kLine).status, LineStatus::kQuarantined);
  }

  Browser SignedIn(const std::string& username) {
    Browser b{&router_, {}, ""};
    EXPECT_EQ(b.Call("GET", "/console?lang=en").status, 200u);
    EXPECT_EQ(
        b.Call("POST", "/console/sign-in",
               "csrf=" + b.Csrf() + "&username=" + username + "&password=correct+horse+battery")
            .status,
        303u);
    EXPECT_EQ(b.Call("GET", "/console").status, 200u);  // a page with the signed-in CSRF token
    return b;
  }

  std::vector<ReactivationRecord> Reactivations() {
    return reactivations_.List(Caller::Admin(0), std::nullopt, 100).value();
  }

  StaffService staff_;
  testing::MemoryBlobStore blobs_;
  UploadService uploads_;
  ReactivationService reactivations_;
  api::ApiServices services_;
  api::Router router_;
};

TEST_F(ConsoleReactivationsTest, AStoreAgentGivesTheNumberBackFromTheLineCard) {
  CloseLine();
  Browser store = SignedIn("kcell.store");
  ASSERT_EQ(store.Call("GET", std::string("/console/lines?msisdn=") + kLineQuery).status, 200u);
  ASSERT_TRUE(store.Shows("id=\"reactivate\" href=\"/console/reactivations/new?msisdn=" +
                          std::string(kLineQuery) + "\""))
      << store.page;
  ASSERT_EQ(
      store.Call("GET", std::string("/console/reactivations/new?msisdn=") + kLineQuery).status,
      200u);
  EXPECT_TRUE(store.Shows("id=\"reactivation\""));
  EXPECT_TRUE(store.Shows("value=\"store\" checked"));
  EXPECT_FALSE(store.Shows("value=\"mail\""));  // a store agent takes no posted applications

  const std::string base = std::string("msisdn=") + kLineQuery + "&channel=store&" + kDocument;
  // A physical line needs a new SIM: the problem next to its field, nothing opened.
  EXPECT_EQ(store.Post("/console/reactivations", base), "400");
  EXPECT_TRUE(store.Shows("id=\"iccid-error\" data-code=\"sim_required\"")) << store.page;
  EXPECT_EQ(store.Post("/console/reactivations", base + "&iccid=8977&imsi=" + kNewImsi), "400");
  EXPECT_TRUE(store.Shows("id=\"iccid-error\" data-code=\"invalid_iccid\"")) << store.page;
  // Someone else's document.
  EXPECT_EQ(store.Post("/console/reactivations",
                       std::string("msisdn=") + kLineQuery +
                           "&channel=store&document_kind=iin&document_number=900101300017"
                           "&document_full_name=Ivanova+Olga&iccid=" +
                           NewIccid() + "&imsi=" + kNewImsi),
            "400");
  EXPECT_TRUE(store.Shows("data-code=\"document_mismatch\"")) << store.page;
  EXPECT_TRUE(Reactivations().empty());

  api::HttpResponse opened =
      store.Call("POST", "/console/reactivations",
                 "csrf=" + store.Csrf() + "&" + base + "&iccid=" + NewIccid() +
                     "&imsi=" + kNewImsi + "&attempt=abc123");
  ASSERT_EQ(opened.status, 303u) << opened.body;
  ASSERT_EQ(Reactivations().size(), 1u);
  const ReactivationRecord r = Reactivations().front();
  EXPECT_EQ(Location(opened), "/console/reactivations/" + r.id);
  EXPECT_EQ(r.channel, Channel::kStore);
  // The same form sent again (a second click) opens nothing new.
  EXPECT_EQ(store
                .Call("POST", "/console/reactivations",
                      "csrf=" + store.Csrf() + "&" + base + "&iccid=" + NewIccid() +
                          "&imsi=" + kNewImsi + "&attempt=abc123")
                .status,
            303u);
  EXPECT_EQ(Reactivations().size(), 1u);

  RunJobs();
  ASSERT_EQ(store.Call("GET", Location(opened)).status, 200u);
  EXPECT_TRUE(store.Shows("data-state=\"reactivated\"")) << store.page;
  EXPECT_TRUE(store.Shows("Active again"));
  EXPECT_TRUE(store.Shows("Subscriber created in the HLR again"));
  EXPECT_TRUE(store.Shows("new SIM …" + NewIccid().substr(NewIccid().size() - 4)));
  EXPECT_FALSE(store.Shows(NewIccid()));
  EXPECT_FALSE(store.Shows(kNewImsi));
  EXPECT_FALSE(store.Shows("id=\"review\""));  // decided at the counter
  EXPECT_EQ(LineOf(kLine).status, LineStatus::kActive);
  // The list has it; the line card no longer offers it.
  ASSERT_EQ(store.Call("GET", "/console/reactivations").status, 200u);
  EXPECT_TRUE(store.Shows("data-id=\"" + r.id + "\" data-state=\"reactivated\""));
  store.Call("GET", std::string("/console/lines?msisdn=") + kLineQuery);
  EXPECT_FALSE(store.Shows("id=\"reactivate\""));
}

TEST_F(ConsoleReactivationsTest, APostedApplicationIsDecidedBySomeoneElseWithAReason) {
  CloseLine();
  Browser clerk = SignedIn("kcell.office1");
  clerk.Call("GET", std::string("/console/reactivations/new?msisdn=") + kLineQuery);
  const std::string fields = std::string("msisdn=") + kLineQuery + "&channel=mail&" + kDocument +
                             "&iccid=" + NewIccid() + "&imsi=" + kNewImsi;
  EXPECT_EQ(clerk.Post("/console/reactivations", fields), "400");
  EXPECT_TRUE(clerk.Shows("id=\"postmarked_on-error\" data-code=\"postmark_required\""))
      << clerk.page;
  api::HttpResponse opened = clerk.Call("POST", "/console/reactivations",
                                        "csrf=" + clerk.Csrf() + "&" + fields + "&postmarked_on=" +
                                            FormatRfc3339(clock_.Now()).substr(0, 10));
  ASSERT_EQ(opened.status, 303u) << opened.body;
  const std::string path = Location(opened);

  // Four eyes: the clerk who registered it is told, and refused.
  clerk.Call("GET", path);
  EXPECT_TRUE(clerk.Shows("data-state=\"pending_review\""));
  EXPECT_TRUE(clerk.Shows("id=\"four-eyes\""));
  EXPECT_EQ(clerk.Post(path + "/decision", "decision=approve"), "409");
  EXPECT_TRUE(clerk.Shows("data-code=\"review_own_request\"")) << clerk.page;

  Browser other = SignedIn("kcell.office2");
  other.Call("GET", "/console/reactivations?state=pending_review");
  EXPECT_TRUE(other.Shows("data-state=\"pending_review\""));
  other.Call("GET", path);
  EXPECT_FALSE(other.Shows("id=\"four-eyes\""));
  EXPECT_EQ(other.Post(path + "/decision", "decision=reject&reason="), "400");
  EXPECT_TRUE(other.Shows("id=\"reason-error\" data-code=\"reason_required\"")) << other.page;
  EXPECT_EQ(Reactivations().front().state, ReactivationState::kPendingReview);
  EXPECT_EQ(other.Post(path + "/decision", "decision=reject&reason=the+signature+differs"), "303");
  other.Call("GET", path);
  EXPECT_TRUE(other.Shows("data-state=\"rejected\""));
  EXPECT_TRUE(other.Shows("the signature differs"));
  EXPECT_EQ(LineOf(kLine).status, LineStatus::kQuarantined);
}

TEST_F(ConsoleReactivationsTest, WhatEachRoleAndOperatorMaySee) {
  CloseLine();
  Browser store = SignedIn("kcell.store");
  ASSERT_EQ(store
                .Call("POST", "/console/reactivations",
                      "csrf=" + store.Csrf() + "&msisdn=" + kLineQuery + "&channel=store&" +
                          kDocument + "&iccid=" + NewIccid() + "&imsi=" + kNewImsi)
                .status,
            303u);
  const std::string path = "/console/reactivations/" + Reactivations().front().id;

  // Another operator's staff: not found, the number not shown.
  Browser beeline = SignedIn("beeline.store");
  EXPECT_EQ(beeline.Call("GET", path).status, 404u);
  EXPECT_TRUE(beeline.Shows("data-code=\"reactivation_not_found\""));
  EXPECT_FALSE(beeline.Shows(kLine));
  beeline.Call("GET", "/console/reactivations");
  EXPECT_TRUE(beeline.Shows("id=\"reactivations-empty\""));
  EXPECT_EQ(
      beeline.Call("GET", std::string("/console/reactivations/new?msisdn=") + kLineQuery).status,
      404u);
  EXPECT_FALSE(beeline.Shows("id=\"reactivation\""));

  // A call-centre agent opens no reactivations: no link, and the form says so.
  Browser phone = SignedIn("kcell.phone");
  phone.Call("GET", "/console");
  EXPECT_FALSE(phone.Shows("href=\"/console/reactivations\""));
  EXPECT_EQ(
      phone.Call("GET", std::string("/console/reactivations/new?msisdn=") + kLineQuery).status,
      403u);
  EXPECT_TRUE(phone.Shows("data-code=\"insufficient_role\""));
  EXPECT_EQ(phone.Post("/console/reactivations",
                       std::string("msisdn=") + kLineQuery + "&channel=store&" + kDocument),
            "403");
  EXPECT_EQ(Reactivations().size(), 1u);
}

}  // namespace
}  // namespace simexit::web
