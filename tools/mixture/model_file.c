/* Model files: save, and load whichever kind a file holds (the kind field
 * of the header, docs/format.md), with the library's persistence calls. */
#include "model.h"

#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const unsigned char MAGIC[8] = {0x89, 'M', 'I', 'X', 0x0d, 0x0a, 0x1a, 0x0a};

static uint32_t u32_at(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int model_read_header(const char *path, unsigned char head[MODEL_HEADER_LEN], char *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        set_err(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t got = fread(head, 1, MODEL_HEADER_LEN, f);
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        set_err(err, "%s: read error", path);
        return -1;
    }
    if (got < 8 || memcmp(head, MAGIC, 8) != 0) {
        set_err(err, "%s: not a libmixture model file (no model magic at its start)", path);
        return -1;
    }
    if (got < MODEL_HEADER_LEN) {
        set_err(err, "%s: corrupt model file: truncated header (%zu bytes)", path, got);
        return -1;
    }
    return 0;
}

int model_save(const model *m, const char *path, char *err)
{
    int rc = m->km ? mix_kmeans_save(m->km, path) : m->gmm ? mix_gmm_save(m->gmm, path)
                                                          : mix_bmm_save(m->bmm, path);
    if (rc != MIX_OK) {
        set_err(err, "%s: %s: %s", path, mix_strerror(rc), model_errmsg(m));
        return -1;
    }
    return 0;
}

int model_load(model *m, const char *path, char *err)
{
    unsigned char head[MODEL_HEADER_LEN];
    memset(m, 0, sizeof *m);
    if (model_read_header(path, head, err) != 0)
        return -1;
    uint32_t kind = u32_at(head + 16);
    int rc;
    if (kind == KIND_KMEANS) {
        m->km = mix_kmeans_create(1);
        rc = m->km ? mix_kmeans_load(m->km, path) : MIX_ENOMEM;
    } else if (kind == KIND_GMM) {
        m->gmm = mix_gmm_create(1, MIX_COV_FULL);
        rc = m->gmm ? mix_gmm_load(m->gmm, path) : MIX_ENOMEM;
    } else if (kind == KIND_BMM) {
        m->bmm = mix_bmm_create(1);
        rc = m->bmm ? mix_bmm_load(m->bmm, path) : MIX_ENOMEM;
    } else {
        set_err(err, "%s: corrupt model file: unknown model kind %u", path, (unsigned)kind);
        return -1;
    }
    m->kind = (model_kind)kind;
    if (rc != MIX_OK) {
        if (rc == MIX_EFORMAT)
            set_err(err, "%s: corrupt model file: %s", path,
                    m->km || m->gmm || m->bmm ? model_errmsg(m) : "");
        else
            set_err(err, "%s: %s: %s", path, mix_strerror(rc),
                    m->km || m->gmm || m->bmm ? model_errmsg(m) : "");
        model_free(m);
        return -1;
    }
    return 0;
}
