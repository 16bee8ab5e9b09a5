// Thin executable: everything lives in simexit_app.
#include <malloc.h>

#include <cstdlib>
#include <cstring>

#include "simexit/app/cli.hpp"

namespace {

// glibc's allocator, tuned for a long-running server. Without this, SQLite's
// statement journal (~280 KB, allocated and freed by every write statement)
// made each thread arena shrink with madvise() at the free and page-fault the
// memory back at the next statement: about half of a write request's time was
// spent in the kernel. And with glibc's default of 8 arenas per core, each
// handler thread kept its own arena's freed memory, so a serving process's RSS
// grew with the number of threads that had ever written.
//   - M_ARENA_MAX 4: few arenas, so freed memory is reused across threads.
//   - M_MMAP_THRESHOLD 1 MiB: buffers like the statement journal come from an
//     arena, not from a fresh mmap()/munmap() pair each time.
//   - M_TRIM_THRESHOLD 8 MiB: an arena returns memory to the kernel only when
//     more than 8 MiB at its top is free, not after every large free.
// Together they bound what the process holds while idle (a few arenas times
// 8 MiB) and keep the hot path out of the kernel. An operator who tunes malloc
// with GLIBC_TUNABLES keeps their settings.
void TuneMalloc() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) {
    return;
  }
  mallopt(M_ARENA_MAX, 4);
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  TuneMalloc();  // before any thread starts
  return simexit::app::RunCli(argc, argv);
}
