#include "simexit/documents/pdf_canvas.hpp"

#include <qrencode.h>

#include <algorithm>

namespace simexit::documents {
namespace {

constexpr double kPageWidth = 595.276;  // A4 in points
constexpr double kPageHeight = 841.890;
constexpr double kMargin = 48;
constexpr double kColumnGap = 24;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;

// Families in order: fontconfig picks the first that has each character.
constexpr const char* kTitleFont = "DejaVu Sans, Noto Sans CJK SC Bold 15";
constexpr const char* kHeadingFont = "DejaVu Sans, Noto Sans CJK SC Bold 11";
constexpr const char* kLabelFont = "DejaVu Sans, Noto Sans CJK SC 8";
constexpr const char* kValueFont = "DejaVu Sans, Noto Sans CJK SC Bold 10.5";
constexpr const char* kTextFont = "DejaVu Sans, Noto Sans CJK SC 9";

cairo_status_t WriteTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

PdfCanvas::PdfCanvas(std::string_view title, bool bilingual)
    : bilingual_(bilingual),
      y_(kMargin),
      surface_(cairo_pdf_surface_create_for_stream(WriteTo, &bytes_, kPageWidth, kPageHeight)),
      cr_(cairo_create(surface_.get())),
      pango_(pango_cairo_create_context(cr_.get())) {
  const std::string title_text(title);
  cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE, title_text.c_str());
  cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "simexit");
  // Font sizes in points: one Pango unit per PDF point.
  pango_cairo_context_set_resolution(pango_.get(), 72);
}

PdfCanvas::~PdfCanvas() = default;

PangoLayout* PdfCanvas::Layout(std::string_view text, const char* font, double width) const {
  PangoLayout* layout = pango_layout_new(pango_.get());
  PangoFontDescription* description = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout, description);
  pango_font_description_free(description);
  pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  return layout;
}

double PdfCanvas::Height(PangoLayout* layout) {
  int width = 0;
  int height = 0;
  pango_layout_get_size(layout, &width, &height);
  return static_cast<double>(height) / PANGO_SCALE;
}

void PdfCanvas::Draw(PangoLayout* layout, double x, double y) {
  cairo_move_to(cr_.get(), x, y);
  pango_cairo_show_layout(cr_.get(), layout);
}

void PdfCanvas::Room(double height) {
  if (y_ + height > kPageHeight - kMargin && y_ > kMargin) {
    cairo_show_page(cr_.get());
    y_ = kMargin;
  }
}

void PdfCanvas::SideBySide(std::string_view left, std::string_view right, const char* font,
                           double gap) {
  const double width = bilingual_ ? (kContentWidth - kColumnGap) / 2 : kContentWidth;
  PangoLayout* a = Layout(left, font, width);
  PangoLayout* b = bilingual_ ? Layout(right, font, width) : nullptr;
  const double height = std::max(Height(a), b != nullptr ? Height(b) : 0.0);
  Room(height);
  Draw(a, kMargin, y_);
  if (b != nullptr) {
    Draw(b, kMargin + width + kColumnGap, y_);
    g_object_unref(b);
  }
  g_object_unref(a);
  y_ += height + gap;
}

void PdfCanvas::Title(std::string_view left, std::string_view right) {
  SideBySide(left, right, kTitleFont, 6);
  cairo_set_line_width(cr_.get(), 1);
  cairo_move_to(cr_.get(), kMargin, y_);
  cairo_line_to(cr_.get(), kPageWidth - kMargin, y_);
  cairo_stroke(cr_.get());
  y_ += 12;
}

void PdfCanvas::Heading(std::string_view left, std::string_view right) {
  y_ += 6;
  SideBySide(left, right, kHeadingFont, 6);
}

