/*
 * Reading a model: a bounds-checked little-endian cursor over a caller's
 * buffer or a stdio file, record by record, and the frame's checks. Every
 * size in the data is checked against the bytes that are really there
 * before anything is allocated from it, so a hostile file can neither make
 * the library read out of bounds nor allocate more than about twice its
 * own length.
 *
 * A buffer's checksum is verified before its records are read; a file is
 * read once, straight into the model's arrays, and its checksum verified at
 * the end, before any value is used.
 */
#include "io/stream.h"

#include "core/crc32c.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#define CHUNK 65536

int mix__rd_fail(mix__reader *r, const char *fmt, ...)
{
    char msg[MIX__ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mix__fail(r->err, MIX_EFORMAT, "%s: %s", r->name, msg);
}

static int read_error(mix__reader *r, int err_no)
{
    char text[128];
    return mix__fail(r->err, MIX_EIO, "cannot read %s: %s", r->name,
                     mix__sys_strerror(err_no, text, sizeof text));
}

/* n bytes at the cursor into p, within the records' end. */
static int rd_raw(mix__reader *r, void *p, size_t n)
{
    if (n > r->end - r->pos)
        return mix__rd_fail(r, "truncated at byte %" PRIu64, r->end);
    if (r->buf != NULL) {
        memcpy(p, r->buf + r->pos, n);
        r->pos += n;
        return MIX_OK;
    }
    size_t got;
    int e = mix__sys_read(r->f, p, n, &got);
    r->crc = mix__crc32c(r->crc, p, got);
    r->pos += got;
    if (e == -1)
        return mix__rd_fail(r, "truncated at byte %" PRIu64 " (the file ended early)", r->pos);
    return e == 0 ? MIX_OK : read_error(r, e);
}

/* n doubles into a, straight from the source: a file in cache-sized pieces
 * (each checksummed while it is still in cache), a buffer in one copy. */
static int rd_doubles(mix__reader *r, double *a, size_t n)
{
    unsigned char *p = (unsigned char *)a;
    const size_t bytes = n * sizeof(double);
    int rc = MIX_OK;
    for (size_t off = 0, piece; rc == MIX_OK && off < bytes; off += piece) {
        piece = r->buf != NULL || bytes - off < CHUNK ? bytes - off : CHUNK;
        rc = rd_raw(r, p + off, piece);
    }
#if !MIX__LITTLE_ENDIAN
    for (size_t i = 0; rc == MIX_OK && i < n; i++) {
        uint64_t bits = mix__le64(p + 8 * i);
        memcpy(a + i, &bits, sizeof bits);
    }
#endif
    return rc;
}

int mix__rd_u64(mix__reader *r, uint64_t *v)
{
    unsigned char b[8];
    int rc = rd_raw(r, b, sizeof b);
    if (rc == MIX_OK)
        *v = mix__le64(b);
    return rc;
}

int mix__rd_i64(mix__reader *r, int64_t *v)
{
    uint64_t u;
    int rc = mix__rd_u64(r, &u);
    if (rc == MIX_OK) /* two's complement, without the implementation-defined cast */
        *v = u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
    return rc;
}

int mix__rd_f64(mix__reader *r, double *v)
{
    uint64_t bits;
    int rc = mix__rd_u64(r, &bits);
    if (rc == MIX_OK)
        memcpy(v, &bits, sizeof bits);
    return rc;
}

const char *mix__tag_name(uint32_t tag, char out[16])
{
    unsigned char c[4];
    mix__put_le32(c, tag);
    for (int i = 0; i < 4; i++)
        if (c[i] < 'A' || c[i] > 'Z') {
            snprintf(out, 16, "0x%08" PRIx32, tag);
            return out;
        }
    memcpy(out, c, 4);
    out[4] = '\0';
    return out;
}

/* The records of the file's format version, of every kind: those of
 * version 1, and from version 2 on the incremental fits' state. */
static int known(const mix__reader *r, uint32_t tag)
{
    static const uint32_t v1[] = {
        TAG_KOPT, TAG_ICEN, TAG_KFIT, TAG_CENT, TAG_CENU, TAG_CNRM, TAG_SHFT, TAG_MOPT,
        TAG_GWGT, TAG_GMEA, TAG_GCOV, TAG_MFIT, TAG_WGHT, TAG_LWGT, TAG_MEAU, TAG_COVU,
        TAG_PRCU, TAG_LDET, TAG_FACT, TAG_MEAN, TAG_COVD, TAG_PRCD};
    static const uint32_t v2[] = {TAG_KCNT, TAG_MONL, TAG_MSTP};
    for (size_t i = 0; i < sizeof v1 / sizeof v1[0]; i++)
        if (v1[i] == tag)
            return 1;
    for (size_t i = 0; r->version >= 2 && i < sizeof v2 / sizeof v2[0]; i++)
        if (v2[i] == tag)
            return 1;
    return 0;
}

/* Past an optional record of a later version (read, for the checksum). */
static int skip(mix__reader *r, uint64_t len)
{
    if (r->buf != NULL) {
        r->pos += len;
        return MIX_OK;
    }
    unsigned char scratch[4096];
    int rc = MIX_OK;
    while (rc == MIX_OK && len > 0) {
        size_t n = len < sizeof scratch ? (size_t)len : sizeof scratch;
        rc = rd_raw(r, scratch, n);
        len -= n;
    }
    return rc;
}

/* The record header at the cursor: its length within the records, a
 * multiple of 8; a known tag with no flags, or an optional one skipped. */
static int record_header(mix__reader *r, int *skipped)
{
    unsigned char h[MIX__FMT_RECORD_LEN];
    char name[16];
    const uint64_t at = r->pos;
    if (r->end - r->pos < MIX__FMT_RECORD_LEN)
        return mix__rd_fail(r, "truncated record header at byte %" PRIu64, at);
    int rc = rd_raw(r, h, sizeof h);
    if (rc != MIX_OK)
        return rc;
    const uint32_t tag = mix__le32(h), flags = mix__le32(h + 4);
    const uint64_t len = mix__le64(h + 8);
    mix__tag_name(tag, name);
    if (len > r->end - r->pos)
        return mix__rd_fail(r, "record %s at byte %" PRIu64 " claims %" PRIu64
                               " bytes; %" PRIu64 " remain before the checksum",
                            name, at, len, r->end - r->pos);
    if (len % 8 != 0)
        return mix__rd_fail(r, "record %s at byte %" PRIu64 ": length %" PRIu64
                               " is not a multiple of 8", name, at, len);
    *skipped = !known(r, tag);
    if (*skipped && !(flags & MIX__REC_OPTIONAL))
        return mix__rd_fail(r, "record %s at byte %" PRIu64 " is unknown to format version %"
                               PRIu32 " (written by a later version?) and not marked optional",
                            name, at, r->version);
    if (!*skipped && flags != 0)
        return mix__rd_fail(r, "record %s at byte %" PRIu64 " has flags 0x%" PRIx32
                               "; the format defines none for it", name, at, flags);
    if (*skipped)
        return skip(r, len);
    r->tag = tag;
    r->len = len;
    r->at = at;
    return MIX_OK;
}

int mix__rd_next(mix__reader *r)
{
    int rc = MIX_OK, skipped = 1;
    r->tag = 0;
    r->len = 0;
    while (rc == MIX_OK && skipped && r->pos < r->end)
        rc = record_header(r, &skipped);
    if (rc == MIX_OK && skipped)
        r->at = r->pos; /* the end: no record */
    return rc;
}

int mix__rd_expect(mix__reader *r, uint32_t tag, uint64_t len)
{
    char want[16], got[16];
    mix__tag_name(tag, want);
    if (r->tag == 0)
        return mix__rd_fail(r, "record %s missing at byte %" PRIu64 " (the records end there)",
                            want, r->at);
    if (r->tag != tag)
        return mix__rd_fail(r, "record %s expected at byte %" PRIu64 ", found %s", want, r->at,
                            mix__tag_name(r->tag, got));
    if (r->len != len)
        return mix__rd_fail(r, "record %s at byte %" PRIu64 " has %" PRIu64
                               " bytes; the model needs %" PRIu64 " there",
                            want, r->at, r->len, len);
    return MIX_OK;
}

int mix__rd_array(mix__reader *r, uint32_t tag, double *a, size_t n)
{
    int rc = mix__rd_expect(r, tag, 8 * (uint64_t)n);
    if (rc == MIX_OK)
        rc = rd_doubles(r, a, n);
    return rc == MIX_OK ? mix__rd_next(r) : rc;
}

int mix__rd_room(mix__reader *r, uint64_t need, const char *what)
{
    const uint64_t left = r->end - r->at; /* from the current record's header */
    if (need > left)
        return mix__rd_fail(r, "%s need %" PRIu64 " bytes of records but only %" PRIu64
                               " remain", what, need, left);
    return MIX_OK;
}

/* --- the frame -------------------------------------------------------------- */

static const char *kind_name(uint32_t kind)
{
    switch (kind) {
    case 1:
        return "a K-means model";
    case 2:
        return "a Gaussian mixture";
    case 3:
        return "a Bernoulli mixture";
    default:
        return "a model of an unknown kind";
    }
}

/* Magic, and the length the header states against the bytes there are. */
static int check_frame(mix__reader *r, const unsigned char *h, uint64_t actual)
{
    if (memcmp(h, MIX__FMT_MAGIC, MIX__FMT_MAGIC_LEN) != 0)
        return mix__rd_fail(r, "not a libmixture model (bad magic)");
    const uint64_t total = mix__le64(h + 24);
    if (total > actual)
        return mix__rd_fail(r, "truncated at byte %" PRIu64 ": the header states %" PRIu64
                               " bytes", actual, total);
    if (total < actual)
        return mix__rd_fail(r, "%" PRIu64 " trailing bytes after the %" PRIu64
                               " the header states", actual - total, total);
    if (total < MIX__FMT_MIN_LEN || total % 4 != 0)
        return mix__rd_fail(r, "the header states %" PRIu64 " bytes, which no model has",
                            total);
    return MIX_OK;
}

/* Version, the reserved field, the kind. */
static int check_fields(mix__reader *r, const unsigned char *h, const mix__codec *c)
{
    const uint32_t version = mix__le32(h + 8), writer = mix__le32(h + 12);
    const uint32_t kind = mix__le32(h + 16), reserved = mix__le32(h + 20);
    if (version == 0)
        return mix__rd_fail(r, "format version 0 does not exist");
    if (version > MIX__FMT_VERSION)
        return mix__rd_fail(r, "format version %" PRIu32 " is newer than this library reads "
                               "(%u); it was written by libmixture %" PRIu32 ".%" PRIu32
                               ".%" PRIu32, version, MIX__FMT_VERSION, writer / 10000,
                            writer / 100 % 100, writer % 100);
    if (reserved != 0)
        return mix__rd_fail(r, "the reserved header field is 0x%08" PRIx32 ", not 0", reserved);
    if (kind != c->kind)
        return mix__rd_fail(r, "holds %s, not %s", kind_name(kind), c->name);
    r->version = version;
    return MIX_OK;
}

/* Records, then (after the checksum) the values; on failure nothing stays. */
static int read_model(mix__reader *r, const mix__codec *c, void *state, int file)
{
    int rc = mix__rd_next(r);
    if (rc == MIX_OK)
        rc = c->decode(r, state);
    if (rc != MIX_OK)
        return rc;
    if (r->tag != 0) {
        char name[16];
        rc = mix__rd_fail(r, "record %s at byte %" PRIu64 " is out of place",
                          mix__tag_name(r->tag, name), r->at);
    }
    if (rc == MIX_OK && file) {
        const uint32_t crc = r->crc;
        unsigned char stored[MIX__FMT_CRC_LEN], extra;
        r->end += MIX__FMT_CRC_LEN;
        rc = rd_raw(r, stored, sizeof stored);
        size_t got;
        const int e = rc == MIX_OK ? mix__sys_read(r->f, &extra, 1, &got) : -1;
        if (e == 0)
            rc = mix__rd_fail(r, "the file grew while it was read");
        else if (e > 0)
            rc = read_error(r, e);
        if (rc == MIX_OK && mix__le32(stored) != crc)
            rc = mix__rd_fail(r, "checksum mismatch (CRC-32C 0x%08" PRIx32 ", stored 0x%08" PRIx32
                                 "): the file is corrupt", crc, mix__le32(stored));
    }
    if (rc == MIX_OK)
        rc = c->finish(r, state);
    if (rc != MIX_OK)
        c->discard(state);
    return rc;
}

int mix__load_buffer(const mix__codec *c, void *state, const void *buf, size_t size,
                     mix__err *err)
{
    mix__reader r = {.buf = buf, .name = "buffer", .err = err, .end = size};
    if (size < MIX__FMT_MIN_LEN)
        return mix__rd_fail(&r, "%zu bytes are too few for a libmixture model (at least %u)",
                            size, MIX__FMT_MIN_LEN);
    const unsigned char *h = buf;
    int rc = check_frame(&r, h, size);
    if (rc != MIX_OK)
        return rc;
    /* The checksum first: a corrupt byte anywhere is named as such. */
    const uint32_t crc = mix__crc32c(0, h, size - MIX__FMT_CRC_LEN);
    const uint32_t stored = mix__le32(h + size - MIX__FMT_CRC_LEN);
    if (crc != stored)
        return mix__rd_fail(&r, "checksum mismatch (CRC-32C 0x%08" PRIx32 ", stored 0x%08" PRIx32
                                "): the data is corrupt", crc, stored);
    rc = check_fields(&r, h, c);
    if (rc != MIX_OK)
        return rc;
    r.pos = MIX__FMT_HEADER_LEN;
    r.end = size - MIX__FMT_CRC_LEN;
    return read_model(&r, c, state, 0);
}

int mix__load_file(const mix__codec *c, void *state, const char *path, mix__err *err)
{
    char text[128];
    int e;
    FILE *f = mix__sys_open_read(path, &e);
    if (f == NULL)
        return mix__fail(err, MIX_EIO, "cannot open %s: %s", path,
                         mix__sys_strerror(e, text, sizeof text));
    mix__reader r = {.f = f, .name = path, .err = err, .end = MIX__FMT_HEADER_LEN};
    uint64_t size = 0;
    unsigned char h[MIX__FMT_HEADER_LEN];
    int rc = MIX_OK;
    e = mix__sys_is_regular(f, &size);
    if (e == -1)
        rc = mix__fail(err, MIX_EIO, "cannot load %s: not a regular file", path);
    else if (e != 0)
        rc = mix__fail(err, MIX_EIO, "cannot load %s: %s", path,
                       mix__sys_strerror(e, text, sizeof text));
    else if (size < MIX__FMT_MIN_LEN)
        rc = mix__rd_fail(&r, "%" PRIu64 " bytes are too few for a libmixture model (at least "
                              "%u)", size, MIX__FMT_MIN_LEN);
    if (rc == MIX_OK)
        rc = rd_raw(&r, h, sizeof h);
    if (rc == MIX_OK)
        rc = check_frame(&r, h, size);
    if (rc == MIX_OK)
        rc = check_fields(&r, h, c);
    if (rc == MIX_OK) {
        r.end = size - MIX__FMT_CRC_LEN;
        rc = read_model(&r, c, state, 1);
    }
    (void)mix__sys_close(f); /* read-only: nothing to lose */
    return rc;
}
