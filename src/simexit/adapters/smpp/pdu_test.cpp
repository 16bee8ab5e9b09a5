#include "simexit/adapters/smpp/pdu.hpp"

#include <gtest/gtest.h>

#include "simexit/testing/test_bytes.hpp"

namespace simexit::smpp {
namespace {

using testing::Cat;
using testing::Hex;
using testing::Str;

Pdu Frame(const std::vector<std::uint8_t>& bytes) {
  auto pdu = DecodeFrame(bytes);
  EXPECT_TRUE(pdu) << (pdu ? "" : pdu.error().message);
  return pdu ? *pdu : Pdu{};
}

// The submit_sm osmo-msc 1.9.0 accepted in the lab (NOTES.md wire example).
const std::vector<std::uint8_t> kOtpSubmit = Cat(
    {Hex("00000045 00000004 00000000 00000004"), Hex("00 00 01"), Str("12345", true), Hex("01 01"),
     Str("4915100000101", true), Hex("00 00 00 00 00 00 00 00 00 12"), Str("Your OTP is 123456")});

TEST(Pdu, SubmitSmMatchesTheOsmoMscWireExample) {
  ShortMessage m;
  m.source = {0, 1, "12345"};
  m.destination = {1, 1, "4915100000101"};
  m.short_message = Str("Your OTP is 123456");
  const auto bytes = EncodeShortMessage(command::kSubmitSm, 4, m);
  EXPECT_EQ(bytes, kOtpSubmit);
  EXPECT_EQ(bytes.size(), 0x45u);

  auto decoded = DecodeShortMessage(Frame(kOtpSubmit));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->source, (Address{0, 1, "12345"}));
  EXPECT_EQ(decoded->destination, (Address{1, 1, "4915100000101"}));
  EXPECT_EQ(decoded->short_message, Str("Your OTP is 123456"));
  EXPECT_TRUE(decoded->tlvs.empty());
}

TEST(Pdu, SubmitSmWithUdhAndUserMessageReference) {
  ShortMessage m;
  m.source = {5, 0, "simexit"};
  m.destination = {1, 1, "77011234567"};
  m.esm_class = kEsmClassUdhi;
  m.registered_delivery = 1;
  m.data_coding = 8;
  m.short_message = Hex("05 00 03 2A 02 01 04 D9");
  m.tlvs = {Uint16Tlv(tlv::kUserMessageReference, 0x1234)};
  const auto expected =
      Cat({Hex("00000041 00000004 00000000 0000002A"), Hex("00 05 00"), Str("simexit", true),
           Hex("01 01"), Str("77011234567", true), Hex("40 00 00 00 00 01 00 08 00 08"),
           Hex("05 00 03 2A 02 01 04 D9"), Hex("0204 0002 1234")});
  EXPECT_EQ(EncodeShortMessage(command::kSubmitSm, 0x2A, m), expected);
  auto decoded = DecodeShortMessage(Frame(expected));
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->tlvs.size(), 1u);
  EXPECT_EQ(TlvUint(decoded->tlvs[0]), 0x1234);
  EXPECT_EQ(decoded->esm_class, 0x40);
  EXPECT_EQ(decoded->data_coding, 8);
}

TEST(Pdu, MessagePayloadTlvFillsAnEmptyShortMessage) {
  ShortMessage m;
  m.destination = {1, 1, "1"};
  m.tlvs = {Tlv{tlv::kMessagePayload, Str("long text")}};
  auto decoded = DecodeShortMessage(Frame(EncodeShortMessage(command::kSubmitSm, 1, m)));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->short_message, Str("long text"));
}

