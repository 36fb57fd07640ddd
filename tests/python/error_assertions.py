"""Shared by the suites: a failing call must raise the package's exception
for the library's status code (a ValueError or RuntimeError subclass) with
the library's message naming what went wrong."""
import mixture


class ErrorAssertions:
    """Mixin for unittest.TestCase."""

    BASES = {mixture.Status.EINVAL: ValueError, mixture.Status.EDATA: ValueError,
             mixture.Status.EDIM: ValueError, mixture.Status.ESTATE: ValueError,
             mixture.Status.EFORMAT: ValueError, mixture.Status.ENOMEM: MemoryError,
             mixture.Status.ENUMERIC: RuntimeError, mixture.Status.EIO: RuntimeError,
             mixture.Status.ECANCELED: RuntimeError}

    def assert_fails(self, code, fn, *words):
        with self.assertRaises(mixture.MixtureError) as cm:
            fn()
        err = cm.exception
        self.assertEqual(err.code, code, str(err))
        self.assertIsInstance(err, self.BASES[code])
        self.assertTrue(str(err), "the message is empty")
        self.assertEqual(str(err), err.message)
        for word in words:
            self.assertIn(word.lower(), str(err).lower(), f"message {str(err)!r}")
        return err
