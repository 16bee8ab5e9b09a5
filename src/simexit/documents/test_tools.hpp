#pragma once
// Test helpers: run the Debian tools that read PDFs (qpdf, poppler-utils,
// zbar-tools) on bytes the tests made. Header-only, for *_test.cpp files.

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace simexit::documents {

struct ToolRun {
  int status = -1;     // the command's exit status
  std::string output;  // stdout and stderr
};

inline bool ToolAvailable(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// A fresh directory under the system's temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "simexit-pdf-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs `command` with "{pdf}" replaced by the path of a file holding `pdf`
// and "{dir}" by its directory.
inline ToolRun RunOnPdf(const std::string& pdf, const std::string& command) {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "doc.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  const std::string line = "( " +
                           fmt::format(fmt::runtime(command), fmt::arg("pdf", file.string()),
                                       fmt::arg("dir", dir.path().string())) +
                           " ) 2>&1";
  ToolRun run;
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    run.output.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// The bytes of the attachment `name` (pdfdetach), or "" when it has none.
inline std::string DetachFile(const std::string& pdf, const std::string& name) {
  const ToolRun run =
      RunOnPdf(pdf, "pdfdetach -savefile " + name + " -o {dir}/out.bin {pdf} && cat {dir}/out.bin");
  return run.status == 0 ? run.output : std::string();
}

// The text of every page (pdftotext).
inline std::string PdfText(const std::string& pdf) {
  return RunOnPdf(pdf, "pdftotext {pdf} -").output;
}

}  // namespace simexit::documents
