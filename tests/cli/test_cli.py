"""The command-line tool `mixture` (tools/mixture/), driven as a user or a
script drives it: every command and option, files and pipes, CSV and .npy,
every class of bad input, exit statuses 0 / 1 / 2 with one line on standard
error naming the file, line and column. Its numbers are compared with the
library's own, computed here through the Python package `mixture`
(python/mixture/) on the same rows with the same options, or with formulas
written out here (the K-means information criteria). The package's
estimators take the library's defaults except two, given here as the tool
leaves them: the seed (the library's is 0, random_state=None would draw
one) and BernoulliMixture's binarize (None: the rows as they are). A model
file written by the tool is loaded with the library's mix_*_load through
the package's handles (mixture._lib).

Environment: MIXTURE_TOOL (the binary); the package on PYTHONPATH (the
build tree's python/, where `make python` links the library next to it),
MIXTURE_LIBRARY optionally naming the shared library (`make check-cli`
sets them). Needs NumPy, as the package does."""
import ctypes
import io
import os
import pty
import re
import select
import subprocess
import tempfile
import unittest
import warnings
from ctypes import c_char_p, c_int, c_size_t, c_void_p

import numpy as np

import mixture
from mixture import _lib

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))
TOOL = os.environ.get("MIXTURE_TOOL", os.path.join(TOP, "bin", "mixture"))
DATA = os.path.join(TOP, "examples", "data")
IRIS = os.path.join(DATA, "iris.csv")
FAITHFUL = os.path.join(DATA, "faithful.csv")
DIGITS = os.path.join(DATA, "digits.csv")

# The library's default seed: what the tool fits with when --seed is not
# given (the estimators' random_state=None would draw a seed instead).
SEED = 0

# The calls of model files, declared here with explicit types whether or
# not the package declares them (it needs none of them itself).
for _name, (_restype, *_argtypes) in {
        "mix_kmeans_load": (c_int, c_void_p, c_char_p),
        "mix_gmm_load": (c_int, c_void_p, c_char_p),
        "mix_bmm_load": (c_int, c_void_p, c_char_p),
        "mix_kmeans_n_clusters": (c_size_t, c_void_p),
        "mix_gmm_n_components": (c_size_t, c_void_p),
        "mix_bmm_n_components": (c_size_t, c_void_p),
        "mix_gmm_covariance_type": (c_int, c_void_p)}.items():
    _fn = getattr(_lib.lib, _name)
    _fn.restype, _fn.argtypes = _restype, _argtypes


