"""The options of a saved model, read from its first records (docs/format.md),
for the constructor parameters of an estimator loaded from a file or bytes;
the bytes of a file, read once for both the model and its options.

The library has checked the data whole (checksum, every record, every
value) before anything here runs: this reads only the records that come
before the model's (the options, the given starting parameters, stepwise
EM's step) and stops at the model's scalars. A file is read once, and the
library loads the model from the same bytes, so that the model and the
options come from one file even when the path is replaced meanwhile.
"""
import errno
import os
import stat
import struct

import numpy as np

from . import _lib

MAGIC = b"\x89MIX\r\n\x1a\n"
KINDS = {"kmeans": 1, "gmm": 2, "bmm": 3}
# The options' fields in payload order, by record (docs/format.md).
_FIELDS = {
    "KOPT": ("<QQqqdQqQQddddQQ",
             "k init n_init max_iter tol seed threads algorithm method learning_rate beta1 "
             "beta2 epsilon batch_size init_d"),
    "MOPT": ("<QQQqqddQQqQddddQQQ",
             "k family init n_init max_iter tol reg seed warm_start threads method "
             "learning_rate beta1 beta2 epsilon batch_size gd given"),
    "MONL": ("<dd", "kappa t0"),
}
_WANTED = {"KOPT", "ICEN", "MOPT", "GWGT", "GMEA", "GCOV", "MONL"}
_MODEL = {"KFIT", "MFIT"}  # the model's records start here: nothing wanted after


class Saved:
    """The options (``options``: field name -> value, as the format names
    them), the optional MONL fields (``online``, or None) and the arrays
    given before a fit (``arrays``: tag -> float64 array, flat)."""

    def __init__(self, kind, read):
        head = read(0, 32)
        if len(head) != 32 or head[:8] != MAGIC:
            raise ValueError("not a saved model")
        _version, _writer, found, _reserved, total = struct.unpack_from("<IIIIQ", head, 8)
        if found != KINDS[kind]:
            raise ValueError("a model of another kind")
        records, at = {}, 32
        while at + 16 <= total - 4:
            tag, _flags, length = struct.unpack("<4sIQ", read(at, 16))
            tag = tag.decode("ascii", "replace")
            if tag in _MODEL:
                break
            if tag in _WANTED:
                payload = read(at + 16, length)
                if len(payload) != length:
                    raise ValueError("truncated")
                records[tag] = payload
            at += 16 + length
        opt = "KOPT" if kind == "kmeans" else "MOPT"
        if opt not in records:
            raise ValueError("no options")
        self.options = _fields(opt, records[opt])
        self.online = _fields("MONL", records["MONL"]) if "MONL" in records else None
        self.arrays = {tag: np.frombuffer(p, dtype="<f8").astype(np.float64)
                       for tag, p in records.items() if tag in ("ICEN", "GWGT", "GMEA", "GCOV")}


def _fields(tag, payload):
    fmt, names = _FIELDS[tag]
    return dict(zip(names.split(), struct.unpack(fmt, bytes(payload))))


def as_bytes(data):
    """Any bytes-like object (of any shape, contiguous or not, of any item
    format) as bytes: its bytes in C order, as memoryview.tobytes gives them."""
    return data if isinstance(data, bytes) else bytes(memoryview(data))


def from_bytes(kind, data):
    view = memoryview(as_bytes(data))
    return Saved(kind, lambda at, n: view[at:at + n])


def read_file(path):
    """The bytes of a saved model's file (path: str, bytes or os.PathLike),
    read whole, once. A file that cannot be read raises what
    mix_<kind>_load raises, with its message: MixtureRuntimeError (EIO)
    naming the path and the system's reason."""
    name = os.fsdecode(path)

    def failure(what, e):
        return _lib.error(_lib.Status.EIO, "%s %s: %s"
                          % (what, name, e.strerror or os.strerror(e.errno or 0)))
    try:
        f = open(path, "rb")
    except IsADirectoryError as e:  # fopen opens a directory; the library refuses it
        raise failure("cannot load", e) from None
    except OSError as e:
        raise failure("cannot open", e) from None
    with f:
        try:
            mode = os.fstat(f.fileno()).st_mode
        except OSError as e:
            raise failure("cannot load", e) from None
        if stat.S_ISDIR(mode):
            raise failure("cannot load", IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
        if not stat.S_ISREG(mode):
            raise _lib.error(_lib.Status.EIO, "cannot load %s: not a regular file" % name)
        try:
            return f.read()
        except OSError as e:
            raise failure("cannot read", e) from None


def named(err, path):
    """A load_buffer failure as a load of the file at path reports it: the
    library names the data "buffer"; a file load names the path."""
    prefix = "buffer: "
    if not err.message.startswith(prefix):
        return err
    return _lib.error(err.code, "%s: %s" % (os.fsdecode(path), err.message[len(prefix):]))
