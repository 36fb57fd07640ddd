/*
 * Saved models (io/): what the public layer (api/) calls to save a handle's
 * state to a file or a buffer and to read one back. The format is
 * specified in docs/format.md; io/format.h holds its constants.
 *
 * io/ sits between api/ and the model folders: it reads and writes their
 * structures (kmeans/kmeans.h, mixture/mixture.h) and nothing above them.
 * A save never changes the state; a load fills a new state the caller then
 * owns, or nothing: every failure leaves nothing allocated.
 */
#ifndef MIX__IO_IO_H
#define MIX__IO_IO_H

#include "core/common.h"
#include "kmeans/kmeans.h"
#include "mixture/mixture.h"

/* The model kinds of the format (its header's kind field). */
typedef enum mix__io_kind {
    MIX__IO_KMEANS = 1,
    MIX__IO_GMM = 2,
    MIX__IO_BMM = 3
} mix__io_kind;

/* What a K-means handle holds, apart from its error record: k, the
 * options (the callback is not saved: a load leaves it NULL here, and the
 * caller keeps its own), and the model when fitted (labels are not saved). */
typedef struct mix__kmeans_state {
    size_t k;
    mix__kmeans_opts opt;
    int fitted;
    mix__kmodel model;
} mix__kmeans_state;

/* What a mixture handle holds, likewise; kind is MIX__IO_GMM or
 * MIX__IO_BMM, fam the family (a Gaussian covariance type, or Bernoulli). */
typedef struct mix__mixture_state {
    mix__io_kind kind;
    size_t k;
    const mix__family *fam;
    mix__mixture_opts opt;
    int fitted;
    mix__mmodel model;
} mix__mixture_state;

/*
 * Save: MIX_OK; MIX_EIO (the file cannot be written: err names the system's
 * reason; nothing is left at path but what was there before), MIX_ENOMEM.
 * A file is written beside path, flushed to the disk, then renamed over it.
 * The buffer form writes the model's size to *size (NULL allowed when buf
 * is given); with buf NULL it only does that; a capacity below the size is
 * MIX_EINVAL, buf untouched.
 */
int mix__kmeans_save(const mix__kmeans_state *s, const char *path, mix__err *err);
int mix__kmeans_save_buffer(const mix__kmeans_state *s, void *buf, size_t capacity,
                            size_t *size, mix__err *err);
int mix__mixture_save(const mix__mixture_state *s, const char *path, mix__err *err);
int mix__mixture_save_buffer(const mix__mixture_state *s, void *buf, size_t capacity,
                             size_t *size, mix__err *err);

/*
 * Load into *s (overwritten, not freed): MIX_OK and a state the caller owns
 * (free it with the *_state_free below); MIX_EFORMAT (err says what is wrong
 * and where), MIX_EIO (the file cannot be read), MIX_ENOMEM. A mixture load
 * reads only the kind asked for (MIX__IO_GMM or MIX__IO_BMM).
 */
int mix__kmeans_load(mix__kmeans_state *s, const char *path, mix__err *err);
int mix__kmeans_load_buffer(mix__kmeans_state *s, const void *buf, size_t size, mix__err *err);
int mix__mixture_load(mix__mixture_state *s, mix__io_kind kind, const char *path,
                      mix__err *err);
int mix__mixture_load_buffer(mix__mixture_state *s, mix__io_kind kind, const void *buf,
                             size_t size, mix__err *err);

void mix__kmeans_state_free(mix__kmeans_state *s);
void mix__mixture_state_free(mix__mixture_state *s);

#ifdef MIX_FAULT_INJECTION
/* Test builds only: fail the n-th file operation of a save or load from now
 * on (open, read, write, flush, sync, close, rename; n >= 1; 0 never), as a
 * full disk (ENOSPC) or a failing device (EIO) would, and count those made
 * since. Process-wide, like the allocation counters of core/alloc.c. */
void mix__fault_inject_io(long n);
long mix__fault_io_calls(void);
#endif

#endif /* MIX__IO_IO_H */