def fitted(est, X, sample_weight=None):
    """est fitted to X: the reference fit. A fit that stops at max_iter
    (Adam with tol 0) is meant to, so ConvergenceWarning is no finding."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mixture.ConvergenceWarning)
        return est.fit(X, sample_weight=sample_weight)


def library(est, name, X=None):
    """What the estimator does not expose, asked of the library handle of
    its fit (mixture._lib.Handle): mix_<kind>_<name>(h) for a getter, or
    mix_<kind>_<name>(h, X, n, d, &out) for a value on rows."""
    if X is None:
        return est._model.get(name)
    X = np.ascontiguousarray(X, dtype=np.float64)
    out = np.empty(1)
    est._model.call(name, X.ctypes.data, X.shape[0], X.shape[1], out.ctypes.data)
    return float(out[0])


def run(*args, stdin=None, check=None):
    """(status, stdout bytes, stderr text) of `mixture ARGS`."""
    p = subprocess.run([TOOL] + [str(a) for a in args], input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    err = p.stderr.decode()
    if check is not None and p.returncode != check:
        raise AssertionError("mixture %s: status %d, expected %d; stderr: %s"
                             % (" ".join(map(str, args)), p.returncode, check, err))
    return p.returncode, p.stdout, err


def iris():
    return np.loadtxt(IRIS, delimiter=",", skiprows=1, usecols=range(4))


def faithful():
    return np.loadtxt(FAITHFUL, delimiter=",", skiprows=1)


def csv_rows(out, header=True):
    lines = out.decode().splitlines()
    return lines[0] if header else None, np.loadtxt(io.StringIO("\n".join(
        lines[1:] if header else lines)), delimiter=",", ndmin=2)


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b))) / max(float(np.max(np.abs(b))), 1e-300)


class Tmp(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory()
        self.dir = self._dir.name

    def tearDown(self):
        self._dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def npy_file(self, name, header, data=b""):
        """A .npy file (format 1.0) of this header dictionary, then data."""
        h = header.encode("latin-1")
        h += b" " * ((-(10 + len(h) + 1)) % 64) + b"\n"
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(b"\x93NUMPY\x01\x00" + len(h).to_bytes(2, "little") + h + data)
        return p

    def assert_fails(self, args, status, *fragments, stdin=None):
        """status and one line on stderr holding every fragment."""
        rc, out, err = run(*args, stdin=stdin)
        self.assertEqual(rc, status, "stderr: " + err)
        self.assertEqual(err.count("\n"), 1, "one line on stderr: " + repr(err))
        self.assertTrue(err.startswith("mixture"), err)
        for f in fragments:
            self.assertIn(f, err)
        return err


class Usage(Tmp):
    def test_help_of_every_command(self):
        rc, out, _ = run("--help", check=0)
        for cmd in ("fit", "predict", "score", "transform", "sample", "select", "info"):
            self.assertIn(cmd, out.decode())
            rc, out_cmd, _ = run(cmd, "--help", check=0)
            self.assertTrue(out_cmd.decode().startswith("usage: mixture " + cmd))
        rc, out, _ = run("--version", check=0)
        self.assertIn(mixture.library_version(), out.decode())

    def test_usage_errors_exit_2(self):
        cases = [
            ((), "a command is required"),
            (("frobnicate",), "unknown command 'frobnicate'"),
            (("fit", "-o", "m", IRIS), "-k K is required"),
            (("fit", "-k", "3", IRIS), "-o MODEL is required"),
            (("fit", "-k", "3", "-o", "m"), "INPUT is required"),
            (("fit", "-k", "0", "-o", "m", IRIS), "-k: 0 is out of range"),
            (("fit", "-k", "x", "-o", "m", IRIS), "-k: 'x' is not an integer"),
            (("fit", "-k", "2", "--tol", "-1", "-o", "m", IRIS), "--tol"),
            (("fit", "-k", "2", "--covariance", "round", "-o", "m", IRIS), "not one of full"),
            (("fit", "--model", "kmeans", "-k", "2", "--covariance", "diag", "-o", "m", IRIS),
             "--covariance does not apply to a kmeans model"),
            (("fit", "--model", "bmm", "-k", "2", "--method", "adam", "-o", "m", IRIS),
             "--method does not apply to a bmm model"),
            (("fit", "--model", "kmeans", "-k", "2", "--init", "hierarchical", "-o", "m", IRIS),
             "hierarchical is for Gaussian mixtures only"),
            (("fit", "-k", "2", "--bogus", "-o", "m", IRIS), "unknown option --bogus"),
            (("fit", "-k", "2", "--quiet=yes", "-o", "m", IRIS), "takes no value"),
            (("fit", "-k", "2", "-o"), "needs a value"),
            (("fit", "-k", "2", "-o", "m", IRIS, IRIS), "one INPUT only"),
            (("fit", "-k", "2", "--columns", "9", "-o", "m", IRIS), "column 9 does not exist"),
            (("fit", "-k", "2", "--columns", "petals", "-o", "m", IRIS),
             "no column named 'petals'"),
            (("fit", "-k", "2", "--columns", "1,1", "-o", "m", IRIS), "selected twice"),
            (("fit", "-k", "2", "--weights-column", "2", "--columns", "1-4", "-o", "m", IRIS),
             "weights column"),
            (("fit", "-k", "2", "--delimiter", "x", "-o", "m", IRIS), "--delimiter"),
            (("select", "--k-min", "3", "--k-max", "2", IRIS), "--k-min 3 is above --k-max 2"),
            (("select", "--k-max", "2", IRIS), "--k-min and --k-max are required"),
            (("select", "--k-min", "1", "--k-max", "2", "--heldout", "0.3", IRIS),
             "--heldout goes with --criterion heldout"),
            (("select", "--k-min", "1", "--k-max", "2", "--criterion", "heldout",
              "--heldout", "1", IRIS), "--heldout"),
            (("select", "--k-min", "1", "--k-max", "2", "--criterion", "icl", IRIS),
             "not one of bic, aic, heldout"),
            (("predict", "m"), "MODEL and INPUT are required"),
            (("predict", "--format", "xls", "m", IRIS), "not one of csv, npy"),
            (("score", "--bic", "--aic", "m", IRIS), "exclude each other"),
            (("sample", "m"), "-n N is required"),
            (("sample", "-n", "0", "m"), "-n: 0 is out of range"),
            (("info",), "MODEL is required"),
            (("transform", "m", IRIS, "x"), "one too many"),
        ]
        for args, fragment in cases:
            with self.subTest(args=args):
                err = self.assert_fails(args, 2, fragment)
                self.assertIn("--help", err)
        self.assertFalse(os.path.exists("m"))

    def test_integer_values_start_with_a_digit(self):
        """strtol and strtoull skip white space and take a sign: "\t-1"
        was --seed 2^64 - 1. A value starts with a digit, or it is a usage
        error; so do the numbers of the other options."""
        m = self.path("m")
        for args in (("fit", "--seed", "\t-1"), ("fit", "--seed", " 1"), ("fit", "--seed", "+1"),
                     ("fit", "--seed", "-0"), ("fit", "--seed", "\n7"),
                     ("fit", "--max-iter", "\t5"), ("fit", "--n-init", "+2"),
                     ("fit", "--threads", " 1"), ("fit", "--tol", " 0.1"),
                     ("fit", "--memory-limit", "\v1"), ("fit", "-k", "\t3")):
            with self.subTest(args=args):
                extra = () if "-k" in args else ("-k", "2")
                err = self.assert_fails(args + extra + ("-o", m, IRIS), 2, args[1] + ": ")
                self.assertIn("--help", err)
        # a control character quoted in a message is escaped: one line still
        self.assert_fails(("fit", "-k", "2", "--seed", "\t-1\n", "-o", m, IRIS), 2,
                          "--seed: '\\t-1\\n' is not a non-negative integer")
        for args in (("sample", "-n", " 3", m), ("sample", "-n", "3", "--seed", "\t-1", m),
                     ("select", "--k-min", "+1", "--k-max", "2", IRIS)):
            with self.subTest(args=args):
                self.assert_fails(args, 2, "is not a non-negative integer")
        self.assertFalse(os.path.exists(m))

    def test_k_is_checked_against_the_librarys_range(self):
        """1 <= k <= INT32_MAX (mix_*_create): beyond is a usage error;
        within, a k above the rows is the fit's failure, not memory."""
        m = self.path("m")
        for k in ("2147483648", "18446744073709551616", "0"):
            with self.subTest(k=k):
                self.assert_fails(("fit", "-k", k, "-o", m, IRIS), 2,
                                  "-k: ", "out of range" if k != "18446744073709551616"
                                  else "is not an integer")
        for kind in ("gmm", "kmeans", "bmm"):
            with self.subTest(kind=kind):
                data = (self.write("b.csv", "1,0\n0,1\n1,1\n") if kind == "bmm"
                        else IRIS)
                err = self.assert_fails(("fit", "--model", kind, "-k", "2147483647",
                                         "--columns", "1-2", "-o", m, data), 1,
                                        "should be >= ", "2147483647")
                self.assertNotIn("out of memory", err)
        self.assertFalse(os.path.exists(m))

    def test_options_that_do_not_apply_are_usage_errors(self):
        m, npy = self.path("m"), self.path("x.npy")
        np.save(npy, iris())
        cases = [
            (("score", "--format", "npy", m, IRIS), "--format npy goes with --per-row"),
            (("score", "--bic", "-o", self.path("s.npy"), m, IRIS),
             "a .npy output goes with --per-row"),
            (("score", "--total", "--format", "npy", "-o", self.path("s"), m, IRIS),
             "--format npy goes with --per-row"),
            (("sample", "-n", "3", "--header", "--format", "npy", m),
             "--header is for a CSV output"),
            (("sample", "-n", "3", "--header", "-o", self.path("d.npy"), m),
             "--header is for a CSV output"),
            (("fit", "-k", "2", "--stream", "--memory-limit", "10", "-o", m, IRIS),
             "--stream and --memory-limit exclude each other"),
            (("select", "--k-min", "1", "--k-max", "2", "--memory-limit", "1", "--stream", IRIS),
             "--stream and --memory-limit exclude each other"),
            (("fit", "-k", "2", "--learning-rate", "0.1", "-o", m, IRIS),
             "--learning-rate goes with --method adam"),
            (("fit", "--model", "kmeans", "-k", "2", "--method", "em", "--batch-size", "8",
              "-o", m, IRIS), "--batch-size goes with --method adam"),
            (("fit", "-k", "2", "--no-header", "-o", m, npy), "--no-header is for CSV input"),
            (("fit", "-k", "2", "--header", "-o", m, npy), "--header is for CSV input"),
            (("fit", "-k", "2", "--delimiter", ";", "-o", m, npy),
             "--delimiter is for CSV input"),
        ]
        for args, fragment in cases:
            with self.subTest(args=args):
                self.assertIn("--help", self.assert_fails(args, 2, fragment))
        self.assertFalse(os.path.exists(m))
        self.assertEqual(sorted(os.listdir(self.dir)), ["x.npy"])
        # what does apply still runs
        run("fit", "-k", "2", "-q", "--method", "adam", "--max-iter", "3", "--batch-size", "50",
            "--learning-rate", "0.1", "-o", m, npy, check=0)
        run("score", "--per-row", "--format", "npy", "-o", self.path("r.npy"), m, npy, check=0)
        self.assertEqual(np.load(self.path("r.npy")).shape, (150,))
        run("score", "--bic", "--format", "csv", "-o", self.path("s.txt"), m, npy, check=0)
        run("sample", "-n", "3", "--format", "npy", "-o", self.path("d.npy"), m, check=0)

    @unittest.skipUnless(os.path.exists("/dev/full"), "no /dev/full")
    def test_write_error_on_standard_output_is_a_failure(self):
        """--help, --version and every result on a full standard output:
        status 1 and one line, never 0."""
        m = self.path("m")
        run("fit", "-k", "2", "-q", "--columns", "1-4", "-o", m, IRIS, check=0)
        for args in (("--version",), ("--help",), ("fit", "--help"), ("info", "--help"),
                     ("info", m), ("predict", "--columns", "1-4", m, IRIS),
                     ("score", "--columns", "1-4", m, IRIS),
                     ("score", "--per-row", "--format", "npy", "--columns", "1-4", m, IRIS),
                     ("sample", "-n", "5", m),
                     ("fit", "-k", "2", "--columns", "1-4", "-o", self.path("m2"), IRIS),
                     ("select", "-q", "--k-min", "1", "--k-max", "2", "--columns", "1-4", IRIS)):
            with self.subTest(args=args):
                with open("/dev/full", "wb") as full:
                    p = subprocess.run([TOOL] + list(args), stdout=full,
                                       stderr=subprocess.PIPE, timeout=300)
                err = p.stderr.decode()
                self.assertEqual(p.returncode, 1, err)
                self.assertEqual(err.count("\n"), 1, err)
                self.assertIn("<stdout>: write error", err)


