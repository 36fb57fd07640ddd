/* mixture info: what a model file holds: kind, shapes, options, fit results. */
#include "cmd.h"

#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: mixture info MODEL\n"
    "\n"
    "What the model file MODEL holds: its kind, format version and writer, shapes\n"
    "(k, features, covariance type), the options it was fitted with, and the fit's\n"
    "results (iterations, convergence, lower bound or inertia, weights).\n";

static const opt_spec SPECS[] = {{"help", 'h', 0, OPT_HELP}, {NULL, 0, 0, 0}};

static uint64_t u64_at(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static double f64_at(const unsigned char *p)
{
    uint64_t u = u64_at(p);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static const char *init_name(uint64_t init)
{
    static const char *const names[] = {"kmeans", "k-means++", "random", "random_from_data",
                                        "hierarchical"};
    return init < 5 ? names[init] : "?";
}

/* The options record, the first after the header (docs/format.md). */
enum { OPT_RECORD_MAX = 144 };
static int read_options(const char *path, unsigned char *payload, size_t want, char *err)
{
    unsigned char buf[MODEL_HEADER_LEN + 16 + OPT_RECORD_MAX];
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(buf, 1, MODEL_HEADER_LEN + 16 + want, f) : 0;
    if (f != NULL)
        fclose(f);
    if (got != MODEL_HEADER_LEN + 16 + want) {
        set_err(err, "%s: cannot read the options record: %s", path,
                f ? "short file" : strerror(errno));
        return -1;
    }
    memcpy(payload, buf + MODEL_HEADER_LEN + 16, want);
    return 0;
}

static void print_weights(const double *w, size_t k)
{
    printf("weights:      ");
    for (size_t j = 0; j < k; j++)
        printf("%s%.6g", j ? " " : "", w[j]);
    printf("\n");
}

static void print_kmeans(const model *m, const unsigned char *o)
{
    printf("clusters:     %zu\n", model_k(m));
    char n_init[24] = "auto";
    if (u64_at(o + 16) != 0)
        snprintf(n_init, sizeof n_init, "%lld", (long long)u64_at(o + 16));
    printf("options:      init=%s n_init=%s max_iter=%lld tol=%.6g seed=%llu threads=%lld "
           "algorithm=%s method=%s",
           init_name(u64_at(o + 8)), n_init, (long long)u64_at(o + 24),
           f64_at(o + 32), (unsigned long long)u64_at(o + 40), (long long)u64_at(o + 48),
           u64_at(o + 56) == 1 ? "lloyd" : u64_at(o + 56) == 2 ? "hamerly" : "auto",
           u64_at(o + 64) == 1 ? "adam" : "em");
    if (u64_at(o + 64) == 1)
        printf(" learning_rate=%.6g batch_size=%llu", f64_at(o + 72),
               (unsigned long long)u64_at(o + 104));
    printf("\n");
    if (model_is_fitted(m))
        printf("fit:          %d iterations, inertia %.10g\n", mix_kmeans_n_iter(m->km),
               mix_kmeans_inertia(m->km));
}

static void print_mixture(const model *m, const unsigned char *o)
{
    static const char *const COV[] = {"full", "tied", "diag", "spherical"};
    printf("components:   %zu\n", model_k(m));
    if (m->gmm != NULL)
        printf("covariance:   %s\n", COV[mix_gmm_covariance_type(m->gmm) & 3]);
    printf("options:      init=%s n_init=%lld max_iter=%lld tol=%.6g %s=%.6g seed=%llu "
           "warm_start=%llu threads=%lld method=%s",
           init_name(u64_at(o + 16)), (long long)u64_at(o + 24), (long long)u64_at(o + 32),
           f64_at(o + 40), m->gmm ? "reg_covar" : "alpha", f64_at(o + 48),
           (unsigned long long)u64_at(o + 56), (unsigned long long)u64_at(o + 64),
           (long long)u64_at(o + 72), u64_at(o + 80) == 1 ? "adam" : "em");
    if (u64_at(o + 80) == 1)
        printf(" learning_rate=%.6g batch_size=%llu", f64_at(o + 88),
               (unsigned long long)u64_at(o + 120));
    printf("\n");
    if (!model_is_fitted(m))
        return;
    int n_iter = m->gmm ? mix_gmm_n_iter(m->gmm) : mix_bmm_n_iter(m->bmm);
    int converged = m->gmm ? mix_gmm_converged(m->gmm) : mix_bmm_converged(m->bmm);
    double lb = m->gmm ? mix_gmm_lower_bound(m->gmm) : mix_bmm_lower_bound(m->bmm);
    printf("fit:          %d iterations, %s, lower bound %.10g\n", n_iter,
           converged ? "converged" : "not converged", lb);
    printf("parameters:   %zu\n", model_n_parameters(m));
    print_weights(m->gmm ? mix_gmm_weights(m->gmm) : mix_bmm_weights(m->bmm), model_k(m));
}

int cmd_info(int argc, char **argv)
{
    const char *cmd = "info", *value, *path = NULL;
    int id;
    arg_iter it;
    args_init(&it, cmd, argc, argv);
    while ((id = args_next(&it, SPECS, &value)) != ARG_END) {
        if (id == ARG_ERROR)
            return EXIT_USAGE;
        if (id == OPT_HELP)
            return print_help(HELP);
        if (path != NULL)
            return usage_error(cmd, "one MODEL only; '%s' is one too many", value);
        path = value;
    }
    if (path == NULL)
        return usage_error(cmd, "MODEL is required");
    model m;
    int rc = open_model(cmd, path, &m);
    if (rc != 0)
        return rc;
    char err[ERR_LEN];
    unsigned char head[MODEL_HEADER_LEN], opts[OPT_RECORD_MAX];
    size_t opt_len = m.kind == KIND_KMEANS ? 120 : 144;
    if (model_read_header(path, head, err) != 0 || read_options(path, opts, opt_len, err) != 0) {
        model_free(&m);
        return fail(cmd, "%s", err);
    }
    unsigned writer = (unsigned)(u64_at(head + 8) >> 32);
    printf("file:         %s (format %u, written by libmixture %u.%u.%u)\n", path,
           (unsigned)(u64_at(head + 8) & 0xffffffffu), writer / 10000, writer / 100 % 100,
           writer % 100);
    printf("kind:         %s (%s)\n", kind_title(m.kind), kind_name(m.kind));
    if (model_is_fitted(&m))
        printf("features:     %zu\n", model_d(&m));
    else
        printf("fitted:       no\n");
    if (m.kind == KIND_KMEANS)
        print_kmeans(&m, opts);
    else
        print_mixture(&m, opts);
    model_free(&m);
    return fflush(stdout) == 0 ? EXIT_OK : fail(cmd, "<stdout>: write error");
}
