// Test-only allocation counter. Linked into the test executable, these definitions interpose
// the C library's allocation functions for the whole process (the executable's symbols come first
// in the dynamic linker's search order) and forward to glibc's own entry points (__libc_malloc
// and friends). Counting is per thread and only between begin and end, so the rest of the test
// process is unaffected.
#include <errno.h>
#include <stddef.h>
#include "AllocationCounter.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static __thread int counting;
static __thread long count;

void fm_allocations_begin(void) { count = 0; counting = 1; }
long fm_allocations_end(void) { counting = 0; return count; }

void *malloc(size_t n) { if (counting) count++; return __libc_malloc(n); }
void *calloc(size_t m, size_t n) { if (counting) count++; return __libc_calloc(m, n); }
void *realloc(void *p, size_t n) { if (counting) count++; return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t a, size_t n) { if (counting) count++; return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { if (counting) count++; return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
    if (counting) count++;
    void *p = __libc_memalign(a, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
