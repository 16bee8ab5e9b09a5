#include "simexit/adapters/files/file_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "simexit/common/crypto.hpp"

namespace simexit {
namespace {

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

tl::unexpected<Error> IoError(const std::string& what, const std::filesystem::path& path,
                              int error) {
  return Fail(ErrorCode::kUnavailable, "blob_io",
              what + " " + path.string() + ": " + std::strerror(error));
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports close's error (for written files, where it matters).
  int Close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

// Makes a directory entry (a new file, a rename) durable.
Result<void> SyncDirectory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) {
    return IoError("cannot open directory", dir, errno);
  }
  if (::fsync(fd.get()) != 0) {
    return IoError("cannot fsync directory", dir, errno);
  }
  return {};
}

// Creates `dir` (0700) when missing; fsyncs its parent when it was created.
Result<void> EnsureDirectory(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    return SyncDirectory(dir.parent_path());
  }
  if (errno != EEXIST) {
    return IoError("cannot create directory", dir, errno);
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    return IoError("cannot stat", dir, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    return IoError("not a directory:", dir, ENOTDIR);
  }
  return {};
}

Result<void> WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return IoError("cannot write", path, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<FileBlobStore>> FileBlobStore::Open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "blob_io",
                "cannot create upload directory " + dir.string() + ": " + ec.message());
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return Fail(ErrorCode::kUnavailable, "blob_io",
                "upload directory " + dir.string() + " is not a directory");
  }
  ::chmod(dir.c_str(), 0700);
  return std::unique_ptr<FileBlobStore>(new FileBlobStore(dir));
}

std::filesystem::path FileBlobStore::PathFor(const std::string& key) const {
  return dir_ / key.substr(0, 2) / key;
}

Result<std::string> FileBlobStore::Put(std::string_view bytes, const std::string& sha256_hex) {
  if (!IsSha256Hex(sha256_hex) || Sha256Hex(bytes) != sha256_hex) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_blob_hash",
                "the blob's hash is not the lower-case hex SHA-256 of its content");
  }
  const std::filesystem::path final_path = PathFor(sha256_hex);
  const std::filesystem::path shard = final_path.parent_path();
  struct stat st {};
  if (::stat(final_path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::uint64_t>(st.st_size) == bytes.size()) {
    return sha256_hex;  // Same name, same size: same content (renames are atomic).
  }
  if (Result<void> made = EnsureDirectory(shard); !made) {
    return Fail(made.error());
  }

  std::string tmp_name = (shard / ".tmp-XXXXXX").string();
  Fd fd(::mkostemp(tmp_name.data(), O_CLOEXEC));  // mode 0600
  if (fd.get() < 0) {
    return IoError("cannot create a temporary file in", shard, errno);
  }
  const std::filesystem::path tmp_path = tmp_name;
  const auto discard = [&](const Error& error) {
    ::unlink(tmp_path.c_str());
    return Fail(error);
  };
  if (Result<void> written = WriteAll(fd.get(), bytes, tmp_path); !written) {
    return discard(written.error());
  }
  if (::fsync(fd.get()) != 0) {
    return discard(IoError("cannot fsync", tmp_path, errno).value());
  }
  if (fd.Close() != 0) {
    return discard(IoError("cannot close", tmp_path, errno).value());
  }
  if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    return discard(IoError("cannot rename into", final_path, errno).value());
  }
  if (Result<void> synced = SyncDirectory(shard); !synced) {
    return Fail(synced.error());
  }
  return sha256_hex;
}

Result<std::string> FileBlobStore::Get(const std::string& key) {
  const auto not_found = [] {
    return Fail(ErrorCode::kNotFound, "blob_not_found", "no stored content under this key");
  };
  // Keys are only ever hashes; anything else (say "../x") names no blob.
  if (!IsSha256Hex(key)) {
    return not_found();
  }
  const std::filesystem::path path = PathFor(key);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return not_found();
    }
    return IoError("cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return IoError("cannot stat", path, errno);
  }
  std::string content;
  content.reserve(static_cast<std::size_t>(st.st_size));
  std::vector<char> buffer(std::size_t{64} * 1024);
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return IoError("cannot read", path, errno);
    }
    if (n == 0) {
      break;
    }
    content.append(buffer.data(), static_cast<std::size_t>(n));
  }
  if (Sha256Hex(content) != key) {
    return Fail(ErrorCode::kInternal, "blob_corrupt",
                "stored content " + path.string() + " does not match its hash");
  }
  return content;
}

}  // namespace simexit
