/* API foundation: versions, status codes, NULL handles, option validation,
 * error messages. */
#include "testutil.h"

#include <stdio.h>

START_TEST(version_matches_header)
{
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", MIX_VERSION_MAJOR, MIX_VERSION_MINOR,
             MIX_VERSION_PATCH);
    ck_assert_str_eq(mix_version_string(), expect);
    ck_assert_str_eq(MIX_VERSION_STRING, expect);
    ck_assert_uint_eq(mix_version_number(), MIX_VERSION_MAJOR * 10000u +
                                                MIX_VERSION_MINOR * 100u + MIX_VERSION_PATCH);
}
END_TEST

/* The values are part of the ABI: they must never change. */
START_TEST(status_codes_are_pinned)
{
    ck_assert_int_eq(MIX_OK, 0);
    ck_assert_int_eq(MIX_EINVAL, -1);
    ck_assert_int_eq(MIX_ENOMEM, -2);
    ck_assert_int_eq(MIX_EDATA, -3);
    ck_assert_int_eq(MIX_EDIM, -4);
    ck_assert_int_eq(MIX_ESTATE, -5);
    ck_assert_int_eq(MIX_ENUMERIC, -6);
    ck_assert_int_eq(MIX_EIO, -7);
    ck_assert_int_eq(MIX_EFORMAT, -8);
    ck_assert_int_eq(MIX_ECANCELED, -9);
    ck_assert_int_eq(MIX_INIT_KMEANS, 0);
    ck_assert_int_eq(MIX_INIT_KMEANSPP, 1);
    ck_assert_int_eq(MIX_INIT_RANDOM, 2);
    ck_assert_int_eq(MIX_INIT_RANDOM_FROM_DATA, 3);
    ck_assert_int_eq(MIX_COV_FULL, 0);
    ck_assert_int_eq(MIX_COV_TIED, 1);
    ck_assert_int_eq(MIX_COV_DIAG, 2);
    ck_assert_int_eq(MIX_COV_SPHERICAL, 3);
}
END_TEST

START_TEST(strerror_texts)
{
    ck_assert_str_eq(mix_strerror(MIX_OK), "success");
    ck_assert_str_eq(mix_strerror(MIX_EINVAL), "invalid argument");
    ck_assert_str_eq(mix_strerror(MIX_ENOMEM), "out of memory");
    ck_assert_str_eq(mix_strerror(MIX_ESTATE), "model is not fitted");
    /* Every code has its own text; anything else is "unknown". */
    for (int a = MIX_ECANCELED; a <= 0; a++) {
        ck_assert_ptr_nonnull(mix_strerror(a));
        ck_assert_str_ne(mix_strerror(a), "unknown status code");
        for (int b = a + 1; b <= 0; b++)
            ck_assert_str_ne(mix_strerror(a), mix_strerror(b));
    }
    ck_assert_str_eq(mix_strerror(1), "unknown status code");
    ck_assert_str_eq(mix_strerror(-10), "unknown status code");
    ck_assert_str_eq(mix_strerror(-2147483647 - 1), "unknown status code");
}
END_TEST

START_TEST(create_rejects_zero_and_huge_k)
{
    ck_assert_ptr_null(mix_kmeans_create(0));
    ck_assert_ptr_null(mix_kmeans_create((size_t)INT32_MAX + 1));
    ck_assert_ptr_null(mix_kmeans_create(SIZE_MAX));
}
END_TEST