class BadInput(Tmp):
    """Each class of bad data: exit 1, one line naming file, line, column."""

    def fit(self, path, *extra, status=1):
        return self.assert_fails(("fit", "-k", "2", "-o", self.path("m.mixture")) + extra
                                 + (path,), status)

    def test_missing_file(self):
        err = self.fit(self.path("nope.csv"))
        self.assertIn("nope.csv: No such file or directory", err)

    def test_directory(self):
        self.assertIn("is a directory", self.fit(self.dir))

    def test_empty_file(self):
        self.assertIn("empty.csv: empty input (no rows)", self.fit(self.write("empty.csv", "")))
        self.assertIn("<stdin>: empty input", self.assert_fails(
            ("fit", "-k", "2", "-o", self.path("m"), "-"), 1, stdin=b""))

    def test_header_only(self):
        err = self.fit(self.write("h.csv", "a,b\n"))
        self.assertIn("h.csv: no data rows after the header", err)

    def test_ragged(self):
        p = self.write("ragged.csv", "a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n")
        self.assertIn("ragged.csv: line 4, column 3: 2 fields where the first line has 3",
                      self.fit(p))
        p = self.write("long.csv", "1,2\n3,4\n5,6,7\n")
        self.assertIn("long.csv: line 3, column 3: 3 fields", self.fit(p))

    def test_non_numeric_cell(self):
        p = self.write("text.csv", "x,y\n1,2\n3,4\n\n# a comment\n5,abc\n")
        self.assertIn("text.csv: line 6, column 2: 'abc' is not a number", self.fit(p))

    def test_iris_species_column_named(self):
        err = self.fit(IRIS)
        self.assertIn("iris.csv: line 2, column 5: 'setosa' is not a number", err)
        self.assertIn("--columns", err)

    def test_nan_and_inf(self):
        p = self.write("nan.csv", "1,2\n3,nan\n5,6\n")
        self.assertIn("nan.csv: line 2, column 2: NaN", self.fit(p))
        p = self.write("inf.csv", "1,2\n3,4\n-inf,6\n")
        self.assertIn("inf.csv: line 3, column 1: infinite value", self.fit(p))
        p = self.write("big.csv", "1,2\n3,4\n1e999,6\n")
        self.assertIn("big.csv: line 3, column 1: 1e999 is out of the range of a double",
                      self.fit(p))

    def test_empty_cell(self):
        p = self.write("hole.csv", "1,2\n3,\n5,6\n")
        self.assertIn("hole.csv: line 2, column 2: empty cell", self.fit(p))

    def test_unterminated_quote(self):
        p = self.write("q.csv", "1,2\n\"3,4\n")
        self.assertIn("q.csv: line 2, column 1: unterminated quote", self.fit(p))

    def test_bad_weights(self):
        p = self.write("w.csv", "x,w\n1,1\n2,-1\n3,1\n")
        self.assertIn("w.csv: line 3, column 2: negative weight",
                      self.fit(p, "--weights-column", "w"))

    def test_bernoulli_needs_binary(self):
        p = self.write("b.csv", "1,0\n0,1\n1,0.5\n")
        self.assertIn("b.csv: line 3, column 2: 0.5 is not 0 or 1",
                      self.fit(p, "--model", "bmm"))

    def test_npy_errors(self):
        X = iris()
        X[7, 2] = np.nan
        p = self.path("nan.npy")
        np.save(p, X)
        self.assertIn("nan.npy: row 8, column 3: NaN", self.fit(p))
        with open(self.path("t.npy"), "wb") as f:
            f.write(b"\x93NUMPY\x01\x00")
        self.assertIn("t.npy: truncated .npy header", self.fit(self.path("t.npy")))
        np.save(self.path("c.npy"), np.zeros((3, 2), dtype=np.complex128))
        self.assertIn("unsupported .npy dtype", self.fit(self.path("c.npy")))
        np.save(self.path("3d.npy"), np.zeros((3, 2, 2)))
        self.assertIn("3 dimensions", self.fit(self.path("3d.npy")))
        np.save(self.path("short.npy"), X)
        with open(self.path("short.npy"), "r+b") as f:
            f.truncate(200)
        self.assertIn("truncated .npy data", self.fit(self.path("short.npy")))

    def test_npy_shape_is_checked_against_the_file(self):
        """The header's shape sizes nothing before it is checked against
        the file's size: a 200-byte file announcing 2 x 10^8 doubles is
        truncated, not out of memory; bytes after the data are refused."""
        head = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }"
        p = self.npy_file("huge.npy", head % (2, 10 ** 8), bytes(72))
        self.assertEqual(os.path.getsize(p), 200)
        self.assertIn("huge.npy: truncated .npy data: its header announces 2 rows of "
                      "100000000 values of 8 bytes, 1600000128 bytes in all, but the file has "
                      "200 bytes", self.fit(p))
        p = self.npy_file("wide.npy", head % (1, 2 ** 60 - 1), bytes(72))
        self.assertIn("wide.npy: truncated .npy data", self.fit(p))
        self.assertIn("the file has 200 bytes", self.fit(p))
        p = self.path("trailing.npy")
        np.save(p, faithful())
        size = os.path.getsize(p)
        with open(p, "ab") as f:
            f.write(bytes(8))
        self.assertIn("trailing.npy: trailing bytes after the .npy data: its header announces "
                      "272 rows of 2 values of 8 bytes, %d bytes in all, but the file has %d "
                      "bytes" % (size, size + 8), self.fit(p))

    def test_npy_pipe_is_read_in_blocks_of_bytes(self):
        """From a pipe the size is unknown: rows are read in blocks of a
        bounded size, so a wide announced shape fails when the data end."""
        head = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, %d), }" % (2 * 10 ** 7)
        with open(self.npy_file("wide.npy", head, bytes(72)), "rb") as f:
            data = f.read()
        self.assert_fails(("fit", "-k", "2", "-o", self.path("m"), "-"), 1,
                          "<stdin>: truncated .npy data", stdin=data)

    def test_csv_line_length_is_capped(self):
        limit = 64 << 20
        p = self.path("long.csv")
        with open(p, "w") as f:
            f.write("1,2\n3,4\n5," + "6" * limit + "\n")
        self.assertIn("long.csv: line 3 is longer than %d bytes" % limit, self.fit(p))
        with open(p, "w") as f:
            f.write("1,2\n3,4\n5," + "6" * (limit - 2) + "\n7,8\n")
        self.assertIn("long.csv: line 3, column 2: %s is out of the range" % ("6" * 40),
                      self.fit(p))

    def test_too_few_rows_is_the_library_message(self):
        p = self.write("two.csv", "1,2\n3,4\n")
        err = self.assert_fails(("fit", "-k", "3", "-o", self.path("m"), p), 1, "two.csv")
        self.assertIn("shape", err.lower() + _lib.strerror(mixture.Status.EDIM))

    def test_failed_fit_writes_nothing(self):
        self.fit(self.write("bad.csv", "1,2\n3,x\n"))
        self.assertEqual(os.listdir(self.dir), ["bad.csv"])