TEST(Pdu, SubmitSmRespCarriesTheMessageId) {
  const auto wire =
      Cat({Hex("00000027 80000004 00000000 00000004"), Str("msg_id_not_implemented", true)});
  EXPECT_EQ(EncodeIdResponse(command::kSubmitSmResp, 0, 4, "msg_id_not_implemented"), wire);
  auto id = DecodeIdResponse(Frame(wire));
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "msg_id_not_implemented");
  // An error response may have no body.
  auto empty = DecodeIdResponse(Frame(Hex("00000010 80000004 00000058 00000005")));
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");
}

TEST(Pdu, BindTransceiverByteForByte) {
  Bind b;
  b.system_id = "deregsvc";
  b.password = "secret";
  const auto wire = Cat({Hex("00000025 00000009 00000000 00000001"), Str("deregsvc", true),
                         Str("secret", true), Hex("00 34 00 00 00")});
  EXPECT_EQ(EncodeBind(command::kBindTransceiver, 1, b), wire);
  auto decoded = DecodeBind(Frame(wire));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->system_id, "deregsvc");
  EXPECT_EQ(decoded->password, "secret");
  EXPECT_EQ(decoded->interface_version, 0x34);
}

TEST(Pdu, BindRespOkAndRejected) {
  EXPECT_EQ(EncodeIdResponse(command::kBindTransceiverResp, 0, 1, ""),
            Hex("00000011 80000009 00000000 00000001 00"));
  // osmo-msc's rejection has no body.
  EXPECT_EQ(EncodeIdResponse(command::kBindTransceiverResp, status::kInvPaswd, 1, "x"),
            Hex("00000010 80000009 0000000E 00000001"));
}

TEST(Pdu, HeaderOnlyPdus) {
  EXPECT_EQ(EncodeHeaderOnly(command::kEnquireLink, 0, 7),
            Hex("00000010 00000015 00000000 00000007"));
  EXPECT_EQ(EncodeHeaderOnly(command::kEnquireLinkResp, 0, 7),
            Hex("00000010 80000015 00000000 00000007"));
  EXPECT_EQ(EncodeHeaderOnly(command::kUnbind, 0, 9), Hex("00000010 00000006 00000000 00000009"));
  EXPECT_EQ(EncodeHeaderOnly(command::kUnbindResp, 0, 9),
            Hex("00000010 80000006 00000000 00000009"));
  EXPECT_EQ(EncodeHeaderOnly(command::kGenericNack, status::kInvCmdId, 3),
            Hex("00000010 80000000 00000003 00000003"));
  EXPECT_EQ(EncodeIdResponse(command::kDeliverSmResp, 0, 3, ""),
            Hex("00000011 80000005 00000000 00000003 00"));
}

// A receipt as osmo-msc 1.9.0 sends it (NOTES.md "Delivery receipts").
const std::string kReceiptText =
    "id:00000001 sub:000 dlvrd:000 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD "
    "err:000 text:";

TEST(Pdu, DeliverSmReceiptFromOsmoMsc) {
  const auto wire =
      Cat({Hex("000000A0 00000005 00000000 00000011"), Str("CMT", true), Hex("03 01"),
           Str("77011234567", true), Hex("05 00"), Str("simexit", true),
           Hex("04 00 00 00 00 00 00 02 00"), Hex("64"), Str(kReceiptText), Hex("0204 0002 0034")});
  ASSERT_EQ(wire.size(), 0xA0u);
  auto m = DecodeShortMessage(Frame(wire));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->service_type, "CMT");
  EXPECT_EQ(m->source, (Address{3, 1, "77011234567"}));
  EXPECT_EQ(m->destination, (Address{5, 0, "simexit"}));
  EXPECT_EQ(m->esm_class & kEsmClassTypeMask, kEsmClassDeliveryReceipt);
  EXPECT_EQ(m->data_coding, 2);
  const Tlv* umr = FindTlv(m->tlvs, tlv::kUserMessageReference);
  ASSERT_NE(umr, nullptr);
  EXPECT_EQ(TlvUint(*umr), 0x34);

  ShortMessage same = *m;
  EXPECT_EQ(EncodeShortMessage(command::kDeliverSm, 0x11, same), wire);

  auto r = ParseReceiptText(std::string(m->short_message.begin(), m->short_message.end()));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "00000001");
  EXPECT_EQ(r->sub, "000");
  EXPECT_EQ(r->dlvrd, "000");
  EXPECT_EQ(r->submit_date, "YYMMDDhhmm");
  EXPECT_EQ(r->done_date, "YYMMDDhhmm");
  EXPECT_EQ(r->stat, "DELIVRD");
  EXPECT_EQ(r->err, "000");
  EXPECT_EQ(r->text, "");
}