/* Every entry point survives a NULL handle (libsamplerate's habit). */
START_TEST(null_handle_everywhere)
{
    const double X[4] = {0, 1, 2, 3};
    int32_t lab[4];
    double out[4];
    mix_kmeans_free(NULL);
    ck_assert_int_eq(mix_kmeans_set_init(NULL, MIX_INIT_KMEANSPP), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_init_centers(NULL, X, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_n_init(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_max_iter(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_tol(NULL, 0), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_seed(NULL, 0), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_threads(NULL, 1), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_callback(NULL, NULL, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_fit(NULL, X, 4, 1, NULL), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_predict(NULL, X, 4, 1, lab), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_transform(NULL, X, 4, 1, out), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_score(NULL, X, 4, 1, out), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_score_weighted(NULL, X, 4, 1, NULL, out), MIX_EINVAL);
    ck_assert_ptr_null(mix_kmeans_centers(NULL));
    ck_assert_ptr_null(mix_kmeans_labels(NULL));
    ck_assert(isnan(mix_kmeans_inertia(NULL)));
    ck_assert_int_eq(mix_kmeans_n_iter(NULL), 0);
    ck_assert_uint_eq(mix_kmeans_n_clusters(NULL), 0);
    ck_assert_uint_eq(mix_kmeans_n_features(NULL), 0);
    ck_assert_uint_eq(mix_kmeans_n_samples(NULL), 0);
    ck_assert_int_eq(mix_kmeans_is_fitted(NULL), 0);
    ck_assert_str_eq(mix_kmeans_errmsg(NULL), "NULL handle");
}
END_TEST

START_TEST(fresh_handle_state)
{
    kmeans_t *km = mix_kmeans_create(3);
    ck_assert_ptr_nonnull(km);
    ck_assert_str_eq(mix_kmeans_errmsg(km), "no error");
    ck_assert_uint_eq(mix_kmeans_n_clusters(km), 3);
    ck_assert_int_eq(mix_kmeans_is_fitted(km), 0);
    ck_assert_ptr_null(mix_kmeans_centers(km));
    ck_assert_ptr_null(mix_kmeans_labels(km));
    ck_assert(isnan(mix_kmeans_inertia(km)));
    ck_assert_int_eq(mix_kmeans_n_iter(km), 0);
    mix_kmeans_free(km);
}
END_TEST

/* Absurd option values: rejected with a message naming the option; valid
 * bounds accepted. */
START_TEST(setters_validate)
{
    kmeans_t *km = mix_kmeans_create(2);
    ck_assert_int_eq(mix_kmeans_set_n_init(km, 0), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "n_init"));
    ck_assert_int_eq(mix_kmeans_set_n_init(km, -3), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_n_init(km, 100001), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_n_init(km, 1), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_max_iter(km, 0), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "max_iter"));
    ck_assert_int_eq(mix_kmeans_set_max_iter(km, -1), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_max_iter(km, 1), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_tol(km, -1e-9), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "tol"));
    ck_assert_int_eq(mix_kmeans_set_tol(km, NAN), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_tol(km, INFINITY), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_tol(km, 0.0), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_threads(km, -1), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "threads"));
    ck_assert_int_eq(mix_kmeans_set_threads(km, 1025), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_threads(km, 0), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_init(km, MIX_INIT_KMEANS), MIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "MIX_INIT_KMEANS"));
    ck_assert_int_eq(mix_kmeans_set_init(km, (mix_init)42), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_init(km, (mix_init)-1), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_init(km, MIX_INIT_RANDOM), MIX_OK);
    ck_assert_int_eq(mix_kmeans_set_seed(km, UINT64_MAX), MIX_OK);
    mix_kmeans_free(km);
}
END_TEST

START_TEST(init_centers_validate)
{
    kmeans_t *km = mix_kmeans_create(2);
    const double ok[4] = {0, 0, 1, 1};
    const double bad[4] = {0, NAN, 1, 1};
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, NULL, 2), MIX_EINVAL);
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, ok, 0), MIX_EDIM);
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, ok, SIZE_MAX / 2), MIX_EDIM);
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, bad, 2), MIX_EDATA);
    ck_assert_ptr_nonnull(strstr(mix_kmeans_errmsg(km), "NaN"));
    ck_assert_int_eq(mix_kmeans_set_init_centers(km, ok, 2), MIX_OK);
    mix_kmeans_free(km);
}
END_TEST

/* Reading the message never changes it; success does not clear it. */
START_TEST(errmsg_is_stable)
{
    kmeans_t *km = mix_kmeans_create(2);
    ck_assert_int_eq(mix_kmeans_set_max_iter(km, 0), MIX_EINVAL);
    char first[256];
    snprintf(first, sizeof first, "%s", mix_kmeans_errmsg(km));
    ck_assert_str_eq(mix_kmeans_errmsg(km), first);
    ck_assert_int_eq(mix_kmeans_set_max_iter(km, 5), MIX_OK);
    ck_assert_str_eq(mix_kmeans_errmsg(km), first);
    mix_kmeans_free(km);
}
END_TEST

Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, version_matches_header);
    tcase_add_test(tc, status_codes_are_pinned);
    tcase_add_test(tc, strerror_texts);
    tcase_add_test(tc, create_rejects_zero_and_huge_k);
    tcase_add_test(tc, null_handle_everywhere);
    tcase_add_test(tc, fresh_handle_state);
    tcase_add_test(tc, setters_validate);
    tcase_add_test(tc, init_centers_validate);
    tcase_add_test(tc, errmsg_is_stable);
    suite_add_tcase(s, tc);
    return s;
}
