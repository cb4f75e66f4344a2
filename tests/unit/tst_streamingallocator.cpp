// tuneAllocatorForStreaming(): blocks the size of a query page's buffers come from the heap (and
// stay in the process when freed) instead of being mapped from, and handed back to, the kernel
// one by one. glibc counts its separately mapped blocks in mallinfo2().hblks.
#include "core/streamingallocator.h"

#include <QtTest>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

class TestStreamingAllocator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pageSizedBlocksComeFromTheHeap();
};

void TestStreamingAllocator::pageSizedBlocksComeFromTheHeap()
{
#if !defined(__GLIBC__)
    QSKIP("The tuning applies to glibc's allocator only.");
#elif defined(__SANITIZE_ADDRESS__)
    QSKIP("AddressSanitizer's allocator replaces glibc's here (mallinfo2 reports nothing); this test runs in "
          "builds without sanitizers (dev or release preset).");
#else
    // Before tuning, glibc maps a 1 MiB block on its own (its threshold starts at 128 KiB): the
    // measure sees it.
    {
        const size_t before = mallinfo2().hblks;
        void *block = std::malloc(1 << 20);
        QVERIFY(block);
        QCOMPARE(mallinfo2().hblks, before + 1);
        std::free(block);
    }
    fs::engine::tuneAllocatorForStreaming();
    const size_t before = mallinfo2().hblks;
    void *body = std::malloc(700 * 1024); // a query page's body
    void *inflated = std::malloc(3 * 1024 * 1024); // a large page's buffer
    QVERIFY(body && inflated);
    std::memset(body, 1, 700 * 1024);
    QCOMPARE(mallinfo2().hblks, before); // from the heap
    void *huge = std::malloc(64u << 20); // above the 4 MiB threshold: still mapped on its own
    QVERIFY(huge);
    QCOMPARE(mallinfo2().hblks, before + 1);
    std::free(huge);
    std::free(inflated);
    std::free(body);
#endif
}

QTEST_GUILESS_MAIN(TestStreamingAllocator)
#include "tst_streamingallocator.moc"
