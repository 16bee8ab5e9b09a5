#pragma once
// Store contract: EvidenceRepository: document checks, powers of attorney, uploads,
// confirmations. Part of the suite in store_contract.hpp; include that header, not this one.

#include "simexit/testing/store_contract/fixture.hpp"

namespace simexit::testing {

TEST_P(StoreContractTest, DocumentChecksRoundTripAndListByTermination) {
  TerminationRecord t = SeedTermination("trm_docs", "0001");
  TerminationRecord other = SeedTermination("trm_other", "0002");
  DocumentCheckRecord attorney = SampleDocument("doc_000000000000000000000002", t, "attorney");
  attorney.checked_at = 1'700'001'500;
  DocumentCheckRecord holder = SampleDocument("doc_000000000000000000000001", t, "holder");
  holder.kind = DocumentKind::kIin;
  holder.number = "900101300123";
  holder.country = "KAZ";
  holder.birth_date.reset();
  holder.expiry_date.reset();
  holder.mrz_checked = false;
  holder.checked_at = 1'700'001'000;
  DocumentCheckRecord elsewhere = SampleDocument("doc_000000000000000000000003", other, "holder");
  elsewhere.kind = DocumentKind::kIdCard;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertDocumentCheck(attorney));
    Must(tx.InsertDocumentCheck(holder));
    Must(tx.InsertDocumentCheck(elsewhere));
    return {};
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetDocumentCheck(holder.id); }), holder);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetDocumentCheck(attorney.id); }), attorney);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetDocumentCheck(elsewhere.id); }), elsewhere);

  std::vector<DocumentCheckRecord> list =
      Tx([&](StoreTx& tx) { return tx.ListDocumentChecks(t.id); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, holder.id);  // checked first
  EXPECT_EQ(list[1].id, attorney.id);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.ListDocumentChecks(other.id); }).size(), 1u);
  EXPECT_TRUE(Tx([](StoreTx& tx) { return tx.ListDocumentChecks("trm_none"); }).empty());

  Error missing = TxError([](StoreTx& tx) { return tx.GetDocumentCheck("doc_missing"); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.problem_code, "document_not_found");
  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertDocumentCheck(holder); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");
}

TEST_P(StoreContractTest, OnePowerOfAttorneyPerTermination) {
  TerminationRecord t = SeedTermination("trm_proxy", "0001");
  TerminationRecord other = SeedTermination("trm_proxy2", "0002");
  DocumentCheckRecord attorney = SampleDocument("doc_000000000000000000000009", t, "attorney");
  TxDo([&](StoreTx& tx) { return tx.InsertDocumentCheck(attorney); });
  PowerOfAttorneyRecord poa;
  poa.termination_id = t.id;
  poa.operator_id = t.operator_id;
  poa.number = "POA-77/2026";
  poa.issued_on = CivilDate{2026, 1, 15};
  poa.valid_until = CivilDate{2027, 1, 14};
  poa.issuer = "Notary A. B. Cde, Almaty";
  poa.principal_document = "900101300123";
  poa.scope = {"termination", "refund \"to\" card"};
  poa.attorney_document_id = attorney.id;
  poa.created_at = 1'700'003'000;
  TxDo([&](StoreTx& tx) { return tx.InsertPowerOfAttorney(poa); });
  std::optional<PowerOfAttorneyRecord> got =
      Tx([&](StoreTx& tx) { return tx.FindPowerOfAttorney(t.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, poa);

  // Without an attorney document and with an empty scope.
  PowerOfAttorneyRecord bare = poa;
  bare.termination_id = other.id;
  bare.scope.clear();
  bare.attorney_document_id = "";
  TxDo([&](StoreTx& tx) { return tx.InsertPowerOfAttorney(bare); });
  got = Tx([&](StoreTx& tx) { return tx.FindPowerOfAttorney(other.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->scope.empty());
  EXPECT_EQ(got->attorney_document_id, "");

  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindPowerOfAttorney("trm_none"); }).has_value());
  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertPowerOfAttorney(poa); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");
}

TEST_P(StoreContractTest, UploadsAttachToATerminationAndListByIt) {
  TerminationRecord t = SeedTermination("trm_mail", "0001");
  UploadRecord scan = SampleUpload("upl_000000000000000000000001", t.operator_id);
  UploadRecord photo = SampleUpload("upl_000000000000000000000002", t.operator_id);
  photo.content_type = "image/jpeg";
  photo.file_name = "passport.jpg";
  photo.created_at = scan.created_at + 10;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.InsertUpload(photo));
    Must(tx.InsertUpload(scan));
    return {};
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetUpload(scan.id); }), scan);
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetUpload(scan.id); }).termination_id, "");
  EXPECT_TRUE(Tx([&](StoreTx& tx) { return tx.ListUploads(t.id); }).empty());

  scan.termination_id = t.id;
  photo.termination_id = t.id;
  TxDo([&](StoreTx& tx) -> Result<void> {
    Must(tx.UpdateUpload(scan));
    Must(tx.UpdateUpload(photo));
    return {};
  });
  EXPECT_EQ(Tx([&](StoreTx& tx) { return tx.GetUpload(scan.id); }), scan);
  std::vector<UploadRecord> list = Tx([&](StoreTx& tx) { return tx.ListUploads(t.id); });
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0], scan);  // uploaded first
  EXPECT_EQ(list[1], photo);

  Error missing = TxError([](StoreTx& tx) { return tx.GetUpload("upl_missing"); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.problem_code, "upload_not_found");
  UploadRecord ghost = scan;
  ghost.id = "upl_missing";
  Error update = TxDoError([&](StoreTx& tx) { return tx.UpdateUpload(ghost); });
  EXPECT_EQ(update.code, ErrorCode::kNotFound);
  EXPECT_EQ(update.problem_code, "upload_not_found");
  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertUpload(scan); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");
}

