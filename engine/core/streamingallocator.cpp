#include "streamingallocator.h"

#include <cstdlib> // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace fs::engine {

void tuneAllocatorForStreaming()
{
#if defined(__GLIBC__)
    // Setting either value also stops glibc adjusting the other one on its own.
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
#endif
}

} // namespace fs::engine
