// The upload routes through the router, on the real services and SQLite store
// (in memory) with blobs in memory.

#include <gtest/gtest.h>

#include <array>
#include <boost/json/parse.hpp>

#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/testing/fakes.hpp"
#include "simexit/testing/service_world.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

const std::string kPdf = "%PDF-1.7\n1 0 obj\n<< >>\nendobj\n%%EOF\n";
const std::string kAdminKey = "sk_admin_test_key_123";

class UploadRoutesTest : public ::testing::Test {
 protected:
  UploadRoutesTest()
      : auth_(ctx_, HashHex(kAdminKey)),
        terminations_(ctx_),
        operators_(ctx_),
        staff_(ctx_),
        uploads_(ctx_, blobs_, 1024),
        services_{auth_, terminations_, operators_, staff_, uploads_, signer_},
        router_(BuildRouter(services_)) {
    EXPECT_TRUE(world_.migrated);
    kcell_key_ = KeyFor("kcell");
    beeline_key_ = KeyFor("beeline");
  }

  std::string KeyFor(const std::string& code) {
    Result<OperatorRecord> op = operators_.CreateOperator(code, code, Policy{}, "ru");
    EXPECT_TRUE(op) << op.error().message;
    Result<CreatedApiKey> key = auth_.CreateApiKey(op->id, "test");
    EXPECT_TRUE(key) << key.error().message;
    return key->key;
  }

  HttpResponse Call(const std::string& method, const std::string& target, const std::string& key,
                    const std::string& body = "", const std::string& content_type = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    const std::size_t q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) {
      const std::string query = target.substr(q + 1);
      const std::size_t eq = query.find('=');
      request.query[query.substr(0, eq)] = query.substr(eq + 1);
    }
    if (!key.empty()) {
      request.headers["authorization"] = "Bearer " + key;
    }
    if (!content_type.empty()) {
      request.headers["content-type"] = content_type;
    }
    request.body = body;
    return router_.Dispatch(request);
  }

  static std::string Header(const HttpResponse& response, const std::string& name) {
    for (const auto& [n, v] : response.headers) {
      if (n == name) {
        return v;
      }
    }
    return "";
  }
  static std::string Code(const HttpResponse& response) {
    return std::string(json::parse(response.body).at("code").as_string());
  }

  testing::ServiceWorld world_;
  std::unique_ptr<SqliteStore>& store_ = world_.store;
  testing::FakeHlr& hlr_ = world_.hlr;
  testing::MemorySmsGateway& sms_ = world_.sms;
  ManualClock& clock_ = world_.clock;
  Random& random_ = world_.random;
  CertificateSigner& signer_ = world_.signer;
  ServiceContext& ctx_ = world_.ctx;
  testing::MemoryBlobStore blobs_;
  AuthService auth_;
  TerminationService terminations_;
  OperatorService operators_;
  StaffService staff_;
  UploadService uploads_;
  ApiServices services_;
  Router router_;
  std::string kcell_key_;
  std::string beeline_key_;
};

TEST_F(UploadRoutesTest, UploadThenReadMetadataAndContent) {
  const HttpResponse created =
      Call("POST", "/v1/uploads?filename=scan.pdf", kcell_key_, kPdf, "application/pdf");
  ASSERT_EQ(created.status, 201u) << created.body;
  const json::object body = json::parse(created.body).as_object();
  const std::string id(body.at("id").as_string());
  EXPECT_EQ(id.rfind("upl_", 0), 0u);
  EXPECT_EQ(body.at("content_type").as_string(), "application/pdf");
  EXPECT_EQ(body.at("size").as_int64(), static_cast<std::int64_t>(kPdf.size()));
  EXPECT_EQ(body.at("sha256").as_string(), Sha256Hex(kPdf));
  EXPECT_EQ(body.at("file_name").as_string(), "scan.pdf");
  EXPECT_EQ(body.at("created_at").as_string(), "2026-09-21T14:13:20Z");
  EXPECT_EQ(Header(created, "Location"), "/v1/uploads/" + id);

  const HttpResponse meta = Call("GET", "/v1/uploads/" + id, kcell_key_);
  ASSERT_EQ(meta.status, 200u) << meta.body;
  EXPECT_EQ(json::parse(meta.body).at("sha256").as_string(), Sha256Hex(kPdf));

  const HttpResponse content = Call("GET", "/v1/uploads/" + id + "/content", kcell_key_);
  ASSERT_EQ(content.status, 200u) << content.body;
  EXPECT_EQ(content.body, kPdf);
  EXPECT_EQ(content.content_type, "application/pdf");
  EXPECT_EQ(Header(content, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(content, "Content-Disposition"),
            "attachment; filename=\"scan.pdf\"; filename*=UTF-8''scan.pdf");
}

TEST_F(UploadRoutesTest, NonAsciiNamesAreEncodedInContentDisposition) {
  const HttpResponse created =
      Call("POST", "/v1/uploads?filename=Заявление \"1\".pdf", kcell_key_, kPdf, "application/pdf");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string id(json::parse(created.body).at("id").as_string());
  const HttpResponse content = Call("GET", "/v1/uploads/" + id + "/content", kcell_key_);
  EXPECT_EQ(Header(content, "Content-Disposition"),
            "attachment; filename=\"_________ _1_.pdf\"; filename*=UTF-8''"
            "%D0%97%D0%B0%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5%20%221%22.pdf");
}

TEST_F(UploadRoutesTest, OtherOperatorGetsUploadNotFound) {
  const HttpResponse created = Call("POST", "/v1/uploads", kcell_key_, kPdf, "");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string id(json::parse(created.body).at("id").as_string());
  for (const std::string& target : {"/v1/uploads/" + id, "/v1/uploads/" + id + "/content"}) {
    const HttpResponse response = Call("GET", target, beeline_key_);
    EXPECT_EQ(response.status, 404u) << target;
    EXPECT_EQ(Code(response), "upload_not_found") << target;
  }
}

TEST_F(UploadRoutesTest, ErrorsMapToTheirStatuses) {
  EXPECT_EQ(Call("POST", "/v1/uploads", "", kPdf, "application/pdf").status, 401u);
  const HttpResponse too_large =
      Call("POST", "/v1/uploads", kcell_key_, kPdf + std::string(1024, ' '), "application/pdf");
  EXPECT_EQ(too_large.status, 413u);
  EXPECT_EQ(Code(too_large), "upload_too_large");
  EXPECT_EQ(json::parse(too_large.body).at("status").as_int64(), 413);
  const HttpResponse html = Call("POST", "/v1/uploads", kcell_key_, "<html>", "text/html");
  EXPECT_EQ(html.status, 400u);
  EXPECT_EQ(Code(html), "unsupported_upload_type");
  const HttpResponse mismatch =
      Call("POST", "/v1/uploads?filename=a.png", kcell_key_, kPdf, "application/pdf");
  EXPECT_EQ(mismatch.status, 400u);
  EXPECT_EQ(Code(mismatch), "upload_type_mismatch");
  const HttpResponse admin = Call("POST", "/v1/uploads", kAdminKey, kPdf, "application/pdf");
  EXPECT_EQ(admin.status, 400u);
  EXPECT_EQ(Code(admin), "operator_required");
}

}  // namespace
}  // namespace simexit::api