_M64 = (1 << 64) - 1


def _mix64(x):
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def heldout(seed, i, fraction):
    """Is row i held out (select --criterion heldout)?"""
    return (_mix64(seed ^ _mix64(i)) >> 11) * 2.0 ** -53 < fraction


def gmm_bic_table(X, ks, cov="full", random_state=SEED, **opts):
    rows = []
    for k in ks:
        g = fitted(mixture.GaussianMixture(k, covariance_type=cov, random_state=random_state,
                                           **opts), X)
        rows.append((k, library(g, "n_parameters"), library(g, "loglik", X), g.bic(X),
                     g.aic(X), g.n_iter_))
    return rows


def parse_select(out):
    lines = out.decode().splitlines()
    assert lines[-1].startswith("chosen k = "), lines
    chosen = int(lines[-1].split("=")[1])
    header = lines[1].split()
    table = [line.split() for line in lines[2:-1]]
    return chosen, header, table


class Select(Tmp):
    def test_iris_bic_equals_the_library(self):
        rc, out, err = run("select", "--k-min", "1", "--k-max", "5", "--columns", "1-4",
                           IRIS, check=0)
        chosen, header, table = parse_select(out)
        self.assertEqual(header[:5], ["k", "parameters", "log-likelihood", "BIC", "AIC"])
        ref = gmm_bic_table(iris(), range(1, 6))
        for row, (k, p, ll, bic, aic, n_iter) in zip(table, ref):
            self.assertEqual(int(row[0]), k)
            self.assertEqual(int(row[1]), p)
            # the table prints 8 significant digits
            self.assertAlmostEqual(float(row[2]) / ll, 1, delta=1e-7)
            self.assertAlmostEqual(float(row[3]) / bic, 1, delta=1e-7)
            self.assertAlmostEqual(float(row[4]) / aic, 1, delta=1e-7)
            self.assertEqual(int(row[5]), n_iter)
        self.assertEqual(chosen, min(ref, key=lambda r: r[3])[0])
        self.assertEqual(chosen, 2)
        marked = [row[0] for row in table if row[-1] == "*"]
        self.assertEqual(marked, [str(chosen)])

    def test_aic_diag_and_options(self):
        rc, out, _ = run("select", "--k-min", "2", "--k-max", "4", "--criterion", "aic",
                         "--covariance", "diag", "--n-init", "3", "--seed", "7",
                         "--max-iter", "50", "--tol", "1e-4", "--reg-covar", "1e-5",
                         "--init", "k-means++", "--threads", "1", "-q", FAITHFUL, check=0)
        chosen, _, table = parse_select(out)
        ref = gmm_bic_table(faithful(), range(2, 5), "diag", n_init=3, random_state=7,
                            max_iter=50, tol=1e-4, reg_covar=1e-5, init_params="k-means++")
        for row, r in zip(table, ref):
            self.assertAlmostEqual(float(row[4]) / r[4], 1, delta=1e-7)
        self.assertEqual(chosen, min(ref, key=lambda r: r[4])[0])

    def test_heldout(self):
        rc, out, _ = run("select", "--k-min", "1", "--k-max", "4", "--criterion", "heldout",
                         "--heldout", "0.25", "--seed", "3", FAITHFUL, check=0)
        chosen, header, table = parse_select(out)
        self.assertIn("NLL", header)
        first = out.decode().splitlines()[0]
        n_fit, n_held = map(int, re.search(r"\((\d+) fitted, (\d+) held out\)",
                                           first).groups())
        self.assertEqual(n_fit + n_held, 272)
        self.assertTrue(40 < n_held < 100, n_held)
        # the split as the man page defines it (splitmix64 of the seed and
        # the row index), then each k fitted to the kept rows by the library
        # and scored on the held-out ones
        X = faithful()
        held = np.array([heldout(3, i, 0.25) for i in range(len(X))])
        self.assertEqual((int((~held).sum()), int(held.sum())), (n_fit, n_held))
        nlls = []
        for row in table:
            g = fitted(mixture.GaussianMixture(int(row[0]), random_state=3), X[~held])
            nll = -g.score(X[held])
            self.assertAlmostEqual(float(row[5]) / nll, 1, delta=1e-7)
            self.assertAlmostEqual(float(row[3]) / g.bic(X[~held]), 1, delta=1e-7)
            nlls.append(nll)
        self.assertEqual(chosen, int(table[int(np.argmin(nlls))][0]))
        # the split is a function of the seed: the same command, same table
        self.assertEqual(run("select", "--k-min", "1", "--k-max", "4", "--criterion",
                             "heldout", "--heldout", "0.25", "--seed", "3", FAITHFUL,
                             check=0)[1], out)

    def test_kmeans_information_criteria(self):
        """K-means as a hard mixture of spherical Gaussians with one
        variance (the formulas of the man page, written out here)."""
        rc, out, _ = run("select", "--model", "kmeans", "--k-min", "1", "--k-max", "4",
                         "--seed", "5", FAITHFUL, check=0)
        chosen, _, table = parse_select(out)
        X = faithful()
        n, d = X.shape
        bics = []
        for row in table:
            k = int(row[0])
            km = fitted(mixture.KMeans(k, random_state=5), X)
            counts = np.bincount(km.labels_, minlength=k)
            var = km.inertia_ / (n * d)
            ll = (sum(c * np.log(c / n) for c in counts if c > 0)
                  - n * d / 2 * np.log(2 * np.pi * var) - n * d / 2)
            p = k * d + 1 + (k - 1)
            self.assertEqual(int(row[1]), p)
            self.assertAlmostEqual(float(row[2]) / ll, 1, delta=1e-7)
            self.assertAlmostEqual(float(row[3]) / (-2 * ll + p * np.log(n)), 1, delta=1e-7)
            self.assertAlmostEqual(float(row[4]) / (-2 * ll + 2 * p), 1, delta=1e-7)
            bics.append(-2 * ll + p * np.log(n))
        self.assertEqual(chosen, int(table[int(np.argmin(bics))][0]))

    def test_bmm_on_binarised_digits(self):
        X = (np.loadtxt(DIGITS, delimiter=",", skiprows=1)[:400, :64] > 7).astype(np.uint8)
        p = self.path("bits.npy")
        np.save(p, X)
        rc, out, _ = run("select", "--model", "bmm", "--k-min", "2", "--k-max", "4",
                         "--alpha", "0.5", p, check=0)
        chosen, _, table = parse_select(out)
        for row in table:
            b = fitted(mixture.BernoulliMixture(int(row[0]), alpha=0.5, binarize=None,
                                                random_state=SEED), X.astype(float))
            self.assertAlmostEqual(float(row[3]) / b.bic(X.astype(float)), 1, delta=1e-7)

    def test_streamed_and_piped_equal_in_memory(self):
        args = ("select", "--k-min", "1", "--k-max", "3", "--columns", "1-4", "--seed", "1")
        _, ref, _ = run(*args, IRIS, check=0)
        _, streamed, _ = run(*args, "--stream", IRIS, check=0)
        with open(IRIS, "rb") as f:
            data = f.read()
        _, piped, _ = run(*args, "-", stdin=data, check=0)
        _, spooled, _ = run(*args, "--memory-limit", "0", "-", stdin=data, check=0)
        self.assertEqual(streamed, ref)
        self.assertEqual(piped.replace(b"<stdin>", IRIS.encode()), ref)
        self.assertEqual(spooled.replace(b"<stdin>", IRIS.encode()), ref)

    def test_a_k_that_fails_leaves_a_gap(self):
        p = self.write("five.csv", "0,0\n0,1\n5,5\n5,6\n9,9\n")
        rc, out, err = run("select", "--model", "kmeans", "--k-min", "1", "--k-max", "7", p)
        self.assertEqual(rc, 0, err)
        self.assertIn("k = 6", err)
        chosen, _, table = parse_select(out)
        self.assertEqual([row[2] for row in table if row[2] == "failed"], ["failed"] * 2)


