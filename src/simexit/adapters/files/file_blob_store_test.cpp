#include "simexit/adapters/files/file_blob_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "simexit/common/crypto.hpp"

namespace simexit {
namespace {

namespace fs = std::filesystem;

class FileBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "simexit-blobs-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    Result<std::unique_ptr<FileBlobStore>> opened = FileBlobStore::Open(root_ / "uploads");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // Regular files under the store's directory, temporary ones included.
  std::vector<fs::path> Files() const {
    std::vector<fs::path> out;
    for (const auto& entry : fs::recursive_directory_iterator(root_ / "uploads")) {
      if (entry.is_regular_file()) {
        out.push_back(entry.path());
      }
    }
    return out;
  }

  fs::path root_;
  std::unique_ptr<FileBlobStore> store_;
};

TEST_F(FileBlobStoreTest, StoresUnderTheHashAndReadsBack) {
  const std::string content("%PDF-1.7\n\0binary\xff", 17);  // the NUL inside, not the last
  const std::string hash = Sha256Hex(content);
  Result<std::string> key = store_->Put(content, hash);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(*key, hash);
  const fs::path expected = root_ / "uploads" / hash.substr(0, 2) / hash;
  EXPECT_EQ(store_->PathFor(*key), expected);
  ASSERT_TRUE(fs::exists(expected));
  struct stat st {};
  ASSERT_EQ(::stat(expected.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((root_ / "uploads").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  Result<std::string> back = store_->Get(*key);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, content);
}

TEST_F(FileBlobStoreTest, SameContentIsStoredOnce) {
  const std::string content = "%PDF-1.4 same";
  const std::string hash = Sha256Hex(content);
  ASSERT_TRUE(store_->Put(content, hash));
  struct stat first {};
  ASSERT_EQ(::stat(store_->PathFor(hash).c_str(), &first), 0);
  ASSERT_TRUE(store_->Put(content, hash));
  struct stat second {};
  ASSERT_EQ(::stat(store_->PathFor(hash).c_str(), &second), 0);
  EXPECT_EQ(first.st_ino, second.st_ino);  // not rewritten (a rename would change the inode)
  ASSERT_TRUE(store_->Put("%PDF-1.4 other", Sha256Hex("%PDF-1.4 other")));
  const std::vector<fs::path> files = Files();
  ASSERT_EQ(files.size(), 2u);  // no temporary files left behind
  for (const fs::path& f : files) {
    EXPECT_EQ(f.filename().string().rfind(".tmp", 0), std::string::npos) << f;
  }
}

TEST_F(FileBlobStoreTest, MissingKeyIsNotFound) {
  Result<std::string> back = store_->Get(Sha256Hex("never stored"));
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(back.error().problem_code, "blob_not_found");
}

TEST_F(FileBlobStoreTest, KeysThatAreNotHashesNameNothing) {
  std::ofstream(root_ / "secret") << "not a blob";
  for (const std::string& key : std::vector<std::string>{
           "../secret", "", "ab", std::string(64, 'A'), "../../" + std::string(58, 'a')}) {
    Result<std::string> back = store_->Get(key);
    ASSERT_FALSE(back) << key;
    EXPECT_EQ(back.error().code, ErrorCode::kNotFound) << key;
  }
}

TEST_F(FileBlobStoreTest, WrongHashIsRefused) {
  Result<std::string> key = store_->Put("content", Sha256Hex("other content"));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(key.error().problem_code, "invalid_blob_hash");
  // Upper-case hex is not the canonical key.
  std::string upper = Sha256Hex("content");
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_FALSE(store_->Put("content", upper));
  EXPECT_TRUE(Files().empty());
}

TEST_F(FileBlobStoreTest, ChangedContentIsReportedCorrupt) {
  const std::string hash = Sha256Hex("original");
  ASSERT_TRUE(store_->Put("original", hash));
  std::ofstream(store_->PathFor(hash), std::ios::trunc) << "tampered";
  Result<std::string> back = store_->Get(hash);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kInternal);
  EXPECT_EQ(back.error().problem_code, "blob_corrupt");
}

TEST_F(FileBlobStoreTest, OpenRefusesAFileInPlaceOfTheDirectory) {
  std::ofstream(root_ / "plain") << "x";
  Result<std::unique_ptr<FileBlobStore>> opened = FileBlobStore::Open(root_ / "plain");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().problem_code, "blob_io");
}

}  // namespace
}  // namespace simexit