TEST(Pdu, DeliverSmWithReceiptTlvs) {
  ShortMessage m;
  m.esm_class = 0x04;
  m.source = {1, 1, "77011234567"};
  m.short_message = Str("id:abc stat:UNDELIV err:001");
  m.tlvs = {Tlv{tlv::kReceiptedMessageId, Str("9F00AA", true)}, Tlv{tlv::kMessageState, {5}}};
  auto d = DecodeShortMessage(Frame(EncodeShortMessage(command::kDeliverSm, 2, m)));
  ASSERT_TRUE(d);
  const Tlv* id = FindTlv(d->tlvs, tlv::kReceiptedMessageId);
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->value, Str("9F00AA", true));
  const Tlv* state = FindTlv(d->tlvs, tlv::kMessageState);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(MessageStateName(state->value[0]), "UNDELIV");
}

TEST(Receipt, ParsesFieldsAnywhereAndTextToTheEnd) {
  auto r = ParseReceiptText(
      "id:42 sub:001 dlvrd:001 submit date:2611250412 done date:2611250413 "
      "stat:EXPIRED err:027 text:Your code is");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "42");
  EXPECT_EQ(r->submit_date, "2611250412");
  EXPECT_EQ(r->done_date, "2611250413");
  EXPECT_EQ(r->stat, "EXPIRED");
  EXPECT_EQ(r->err, "027");
  EXPECT_EQ(r->text, "Your code is");
  auto minimal = ParseReceiptText("stat:REJECTD");
  ASSERT_TRUE(minimal);
  EXPECT_EQ(minimal->id, "");
  EXPECT_EQ(minimal->stat, "REJECTD");
  EXPECT_FALSE(ParseReceiptText("hello there"));
}

TEST(Pdu, AlertNotification) {
  AlertNotification a;
  a.source = {1, 1, "77011234567"};
  a.esme = {0, 0, "simexit"};
  a.ms_availability_status = 0;
  const auto wire =
      Cat({Hex("0000002D 00000102 00000000 00000005"), Hex("01 01"), Str("77011234567", true),
           Hex("00 00"), Str("simexit", true), Hex("0422 0001 00")});
  EXPECT_EQ(EncodeAlertNotification(5, a), wire);
  auto d = DecodeAlertNotification(Frame(wire));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->source.addr, "77011234567");
  EXPECT_EQ(d->ms_availability_status, 0);
}

