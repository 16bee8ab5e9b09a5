#pragma once
// The drawing shared by simexit's printed documents (certificate, application
// form): an A4 PDF written by Cairo, text laid out by Pango in DejaVu Sans
// (Latin, Cyrillic with the Kazakh letters) falling back to Noto Sans CJK for
// Chinese, both Debian font packages found through fontconfig.
//
// Text flows down the page from the top margin; a block that does not fit
// starts a new page. Bilingual blocks put the first language on the left and
// the second beside it; when both languages are the same, one column spans the
// width. Not thread-safe; one canvas per document (Cairo and Pango are safe to
// use from several threads with one canvas each).

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit::documents {

class PdfCanvas {
 public:
  // `title` goes into the PDF's metadata. `bilingual`: two columns.
  PdfCanvas(std::string_view title, bool bilingual);
  ~PdfCanvas();
  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;

  // A title: `left` and `right` large, side by side.
  void Title(std::string_view left, std::string_view right);
  // A section heading, side by side.
  void Heading(std::string_view left, std::string_view right);
  // One field: its label in both languages, then its value (set apart, bold).
  void Field(std::string_view left_label, std::string_view right_label, std::string_view value);
  // Running text, side by side.
  void Paragraph(std::string_view left, std::string_view right);
  // `count` empty boxes for signatures, side by side across the page, each
  // with its caption underneath (at most 3).
  void SignatureBoxes(const std::string (&captions)[3], int count);
  // A QR code (libqrencode, error correction M) of `text` at the left with
  // `caption` beside it. Errors: kInternal "qr_failed" when it cannot be encoded.
  Result<void> QrCode(std::string_view text, std::string_view caption);
  // Empty space.
  void Skip(double points) { y_ += points; }

  // Ends the document and returns its bytes. Errors: kInternal "pdf_failed".
  Result<std::string> Finish();

 private:
  struct Deleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
    void operator()(cairo_t* c) const { cairo_destroy(c); }
    void operator()(PangoContext* p) const { g_object_unref(p); }
  };
  // Lays `text` out `width` wide in `font`; the caller unrefs.
  PangoLayout* Layout(std::string_view text, const char* font, double width) const;
  static double Height(PangoLayout* layout);
  void Draw(PangoLayout* layout, double x, double y);
  // Starts a new page when `height` does not fit below y_.
  void Room(double height);
  // Two texts side by side (or the left one alone), `gap` below.
  void SideBySide(std::string_view left, std::string_view right, const char* font, double gap);

  std::string bytes_;
  bool bilingual_;
  double y_;
  std::unique_ptr<cairo_surface_t, Deleter> surface_;
  std::unique_ptr<cairo_t, Deleter> cr_;
  std::unique_ptr<PangoContext, Deleter> pango_;
};

}  // namespace simexit::documents