class Formats(Tmp):
    """CSV dialects and .npy layouts read as the same rows."""

    def rows_seen(self, path, *extra):
        """What the tool read, as the log-likelihood of one Gaussian fitted
        to it by select with k = 1: a function of the rows alone (their
        mean and covariance), printed to 8 digits."""
        rc, out, err = run("select", "--k-min", "1", "--k-max", "1", *extra, path)
        self.assertEqual(rc, 0, err)
        return parse_select(out)[2][0][2]

    def test_dialects(self):
        X = faithful()[:40]
        base = self.path("base.csv")
        np.savetxt(base, X, delimiter=",", fmt="%.17g")
        ref = self.rows_seen(base)
        variants = {
            "header.csv": ("a,b\n", ",", ()),
            "semi.csv": ("", ";", ()),
            "tab.tsv": ("x\ty\n", "\t", ()),
            "space.txt": ("# numpy savetxt style\n", " ", ()),
            "pipe.csv": ("", "|", ("--delimiter", "|")),
        }
        for name, (head, delim, extra) in variants.items():
            with self.subTest(name=name):
                p = self.path(name)
                with open(p, "w") as f:
                    f.write(head)
                    for r in X:
                        f.write(delim.join("%.17g" % v for v in r) + "\r\n")
                self.assertEqual(self.rows_seen(p, *extra), ref)
        quoted = self.path("quoted.csv")
        with open(quoted, "w") as f:
            f.write('"x, first","y ""second"""\n')
            for r in X:
                f.write('"%.17g", %.17g\n' % tuple(r))
        self.assertEqual(self.rows_seen(quoted), ref)

    def test_header_detection_and_override(self):
        p = self.path("h.csv")
        np.savetxt(p, faithful()[:30], delimiter=",", header="e,w", comments="")
        q = self.path("noh.csv")
        np.savetxt(q, faithful()[:30], delimiter=",")
        self.assertEqual(self.rows_seen(p), self.rows_seen(q))
        self.assertEqual(self.rows_seen(p, "--header"), self.rows_seen(q, "--no-header"))
        err = self.assert_fails(("select", "--k-min", "1", "--k-max", "1", "--no-header", p),
                                1, "h.csv: line 1, column 1: 'e' is not a number")
        self.assertIn("--header", err)

    def test_columns_by_name_range_and_order(self):
        sel = self.rows_seen(IRIS, "--columns", "petal_length,petal_width")
        self.assertEqual(sel, self.rows_seen(IRIS, "--columns", "3-4"))
        self.assertEqual(sel, self.rows_seen(IRIS, "--columns", "4,3"))
        self.assertEqual(self.rows_seen(IRIS, "--columns", "-4"),
                         self.rows_seen(IRIS, "--columns", "1-4"))
        err = self.assert_fails(("select", "--k-min", "1", "--k-max", "1", "--columns", "x",
                                 self.path("f.npy")), 1)
        np.save(self.path("f.npy"), iris())
        self.assert_fails(("select", "--k-min", "1", "--k-max", "1", "--columns", "x",
                           self.path("f.npy")), 2, "has no header")
        self.assertIn("f.npy", err)

    def test_npy_layouts_and_dtypes(self):
        X = iris()
        ref = self.rows_seen(IRIS, "--columns", "1-4")
        for name, arr in (("c.npy", X), ("f.npy", np.asfortranarray(X)),
                          ("be.npy", X.astype(">f8"))):
            p = self.path(name)
            np.save(p, arr)
            self.assertEqual(self.rows_seen(p), ref, name)
            with open(p, "rb") as f:
                data = f.read()
            if name != "f.npy":
                rc, out, err = run("select", "--k-min", "1", "--k-max", "1", "-", stdin=data)
                self.assertEqual(parse_select(out)[2][0][2], ref)
        ints = np.array([[1, 2], [3, 5], [8, 13], [21, 34]])
        for dt in ("<i2", "<i4", ">i8", "u1", "<u8", "<f4"):
            p = self.path("i.npy")
            np.save(p, ints.astype(dt))
            with self.subTest(dtype=dt):
                self.assertEqual(self.rows_seen(p),
                                 self.rows_seen(self.write("i.csv", "1,2\n3,5\n8,13\n21,34\n")))
        np.save(self.path("one.npy"), X[:, 0])
        self.assertEqual(self.rows_seen(self.path("one.npy")),
                         self.rows_seen(IRIS, "--columns", "1"))
        with open(self.path("f.npy"), "rb") as f:
            fortran = f.read()
        self.assert_fails(("select", "--k-min", "1", "--k-max", "1", "-"), 1,
                          "Fortran-order .npy array can be read from a file only", stdin=fortran)

    def test_npy_header_keys_matched_whole(self):
        """Keys are quoted keys at the dictionary's level: a key's name in
        another value is not the key; booleans are whole words."""
        X = faithful()[:30]
        ref = self.rows_seen(self.write("x.csv", "".join("%r,%r\n" % tuple(r) for r in X)))
        head = ("{\"note\": \"'shape': (1, 2), 'fortran_order': True\", 'descr': '<f8', "
                "'fortran_order': False, 'shape': (30, 2), 'more': ('shape', [1, 2]), }")
        p = self.npy_file("keys.npy", head, X.astype("<f8").tobytes())
        self.assertEqual(self.rows_seen(p), ref)
        for fortran in ("Truex", "False,", "True True", "'True'"):
            with self.subTest(fortran_order=fortran):
                head = ("{'descr': '<f8', 'fortran_order': %s, 'shape': (30, 2), }" % fortran)
                p = self.npy_file("bad.npy", head, X.astype("<f8").tobytes())
                rc, _, err = run("select", "--k-min", "1", "--k-max", "1", p)
                self.assertEqual(rc, 1, err)
                self.assertIn("bad.npy: ", err)
                self.assertIn(".npy header", err)
        for head in ("{'descr': '<f8', 'shape': (30, 2), 'not_fortran_order': False}",
                     "{'descr': '<f8', 'fortran_order': False, 'shape': (30, 2)} x",
                     "{'descr': '<f8', 'fortran_order': False, 'shape': (30, 2)) }",
                     "{'descr': '<f8', 'fortran_order': False, 'shape': (30, 2), "
                     "'shape': (30, 2)}"):
            with self.subTest(header=head):
                p = self.npy_file("bad.npy", head, X.astype("<f8").tobytes())
                self.assert_fails(("select", "--k-min", "1", "--k-max", "1", p), 1,
                                  "bad.npy: ", ".npy header")

    def test_many_columns_selected(self):
        """--columns over 400,000 columns: every one selected once is fine, one
        selected twice is named (the check is a bitmap, linear in the columns;
        its speed is not timed here)."""
        p = self.path("wide.npy")
        np.save(p, np.arange(2 * 400000, dtype=np.float64).reshape(2, 400000))
        rc, _, err = run("fit", "--model", "kmeans", "-k", "1", "--columns", "1-",
                         "-o", self.path("m.mixture"), p)
        self.assertEqual(rc, 0, err)
        self.assert_fails(("fit", "--model", "kmeans", "-k", "1", "--columns", "1-,400000",
                           "-o", self.path("m.mixture"), p), 2, "column 400000 is selected twice")


