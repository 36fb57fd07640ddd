/*
 * The byte streams of io/ (private): a writer and a bounds-checked reader
 * over a caller's buffer or a stdio file, both little-endian and keeping
 * the CRC-32C of what passed; the codec a model kind supplies; and the
 * drivers that frame a model (header, records, checksum) for both forms.
 */
#ifndef MIX__IO_STREAM_H
#define MIX__IO_STREAM_H

#include "core/common.h"
#include "io/format.h"

#include <stdio.h>

/* --- writing (writer.c) ------------------------------------------------------ */

typedef struct mix__writer {
    unsigned char *buf; /* memory: the caller's buffer, large enough; or NULL */
    FILE *f;            /* file; or NULL */
    uint64_t pos;       /* bytes written */
    uint32_t crc;       /* CRC-32C of them */
    int err_no;         /* errno of the first failed write (file), 0 if none */
} mix__writer;

void mix__wr_bytes(mix__writer *w, const void *p, size_t n);
void mix__wr_u64(mix__writer *w, uint64_t v);
void mix__wr_i64(mix__writer *w, int64_t v);
void mix__wr_f64(mix__writer *w, double v);
/* A record's header: tag, flags 0, payload length. */
void mix__wr_record(mix__writer *w, uint32_t tag, uint64_t len);
/* A record holding the n doubles of a. */
void mix__wr_array(mix__writer *w, uint32_t tag, const double *a, size_t n);

/* --- reading (reader.c) ------------------------------------------------------ */

typedef struct mix__reader {
    const unsigned char *buf; /* memory source (its checksum verified first), or NULL */
    FILE *f;                  /* file source, or NULL */
    const char *name;         /* the path, or "buffer": messages start with it */
    mix__err *err;
    uint64_t pos;  /* bytes consumed */
    uint64_t end;  /* where the records end (the checksum's offset) */
    uint32_t crc;  /* of the bytes consumed (file source) */
    uint32_t tag;  /* the record mix__rd_next found (0: none left) ... */
    uint64_t len;  /* ... its payload length */
    uint64_t at;   /* ... and the offset of its header */
    uint32_t version; /* the file's format version, once its header is checked */
} mix__reader;

/* MIX_EFORMAT with "<name>: <message>". */
int mix__rd_fail(mix__reader *r, const char *fmt, ...) MIX__PRINTF(2, 3);
/* The next record's header into r->tag, len, at (tag 0 at the end),
 * skipping the optional records this version does not know. */
int mix__rd_next(mix__reader *r);
/* The current record must be `tag` with exactly len bytes of payload. */
int mix__rd_expect(mix__reader *r, uint32_t tag, uint64_t len);
int mix__rd_u64(mix__reader *r, uint64_t *v);
int mix__rd_i64(mix__reader *r, int64_t *v);
int mix__rd_f64(mix__reader *r, double *v);
/* The current record must be `tag` holding n doubles: read into a, then
 * move to the next record. */
int mix__rd_array(mix__reader *r, uint32_t tag, double *a, size_t n);
/* Bytes of records still ahead must hold `need` bytes (the records a shape
 * read so far requires), checked before allocating for them. */
int mix__rd_room(mix__reader *r, uint64_t need, const char *what);
/* Printable form of a tag ("KOPT", or "0x1a2b3c4d"). */
const char *mix__tag_name(uint32_t tag, char out[16]);

/* --- a model kind's codec, and the drivers (reader.c, writer.c) --------------- */

typedef struct mix__plan {
    uint64_t len;   /* bytes of the records */
    unsigned flags; /* choices the encoder made (which optional arrays) */
} mix__plan;

/* plan and encode read the state saved (io.h's); decode, finish and
 * discard work on whatever the codec's load passes the driver. */
typedef struct mix__codec {
    uint32_t kind;
    const char *name; /* "a K-means model", for messages */
    /* The records' length and any choice the encoding makes, computed once
     * (the header states the length before the records are written). */
    void (*plan)(const void *state, mix__plan *plan);
    void (*encode)(mix__writer *w, const void *state, const mix__plan *plan);
    /* The records into state, arrays allocated here; on failure nothing is
     * left allocated. */
    int (*decode)(mix__reader *r, void *state);
    /* Once the checksum is verified: the values checked as a model can use
     * them, derived parts computed. */
    int (*finish)(mix__reader *r, void *state);
    void (*discard)(void *state);
} mix__codec;

int mix__save_file(const mix__codec *c, const void *state, const char *path, mix__err *err);
int mix__save_buffer(const mix__codec *c, const void *state, void *buf, size_t capacity,
                     size_t *size, mix__err *err);
int mix__load_file(const mix__codec *c, void *state, const char *path, mix__err *err);
int mix__load_buffer(const mix__codec *c, void *state, const void *buf, size_t size,
                     mix__err *err);

/* --- the file operations, behind one door the fault build can fail (sys.c) --- */

/* Read exactly n bytes: 0, -1 when the file ends first, or an errno value;
 * *got bytes were read. */
int mix__sys_read(FILE *f, void *p, size_t n, size_t *got);
/* 0 or an errno value, for each of these. */
int mix__sys_write(FILE *f, const void *p, size_t n);
int mix__sys_flush_and_sync(FILE *f);
int mix__sys_close(FILE *f);
int mix__sys_rename(const char *from, const char *to);
/* The stream, or NULL with *err_no set. */
FILE *mix__sys_open_read(const char *path, int *err_no);
/* A new file at path, created exclusively (never an existing one). */
FILE *mix__sys_create(const char *path, int *err_no);
/* 0 and the size of a regular file, EISDIR, -1 for other kinds of files,
 * or an errno value. */
int mix__sys_is_regular(FILE *f, uint64_t *size);
void mix__sys_remove(const char *path);
/* Sync the directory holding path, so that a rename in it is durable. */
void mix__sys_sync_dir(const char *path);
/* The system's text for err_no, into buf (thread-safe, unlike strerror). */
const char *mix__sys_strerror(int err_no, char *buf, size_t len);

/* Little-endian fields. */
static inline uint32_t mix__le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t mix__le64(const unsigned char *p)
{
    return (uint64_t)mix__le32(p) | (uint64_t)mix__le32(p + 4) << 32;
}

static inline void mix__put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static inline void mix__put_le64(unsigned char *p, uint64_t v)
{
    mix__put_le32(p, (uint32_t)v);
    mix__put_le32(p + 4, (uint32_t)(v >> 32));
}

/* Arrays of doubles are copied as they lie in memory on little-endian
 * hosts (the common case, and the fast one); others convert each value. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define MIX__LITTLE_ENDIAN 1
#else
#define MIX__LITTLE_ENDIAN 0
#endif

#endif /* MIX__IO_STREAM_H */
