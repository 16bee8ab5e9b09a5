#pragma once
// Attaching a file to a finished PDF as an incremental update (ISO 32000-1,
// 7.5.6): the original bytes stay exactly as they are, and after them come
// new objects, a new cross-reference section and a trailer whose /Prev points
// at the previous section. Readers (pdfdetach, qpdf, viewers) then see the
// file in the catalogue's EmbeddedFiles name tree (7.11.4).
//
// Cairo writes PDFs but cannot embed files; this is the small step after it.
// It reads only what it needs: the last `startxref`, classic cross-reference
// tables (not xref streams) along the /Prev chain, the trailer's /Size, /Root,
// /Info and /ID, and the catalogue's dictionary, which it copies into a new
// version of the catalogue with /Names << /EmbeddedFiles ... >> added.

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit::documents {

struct EmbeddedFile {
  std::string name;         // file name shown to readers, e.g. "certificate.json"
  std::string mime_type;    // e.g. "application/json"
  std::string description;  // one line for the attachment list; may be empty
  std::string content;      // the bytes, stored unchanged (no filter)
};

// `pdf` with `file` attached. Errors (kInvalidArgument, problem code
// "unsupported_pdf"): no startxref, a cross-reference stream instead of a
// table, a trailer without /Size or /Root, a catalogue that cannot be found
// or read, or one that already has /Names (merging name trees is not done).
Result<std::string> AppendEmbeddedFile(std::string_view pdf, const EmbeddedFile& file);

// `text` as a PDF literal string "(...)" with \ ( ) and control characters
// escaped; bytes >= 0x80 stay as they are.
std::string PdfLiteralString(std::string_view text);

// `name` as a PDF name "/..." with every byte outside '!'..'~', and the
// delimiters ( ) < > [ ] { } / % #, written #xx.
std::string PdfName(std::string_view name);

}  // namespace simexit::documents