TEST(Pdu, MalformedBodiesAreErrors) {
  // sm_length 0x20 runs past the end.
  auto bad = Cat({Hex("00000021 00000004 00000000 00000001"), Hex("00 00 00 00 00 00 00"),
                  Hex("00 00 00 00 00 00 00 00 00 20 41")});
  bad[3] = static_cast<std::uint8_t>(bad.size());
  auto r = DecodeShortMessage(Frame(bad));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problem_code, "smpp_malformed_pdu");
  // C-Octet String without NUL.
  auto nonul = Cat({Hex("00000013 00000009 00000000 00000001"), Str("abc")});
  EXPECT_EQ(DecodeBind(Frame(nonul)).error().problem_code, "smpp_malformed_pdu");
  // system_id longer than 15.
  Bind b;
  b.system_id = "0123456789abcdefg";
  EXPECT_EQ(DecodeBind(Frame(EncodeBind(command::kBindTransceiver, 1, b))).error().problem_code,
            "smpp_malformed_pdu");
  // Truncated TLV.
  ShortMessage m;
  auto tlv = EncodeShortMessage(command::kSubmitSm, 1, m);
  tlv.insert(tlv.end(), {0x02, 0x04, 0x00, 0x02, 0x12});
  tlv[3] = static_cast<std::uint8_t>(tlv.size());
  EXPECT_EQ(DecodeShortMessage(Frame(tlv)).error().problem_code, "smpp_malformed_pdu");
  // Wrong command.
  EXPECT_EQ(
      DecodeShortMessage(Frame(EncodeHeaderOnly(command::kUnbind, 0, 1))).error().problem_code,
      "smpp_malformed_pdu");
  // Frame length mismatch.
  EXPECT_FALSE(DecodeFrame(Hex("00000011 00000015 00000000 00000007")));
}

TEST(StreamDecoder, ByteByByteAndConcatenated) {
  const auto enquire = EncodeHeaderOnly(command::kEnquireLink, 0, 1);
  auto stream = Cat({kOtpSubmit, enquire, kOtpSubmit});
  PduStreamDecoder decoder;
  std::vector<Pdu> got;
  for (std::uint8_t byte : stream) {
    decoder.Feed(std::span<const std::uint8_t>(&byte, 1));
    auto next = decoder.Next();
    ASSERT_TRUE(next);
    if (*next) {
      got.push_back(std::move(**next));
      ASSERT_FALSE(*decoder.Next());
    }
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].header.command_id, command::kSubmitSm);
  EXPECT_EQ(got[0].header.sequence_number, 4u);
  EXPECT_EQ(got[1].header.command_id, command::kEnquireLink);
  EXPECT_EQ(got[2].body.size(), 0x45u - 16u);
  EXPECT_EQ(decoder.buffered(), 0u);

  // All at once, then in two uneven chunks.
  PduStreamDecoder all;
  all.Feed(stream);
  int count = 0;
  while (true) {
    auto next = all.Next();
    ASSERT_TRUE(next);
    if (!*next) {
      break;
    }
    ++count;
  }
  EXPECT_EQ(count, 3);

  PduStreamDecoder split;
  split.Feed(std::span(stream).first(70));
  auto first = split.Next();
  ASSERT_TRUE(first && *first);
  EXPECT_FALSE(*split.Next());
  split.Feed(std::span(stream).subspan(70));
  auto second = split.Next();
  ASSERT_TRUE(second && *second);
  EXPECT_EQ((*second)->header.command_id, command::kEnquireLink);
}

TEST(StreamDecoder, BadLengthIsAStickyError) {
  PduStreamDecoder tiny(64);
  tiny.Feed(kOtpSubmit);  // 69 > 64
  auto r = tiny.Next();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problem_code, "smpp_bad_frame_length");
  tiny.Feed(EncodeHeaderOnly(command::kEnquireLink, 0, 1));
  EXPECT_FALSE(tiny.Next());

  PduStreamDecoder short_length;
  short_length.Feed(Hex("0000000F 00000015 00000000 00000001"));
  EXPECT_EQ(short_length.Next().error().problem_code, "smpp_bad_frame_length");
}

struct StatusCase {
  std::uint32_t value;
  const char* name;
  StatusClass klass;
};

