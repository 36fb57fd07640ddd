"""The saved-model format read and written by an independent implementation:
a reader written from docs/format.md alone (Python's struct and a CRC-32C of
its own) parses every file of tests/format/v1 (header, record order and
lengths, the checksum, the rules for the data units' arrays) and compares
what it finds with what libmixture loads from the same file, bit for bit;
then it writes models of its own (a K-means model and a Bernoulli mixture,
whose engine units are the data's) that libmixture loads and answers with.
Needs nothing beyond the standard library and the ctypes binding."""
import ctypes
import glob
import math
import os
import struct
import tempfile
import unittest

import mixture_ctypes as mix

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT_DIR = os.path.join(HERE, os.pardir, "format", "v1")
MAGIC = b"\x89MIX\r\n\x1a\n"
P_DOUBLE = ctypes.POINTER(ctypes.c_double)


def _crc_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        table.append(c)
    return table


CRC_TABLE = _crc_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def bits(x):
    return struct.pack("<d", x)


class Model:
    """A file parsed by docs/format.md: kind, records (tag -> payload) in
    order, and the fields of the fixed records."""

    def __init__(self, data):
        assert data[:8] == MAGIC, "magic"
        version, self.writer, self.kind, reserved, total = struct.unpack_from("<IIIIQ", data, 8)
        assert version == 1 and reserved == 0 and total == len(data) and total % 4 == 0
        assert struct.unpack_from("<I", data, total - 4)[0] == crc32c(data[:total - 4])
        self.records, at = [], 32
        while at < total - 4:
            tag, flags, length = struct.unpack_from("<4sIQ", data, at)
            assert flags == 0 and length % 8 == 0 and at + 16 + length <= total - 4
            assert (at + 16) % 8 == 0  # every payload aligned
            self.records.append((tag.decode(), data[at + 16:at + 16 + length]))
            at += 16 + length
        assert at == total - 4
        self.tags = [t for t, _ in self.records]

    def payload(self, tag):
        return dict(self.records)[tag]

    def doubles(self, tag):
        p = self.payload(tag)
        return list(struct.unpack("<%dd" % (len(p) // 8), p))

    def fields(self, tag, fmt):
        return struct.unpack("<" + fmt, self.payload(tag))


KOPT = "QQqqdQqQQddddQQ"
KFIT = "Qqdd"
MOPT = "QQQqqddQQqQddddQQQ"
MFIT = "QqQddQ"


def cov_len(family, k, d):
    return [k * d * d, d * d, k * d, k][family]


def expected_mixture_tags(kind, family, given, fitted, stored):
    tags = ["MOPT"]
    tags += [t for bit, t in ((1, "GWGT"), (2, "GMEA"), (4, "GCOV")) if given & bit]
    if not fitted:
        return tags
    tags += ["MFIT", "SHFT", "WGHT", "LWGT", "MEAU"]
    if kind == 2:
        tags += ["COVU", "PRCU"]
    tags += ["LDET"]
    if kind == 2 and family in (0, 1):
        tags += ["FACT"]
    tags += ["MEAN"] + [t for bit, t in ((1, "COVD"), (2, "PRCD")) if stored & bit]
    return tags


def bind(name, restype, *argtypes):
    fn = getattr(mix.lib, name)
    fn.restype, fn.argtypes = restype, list(argtypes)
    return fn


for _kind in ("kmeans", "gmm", "bmm"):
    bind("mix_%s_load" % _kind, ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p)
    bind("mix_%s_load_buffer" % _kind, ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
         ctypes.c_size_t)
    bind("mix_%s_errmsg" % _kind, ctypes.c_char_p, ctypes.c_void_p)
    bind("mix_%s_free" % _kind, None, ctypes.c_void_p)
bind("mix_bmm_create", ctypes.c_void_p, ctypes.c_size_t)
bind("mix_bmm_weights", P_DOUBLE, ctypes.c_void_p)
bind("mix_bmm_probs", P_DOUBLE, ctypes.c_void_p)
bind("mix_bmm_lower_bound", ctypes.c_double, ctypes.c_void_p)
bind("mix_bmm_n_iter", ctypes.c_int, ctypes.c_void_p)
bind("mix_bmm_score_samples", ctypes.c_int, ctypes.c_void_p, P_DOUBLE, ctypes.c_size_t,
     ctypes.c_size_t, P_DOUBLE)
bind("mix_gmm_create", ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
bind("mix_gmm_covariances_size", ctypes.c_size_t, ctypes.c_void_p)
for _name in ("weights", "means", "covariances", "precisions_cholesky"):
    bind("mix_gmm_" + _name, P_DOUBLE, ctypes.c_void_p)
bind("mix_gmm_lower_bound", ctypes.c_double, ctypes.c_void_p)
bind("mix_gmm_n_iter", ctypes.c_int, ctypes.c_void_p)
bind("mix_gmm_converged", ctypes.c_int, ctypes.c_void_p)
bind("mix_gmm_covariance_type", ctypes.c_int, ctypes.c_void_p)
bind("mix_kmeans_create", ctypes.c_void_p, ctypes.c_size_t)
bind("mix_kmeans_centers", P_DOUBLE, ctypes.c_void_p)
bind("mix_kmeans_inertia", ctypes.c_double, ctypes.c_void_p)
bind("mix_kmeans_n_iter", ctypes.c_int, ctypes.c_void_p)
bind("mix_kmeans_n_clusters", ctypes.c_size_t, ctypes.c_void_p)
bind("mix_kmeans_predict", ctypes.c_int, ctypes.c_void_p, P_DOUBLE, ctypes.c_size_t,
     ctypes.c_size_t, ctypes.POINTER(ctypes.c_int32))


def same(c_array, values):
    return all(bits(c_array[i]) == bits(v) for i, v in enumerate(values))


class ReadFrozenFiles(unittest.TestCase):
    def files(self):
        found = sorted(glob.glob(os.path.join(FORMAT_DIR, "*.mixture")))
        self.assertEqual(len(found), 16)  # tests/format/gen_v1.c writes 16
        return found

    def load(self, kind, path):
        create = {1: lambda: mix.lib.mix_kmeans_create(1),
                  2: lambda: mix.lib.mix_gmm_create(1, 0),
                  3: lambda: mix.lib.mix_bmm_create(1)}[kind]
        name = {1: "kmeans", 2: "gmm", 3: "bmm"}[kind]
        h = create()
        rc = getattr(mix.lib, "mix_%s_load" % name)(h, path.encode())
        self.assertEqual(rc, 0, getattr(mix.lib, "mix_%s_errmsg" % name)(h))
        return h

    def check_kmeans(self, m, path):
        k, init, n_init, max_iter, tol, seed, threads, alg, method, lr, b1, b2, eps, batch, \
            init_d = m.fields("KOPT", KOPT)
        want = ["KOPT"] + (["ICEN"] if init_d else [])
        fitted = "KFIT" in m.tags
        if fitted:
            want += ["KFIT", "SHFT", "CENT", "CENU", "CNRM"]
        self.assertEqual(m.tags, want)
        h = self.load(1, path)
        try:
            self.assertEqual(mix.lib.mix_kmeans_n_clusters(h), k)
            if not fitted:
                return
            d, n_iter, inertia, inv_scale = m.fields("KFIT", KFIT)
            self.assertEqual(len(m.doubles("CENT")), k * d)
            self.assertTrue(same(mix.lib.mix_kmeans_centers(h), m.doubles("CENT")))
            self.assertEqual(bits(mix.lib.mix_kmeans_inertia(h)), bits(inertia))
            self.assertEqual(mix.lib.mix_kmeans_n_iter(h), n_iter)
            norms = [sum(c * c for c in m.doubles("CENU")[j * d:(j + 1) * d]) for j in range(k)]
            for a, b in zip(norms, m.doubles("CNRM")):
                self.assertAlmostEqual(a, b, delta=1e-12 * max(b, 1e-300))
        finally:
            mix.lib.mix_kmeans_free(h)

    def check_mixture(self, m, path):
        (k, family, init, n_init, max_iter, tol, reg, seed, warm, threads, method, lr, b1, b2,
         eps, batch, gd, given) = m.fields("MOPT", MOPT)
        fitted = "MFIT" in m.tags
        d, n_iter, converged, lower_bound, inv_scale, stored = (
            m.fields("MFIT", MFIT) if fitted else (0, 0, 0, 0.0, 1.0, 0))
        self.assertEqual(m.tags, expected_mixture_tags(m.kind, family, given, fitted, stored))
        if given & 1:
            self.assertEqual(len(m.doubles("GWGT")), k)
        if given & 4:
            self.assertEqual(len(m.doubles("GCOV")), cov_len(family, k, gd))
        name = "gmm" if m.kind == 2 else "bmm"
        h = self.load(m.kind, path)
        try:
            if not fitted:
                return
            self.assertTrue(same(getattr(mix.lib, "mix_%s_weights" % name)(h), m.doubles("WGHT")))
            self.assertEqual(bits(getattr(mix.lib, "mix_%s_lower_bound" % name)(h)),
                             bits(lower_bound))
            self.assertEqual(getattr(mix.lib, "mix_%s_n_iter" % name)(h), n_iter)
            for w, lw in zip(m.doubles("WGHT"), m.doubles("LWGT")):
                self.assertAlmostEqual(math.log(w), lw, delta=1e-12 * (1 + abs(lw)))
            if m.kind == 3:
                self.assertTrue(same(mix.lib.mix_bmm_probs(h), m.doubles("MEAN")))
                self.assertEqual(m.doubles("SHFT"), [0.0] * d)
                self.assertEqual(inv_scale, 1.0)
                return
            self.assertEqual(mix.lib.mix_gmm_covariance_type(h), family)
            self.assertTrue(same(mix.lib.mix_gmm_means(h), m.doubles("MEAN")))
            s = 1.0 / inv_scale  # the rules for absent data-unit arrays
            cov = m.doubles("COVD") if stored & 1 else [c * s * s for c in m.doubles("COVU")]
            prec = m.doubles("PRCD") if stored & 2 else [p * inv_scale for p in m.doubles("PRCU")]
            self.assertEqual(len(cov), cov_len(family, k, d))
            self.assertEqual(mix.lib.mix_gmm_covariances_size(h), len(cov))
            self.assertTrue(same(mix.lib.mix_gmm_covariances(h), cov))
            self.assertTrue(same(mix.lib.mix_gmm_precisions_cholesky(h), prec))
            self.assertEqual(mix.lib.mix_gmm_converged(h), converged)
        finally:
            getattr(mix.lib, "mix_%s_free" % name)(h)

    def test_every_frozen_file(self):
        for path in self.files():
            with self.subTest(file=os.path.basename(path)):
                with open(path, "rb") as f:
                    m = Model(f.read())
                self.assertEqual(m.writer, 400)  # written by 0.4.0
                if m.kind == 1:
                    self.check_kmeans(m, path)
                else:
                    self.check_mixture(m, path)


def record(tag, payload):
    return struct.pack("<4sIQ", tag.encode(), 0, len(payload)) + payload


def doubles(values):
    return struct.pack("<%dd" % len(values), *values)


def frame(kind, records):
    body = b"".join(records)
    total = 32 + len(body) + 4
    data = MAGIC + struct.pack("<IIIIQ", 1, 999999, kind, 0, total) + body
    return data + struct.pack("<I", crc32c(data))


class WriteOwnFiles(unittest.TestCase):
    def test_kmeans_written_here(self):
        k, d = 2, 2
        centers = [0.0, 0.0, 10.0, 10.0]
        kopt = struct.pack("<" + KOPT, k, 1, 0, 300, 1e-4, 0, 0, 0, 0, 0.01, 0.9, 0.99, 1e-5,
                           0, 0)
        data = frame(1, [record("KOPT", kopt),
                         record("KFIT", struct.pack("<" + KFIT, d, 0, float("nan"), 1.0)),
                         record("SHFT", doubles([0.0, 0.0])), record("CENT", doubles(centers)),
                         record("CENU", doubles(centers)), record("CNRM", doubles([0.0, 200.0]))])
        h = mix.lib.mix_kmeans_create(5)
        try:
            rc = mix.lib.mix_kmeans_load_buffer(h, data, len(data))
            self.assertEqual(rc, 0, mix.lib.mix_kmeans_errmsg(h))
            X = (ctypes.c_double * 4)(1.0, -1.0, 9.0, 11.0)
            labels = (ctypes.c_int32 * 2)()
            self.assertEqual(mix.lib.mix_kmeans_predict(h, X, 2, 2, labels), 0)
            self.assertEqual(list(labels), [0, 1])
            bad = bytearray(data)  # a flipped bit
            bad[60] ^= 4
            self.assertEqual(mix.lib.mix_kmeans_load_buffer(h, bytes(bad), len(bad)),
                             mix.MIX_EFORMAT)
        finally:
            mix.lib.mix_kmeans_free(h)

    def test_bmm_written_here(self):
        k, d = 2, 3
        w, p = [0.25, 0.75], [0.5, 0.125, 0.875, 0.25, 0.75, 1.0]
        mopt = struct.pack("<" + MOPT, k, 0, 0, 1, 100, 1e-3, 1.0, 0, 0, 0, 0, 0.01, 0.9, 0.99,
                           1e-5, 0, 0, 0)
        recs = [record("MOPT", mopt),
                record("MFIT", struct.pack("<" + MFIT, d, 0, 0, float("nan"), 1.0, 0)),
                record("SHFT", doubles([0.0] * d)), record("WGHT", doubles(w)),
                record("LWGT", doubles([math.log(x) for x in w])), record("MEAU", doubles(p)),
                record("LDET", doubles([0.0] * k)), record("MEAN", doubles(p))]
        data = frame(3, recs)
        h = mix.lib.mix_bmm_create(1)
        try:
            rc = mix.lib.mix_bmm_load_buffer(h, data, len(data))
            self.assertEqual(rc, 0, mix.lib.mix_bmm_errmsg(h))
            row = [1.0, 0.0, 1.0]
            X = (ctypes.c_double * 3)(*row)
            logp = (ctypes.c_double * 1)()
            self.assertEqual(mix.lib.mix_bmm_score_samples(h, X, 1, 3, logp), 0)
            want = math.log(sum(w[j] * math.prod(p[j * d + t] if row[t] else 1 - p[j * d + t]
                                                 for t in range(d)) for j in range(k)))
            self.assertAlmostEqual(logp[0], want, delta=1e-14)
            with tempfile.TemporaryDirectory() as tmp:  # the file form too
                path = os.path.join(tmp, "own.mixture")
                with open(path, "wb") as f:
                    f.write(data)
                self.assertEqual(mix.lib.mix_bmm_load(h, path.encode()), 0)
        finally:
            mix.lib.mix_bmm_free(h)


if __name__ == "__main__":
    unittest.main()
