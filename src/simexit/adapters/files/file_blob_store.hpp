#pragma once
// BlobStore on the local file system (uploads.dir).
//
// Layout: <dir>/<first 2 hex of the SHA-256>/<SHA-256 hex>; the key is the
// SHA-256 hex. Files are written to a temporary file in the same directory,
// fsync'd, renamed into place and the directory fsync'd, so a crash leaves
// either the whole file or none (at worst a stray ".tmp-*" file, never read).
// Directories are created 0700 and files 0600: uploads carry personal data.
// Back up <dir> together with the database.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "simexit/ports/blob_store.hpp"

namespace simexit {

class FileBlobStore final : public BlobStore {
 public:
  // Creates `dir` (and parents) when missing. Errors: kUnavailable "blob_io"
  // when it cannot be created or is not a directory.
  static Result<std::unique_ptr<FileBlobStore>> Open(const std::filesystem::path& dir);

  Result<std::string> Put(std::string_view bytes, const std::string& sha256_hex) override;
  Result<std::string> Get(const std::string& key) override;

  // Where the content of `key` is (or would be) kept.
  std::filesystem::path PathFor(const std::string& key) const;

 private:
  explicit FileBlobStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

}  // namespace simexit