TEST(CommandStatus, EveryCodeHasANameAndAClass) {
  using S = StatusClass;
  const StatusCase cases[] = {
      {0x00, "ESME_ROK", S::kOk},
      {0x01, "ESME_RINVMSGLEN", S::kPermanent},
      {0x02, "ESME_RINVCMDLEN", S::kPermanent},
      {0x03, "ESME_RINVCMDID", S::kPermanent},
      {0x04, "ESME_RINVBNDSTS", S::kRetry},
      {0x05, "ESME_RALYBND", S::kRetry},
      {0x06, "ESME_RINVPRTFLG", S::kPermanent},
      {0x07, "ESME_RINVREGDLVFLG", S::kPermanent},
      {0x08, "ESME_RSYSERR", S::kRetry},
      {0x0A, "ESME_RINVSRCADR", S::kPermanent},
      {0x0B, "ESME_RINVDSTADR", S::kPermanent},
      {0x0C, "ESME_RINVMSGID", S::kPermanent},
      {0x0D, "ESME_RBINDFAIL", S::kBindRejected},
      {0x0E, "ESME_RINVPASWD", S::kBindRejected},
      {0x0F, "ESME_RINVSYSID", S::kBindRejected},
      {0x11, "ESME_RCANCELFAIL", S::kPermanent},
      {0x13, "ESME_RREPLACEFAIL", S::kPermanent},
      {0x14, "ESME_RMSGQFUL", S::kRetry},
      {0x15, "ESME_RINVSERTYP", S::kPermanent},
      {0x33, "ESME_RINVNUMDESTS", S::kPermanent},
      {0x34, "ESME_RINVDLNAME", S::kPermanent},
      {0x40, "ESME_RINVDESTFLAG", S::kPermanent},
      {0x42, "ESME_RINVSUBREP", S::kPermanent},
      {0x43, "ESME_RINVESMCLASS", S::kPermanent},
      {0x44, "ESME_RCNTSUBDL", S::kPermanent},
      {0x45, "ESME_RSUBMITFAIL", S::kRetry},
      {0x48, "ESME_RINVSRCTON", S::kPermanent},
      {0x49, "ESME_RINVSRCNPI", S::kPermanent},
      {0x50, "ESME_RINVDSTTON", S::kPermanent},
      {0x51, "ESME_RINVDSTNPI", S::kPermanent},
      {0x53, "ESME_RINVSYSTYP", S::kBindRejected},
      {0x54, "ESME_RINVREPFLAG", S::kPermanent},
      {0x55, "ESME_RINVNUMMSGS", S::kPermanent},
      {0x58, "ESME_RTHROTTLED", S::kRetry},
      {0x61, "ESME_RINVSCHED", S::kPermanent},
      {0x62, "ESME_RINVEXPIRY", S::kPermanent},
      {0x63, "ESME_RINVDFTMSGID", S::kPermanent},
      {0x64, "ESME_RX_T_APPN", S::kRetry},
      {0x65, "ESME_RX_P_APPN", S::kPermanent},
      {0x66, "ESME_RX_R_APPN", S::kPermanent},
      {0x67, "ESME_RQUERYFAIL", S::kPermanent},
      {0xC0, "ESME_RINVOPTPARSTREAM", S::kPermanent},
      {0xC1, "ESME_ROPTPARNOTALLWD", S::kPermanent},
      {0xC2, "ESME_RINVPARLEN", S::kPermanent},
      {0xC3, "ESME_RMISSINGOPTPARAM", S::kPermanent},
      {0xC4, "ESME_RINVOPTPARAMVAL", S::kPermanent},
      {0xFE, "ESME_RDELIVERYFAILURE", S::kRetry},
      {0xFF, "ESME_RUNKNOWNERR", S::kPermanent},
      {0x0401, "SMSC_VENDOR_0x00000401", S::kPermanent},
      {0x09, "0x00000009", S::kPermanent},
      {0x12345678, "0x12345678", S::kPermanent},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CommandStatusName(c.value), c.name) << c.value;
    EXPECT_EQ(ClassifyStatus(c.value), c.klass) << c.name;
  }
  EXPECT_EQ(DescribeCommandStatus(0x0E), "ESME_RINVPASWD (invalid password)");
  EXPECT_EQ(DescribeCommandStatus(0xFF), "ESME_RUNKNOWNERR (unknown error)");
}

}  // namespace
}  // namespace simexit::smpp
