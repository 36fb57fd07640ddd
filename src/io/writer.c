/*
 * Writing a model: little-endian fields into a caller's buffer or a stdio
 * file, with the CRC-32C of everything written; the frame (header, the
 * kind's records, checksum); and the file save, which writes beside the
 * path and renames only a complete, synced file over it.
 */
#define _POSIX_C_SOURCE 200809L

#include "io/stream.h"

#include "core/crc32c.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Arrays go in pieces small enough to stay in cache between the checksum
 * and the copy. */
#define CHUNK 65536

void mix__wr_bytes(mix__writer *w, const void *p, size_t n)
{
    w->crc = mix__crc32c(w->crc, p, n);
    if (w->buf != NULL)
        memcpy(w->buf + w->pos, p, n);
    else if (w->f != NULL && w->err_no == 0) /* after a failure, nothing more */
        w->err_no = mix__sys_write(w->f, p, n);
    w->pos += n;
}

void mix__wr_u64(mix__writer *w, uint64_t v)
{
    unsigned char b[8];
    mix__put_le64(b, v);
    mix__wr_bytes(w, b, sizeof b);
}

void mix__wr_i64(mix__writer *w, int64_t v)
{
    mix__wr_u64(w, (uint64_t)v); /* two's complement */
}

void mix__wr_f64(mix__writer *w, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    mix__wr_u64(w, bits);
}

static void wr_doubles(mix__writer *w, const double *a, size_t n)
{
#if MIX__LITTLE_ENDIAN
    const unsigned char *p = (const unsigned char *)a;
    const size_t bytes = n * sizeof(double);
    for (size_t off = 0; off < bytes; off += CHUNK)
        mix__wr_bytes(w, p + off, bytes - off < CHUNK ? bytes - off : CHUNK);
#else
    unsigned char tmp[4096];
    for (size_t i = 0; i < n; i += sizeof tmp / 8) {
        const size_t m = n - i < sizeof tmp / 8 ? n - i : sizeof tmp / 8;
        for (size_t j = 0; j < m; j++) {
            uint64_t bits;
            memcpy(&bits, a + i + j, sizeof bits);
            mix__put_le64(tmp + 8 * j, bits);
        }
        mix__wr_bytes(w, tmp, 8 * m);
    }
#endif
}

void mix__wr_record(mix__writer *w, uint32_t tag, uint64_t len)
{
    unsigned char h[MIX__FMT_RECORD_LEN];
    mix__put_le32(h, tag);
    mix__put_le32(h + 4, 0);
    mix__put_le64(h + 8, len);
    mix__wr_bytes(w, h, sizeof h);
}

void mix__wr_array(mix__writer *w, uint32_t tag, const double *a, size_t n)
{
    mix__wr_record(w, tag, 8 * (uint64_t)n);
    wr_doubles(w, a, n);
}

static uint64_t total_len(const mix__plan *p)
{
    return MIX__FMT_HEADER_LEN + p->len + MIX__FMT_CRC_LEN;
}

/* Header, records, and the checksum of both (not of itself). */
static void write_model(mix__writer *w, const mix__codec *c, const void *state,
                        const mix__plan *p)
{
    unsigned char h[MIX__FMT_HEADER_LEN];
    memcpy(h, MIX__FMT_MAGIC, MIX__FMT_MAGIC_LEN);
    mix__put_le32(h + 8, MIX__FMT_VERSION);
    mix__put_le32(h + 12, MIX_VERSION_NUMBER);
    mix__put_le32(h + 16, c->kind);
    mix__put_le32(h + 20, 0);
    mix__put_le64(h + 24, total_len(p));
    mix__wr_bytes(w, h, sizeof h);
    c->encode(w, state, p);
    unsigned char crc[MIX__FMT_CRC_LEN];
    mix__put_le32(crc, w->crc);
    mix__wr_bytes(w, crc, sizeof crc);
}

int mix__save_buffer(const mix__codec *c, const void *state, void *buf, size_t capacity,
                     size_t *size, mix__err *err)
{
    mix__plan p;
    c->plan(state, &p);
    const uint64_t total = total_len(&p);
    if (total > SIZE_MAX)
        return mix__fail(err, MIX_EINVAL, "the model needs %llu bytes, more than a size_t holds",
                         (unsigned long long)total);
    if (size != NULL)
        *size = (size_t)total;
    if (buf == NULL)
        return size != NULL ? MIX_OK : mix__fail(err, MIX_EINVAL, "buf and size are both NULL");
    if (capacity < total)
        return mix__fail(err, MIX_EINVAL,
                         "the buffer holds %zu bytes but the model needs %zu (see *size)",
                         capacity, (size_t)total);
    mix__writer w = {.buf = buf};
    write_model(&w, c, state, &p);
    return MIX_OK;
}

/* A new file beside path: path.tmp-<pid>-<clock>-<try>, created
 * exclusively. MIX_OK, MIX_ENOMEM, or MIX_EIO with errno in *err_no. */
static int create_beside(const char *path, char **tmp, FILE **f, int *err_no)
{
    const size_t len = strlen(path) + 64;
    *f = NULL;
    *tmp = mix__malloc(len);
    if (*tmp == NULL)
        return MIX_ENOMEM;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(*tmp, len, "%s.tmp-%ld-%lx-%d", path, (long)getpid(), (unsigned long)ts.tv_nsec,
                 attempt);
        *f = mix__sys_create(*tmp, err_no);
        if (*f != NULL || *err_no != EEXIST)
            break;
    }
    return *f != NULL ? MIX_OK : MIX_EIO;
}

static int io_fail(mix__err *err, int err_no, const char *what, const char *path)
{
    char text[128];
    return mix__fail(err, MIX_EIO, "%s %s: %s", what, path,
                     mix__sys_strerror(err_no, text, sizeof text));
}

int mix__save_file(const mix__codec *c, const void *state, const char *path, mix__err *err)
{
    mix__plan p;
    c->plan(state, &p);
    char *tmp;
    FILE *f;
    int e = 0, rc = create_beside(path, &tmp, &f, &e);
    if (rc == MIX_ENOMEM)
        return mix__fail(err, rc, "out of memory naming a file beside %s", path);
    if (rc != MIX_OK) {
        mix__free(tmp);
        return io_fail(err, e, "cannot create a file beside", path);
    }
    mix__writer w = {.f = f};
    write_model(&w, c, state, &p);
    e = w.err_no;
    if (e == 0)
        e = mix__sys_flush_and_sync(f);
    const int close_err = mix__sys_close(f);
    if (e == 0)
        e = close_err;
    if (e == 0)
        e = mix__sys_rename(tmp, path);
    if (e != 0) /* the temporary goes; whatever was at path stays */
        mix__sys_remove(tmp);
    else
        mix__sys_sync_dir(path);
    mix__free(tmp);
    return e == 0 ? MIX_OK : io_fail(err, e, "cannot write", path);
}
