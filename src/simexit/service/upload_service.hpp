#pragma once
// Scans of posted applications and documents, uploaded by an operator's staff
// (back office, store agents) or its systems, before they are attached to a
// termination request.
//
// The content goes to the BlobStore (content-addressed); the metadata, with
// the type sniffed from the bytes, to the store. Uploads belong to the
// caller's operator: other operators' callers get "upload_not_found", exactly
// as for an id that does not exist.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "simexit/common/result.hpp"
#include "simexit/ports/blob_store.hpp"
#include "simexit/service/caller.hpp"
#include "simexit/service/context.hpp"

namespace simexit {

// One file to store, as the HTTP edge received it.
struct NewUpload {
  std::string_view bytes;             // the content; not owned
  std::string declared_content_type;  // the Content-Type header ("" when absent)
  std::string file_name;              // as the client named it ("" when absent)
};

class UploadService {
 public:
  // `max_bytes`: the largest upload accepted (uploads.max_bytes).
  UploadService(ServiceContext& ctx, BlobStore& blobs, std::int64_t max_bytes)
      : ctx_(ctx), blobs_(blobs), max_bytes_(max_bytes) {}

  // Stores one file for the caller's operator and returns its record
  // (id "upl_" + 24 hex, sniffed content_type, size, sha256, sanitised
  // file_name, uploaded_by = caller.actor) and audits "upload_stored" (type
  // and size only: never the content or the file name). An empty file name
  // becomes "upload" plus the content's extension.
  // Errors:
  //  - holders: kNotFound "route_not_found" (not a holder's resource at all);
  //  - staff whose role lacks the upload permission: kPermissionDenied
  //    "insufficient_role";
  //  - admins (no operator of their own): kInvalidArgument "operator_required";
  //  - CheckUpload's (domain/content_type.hpp): "upload_empty",
  //    "upload_too_large", "unsupported_upload_type", "upload_type_mismatch";
  //  - the blob store's and the store's (kUnavailable).
  Result<UploadRecord> Upload(const Caller& caller, const NewUpload& upload);

  // The record. Needs the view_lines permission ("insufficient_role").
  // Errors: kNotFound "upload_not_found" for an unknown id, another operator's
  // upload, and any holder.
  Result<UploadRecord> Get(const Caller& caller, const std::string& id);

  // The record and the content; as Get. A record whose content is missing is
  // kInternal "upload_content_missing".
  Result<std::pair<UploadRecord, std::string>> Download(const Caller& caller,
                                                        const std::string& id);

  // The file name as kept: the part after the last '/' or '\', without
  // control characters (C0, DEL), cut to at most 200 bytes at a UTF-8
  // character boundary, keeping the extension when it is short. "." and ".."
  // become "".
  static std::string SanitizeFileName(std::string_view name);

 private:
  ServiceContext& ctx_;
  BlobStore& blobs_;
  std::int64_t max_bytes_;
};

}  // namespace simexit