void PdfCanvas::Field(std::string_view left_label, std::string_view right_label,
                      std::string_view value) {
  const double label_width = bilingual_ ? kContentWidth * 0.27 : kContentWidth * 0.4;
  const double value_x = kMargin + (bilingual_ ? 2 : 1) * label_width + 8;
  PangoLayout* a = Layout(left_label, kLabelFont, label_width - 8);
  PangoLayout* b = bilingual_ ? Layout(right_label, kLabelFont, label_width - 8) : nullptr;
  PangoLayout* v = Layout(value, kValueFont, kPageWidth - kMargin - value_x);
  const double height = std::max({Height(a), b != nullptr ? Height(b) : 0.0, Height(v)});
  Room(height + 6);
  cairo_set_source_rgb(cr_.get(), 0.35, 0.35, 0.35);
  Draw(a, kMargin, y_ + 2);
  if (b != nullptr) {
    Draw(b, kMargin + label_width, y_ + 2);
    g_object_unref(b);
  }
  cairo_set_source_rgb(cr_.get(), 0, 0, 0);
  Draw(v, value_x, y_);
  g_object_unref(a);
  g_object_unref(v);
  y_ += height + 3;
  cairo_set_source_rgb(cr_.get(), 0.8, 0.8, 0.8);
  cairo_set_line_width(cr_.get(), 0.5);
  cairo_move_to(cr_.get(), kMargin, y_);
  cairo_line_to(cr_.get(), kPageWidth - kMargin, y_);
  cairo_stroke(cr_.get());
  cairo_set_source_rgb(cr_.get(), 0, 0, 0);
  y_ += 4;
}

void PdfCanvas::Paragraph(std::string_view left, std::string_view right) {
  SideBySide(left, right, kTextFont, 8);
}

void PdfCanvas::SignatureBoxes(const std::string (&captions)[3], int count) {
  count = std::clamp(count, 1, 3);
  constexpr double kBoxHeight = 64;
  const double width = (kContentWidth - kColumnGap * (count - 1)) / count;
  double caption_height = 0;
  for (int i = 0; i < count; ++i) {
    PangoLayout* c = Layout(captions[i], kLabelFont, width);
    caption_height = std::max(caption_height, Height(c));
    g_object_unref(c);
  }
  Room(kBoxHeight + caption_height + 8);
  cairo_set_line_width(cr_.get(), 0.8);
  for (int i = 0; i < count; ++i) {
    const double x = kMargin + i * (width + kColumnGap);
    cairo_rectangle(cr_.get(), x, y_, width, kBoxHeight);
    cairo_stroke(cr_.get());
    PangoLayout* c = Layout(captions[i], kLabelFont, width);
    Draw(c, x, y_ + kBoxHeight + 3);
    g_object_unref(c);
  }
  y_ += kBoxHeight + caption_height + 12;
}

Result<void> PdfCanvas::QrCode(std::string_view text, std::string_view caption) {
  const std::string data(text);
  QRcode* code = QRcode_encodeString(data.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == nullptr) {
    return Fail(ErrorCode::kInternal, "qr_failed", "the QR code could not be encoded");
  }
  constexpr double kQuietModules = 4;
  const double module = 3;  // points: about 1 mm, easy for phone cameras
  const double side = (code->width + 2 * kQuietModules) * module;
  Room(side);
  cairo_set_source_rgb(cr_.get(), 0, 0, 0);
  for (int row = 0; row < code->width; ++row) {
    for (int col = 0; col < code->width; ++col) {
      if ((code->data[row * code->width + col] & 1) != 0) {
        cairo_rectangle(cr_.get(), kMargin + (col + kQuietModules) * module,
                        y_ + (row + kQuietModules) * module, module, module);
      }
    }
  }
  cairo_fill(cr_.get());
  QRcode_free(code);
  PangoLayout* c = Layout(caption, kTextFont, kContentWidth - side - 12);
  Draw(c, kMargin + side + 12, y_ + kQuietModules * module);
  g_object_unref(c);
  y_ += side + 8;
  return {};
}

Result<std::string> PdfCanvas::Finish() {
  cairo_show_page(cr_.get());
  pango_.reset();
  cr_.reset();
  cairo_surface_finish(surface_.get());
  const cairo_status_t status = cairo_surface_status(surface_.get());
  surface_.reset();
  if (status != CAIRO_STATUS_SUCCESS) {
    return Fail(ErrorCode::kInternal, "pdf_failed",
                std::string("cairo could not write the PDF: ") + cairo_status_to_string(status));
  }
  return std::move(bytes_);
}

}  // namespace simexit::documents