class Progress(Tmp):
    def test_bar_on_a_terminal_only(self):
        args = [TOOL, "select", "--k-min", "1", "--k-max", "2", "--columns", "1-4", IRIS]
        master, slave = pty.openpty()
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        p.wait(timeout=60)
        p.stdout.close()
        os.close(master)
        self.assertEqual(p.returncode, 0)
        text = seen.decode()
        self.assertIn("gmm (full) k = 1 [", text)
        self.assertIn("iteration 1", text)
        self.assertIn("log-lik", text)
        self.assertIn("\r\x1b[K", text)  # drawn in place and erased
        # not a terminal: nothing on stderr
        rc, _, err = run(*args[1:], check=0)
        self.assertEqual(err, "")
        master, slave = pty.openpty()
        p = subprocess.run(args + ["--quiet"], stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        ready, _, _ = select.select([master], [], [], 0.5)
        try:
            quiet = os.read(master, 4096) if ready else b""
        except OSError:  # EIO: the terminal's other side is closed, nothing was written
            quiet = b""
        os.close(master)
        self.assertEqual(quiet, b"")


_COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")  # mix_covariance order


class Loaded:
    """The model in a file, loaded by the library (mix_<kind>_load) into a
    handle of the package's (mixture._lib.Handle), its parameters read
    with the handle's getters: copies of the library's arrays."""

    def __init__(self, kind, path):
        self.kind = kind
        self.h = _lib.Handle(kind, 1, 0) if kind == "gmm" else _lib.Handle(kind, 1)
        try:
            self.h.call("load", path.encode())  # raises MixtureError with errmsg
        except BaseException:
            self.h.close()
            raise
        self.k = int(self.h.get("n_clusters" if kind == "kmeans" else "n_components"))
        self.d = int(self.h.get("n_features"))
        if kind == "gmm":
            self.covariance_type = _COVARIANCE_TYPES[self.h.get("covariance_type")]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.h.close()

    def _array(self, getter, shape):
        size = int(np.prod(shape))
        buf = (ctypes.c_double * size).from_address(self.h.get(getter))
        return np.frombuffer(buf, dtype=np.float64).reshape(shape).copy()

    @property
    def centers(self):
        return self._array("centers", (self.k, self.d))

    @property
    def means(self):
        return self._array("means", (self.k, self.d))

    @property
    def covariances(self):
        k, d = self.k, self.d
        shape = {"full": (k, d, d), "tied": (d, d), "diag": (k, d),
                 "spherical": (k,)}[self.covariance_type]
        assert int(np.prod(shape)) == self.h.get("covariances_size"), shape
        return self._array("covariances", shape)

    @property
    def probs(self):
        return self._array("probs", (self.k, self.d))

    @property
    def lower_bound(self):
        return self.h.get("lower_bound")

    @property
    def n_iter(self):
        return self.h.get("n_iter")


class ModelFiles(Tmp):
    """fit writes what the library fits; every query equals the library's."""

    def fit(self, *args, name="m.mixture", data=IRIS, stdin=None):
        model = self.path(name)
        rc, out, err = run("fit", *args, "-o", model, data, stdin=stdin)
        self.assertEqual(rc, 0, err)
        return model, out.decode()

    def test_gmm_fit_and_queries(self):
        X = iris()
        for cov in ("full", "tied", "diag", "spherical"):
            with self.subTest(cov=cov):
                model, summary = self.fit("-k", "3", "--covariance", cov, "--seed", "2",
                                          "--n-init", "2", "--columns", "1-4")
                self.assertIn("gmm (%s), k = 3: 150 rows x 4 columns" % cov, summary)
                ref = fitted(mixture.GaussianMixture(3, covariance_type=cov, random_state=2,
                                                     n_init=2), X)
                with Loaded("gmm", model) as g:
                    self.assertEqual(g.covariance_type, cov)
                    self.assertTrue(np.array_equal(g.means, ref.means_))
                    self.assertTrue(np.array_equal(g.covariances, ref.covariances_))
                    self.assertEqual(g.lower_bound, ref.lower_bound_)
                    self.assertIn("lower bound %.10g" % ref.lower_bound_, summary)
                    q = ("--columns", "1-4", model, IRIS)
                    _, out, _ = run("predict", *q, check=0)
                    head, labels = csv_rows(out)
                    self.assertEqual(head, "label")
                    self.assertTrue(np.array_equal(labels[:, 0], ref.predict(X)))
                    _, out, _ = run("predict", "--proba", *q, check=0)
                    head, proba = csv_rows(out)
                    self.assertEqual(head, "p0,p1,p2")
                    self.assertTrue(np.array_equal(proba, ref.predict_proba(X)))
                    _, out, _ = run("score", "--per-row", *q, check=0)
                    self.assertTrue(np.array_equal(csv_rows(out)[1][:, 0], ref.score_samples(X)))
                    for flag, value in (((), ref.score(X)),
                                        (("--total",), library(ref, "loglik", X)),
                                        (("--bic",), ref.bic(X)), (("--aic",), ref.aic(X))):
                        _, out, _ = run("score", *flag, *q, check=0)
                        self.assertLess(abs(float(out) - value), 1e-12 * abs(value), flag)
                    _, out, _ = run("sample", "-n", "50", "--seed", "9", model, check=0)
                    # the seed of the draw is random_state's (not a refit)
                    S, labels = ref.set_params(random_state=9).sample(50)
                    rows = np.loadtxt(io.StringIO(out.decode()), delimiter=",")
                    self.assertTrue(np.array_equal(rows[:, :4], S))
                    self.assertTrue(np.array_equal(rows[:, 4], labels))

    def test_kmeans_weights_and_transform(self):
        X = faithful()
        w = 1 + np.arange(len(X)) % 3
        p = self.path("fw.csv")
        np.savetxt(p, np.column_stack([X, w]), delimiter=",", header="e,w,weight", comments="")
        model, _ = self.fit("--model", "kmeans", "-k", "2", "--weights-column", "weight",
                            "--init", "random", "--max-iter", "50", data=p)
        ref = fitted(mixture.KMeans(2, init="random", max_iter=50, random_state=SEED), X,
                     sample_weight=w)
        with Loaded("kmeans", model) as km:
            self.assertTrue(np.array_equal(km.centers, ref.cluster_centers_))
            _, out, _ = run("transform", model, FAITHFUL, check=0)
            head, dist = csv_rows(out)
            self.assertEqual(head, "d0,d1")
            self.assertTrue(np.array_equal(dist, ref.transform(X)))
            _, out, _ = run("score", model, FAITHFUL, check=0)
            self.assertEqual(float(out), ref.score(X))
            _, out, _ = run("score", "--per-row", model, FAITHFUL, check=0)
            per_row = csv_rows(out)[1][:, 0]
            self.assertLess(rel(per_row, -np.min(ref.transform(X), axis=1) ** 2), 1e-12)

    def test_bmm_and_adam(self):
        B = (np.loadtxt(DIGITS, delimiter=",", skiprows=1)[:300, :64] > 7).astype(float)
        p = self.path("b.npy")
        np.save(p, B)
        model, _ = self.fit("--model", "bmm", "-k", "4", "--alpha", "0.5", data=p)
        ref = fitted(mixture.BernoulliMixture(4, alpha=0.5, binarize=None, random_state=SEED),
                     B)
        with Loaded("bmm", model) as b:
            self.assertTrue(np.array_equal(b.probs, ref.probs_))
        model, _ = self.fit("-k", "2", "--method", "adam", "--learning-rate", "0.05",
                            "--max-iter", "30", "--tol", "0", data=FAITHFUL)
        ref = fitted(mixture.GaussianMixture(2, max_iter=30, tol=0, method="adam",
                                             learning_rate=0.05, random_state=SEED),
                     faithful())
        with Loaded("gmm", model) as g:
            self.assertTrue(np.array_equal(g.means, ref.means_))

    def test_streamed_pipes_and_npy_round_trips(self):
        base, _ = self.fit("-k", "2", data=FAITHFUL, name="a.mixture")
        with open(FAITHFUL, "rb") as f:
            data = f.read()
        for extra, name in ((("--stream",), "s"), (("--memory-limit", "0"), "p")):
            model, summary = self.fit("-k", "2", *extra, data="-" if name == "p" else FAITHFUL,
                                      stdin=data if name == "p" else None, name=name)
            self.assertIn("streamed", summary)
            with open(model, "rb") as f, open(base, "rb") as g:
                self.assertEqual(f.read(), g.read())
        np.save(self.path("f.npy"), faithful())
        _, ref, _ = run("predict", base, FAITHFUL, check=0)
        _, piped, _ = run("predict", base, "-", stdin=data, check=0)
        self.assertEqual(piped, ref)
        run("predict", "-o", self.path("l.npy"), base, self.path("f.npy"), check=0)
        labels = np.load(self.path("l.npy"))
        self.assertEqual((labels.dtype, labels.shape), (np.dtype("<i4"), (272,)))
        self.assertTrue(np.array_equal(labels, csv_rows(ref)[1][:, 0]))
        _, out, _ = run("predict", "--proba", "--format", "npy", base, FAITHFUL, check=0)
        proba = np.load(io.BytesIO(out))
        self.assertEqual(proba.shape, (272, 2))
        run("sample", "-n", "7", "-o", self.path("s.csv"), "--header", base, check=0)
        with open(self.path("s.csv")) as f:
            self.assertEqual(f.readline().strip(), "x0,x1,label")

    def test_info(self):
        model, _ = self.fit("-k", "3", "--covariance", "diag", "--n-init", "2", "--seed", "4",
                            "--tol", "0.01", "--columns", "1-4")
        _, out, _ = run("info", model, check=0)
        text = out.decode()
        for fragment in ("kind:         Gaussian mixture (gmm)", "features:     4",
                         "components:   3", "covariance:   diag", "n_init=2", "seed=4",
                         "tol=0.01", "init=kmeans", "method=em"):
            self.assertIn(fragment, text)
        with Loaded("gmm", model) as g:
            self.assertIn("%d iterations" % g.n_iter, text)

    def test_bad_model_files(self):
        gmm, _ = self.fit("-k", "2", data=FAITHFUL)
        km, _ = self.fit("--model", "kmeans", "-k", "2", data=FAITHFUL, name="k.mixture")
        self.assert_fails(("transform", gmm, FAITHFUL), 1,
                          "transform needs a K-means model; this is a Gaussian mixture")
        self.assert_fails(("sample", "-n", "3", km), 1, "sample needs a mixture")
        self.assert_fails(("predict", "--proba", km, FAITHFUL), 1, "--proba needs a mixture")
        self.assert_fails(("predict", self.path("none.mixture"), FAITHFUL), 1,
                          "none.mixture: No such file or directory")
        self.assert_fails(("info", FAITHFUL), 1, "faithful.csv: not a libmixture model file")
        with open(gmm, "rb") as f:
            blob = bytearray(f.read())
        blob[60] ^= 1
        bad = self.path("bad.mixture")
        with open(bad, "wb") as f:
            f.write(blob)
        self.assert_fails(("info", bad), 1, "bad.mixture: corrupt model file")
        with open(bad, "wb") as f:
            f.write(blob[:40])
        self.assert_fails(("predict", bad, FAITHFUL), 1, "corrupt model file")
        self.assert_fails(("predict", gmm, IRIS, "--columns", "1-3"), 1,
                          "3 columns where the model", "has 2 features")

    def test_output_synced_before_rename(self):
        """An output file is flushed and synced (fsync) before it is renamed
        into place: with an fsync that fails (a preloaded shim), the
        command fails with a write error and leaves nothing behind."""
        src = self.write("fail_fsync.c", "#include <errno.h>\n"
                         "int fsync(int fd) { (void)fd; errno = EIO; return -1; }\n")
        shim = self.path("fail_fsync.so")
        try:
            subprocess.run(["cc", "-shared", "-fPIC", "-o", shim, src], check=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        except (OSError, subprocess.SubprocessError):
            self.skipTest("no C compiler for the fsync shim")
        os.remove(src)
        model, _ = self.fit("-k", "2", data=FAITHFUL)
        env = dict(os.environ)
        env["LD_PRELOAD"] = " ".join(filter(None, (env.get("LD_PRELOAD"), shim)))
        for out in ("labels.csv", "labels.npy"):
            with self.subTest(out=out):
                p = subprocess.run([TOOL, "predict", "-o", self.path(out), model, FAITHFUL],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   timeout=300)
                err = p.stderr.decode()
                self.assertEqual(p.returncode, 1, err)
                self.assertEqual(err.count("\n"), 1, err)
                self.assertIn("%s: write error: %s" % (self.path(out), os.strerror(5)), err)
                self.assertEqual(sorted(os.listdir(self.dir)), ["fail_fsync.so", "m.mixture"])

    def test_nothing_half_written(self):
        model, _ = self.fit("-k", "2", data=FAITHFUL)
        out = self.path("labels.csv")
        bad = self.write("bad.csv", "1,2\n" * 70000 + "1,x\n")
        self.assert_fails(("predict", "-o", out, model, bad), 1, "line 70001, column 2")
        self.assertFalse(os.path.exists(out))
        self.assertEqual(sorted(os.listdir(self.dir)), ["bad.csv", "m.mixture"])
