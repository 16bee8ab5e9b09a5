#pragma once
// Where the bytes of uploaded files live (scans of posted applications and
// documents). The store port keeps their metadata (UploadRecord); this port
// keeps only content, addressed by its SHA-256, so the same file uploaded
// twice is stored once and a stored blob never changes.
//
// Implementations must be thread-safe: uploads run on several handler threads.

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores `bytes`, whose SHA-256 is `sha256_hex` (64 lower-case hex
  // characters; the caller has it already, for the metadata), durably: when
  // Put returns, the content survives a crash. Returns the key to Get it by
  // (the same key for the same content). Storing content that is already
  // there succeeds without writing it again.
  // Errors: kInvalidArgument "invalid_blob_hash" when `sha256_hex` is not 64
  // lower-case hex characters or not the hash of `bytes`; kUnavailable
  // "blob_io" when it cannot be written (disk full, permissions).
  virtual Result<std::string> Put(std::string_view bytes, const std::string& sha256_hex) = 0;

  // The content stored under `key`. Errors: kNotFound "blob_not_found" (also
  // for a key Put never returns); kUnavailable "blob_io" when it cannot be
  // read; kInternal "blob_corrupt" when the content no longer has its hash.
  virtual Result<std::string> Get(const std::string& key) = 0;
};

}  // namespace simexit
