/*
 * Limits of the options every model shares, defined once: the setters
 * check against them and the worker pool never exceeds the thread limit.
 */
#ifndef MIX__CORE_LIMITS_H
#define MIX__CORE_LIMITS_H

#define MIX__MAX_N_INIT 100000
#define MIX__MAX_MAX_ITER 1000000000
#define MIX__MAX_THREADS 1024

#endif /* MIX__CORE_LIMITS_H */