TEST_P(StoreContractTest, OneConfirmationPerTerminationFoundByLink) {
  TerminationRecord t = SeedTermination("trm_phone", "0001");
  TerminationRecord other = SeedTermination("trm_phone2", "0002");
  ConfirmationRecord c{.termination_id = t.id,
                       .code_hash = "codehash",
                       .salt = "5a17",
                       .link_token_hash = "linkhash",
                       .created_at = 100,
                       .expires_at = 1000,
                       .attempts = 0,
                       .max_attempts = 3,
                       .confirmed_at = std::nullopt};
  TxDo([&](StoreTx& tx) { return tx.InsertConfirmation(c); });
  std::optional<ConfirmationRecord> got =
      Tx([&](StoreTx& tx) { return tx.FindConfirmation(t.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, c);
  got = Tx([](StoreTx& tx) { return tx.FindConfirmationByLink("linkhash"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, c);
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindConfirmationByLink("other"); }).has_value());
  EXPECT_FALSE(Tx([](StoreTx& tx) { return tx.FindConfirmation("trm_none"); }).has_value());

  c.attempts = 2;
  c.code_hash = "newcode";
  c.salt = "beef";
  c.expires_at = 2000;
  c.confirmed_at = 150;
  TxDo([&](StoreTx& tx) { return tx.UpdateConfirmation(c); });
  EXPECT_EQ(*Tx([&](StoreTx& tx) { return tx.FindConfirmation(t.id); }), c);

  Error dup = TxDoError([&](StoreTx& tx) { return tx.InsertConfirmation(c); });
  EXPECT_EQ(dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.problem_code, "duplicate");
  ConfirmationRecord same_link = c;
  same_link.termination_id = other.id;
  Error link_dup = TxDoError([&](StoreTx& tx) { return tx.InsertConfirmation(same_link); });
  EXPECT_EQ(link_dup.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(link_dup.problem_code, "duplicate");
  ConfirmationRecord ghost = c;
  ghost.termination_id = "trm_none";
  Error missing = TxDoError([&](StoreTx& tx) { return tx.UpdateConfirmation(ghost); });
  EXPECT_EQ(missing.code, ErrorCode::kNotFound);
}

}  // namespace simexit::testing
