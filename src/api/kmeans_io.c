/*
 * The public K-means layer's saving and loading (the format is io/'s): a
 * view of the handle to save, and a loaded state that replaces the
 * handle's only once it is complete. A call that fails changes nothing but
 * the error text.
 */
#include "api/handles.h"

#include "io/io.h"

static mix__kmeans_state view(const kmeans_t *km)
{
    mix__kmeans_state s = {km->k, km->opt, km->fitted, km->model};
    return s;
}

/* The loaded state becomes the handle's. The callback stays the handle's:
 * a function pointer is not saved, it means nothing in another process. */
static void adopt(kmeans_t *km, mix__kmeans_state *s)
{
    s->opt.callback = km->opt.callback;
    s->opt.callback_data = km->opt.callback_data;
    mix__kmodel_free(&km->model);
    mix__free(km->opt.init_centers);
    km->k = s->k;
    km->opt = s->opt;
    km->fitted = s->fitted;
    km->model = s->model;
}

int mix_kmeans_save(const kmeans_t *km, const char *path)
{
    if (km == NULL)
        return MIX_EINVAL;
    if (path == NULL)
        return mix__fail(mix__kmeans_err(km), MIX_EINVAL, "path is NULL");
    mix__kmeans_state s = view(km);
    return mix__kmeans_save(&s, path, mix__kmeans_err(km));
}

int mix_kmeans_save_buffer(const kmeans_t *km, void *buf, size_t capacity, size_t *size)
{
    if (km == NULL)
        return MIX_EINVAL;
    mix__kmeans_state s = view(km);
    return mix__kmeans_save_buffer(&s, buf, capacity, size, mix__kmeans_err(km));
}

int mix_kmeans_load(kmeans_t *km, const char *path)
{
    if (km == NULL)
        return MIX_EINVAL;
    if (path == NULL)
        return mix__fail(&km->err, MIX_EINVAL, "path is NULL");
    mix__kmeans_state s;
    int rc = mix__kmeans_load(&s, path, &km->err);
    if (rc == MIX_OK)
        adopt(km, &s);
    return rc;
}

int mix_kmeans_load_buffer(kmeans_t *km, const void *buf, size_t size)
{
    if (km == NULL)
        return MIX_EINVAL;
    if (buf == NULL)
        return mix__fail(&km->err, MIX_EINVAL, "buf is NULL");
    mix__kmeans_state s;
    int rc = mix__kmeans_load_buffer(&s, buf, size, &km->err);
    if (rc == MIX_OK)
        adopt(km, &s);
    return rc;
}
