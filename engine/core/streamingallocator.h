#pragma once

namespace fs::engine {

// Tunes the C library's allocator for streaming query pages. Call once at process start, before
// other threads exist (it changes process-wide settings); the forcescope executable and the
// benchmarks do.
//
// Why: every page passes through buffers of about 700 KiB (the reply body, its inflated copy, the
// parser's batch). With glibc's defaults such blocks are handed back to the kernel when freed and
// faulted in again for the next page: measured 442 minor page faults per 2,000-record page in the
// whole client, against 113 with these settings (those left are the kept batches' own memory).
// Freed memory up to 16 MiB stays in the process for reuse; blocks up to 4 MiB come from the
// heap. No effect on other C libraries.
void tuneAllocatorForStreaming();

} // namespace fs::engine
