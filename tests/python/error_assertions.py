"""Shared by the parity suites: a failing call must raise MixtureError with
the expected status code and an errmsg naming what went wrong."""
import mixture_ctypes as mix


class ErrorAssertions:
    """Mixin for unittest.TestCase."""

    def assert_fails(self, code, fn, *words):
        with self.assertRaises(mix.MixtureError) as cm:
            fn()
        err = cm.exception
        self.assertEqual(err.code, code, str(err))
        self.assertTrue(err.message, "errmsg is empty")
        for word in words:
            self.assertIn(word.lower(), err.message.lower(), f"errmsg {err.message!r}")
        return err
