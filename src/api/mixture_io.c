/*
 * Saving and loading a mixture handle (gmm_t, bmm_t; the format is io/'s):
 * a view of the handle to save, and a loaded state that replaces the
 * handle's k, family, options and model only once it is complete. A call
 * that fails changes nothing but the error text.
 */
#include "api/mixture.h"

#include "io/io.h"

static mix__mixture_state view(const mix__mhandle *h)
{
    mix__mixture_state s = {(mix__io_kind)h->kind->io_kind, h->k, h->fam, h->opt, h->fitted,
                            h->model};
    return s;
}

/* The loaded state becomes the handle's. The callback stays the handle's:
 * a function pointer is not saved, it means nothing in another process. */
static void adopt(mix__mhandle *h, mix__mixture_state *s)
{
    s->opt.callback = h->opt.callback;
    s->opt.callback_data = h->opt.callback_data;
    mix__mmodel_free(&h->model);
    mix__free(h->opt.given_weights);
    mix__free(h->opt.given_means);
    mix__free(h->opt.given_cov);
    h->k = s->k;
    h->fam = s->fam;
    h->opt = s->opt;
    h->fitted = s->fitted;
    h->model = s->model;
}

int mix__mh_save(const mix__mhandle *h, const char *path)
{
    if (path == NULL)
        return mix__fail(mix__mh_err(h), MIX_EINVAL, "path is NULL");
    mix__mixture_state s = view(h);
    return mix__mixture_save(&s, path, mix__mh_err(h));
}

int mix__mh_save_buffer(const mix__mhandle *h, void *buf, size_t capacity, size_t *size)
{
    mix__mixture_state s = view(h);
    return mix__mixture_save_buffer(&s, buf, capacity, size, mix__mh_err(h));
}

int mix__mh_load(mix__mhandle *h, const char *path)
{
    if (path == NULL)
        return mix__fail(&h->err, MIX_EINVAL, "path is NULL");
    mix__mixture_state s;
    int rc = mix__mixture_load(&s, (mix__io_kind)h->kind->io_kind, path, &h->err);
    if (rc == MIX_OK)
        adopt(h, &s);
    return rc;
}

int mix__mh_load_buffer(mix__mhandle *h, const void *buf, size_t size)
{
    if (buf == NULL)
        return mix__fail(&h->err, MIX_EINVAL, "buf is NULL");
    mix__mixture_state s;
    int rc = mix__mixture_load_buffer(&s, (mix__io_kind)h->kind->io_kind, buf, size, &h->err);
    if (rc == MIX_OK)
        adopt(h, &s);
    return rc;
}
