#ifndef FMEVOLVE_ALLOCATION_COUNTER_H
#define FMEVOLVE_ALLOCATION_COUNTER_H

/// Starts counting the heap allocations made by the calling thread.
void fm_allocations_begin(void);
/// Stops counting and returns the number of allocations since fm_allocations_begin.
long fm_allocations_end(void);

#endif
