/* Runs every Check suite; prints Check's summary line. */
#include "testutil.h"

int main(void)
{
    SRunner *sr = srunner_create(api_suite());
    srunner_add_suite(sr, kmeans_errors_suite());
    srunner_add_suite(sr, kmeans_suite());
    srunner_add_suite(sr, kmeans_ref_suite());
    srunner_add_suite(sr, metrics_suite());
    srunner_add_suite(sr, gmm_errors_suite());
    srunner_add_suite(sr, gmm_suite());
    srunner_add_suite(sr, gmm_ref_suite());
    srunner_add_suite(sr, hostile_suite());
    srunner_add_suite(sr, weights_suite());
    srunner_add_suite(sr, mclust_suite());
    srunner_add_suite(sr, adam_suite());
    srunner_add_suite(sr, bmm_suite());
    srunner_add_suite(sr, hc_suite());
    srunner_add_suite(sr, stream_suite());
    srunner_add_suite(sr, online_suite());
    srunner_add_suite(sr, internal_suite());
    srunner_add_suite(sr, io_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
