/* A downstream program: built only with `pkg-config --cflags --libs mixture`
 * (shared) or `--static`, from an installed copy of the library. */
#include <mixture.h>

#include <math.h>
#include <stdio.h>

int main(void)
{
    /* Two well separated pairs of points: centers are their midpoints. */
    const double X[] = {0.0, 0.0, 0.0, 2.0, 10.0, 10.0, 10.0, 12.0};
    if (mix_version_number() != MIX_VERSION_NUMBER) {
        fprintf(stderr, "header %s but library %s\n", MIX_VERSION_STRING, mix_version_string());
        return 1;
    }
    kmeans_t *km = mix_kmeans_create(2);
    if (km == NULL)
        return 1;
    mix_kmeans_set_seed(km, 1);
    int rc = mix_kmeans_fit(km, X, 4, 2, NULL);
    if (rc != MIX_OK) {
        fprintf(stderr, "fit: %s (%s)\n", mix_strerror(rc), mix_kmeans_errmsg(km));
        return 1;
    }
    const double *c = mix_kmeans_centers(km);
    double inertia = mix_kmeans_inertia(km);
    int ok = fabs(inertia - 4.0) < 1e-12 && (c[1] == 1.0 || c[3] == 1.0);
    printf("libmixture %s: inertia %.3f, centers (%g, %g) (%g, %g): %s\n", mix_version_string(),
           inertia, c[0], c[1], c[2], c[3], ok ? "ok" : "WRONG");
    mix_kmeans_free(km);
    return ok ? 0 : 1;
}
