#!/usr/bin/python3
"""libmixture benchmark suite: `make bench` (not part of `make check`).

For every row of the table in DESIGN.md ("Where the anchors stand"), plus
K-means and diagonal GMM at n = 1M and the full-covariance n = 1M memory row,
in one run, on the same data and from the same starting parameters, with a
fixed number of iterations (tol = 0):

  libmixture    tests/bench/bench_mixture.c (ms per iteration from the
                iteration callback; peak RSS beyond the data)
  scikit-learn  tests/bench/bench_sklearn.py (two fits, difference)
  Armadillo     tests/bench/bench_armadillo.cpp (if installed)
  VLFeat        tests/bench/bench_vlfeat.c (if installed)
  dgemm         tests/bench/bench_dgemm.c: one bare OpenBLAS dgemm of the
                row's main product, the arithmetic limit

and, as further runners of some rows (Row.adam, Row.stream):

  libmixture fitted by Adam (bench_mixture --adam: ms per epoch) against
                its own EM iteration, and PyTorch autograd's epoch on the
                same theta (tests/bench/bench_torch.py, two ways of writing
                the log-likelihood; if /usr/bin/python3 has torch)
  libmixture streamed (bench_mixture --stream 1000: the same fit through a
                reader copying rows from memory) against the in-memory fit,
                whole-fit time, and whether the two models are the same bits

Every runner is a separate process (so that peak RSS is per run), with
OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = --threads (default 2) and libmixture
set to the same number of threads. Then the scaling runs (libmixture alone,
n = 1e5 .. 1e6), the thread runs (libmixture alone, 1 and 2 threads, on the
n = 200k rows) and the MPI runs (if mpicc and mpirun exist:
examples/mpi/mpi_fit.c with 1, 2 and 3 ranks of one thread on 200k rows,
beside tests/bench/bench_mpi_probe.c, what bare MPI and trivial loops gain
from ranks on this machine). Prints one table and, for a full run, writes
docs/performance.md, docs/performance-scaling.svg and the measured table of
docs/scaling.md; raw results go to build/bench/results.json. Data are
generated into a temporary directory and deleted afterwards.

Options: --quick (a smoke run: the n = 100k d = 16 rows, fewer iterations,
two scaling points; writes no docs), --rows PATTERN[,PATTERN] (rows whose id
contains a pattern; writes no docs), --docs / --no-docs (force), --no-scaling,
--mpi / --no-mpi (force the MPI runs on or off; default on in a full run),
--mpi-rounds N (rounds of 1, 2, 3 ranks; default 5), --threads N,
--repeats N (runs of every runner per row, fastest kept; default 2),
--keep-data, --list, --from-json FILE (rewrite the docs from a full run's
build/bench/results.json without running anything), --persist (only the
saving and loading benchmark, bench_persist.c; a full run includes it).
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(REPO, "build", "bench")
DOCS = os.path.join(REPO, "docs")
sys.path.insert(0, HERE)
import gen_data  # noqa: E402

PYTHON = sys.executable or "/usr/bin/python3"
SK_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else PYTHON

# ---------------------------------------------------------------------------
# Rows. iters: max_iter of libmixture, Armadillo and VLFeat, and M2 of
# scikit-learn (M1 = iters // 5, at least 1), so that the final objectives
# of libmixture and scikit-learn can be compared.


class Row:
    """adam: also timed fitted by Adam (libmixture and PyTorch, issue 11);
    stream: also fitted through a reader (issue 14)."""

    def __init__(self, model, n, d, k, iters, note="", adam=False, stream=False):
        self.model, self.n, self.d, self.k, self.iters, self.note = model, n, d, k, iters, note
        self.adam, self.stream = adam, stream

    @property
    def id(self):
        return "%s-%s-d%d-k%d" % (self.model, human_n(self.n), self.d, self.k)

    @property
    def label(self):
        name = {"kmeans": "K-means", "silhouette": "silhouette (ms/call)"}.get(
            self.model, "GMM " + self.model)
        return "%s n=%s d=%d k=%d" % (name, human_n(self.n), self.d, self.k)

    def dgemm_shape(self):
        n, d, k = self.n, self.d, self.k
        return {"kmeans": (n, d, k),          # X C^T: cross terms of the distances
                "full": (n, d, k * d),        # X [U_1 .. U_k]: whitening by every component
                "tied": (n, d, d + k),        # X [U, U mu^T]: one whitening + cross terms
                "diag": (n, 2 * d, k),        # [X^2, X] [1/s^2; -2 mu/s^2]
                "spherical": (n, d, k),       # X mu^T: cross terms
                "silhouette": (n, d, n)}[self.model]  # X X^T: scikit-learn's expanded distances


ROWS = [
    Row("kmeans", 100_000, 16, 16, 20),
    Row("kmeans", 200_000, 64, 256, 30, stream=True),
    Row("kmeans", 1_000_000, 16, 16, 10, stream=True),
    Row("full", 100_000, 16, 16, 10, adam=True, stream=True),
    Row("full", 50_000, 64, 32, 5),
    Row("tied", 100_000, 16, 16, 10, adam=True),
    Row("diag", 100_000, 16, 16, 10, adam=True),
    Row("diag", 200_000, 64, 64, 6, stream=True),
    Row("diag", 1_000_000, 16, 16, 6),
    Row("spherical", 100_000, 16, 16, 10, adam=True),
    Row("full", 1_000_000, 16, 16, 4, note="memory row", stream=True),
    Row("silhouette", 20_000, 16, 10, 1),  # one call: mix_silhouette_score, random labels
]
QUICK_IDS = {"kmeans-100k-d16-k16", "full-100k-d16-k16", "diag-100k-d16-k16",
             "silhouette-20k-d16-k10"}
STREAM_ROWS_PER_CALL = 1000  # the in-memory reader's chunk (bench_mixture --stream)
ADAM_TARGET = 1.3            # an Adam epoch against an EM iteration (issue 11)
TORCH_TARGET = 10.0          # PyTorch's epoch against libmixture's (full, diag, spherical)
TORCH_TARGET_MODELS = {"full", "diag", "spherical"}
STREAM_TARGET = 1.15         # a streamed fit against the in-memory fit (issue 14)
MPI_TARGET = 1.8             # 2 ranks against 1 (issue 14)
MPI_N = 200_000              # rows of the MPI runs (examples/mpi/mpi_fit.c: d = 16, k = 8)
MPI_RANKS = (1, 2, 3)
MPI_MODELS = ("kmeans", "full", "tied", "diag", "spherical")
SCALING_N = [100_000, 200_000, 500_000, 1_000_000]
SCALING = [("kmeans", 16, 16, 20), ("full", 16, 16, 8)]  # model, d, k, iterations
SCALING_REPEATS = 3
MEMORY_LIMIT_MIB = 45.0
ARMA_MODELS = {"kmeans", "full", "diag"}


def human_n(n):
    if n % 1_000_000 == 0:
        return "%dM" % (n // 1_000_000)
    if n % 1000 == 0:
        return "%dk" % (n // 1000)
    return str(n)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Building the runners.


def pkg_config(args, fallback):
    try:
        out = subprocess.run(["pkg-config"] + args, capture_output=True, text=True, check=True)
        return out.stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return fallback


def build_one(name, cmd, sources):
    """Compile unless the binary is newer than its sources and was built by
    the same command."""
    out = os.path.join(BUILD, name)
    deps = sources + [os.path.join(HERE, "bench_common.h")]
    if name in ("bench_mixture", "mpi_fit"):
        deps += [os.path.join(REPO, "include", "mixture.h")]
    stamp = out + ".cmd"
    line = " ".join(cmd)
    if (os.path.exists(out) and os.path.exists(stamp) and open(stamp).read() == line
            and all(os.path.getmtime(out) >= os.path.getmtime(s) for s in deps)):
        return out
    log("building %s" % name)
    os.makedirs(BUILD, exist_ok=True)
    r = subprocess.run(cmd + ["-o", out], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("building %s failed:\n%s\n%s" % (name, line, r.stderr))
    with open(stamp, "w") as f:
        f.write(line)
    return out


def snapshot_library(lib):
    """Copy the shared library the runner will load into build/bench/lib, so
    that a run measures one build even if lib/ is rebuilt meanwhile (another
    `make` on the same tree). Returns (directory, description)."""
    snap = os.path.join(BUILD, "lib")
    os.makedirs(snap, exist_ok=True)
    link = os.path.join(lib, "libmixture.so")
    soname = os.readlink(link) if os.path.islink(link) else "libmixture.so.0"
    real = os.path.realpath(link)
    for _ in range(30):  # wait until the file has not changed for 2 s
        st = os.stat(real)
        if time.time() - st.st_mtime >= 2:
            shutil.copyfile(real, os.path.join(snap, soname + ".tmp"))
            if os.stat(real).st_mtime == st.st_mtime:
                break
        time.sleep(1)
    os.replace(os.path.join(snap, soname + ".tmp"), os.path.join(snap, soname))
    with open(os.path.join(snap, soname), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    built = datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc)
    return snap, "%s built %s, sha256 %s" % (os.path.basename(real),
                                            built.strftime("%Y-%m-%d %H:%M:%S UTC"), digest)


def build_runners():
    os.makedirs(BUILD, exist_ok=True)
    cc = os.environ.get("CC", "cc")
    cxx = os.environ.get("CXX", "c++")
    lib = os.path.join(REPO, "lib")
    if not os.path.exists(os.path.join(lib, "libmixture.so")):
        raise RuntimeError("lib/libmixture.so is missing: run `make` first")
    src = lambda f: os.path.join(HERE, f)  # noqa: E731
    runners, notes = {}, []
    snap, runners["libmixture_build"] = snapshot_library(lib)
    # Linked against lib/libmixture.so; loads the snapshot of it (DT_RPATH,
    # which LD_LIBRARY_PATH does not override).
    runners["libmixture"] = build_one(
        "bench_mixture",
        [cc, "-std=c11", "-O2", "-Wall", "-Wextra", "-I" + os.path.join(REPO, "include"),
         src("bench_mixture.c"), "-L" + lib, "-lmixture", "-Wl,--disable-new-dtags",
         "-Wl,-rpath," + snap, "-lm"],
        [src("bench_mixture.c")])
    runners["dgemm"] = build_one(
        "bench_dgemm",
        [cc, "-std=c11", "-O2", "-Wall", "-Wextra"]
        + pkg_config(["--cflags", "openblas"], [])
        + [src("bench_dgemm.c")] + pkg_config(["--libs", "openblas"], ["-lopenblas"]),
        [src("bench_dgemm.c")])
    if os.path.isdir("/usr/include/armadillo_bits") or os.path.exists("/usr/include/armadillo"):
        try:
            runners["armadillo"] = build_one(
                "bench_armadillo",
                [cxx, "-std=c++14", "-O2", "-march=native", "-fopenmp", "-Wall",
                 src("bench_armadillo.cpp")] + pkg_config(["--cflags", "--libs", "armadillo"],
                                                          ["-larmadillo"]),
                [src("bench_armadillo.cpp")])
        except RuntimeError as e:
            notes.append("Armadillo runner did not build: %s" % str(e).splitlines()[0])
    else:
        notes.append("Armadillo is not installed (apt-get install libarmadillo-dev): skipped")
    if os.path.isdir("/usr/include/vl"):
        try:
            runners["vlfeat"] = build_one(
                "bench_vlfeat",
                [cc, "-std=c11", "-O2", "-Wall", "-Wextra", src("bench_vlfeat.c"), "-lvl", "-lm"],
                [src("bench_vlfeat.c")])
        except RuntimeError as e:
            notes.append("VLFeat runner did not build: %s" % str(e).splitlines()[0])
    else:
        notes.append("VLFeat is not installed (apt-get install libvlfeat-dev): skipped")
    r = subprocess.run([SK_PYTHON, "-c", "import sklearn, threadpoolctl"], capture_output=True)
    if r.returncode == 0:
        runners["sklearn"] = os.path.join(HERE, "bench_sklearn.py")
    else:
        notes.append("scikit-learn is not importable by %s (apt-get install python3-sklearn): "
                     "skipped" % SK_PYTHON)
    r = subprocess.run([SK_PYTHON, "-c", "import torch"], capture_output=True)
    if r.returncode == 0:
        runners["torch"] = os.path.join(HERE, "bench_torch.py")
    else:
        notes.append("PyTorch is not importable by %s (apt-get install python3-torch): the "
                     "Adam rows have no PyTorch column" % SK_PYTHON)
    mpicc = os.environ.get("MPICC", "mpicc")
    if shutil.which(mpicc) and shutil.which(os.environ.get("MPIRUN", "mpirun")):
        try:
            runners["mpi_fit"] = build_one(
                "mpi_fit",
                [mpicc, "-std=c11", "-O2", "-Wall", "-Wextra", "-I" + os.path.join(REPO, "include"),
                 os.path.join(REPO, "examples", "mpi", "mpi_fit.c"), "-L" + lib, "-lmixture",
                 "-Wl,--disable-new-dtags", "-Wl,-rpath," + snap, "-lm"],
                [os.path.join(REPO, "examples", "mpi", "mpi_fit.c")])
            runners["mpi_probe"] = build_one(
                "bench_mpi_probe", [mpicc, "-std=c11", "-O2", "-Wall", "-Wextra",
                                    src("bench_mpi_probe.c")], [src("bench_mpi_probe.c")])
        except RuntimeError as e:
            notes.append("MPI runners did not build: %s" % str(e).splitlines()[0])
    else:
        notes.append("mpicc or mpirun is missing (apt-get install libopenmpi-dev openmpi-bin): "
                     "no MPI runs")
    return runners, notes


# ---------------------------------------------------------------------------
# Running.


def cpu_busy_s():
    """CPU seconds the whole machine has spent busy since boot (/proc/stat:
    everything but idle and iowait), or None."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def children_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_json(cmd, env, timeout=900):
    """Run a runner, return the last JSON line it printed, with wall_s and
    others_cores: the CPU that processes other than this run's used meanwhile
    (the machine's busy time less the run's own, per second: 1.0 is one core
    taken by someone else)."""
    t0 = time.time()
    busy0, own0 = cpu_busy_s(), children_cpu_s()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": "timeout after %d s" % timeout}
    wall = time.time() - t0
    busy1, own1 = cpu_busy_s(), children_cpu_s()
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": "exit %d: %s" % (r.returncode, tail)}
    res = json.loads(lines[-1])
    if len(lines) > 1:
        res["lines"] = [json.loads(ln) for ln in lines]
    if not res.get("error"):
        res.pop("error", None)
    res["wall_s"] = round(wall, 2)
    if busy0 is not None and busy1 is not None and wall > 0:
        res["others_cores"] = round(max(0.0, (busy1 - busy0) - (own1 - own0)) / wall, 2)
    if r.returncode != 0:
        res.setdefault("error", "exit %d" % r.returncode)
    return res


def data_args(meta, model):
    f = lambda key: os.path.join(meta["dir"], meta["files"][key])  # noqa: E731
    if model == "silhouette":  # the labels take the weights' place
        return [f("X"), str(meta["n"]), str(meta["d"]), str(meta["k"]), "-", f("labels"), "-"]
    cov = "-" if model in ("kmeans", "lloyd", "elkan") else f("cov_" + model)
    wts = "-" if model in ("kmeans", "lloyd", "elkan") else f("weights")
    return [f("X"), str(meta["n"]), str(meta["d"]), str(meta["k"]), f("means"), wts, cov]


def run_row(row, meta, meta_path, runners, env, threads, repeats):
    """Every runner of the row, `repeats` times in turn (all runners once, then
    again), keeping each runner's fastest run: a transient load on the shared
    machine then rarely decides a ratio."""
    res = {"id": row.id, "label": row.label, "model": row.model, "n": row.n, "d": row.d,
           "k": row.k, "iters": row.iters, "data_mib": row.n * row.d * 8 / 2**20}
    M, K, N = row.dgemm_shape()
    lib_args = [row.model] + data_args(meta, row.model) + [str(row.iters), str(threads)]
    jobs = [("dgemm", [runners["dgemm"], str(M), str(K), str(N), str(threads)])]
    jobs.append(("libmixture", [runners["libmixture"]] + lib_args))
    if "sklearn" in runners:
        m1 = max(1, row.iters // 5)
        jobs.append(("sklearn", [SK_PYTHON, runners["sklearn"], row.model, meta_path, str(m1),
                                 str(row.iters), str(threads)]))
    if "armadillo" in runners and row.model in ARMA_MODELS:
        jobs.append(("armadillo", [runners["armadillo"], row.model]
                     + data_args(meta, row.model) + [str(row.iters)]))
    if "vlfeat" in runners:
        algs = {"kmeans": ("lloyd", "elkan"), "diag": ("diag",)}.get(row.model, ())
        for alg in algs:
            jobs.append(("vlfeat_" + alg, [runners["vlfeat"], alg] + data_args(meta, alg)
                         + [str(row.iters), str(threads)]))
    run_jobs(jobs, res, env, repeats)
    res["dgemm"]["shape"] = [M, K, N]
    if row.adam or row.stream:
        res["pairs"] = run_pairs(row, meta, meta_path, runners, env, threads)
    return res


def run_jobs(jobs, res, env, repeats):
    """Run (key, command[, extra environment]) jobs `repeats` times in turn
    into res[key], keeping each job's run with the fastest iteration and,
    in ms_total_best, its fastest whole fit."""
    for rep in range(repeats):
        for job in jobs:
            key, cmd = job[0], job[1]
            old = res.get(key)
            if old is not None and "error" in old:
                continue
            r = run_json(cmd, dict(env, **job[2]) if len(job) > 2 else env)
            totals = [v for v in (r.get("ms_total"), (old or {}).get("ms_total_best"))
                      if v is not None and "error" not in r]
            if old is None or "error" in r or ms_of(r) < ms_of(old):
                r["runs"] = rep + 1
                res[key] = r
            else:
                old["runs"] = rep + 1
            if totals:
                res[key]["ms_total_best"] = min(totals)


PAIR_ROUNDS = 4  # rounds of the libmixture pairs (EM / Adam, in memory / streamed)
# PyTorch's runs per way of writing the log-likelihood: by hand is the faster
# (the one the speed-up is against) and cheap; torch.distributions takes
# seconds per epoch.
TORCH_RUNS = (("dist", 2), ("hand", 4))


def run_pairs(row, meta, meta_path, runners, env, threads):
    """The comparisons within libmixture (issues 11 and 14), apart from the
    row's other runners: its fit by EM and by Adam, in memory and streamed
    (and, where the in-memory K-means uses Hamerly's bounds, in memory by
    Lloyd), in PAIR_ROUNDS alternating rounds, so that a transient load
    falls on both sides; then PyTorch's epoch, both ways (TORCH_RUNS)."""
    lib = [runners["libmixture"]]
    args = [row.model] + data_args(meta, row.model) + [str(row.iters), str(threads)]
    jobs = []
    if row.adam:
        jobs += [("em", lib + args), ("adam", lib + ["--adam"] + args)]
    if row.stream:
        jobs += [("memory", lib + args),
                 ("stream", lib + ["--stream", str(STREAM_ROWS_PER_CALL)] + args)]
        if row.model == "kmeans" and row.k * row.d >= 512:
            jobs.append(("lloyd", lib + args, {"MIX_BENCH_KMEANS_ALGORITHM": "lloyd"}))
    pairs = {"rounds": PAIR_ROUNDS}
    run_jobs(jobs, pairs, env, PAIR_ROUNDS)
    if row.adam and "torch" in runners:
        for variant, runs in TORCH_RUNS:
            run_jobs([("torch_" + variant, [SK_PYTHON, runners["torch"], row.model, meta_path,
                                            str(row.iters), str(threads), variant])],
                     pairs, env, runs)
    for key in sorted(k for k in pairs if k != "rounds"):
        r = pairs[key]
        log("    pair %-9s %s" % (key, r["error"] if "error" in r else "%s ms/it, fit %s ms" % (
            fmt_ms(ms_of(r)), fmt_ms(r.get("ms_total_best")))))
    return pairs


def run_scaling(metas, runners, env, threads, ns, repeats):
    """Best (lowest median ms/it) of `repeats` runs per point; the repeats are
    interleaved (every point once, then again) so that a transient load on
    the shared machine does not fall on one point only."""
    best = {}
    for rep in range(repeats):
        for model, d, k, iters in SCALING:
            for n in ns:
                key = (model, n)
                if rep > 0 and "error" in best.get(key, {}):
                    continue
                r = run_json([runners["libmixture"], model] + data_args(metas[(n, d, k)], model)
                             + [str(iters), str(threads)], env)
                old = best.get(key)
                if old is None or "error" in r or r["ms_per_iter"] < old["ms_per_iter"]:
                    best[key] = r
                log("  scaling %-6s n=%-8d run %d: %s" % (
                    model, n, rep + 1, r.get("error") or fmt_ms(r.get("ms_per_iter"))))
    out = []
    for model, d, k, iters in SCALING:
        series = {"model": model, "d": d, "k": k, "iters": iters, "repeats": repeats,
                  "points": [{"n": n, "result": best[(model, n)]} for n in ns]}
        pts = {p["n"]: ms_of(p["result"]) for p in series["points"]}
        lo, hi = min(ns), max(ns)
        if pts.get(lo) and pts.get(hi):
            series["ratio"] = pts[hi] / pts[lo]
            series["ideal"] = hi / lo
        out.append(series)
    return out



THREAD_TARGET = 1.7  # 2 threads against 1 on the n = 200k rows


def run_threads(rows, metas, runners, env, repeats):
    """libmixture alone on the n = 200k rows with 1 and 2 threads (BLAS
    limited likewise), interleaved; best of `repeats` per point."""
    out = []
    for row in [r for r in rows if r.n == 200_000]:
        meta = metas[(row.n, row.d, row.k)][0]
        best = {}
        for rep in range(repeats):
            for t in (1, 2):
                e = dict(env)
                for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                    e[var] = str(t)
                r = run_json([runners["libmixture"], row.model] + data_args(meta, row.model)
                             + [str(row.iters), str(t)], e)
                if t not in best or "error" in r or ms_of(r) < ms_of(best[t]):
                    best[t] = r
                log("  threads %-28s %d thread(s), run %d: %s" % (
                    row.label, t, rep + 1, r.get("error") or fmt_ms(r.get("ms_per_iter"))))
        res = {"row": row.label, "t1": best[1], "t2": best[2]}
        if ms_of(best[1]) and ms_of(best[2]):
            res["speedup"] = ms_of(best[1]) / ms_of(best[2])
        out.append(res)
    return out


def mpi_env():
    """Environment of the MPI runs: one thread per rank everywhere, and
    OpenMPI allowed to run as root and to put 3 ranks on 2 cores."""
    e = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        e[var] = "1"
    e.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
             OMPI_MCA_rmaps_base_oversubscribe="1")
    return e


def run_mpi(runners, rounds):
    """examples/mpi/mpi_fit.c (every model, 3 fits per launch, the fastest
    kept) and bench_mpi_probe with 1, 2 and 3 ranks, in `rounds` interleaved
    rounds (1, 2, 3 ranks, then again); per ranks and model the fastest fit
    of all rounds, and per ranks the fastest of each probe quantity."""
    mpirun = os.environ.get("MPIRUN", "mpirun")
    env = mpi_env()
    fits, probes = {}, {}
    for rnd in range(rounds):
        for p in MPI_RANKS:
            cmd = [mpirun, "-n", str(p), runners["mpi_fit"], "--n", str(MPI_N), "--repeats",
                   "3", "--json"]
            r = run_json(cmd, env)
            got = r.get("lines") or ([r] if "model" in r else [])
            if "error" in r and not got:
                fits.setdefault((p, "error"), r)
            for line in got:
                line["others_cores"] = r.get("others_cores")
                key = (p, line["model"])
                if key not in fits or line["best_s"] < fits[key]["best_s"]:
                    line["round"] = rnd + 1
                    fits[key] = line
            log("  mpi %d rank(s), round %d: %s (others %.2f cores)" % (
                p, rnd + 1, r.get("error") or ", ".join(
                    "%s %.3f s" % (x["model"], x["best_s"]) for x in got),
                r.get("others_cores") or 0))
            q = run_json([mpirun, "-n", str(p), runners["mpi_probe"], "--n", str(MPI_N)], env)
            if "error" in q:
                probes.setdefault(p, {"error": q["error"]})
                continue
            best = probes.setdefault(p, {})
            for key in ("allreduce_us_1", "allreduce_us_len", "fma_s", "scalar_s", "pass_s"):
                if key not in best or q[key] < best[key]:
                    best[key] = q[key]
                    best[key + "_others"] = q.get("others_cores")
            best["len"] = q.get("len")
    out = {"n": MPI_N, "rounds": rounds, "fits": [], "probes": []}
    for (p, model), v in sorted(fits.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        out["fits"].append(dict(v, ranks=p, model=model))
    for p, v in sorted(probes.items()):
        out["probes"].append(dict(v, ranks=p))
    return out


def mpi_fit_of(mpi, p, model):
    return next((f for f in mpi.get("fits", []) if f["ranks"] == p and f["model"] == model
                 and "best_s" in f), None)


def mpi_table(mpi):
    """Time per model for 1, 2, 3 ranks, speed-ups against 1 rank, peak RSS
    per rank; then the probe's rows (bare MPI, trivial loops)."""
    hdr = ["model", "iterations"]
    for p in MPI_RANKS:
        hdr += ["%d rank%s s" % (p, "s" if p > 1 else "")]
        if p > 1:
            hdr += ["speed-up"]
    hdr += ["peak RSS per rank MiB (%s ranks)" % ", ".join(str(p) for p in MPI_RANKS),
            "allreduce calls per fit", "others' CPU, cores (%s ranks)"
            % ", ".join(str(p) for p in MPI_RANKS)]
    rows = []
    for model in MPI_MODELS:
        one = mpi_fit_of(mpi, 1, model)
        if one is None:
            continue
        cells = [model, str(one.get("n_iter", "-"))]
        rss, others = [], []
        for p in MPI_RANKS:
            f = mpi_fit_of(mpi, p, model)
            cells.append("%.3f" % f["best_s"] if f else "-")
            if p > 1:
                if f:
                    sp = one["best_s"] / f["best_s"]
                    cells.append(against(sp, MPI_TARGET, False) if p == 2 else "%.2fx" % sp)
                else:
                    cells.append("-")
            rss.append("%.0f" % max(x["rss_peak_mib"] for x in f["ranks_detail"]) if f else "-")
            others.append("%.2f" % f["others_cores"] if f and f.get("others_cores") is not None
                          else "-")
        two = mpi_fit_of(mpi, 2, model)
        cells += [" / ".join(rss),
                  "%.0f" % two["ranks_detail"][0]["allreduce_calls"] if two else "-",
                  " / ".join(others)]
        rows.append(cells)
    return hdr, rows


def mpi_probe_table(mpi):
    pr = {p["ranks"]: p for p in mpi.get("probes", []) if "error" not in p}
    if 1 not in pr:
        return None, None
    hdr = ["what"] + ["%d rank%s" % (p, "s" if p > 1 else "") for p in MPI_RANKS if p in pr] \
        + ["speed-up, 2 ranks", "speed-up, 3 ranks"]

    def line(name, key, unit, speedup):
        cells = [name]
        for p in MPI_RANKS:
            if p in pr:  # an allreduce over one rank is no communication
                cells.append("-" if p == 1 and not speedup else "%.3g %s" % (pr[p][key], unit))
        for p in (2, 3):
            if speedup and p in pr and pr[p][key] > 0:
                cells.append("%.2fx" % (pr[1][key] / pr[p][key]))
            else:
                cells.append("-")
        return cells

    length = pr[1].get("len", "?")
    rows = [line("bare MPI_Allreduce, 1 double", "allreduce_us_1", "us", False),
            line("bare MPI_Allreduce, %s doubles" % length, "allreduce_us_len", "us", False),
            line("trivial pass loop (50 x (read 200k x 16 shard, allreduce))", "pass_s", "s",
                 True),
            line("FMA loop (AVX2, no memory), fixed work split", "fma_s", "s", True),
            line("scalar dependent-chain loop, fixed work split", "scalar_s", "s", True)]
    return hdr, rows


def mpi_section(mpi):
    """The MPI text and tables, for docs/performance.md and (its first
    table and the lines after it) docs/scaling.md."""
    L = []
    A = L.append
    A("examples/mpi/mpi_fit.c (`--n %d --repeats 3 --json`: %d rows x 16 columns made from "
      "their index, K-means and the four Gaussian mixtures with k = 8, one thread per rank, "
      "shards in memory) launched by `mpirun -n P` with OPENBLAS_NUM_THREADS = "
      "OMP_NUM_THREADS = 1, in %d interleaved rounds of 1, 2 and 3 ranks; each launch fits "
      "every model 3 times. Time: the whole fit (start included: k-means++ seeding, the "
      "K-means start of the mixtures, EM to convergence), the slowest rank's, from "
      "MPI_Wtime; the fastest of all fits of all rounds. This machine has 2 cores, so 3 "
      "ranks share them (OpenMPI oversubscribed)." % (mpi["n"], mpi["n"], mpi["rounds"]))
    A("")
    A(md_table(*mpi_table(mpi)))
    A("")
    A("- **speed-up**: 1 rank's time over P ranks'. Issue 14's target: 2 ranks at least "
      "%gx faster than 1." % MPI_TARGET)
    A("- **peak RSS per rank**: VmHWM of the rank's process after its fits (MPI's own "
      "buffers, the shard of %.1f MiB / P, the fit), the largest over the ranks."
      % (mpi["n"] * 16 * 8 / 2**20))
    A("- **allreduce calls per fit**: calls to the sum callback per fit with 2 ranks (each "
      "a status word plus the pass's statistics).")
    A("- **others' CPU**: the CPU that processes other than the benchmark's used during the "
      "launch that gave the time shown (the machine's busy time from /proc/stat less the "
      "launch's own, per second of the launch): the share of the 2 cores someone else had.")
    hdr, rows = mpi_probe_table(mpi)
    if rows:
        A("")
        A("What ranks can gain here at all (tests/bench/bench_mpi_probe.c, launched beside "
          "each mpi_fit, same ranks and environment, fastest of all rounds): a bare "
          "in-place MPI_Allreduce, and three loops that do a fixed amount of work split "
          "evenly over the ranks with no library code: a trivial pass loop shaped like a fit "
          "(50 times: read the shard once, allreduce), an AVX2 FMA loop (no memory), and a "
          "dependent scalar chain (latency-bound).")
        A("")
        A(md_table(hdr, rows))
        A("")
        A(mpi_verdict(mpi))
    return "\n".join(L)


def mpi_verdict(mpi):
    """One paragraph: what 2 ranks gained on the fits against the probe's
    loops in the same run."""
    pr = {p["ranks"]: p for p in mpi.get("probes", []) if "error" not in p}
    fits2 = [mpi_fit_of(mpi, 2, m) for m in MPI_MODELS]
    fits1 = [mpi_fit_of(mpi, 1, m) for m in MPI_MODELS]
    sps = [a["best_s"] / b["best_s"] for a, b in zip(fits1, fits2) if a and b]
    if not (1 in pr and 2 in pr and sps):
        return ""
    loops = {key: pr[1][key] / pr[2][key] for key in ("pass_s", "fma_s", "scalar_s")
             if pr[2].get(key)}
    best_loop = max(loops.values()) if loops else 0
    return ("In this run 2 ranks gained %.2fx to %.2fx on the fits, and %s on loops with no "
            "library code (a trivial pass loop, FMA, a scalar chain: "
            "tests/bench/bench_mpi_probe.c). %s" % (
                min(sps), max(sps),
                ", ".join("%.2fx" % loops[k] for k in ("pass_s", "fma_s", "scalar_s")
                          if k in loops),
                "Even those gain less than %gx from 2 ranks here, so no fit can: the limit "
                "is the machine (its two vCPUs and whoever else runs on them), not the "
                "number or size of the reductions." % MPI_TARGET if best_loop < MPI_TARGET
                else "They show what the machine allows; where a fit gains less, the "
                "difference is the fit's own (serial work, reductions, imbalance)."))


SCALING_BEGIN = "<!-- measured by make bench (tests/bench/run.py): begin -->"
SCALING_END = "<!-- measured by make bench: end -->"


def write_scaling_table(mpi, info):
    """Replace docs/scaling.md's measured table (between the markers, or the
    MEASURED_TABLE placeholder) with this run's."""
    path = os.path.join(DOCS, "scaling.md")
    with open(path) as f:
        text = f.read()
    body = "%s\n%s\n\nMeasured by `make bench` on %s (%s, %s logical CPUs), tree `%s`, " \
        "fastest of %d rounds; speed-up: 1 rank's time over P ranks'; peak RSS: VmHWM after " \
        "the fits, the largest rank's; others' CPU: what other processes used of the 2 " \
        "cores meanwhile. %s Section \"MPI ranks\" of docs/performance.md has the bare-MPI " \
        "probe and the rest of the run.\n%s" % (
            SCALING_BEGIN, md_table(*mpi_table(mpi)), info.get("date"), info.get("cpu", "?"),
            info.get("cpus"), info.get("git", "?"), mpi["rounds"], mpi_verdict(mpi), SCALING_END)
    if SCALING_BEGIN in text and SCALING_END in text:
        a = text.index(SCALING_BEGIN)
        b = text.index(SCALING_END) + len(SCALING_END)
        text = text[:a] + body + text[b:]
    elif "MEASURED_TABLE" in text:
        text = text.replace("MEASURED_TABLE", body, 1)
    else:
        log("docs/scaling.md has neither the markers nor MEASURED_TABLE: not updated")
        return False
    with open(path, "w") as f:
        f.write(text)
    return True


def against(ratio, target, at_most, fmt="%.2fx"):
    """A ratio with its verdict against a target (at most or at least)."""
    ok = ratio <= target if at_most else ratio >= target
    return (fmt + " (%s)") % (ratio, "met" if ok else "**missed**")


def adam_table(results):
    """Issue 11: an Adam epoch against an EM iteration, and against
    PyTorch's epoch (the faster of its two ways)."""
    hdr = ["problem", "EM ms/it", "Adam ms/epoch", "Adam / EM (target <= %gx)" % ADAM_TARGET,
           "PyTorch torch.distributions ms/epoch", "PyTorch by hand ms/epoch",
           "speed-up vs PyTorch's faster (target >= %gx: full, diag, spherical)" % TORCH_TARGET,
           "log-likelihood after the epochs: PyTorch vs libmixture",
           "MiB beyond data: EM, Adam, PyTorch (distributions / by hand)"]
    rows = []
    for res in results:
        pr = res.get("pairs") or {}
        adam = pr.get("adam")
        if adam is None:
            continue
        em, ad = ms_of(pr.get("em")), ms_of(adam)
        td, th = ms_of(pr.get("torch_dist")), ms_of(pr.get("torch_hand"))
        ratio = against(ad / em, ADAM_TARGET, True) if em and ad else "-"
        fastest = min([v for v in (td, th) if v] or [None])
        vs = "-"
        if fastest and ad:
            vs = against(fastest / ad, TORCH_TARGET, False, "%.1fx") \
                if res["model"] in TORCH_TARGET_MODELS else "%.1fx (no target)" % (fastest / ad)
        agree = [rel_diff(pr[k].get("objective"), adam.get("objective"))
                 for k in ("torch_dist", "torch_hand") if ms_of(pr.get(k))]
        agree = [a for a in agree if a is not None]
        rows.append([res["label"], fmt_ms(em), fmt_ms(ad), ratio, fmt_ms(td), fmt_ms(th), vs,
                     "%.1e" % max(agree) if agree else "-",
                     "%s, %s, %s / %s" % (fmt_mib(pr.get("em")), fmt_mib(adam),
                                          fmt_mib(pr.get("torch_dist")),
                                          fmt_mib(pr.get("torch_hand")))])
    return hdr, rows


def total_of(r):
    if not r or "error" in r:
        return None
    return r.get("ms_total_best", r.get("ms_total"))


def stream_table(results):
    """Issue 14: the streamed fit against the in-memory fit of the same rows."""
    hdr = ["problem", "in-memory fit ms", "streamed fit ms",
           "streamed / in-memory (target <= %gx)" % STREAM_TARGET, "same model bits",
           "in the reader ms (copying rows, one thread)", "in-memory Lloyd fit ms, streamed / it",
           "MiB beyond data: in memory, streamed", "reader calls"]
    rows = []
    for res in results:
        pr = res.get("pairs") or {}
        st = pr.get("stream")
        if st is None:
            continue
        mem, sm = total_of(pr.get("memory")), total_of(st)
        ratio = against(sm / mem, STREAM_TARGET, True) if mem and sm else "-"
        lib = pr.get("memory") or {}
        same = "-"
        if lib.get("model_hash") and st.get("model_hash"):
            same = "identical" if lib["model_hash"] == st["model_hash"] else "**differ**"
        ll = total_of(pr.get("lloyd"))
        lloyd = "%s, %.2fx" % (fmt_ms(ll), sm / ll) if ll and sm else "-"
        rows.append([res["label"], fmt_ms(mem), fmt_ms(sm), ratio, same,
                     fmt_ms(st.get("reader_ms")), lloyd,
                     "%s, %s" % (fmt_mib(lib), fmt_mib(st)), str(st.get("reader_calls", "-"))])
    return hdr, rows


def threads_table(threads):
    hdr = ["problem", "1 thread ms/it", "2 threads ms/it", "speed-up"]
    rows = []
    for t in threads:
        sp = t.get("speedup")
        rows.append([t["row"], fmt_ms(ms_of(t["t1"])), fmt_ms(ms_of(t["t2"])),
                     "-" if sp is None else "%.2fx (%s %gx)" % (
                         sp, "at least" if sp >= THREAD_TARGET else "**below**",
                         THREAD_TARGET)])
    return hdr, rows

# ---------------------------------------------------------------------------
# Saving and loading (issue 13), kept apart from the rows above:
# tests/bench/bench_persist.c with a full-covariance model, k = 256, d = 256,
# through a directory in memory (/dev/shm when there is one), so that the
# library and the page cache are measured, not a disk (a save ends with
# fsync). Throughput is the file's bytes per second; peak memory (VmHWM) of
# a process that only loads is the model's own.

PERSIST_SHAPE = (256, 256)
PERSIST_REPEATS = 5


def run_persist(env, repeats=PERSIST_REPEATS):
    cc = os.environ.get("CC", "cc")
    src = os.path.join(HERE, "bench_persist.c")
    lib = os.path.join(REPO, "lib")
    exe = build_one("bench_persist",
                    [cc, "-std=c11", "-O2", "-Wall", "-Wextra",
                     "-I" + os.path.join(REPO, "include"), src, "-L" + lib, "-lmixture",
                     "-Wl,-rpath," + lib, "-lm"], [src])
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    tmp = tempfile.mkdtemp(prefix="libmixture-persist-", dir=shm)
    k, d = PERSIST_SHAPE
    try:
        res = {"k": k, "d": d, "where": "tmpfs (/dev/shm)" if shm else "a temporary directory"}
        res["all"] = run_json([exe, "all", tmp, str(k), str(d), str(repeats)], env)
        res["save"] = run_json([exe, "save", tmp, str(k), str(d)], env)
        res["load"] = run_json([exe, "load", tmp, str(k), str(d)], env)
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def persist_lines(res, markdown=True):
    """The section of docs/performance.md (or the printed summary)."""
    a = res.get("all", {})
    if "error" in a:
        return ["saving and loading: %s" % a["error"]]
    head = ["call", "median s", "best s", "GB/s (median)"]
    rows = [[name, "%.3f" % a["%s_s" % key], "%.3f" % a["%s_best_s" % key],
             "%.2f" % a["%s_gbps" % key]]
            for name, key in (("mix_gmm_save (file)", "save"), ("mix_gmm_load (file)", "load"),
                              ("mix_gmm_save_buffer", "save_buffer"),
                              ("mix_gmm_load_buffer", "load_buffer"))]
    load, save = res.get("load", {}), res.get("save", {})
    notes = ["A full-covariance Gaussian mixture, k = %d, d = %d: a file of %.1f MB, through "
             "%s, %d runs interleaved (save, load, save_buffer, load_buffer, then again)."
             % (res["k"], res["d"], a["bytes"] / 1e6, res["where"], a["repeats"]),
             "Peak memory: %.0f MiB for a process that only loads it (the model as the "
             "library holds it: no copy of the file), %.0f MiB for one that makes it and "
             "saves it." % (load.get("peak_rss_mib", -1), save.get("peak_rss_mib", -1)),
             "A load's floor is the kernel's first touch of the memory the model occupies "
             "(twice the file: the E-step's precomputed arrays and the public ones): %.3f s "
             "for that much fresh memory here, against %.3f s for the whole load."
             % (load.get("first_touch_s", -1), load.get("seconds", -1))]
    if not markdown:
        return [text_table(head, rows)] + notes
    return ["## Saving and loading", "", md_table(head, rows), ""] + notes + [""]


# ---------------------------------------------------------------------------
# Formatting.


def ms_of(r):
    if not r or "error" in r:
        return None
    v = r.get("ms_per_iter", r.get("ms"))
    return v if v is not None and v > 0 else None


def fmt_ms(v):
    if v is None:
        return "-"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def fmt_x(peer, lib):
    if peer is None or lib is None:
        return "-"
    return "%.1fx" % (peer / lib) if peer / lib >= 1 else "%.2fx" % (peer / lib)


def fmt_mib(r):
    if not r or "error" in r or r.get("extra_mib") is None:
        return "-"
    return "%.1f" % r["extra_mib"]


def vlfeat_cells(res, lib):
    if res["model"] == "kmeans":
        lo, el = ms_of(res.get("vlfeat_lloyd")), ms_of(res.get("vlfeat_elkan"))
        if lo is None and el is None:
            return "-", "-"
        return ("%s (L) / %s (E)" % (fmt_ms(lo), fmt_ms(el)),
                "%s / %s" % (fmt_x(lo, lib), fmt_x(el, lib)))
    v = ms_of(res.get("vlfeat_diag"))
    return fmt_ms(v), fmt_x(v, lib)


MAIN_HEADER = ["problem", "libmixture ms/it", "scikit-learn ms/it", "speed-up vs sklearn",
               "Armadillo ms/it", "speed-up vs Armadillo", "VLFeat ms/it", "speed-up vs VLFeat",
               "dgemm ms", "dgemm / libmixture", "libmixture MiB beyond data",
               "sklearn MiB beyond data"]


def main_table(results):
    rows = []
    for res in results:
        lib = ms_of(res.get("libmixture"))
        sk = ms_of(res.get("sklearn"))
        ar = ms_of(res.get("armadillo"))
        vl, vlx = vlfeat_cells(res, lib)
        dg = ms_of(res.get("dgemm"))
        libcell = fmt_ms(lib) if lib is not None else \
            "error: %s" % res.get("libmixture", {}).get("error", "?")
        rows.append([res["label"], libcell, fmt_ms(sk), fmt_x(sk, lib), fmt_ms(ar),
                     fmt_x(ar, lib), vl, vlx, fmt_ms(dg),
                     "%.2f" % (dg / lib) if dg and lib else "-",
                     fmt_mib(res.get("libmixture")), fmt_mib(res.get("sklearn"))])
    return MAIN_HEADER, rows


# The targets of the performance issue: (row id, speed-up over scikit-learn,
# a second condition on the row and its description).
TARGETS = [
    ("kmeans-100k-d16-k16", 2.0, "faster than Armadillo",
     lambda r: ms_of(r.get("libmixture")) < (ms_of(r.get("armadillo")) or float("inf"))),
    ("kmeans-200k-d64-k256", 1.5, "within 1.3x of its dgemm time",
     lambda r: ms_of(r.get("libmixture")) <= 1.3 * (ms_of(r.get("dgemm")) or 0)),
    ("full-100k-d16-k16", 8.0, "at or below its two main dgemm products",
     lambda r: ms_of(r.get("libmixture")) <= 2 * (ms_of(r.get("dgemm")) or 0)),
    ("diag-200k-d64-k64", 5.0, "faster than VLFeat",
     lambda r: ms_of(r.get("libmixture")) < (ms_of(r.get("vlfeat_diag")) or float("inf"))),
    ("tied-100k-d16-k16", 5.0, None, None),
    ("spherical-100k-d16-k16", 5.0, None, None),
    ("silhouette-20k-d16-k10", 10.0, "the same score to 1e-12",
     lambda r: abs(r["libmixture"]["objective"] - r["sklearn"]["objective"])
     <= 1e-12 * abs(r["sklearn"]["objective"])),
]


def targets_table(results):
    """Each target with what this run measured, and what meeting it would
    take: the time per iteration it asks for against the iteration's main
    products at bare dgemm speed (one for K-means, E and M for a GMM)."""
    header = ["problem", "target", "measured", "met", "asks for", "main products at dgemm speed"]
    rows = []
    by_id = {r["id"]: r for r in results}
    for rid, x, extra, check in TARGETS:
        r = by_id.get(rid)
        if r is None:
            continue
        lib, sk, dg = ms_of(r.get("libmixture")), ms_of(r.get("sklearn")), ms_of(r.get("dgemm"))
        if lib is None or sk is None:
            continue
        met = sk / lib >= x
        measured = "%.1fx" % (sk / lib)
        if extra:
            ok = bool(check(r))
            measured += "; %s: %s" % (extra, "yes" if ok else "no")
            met = met and ok
        products = 2 if r["model"] in ("full", "tied", "diag", "spherical") else 1
        cell = "-"
        if dg:
            M, K, N = r["dgemm"].get("shape", (0, 0, 0))
            cell = "%d x %s = %s ms (dgemm at %.0f GFLOP/s)" % (
                products, fmt_ms(dg), fmt_ms(products * dg), 2.0 * M * K * N / (dg * 1e6))
        rows.append([r["label"], ">= %gx%s" % (x, ", " + extra if extra else ""), measured,
                     "yes" if met else "**no**", "%s ms/it" % fmt_ms(sk / x), cell])
    return header, rows


def memory_table(results):
    header = ["problem", "data MiB", "libmixture", "scikit-learn", "Armadillo", "VLFeat"]
    rows = []
    for res in results:
        if res["model"] == "kmeans":
            vl = "%s (L) / %s (E)" % (fmt_mib(res.get("vlfeat_lloyd")),
                                      fmt_mib(res.get("vlfeat_elkan")))
            if vl == "- (L) / - (E)":
                vl = "-"
        else:
            vl = fmt_mib(res.get("vlfeat_diag"))
        rows.append([res["label"], "%.1f" % res["data_mib"], fmt_mib(res.get("libmixture")),
                     fmt_mib(res.get("sklearn")), fmt_mib(res.get("armadillo")), vl])
    return header, rows


def rel_diff(a, b):
    if a is None or b is None:
        return None
    return abs(a - b) / max(abs(b), 1e-300)


def detail_table(results):
    header = ["problem", "iterations: libmixture", "sklearn (M1, M2)", "Armadillo", "VLFeat",
              "objective: libmixture vs sklearn", "K-means inertia: Armadillo, VLFeat vs libmixture",
              "dgemm shape (M x K x N), GFLOP/s"]
    rows = []
    for res in results:
        lib, sk = res.get("libmixture") or {}, res.get("sklearn") or {}
        ar = res.get("armadillo") or {}
        vls = [res.get(k) for k in ("vlfeat_lloyd", "vlfeat_elkan", "vlfeat_diag") if res.get(k)]
        it = lambda r: str(r["n_iter"]) if r and "n_iter" in r else "-"  # noqa: E731
        skit = ("%d, %d" % (sk["n_iter_1"], sk["n_iter_2"])) if "n_iter_2" in sk else "-"
        lo, so = lib.get("objective"), sk.get("objective")
        agree = rel_diff(lo, so)
        agree_s = "-" if agree is None else ("%.1e" % agree)
        inertia = "-"
        if res["model"] == "kmeans" and lo is not None:
            parts = []
            for name, r in [("A", ar)] + [("V" + v["model"][0].upper(), v) for v in vls]:
                if r and r.get("objective") is not None and "error" not in r:
                    parts.append("%s %.1e" % (name, rel_diff(r["objective"], lo)))
            inertia = ", ".join(parts) or "-"
        dg = res.get("dgemm") or {}
        shape = "x".join(str(v) for v in dg.get("shape", []))
        dgs = "%s, %.0f" % (shape, dg["gflops"]) if "gflops" in dg else shape
        rows.append([res["label"], it(lib), skit, it(ar),
                     " / ".join(it(v) for v in vls) or "-", agree_s, inertia, dgs])
    return header, rows


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def text_table(header, rows):
    cols = list(zip(*([header] + rows)))
    w = [max(len(str(c)) for c in col) for col in cols]
    line = lambda r: "  ".join(str(c).ljust(w[i]) for i, c in enumerate(r))  # noqa: E731
    return "\n".join([line(header), line(["-" * x for x in w])] + [line(r) for r in rows])


# ---------------------------------------------------------------------------
# Scaling plot: a hand-written log-log SVG (no plotting dependency).


def scaling_svg(scaling, path):
    W, H, L, R, T, B = 680, 440, 80, 170, 40, 60
    pts = [(p["n"], p["result"].get("ms_per_iter")) for s in scaling for p in s["points"]]
    pts = [(n, v) for n, v in pts if v]
    if not pts:
        return False
    xs = [n for n, _ in pts]
    x0, x1 = math.log10(min(xs)) - 0.05, math.log10(max(xs)) + 0.05
    ys = [v for _, v in pts]
    for s in scaling:  # room for the ideal lines
        first = s["points"][0]["result"].get("ms_per_iter")
        if first:
            ys.append(first * max(xs) / min(xs))
    y0 = math.floor(math.log10(min(ys)) * 4) / 4 - 0.1
    y1 = math.ceil(math.log10(max(ys)) * 4) / 4 + 0.1
    px = lambda n: L + (math.log10(n) - x0) / (x1 - x0) * (W - L - R)  # noqa: E731
    py = lambda v: H - B - (math.log10(v) - y0) / (y1 - y0) * (H - T - B)  # noqa: E731
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">' % (W, H, W, H),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="22" font-size="14" text-anchor="middle">libmixture: time per '
         'iteration against n (log-log)</text>' % ((W - R + L) // 2)]
    # Grid and ticks.
    for e in range(int(math.floor(y0)), int(math.ceil(y1)) + 1):
        for m in (1, 2, 5):
            v = m * 10 ** e
            if y0 <= math.log10(v) <= y1:
                y = py(v)
                o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>'
                         % (L, y, W - R, y))
                o.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (L - 6, y + 4, v))
    for n in sorted(set(xs)):
        x = px(n)
        o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, T, x, H - B))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                 % (x, H - B + 18, human_n(n)))
    o.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="black"/>'
             % (L, T, W - L - R, H - T - B))
    o.append('<text x="%d" y="%d" text-anchor="middle">n (rows)</text>'
             % ((W - R + L) // 2, H - 18))
    o.append('<text x="18" y="%d" text-anchor="middle" transform="rotate(-90 18 %d)">'
             'ms per iteration</text>' % ((H - B + T) // 2, (H - B + T) // 2))
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    ly = T + 10
    for i, s in enumerate(scaling):
        c = colors[i % len(colors)]
        sp = [(p["n"], p["result"].get("ms_per_iter")) for p in s["points"]]
        sp = [(n, v) for n, v in sp if v]
        if not sp:
            continue
        n0, v0 = sp[0]
        n1 = sp[-1][0]
        band = [(n0, v0), (n1, v0 * n1 / n0 * 1.15), (n1, v0 * n1 / n0 * 0.85)]
        o.append('<polygon fill="%s" opacity="0.08" points="%s"/>'
                 % (c, " ".join("%.1f,%.1f" % (px(n), py(v)) for n, v in band)))
        o.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" '
                 'stroke-dasharray="5,4" opacity="0.6"/>'
                 % (px(n0), py(v0), px(sp[-1][0]), py(v0 * sp[-1][0] / n0), c))
        o.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                 % (c, " ".join("%.1f,%.1f" % (px(n), py(v)) for n, v in sp)))
        for n, v in sp:
            o.append('<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>n=%d: %.3g ms'
                     '</title></circle>' % (px(n), py(v), c, n, v))
        name = "K-means" if s["model"] == "kmeans" else "GMM " + s["model"]
        o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>'
                 % (W - R + 12, ly, W - R + 34, ly, c))
        o.append('<text x="%d" y="%d">%s</text>' % (W - R + 40, ly + 4, name))
        o.append('<text x="%d" y="%d" fill="#555">d=%d k=%d</text>'
                 % (W - R + 40, ly + 18, s["d"], s["k"]))
        ly += 42
    o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black" stroke-dasharray="5,4" '
             'opacity="0.6"/>' % (W - R + 12, ly, W - R + 34, ly))
    o.append('<text x="%d" y="%d">linear in n</text>' % (W - R + 40, ly + 4))
    o.append('<text x="%d" y="%d" fill="#555">(band: +-15%% at</text>' % (W - R + 40, ly + 18))
    o.append('<text x="%d" y="%d" fill="#555">the largest n)</text>' % (W - R + 40, ly + 32))
    o.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(o) + "\n")
    return True


# ---------------------------------------------------------------------------
# Machine description.


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, shell=True,
                              cwd=REPO).stdout.strip()
    except OSError:
        return ""


def machine_info(results):
    info = {}
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            info["cpu"] = line.split(":", 1)[1].strip()
    info["cpus"] = os.cpu_count()
    info["memory_gib"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    info["kernel"] = platform.release()
    info["os"] = sh(". /etc/os-release && echo $PRETTY_NAME")
    info["compiler"] = sh("${CC:-cc} --version | head -n1")
    info["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    for res in results:
        for key, name in (("dgemm", "openblas"), ("sklearn", "sklearn"),
                          ("armadillo", "armadillo"), ("libmixture", "libmixture"),
                          ("vlfeat_lloyd", "vlfeat"), ("vlfeat_diag", "vlfeat")):
            r = res.get(key) or {}
            v = r.get("openblas") if key == "dgemm" else r.get("version")
            if v and name not in info:
                info[name] = v
    return info


# ---------------------------------------------------------------------------
# docs/performance.md


def write_docs(results, scaling, threads, mpi, info, notes, args, elapsed):
    H1, R1 = main_table(results)
    H2, R2 = memory_table(results)
    H3, R3 = detail_table(results)
    mem = next((r for r in results if r["id"] == "full-1M-d16-k16"), None)
    svg_ok = scaling and scaling_svg(scaling, os.path.join(DOCS, "performance-scaling.svg"))
    L = []
    A = L.append
    A("# Performance {#performance}")
    A("")
    A("Generated by `make bench` (tests/bench/run.py) on %s in %.0f minutes; every number on "
      "this page comes from that one run. Rerun it after changing the library: the numbers "
      "below are a snapshot of commit `%s`." % (info.get("date"), elapsed / 60,
                                                  info.get("git", "?")))
    A("")
    A("## Machine")
    A("")
    A("| | |")
    A("|---|---|")
    A("| CPU | %s, %s logical CPUs, %s GiB RAM |" % (info.get("cpu", "?"), info.get("cpus"),
                                                      info.get("memory_gib")))
    A("| OS | %s, Linux %s |" % (info.get("os", "?"), info.get("kernel")))
    A("| BLAS | %s |" % info.get("openblas", "?"))
    A("| compiler | %s |" % info.get("compiler", "?"))
    A("| libmixture | %s, tree `%s` at the start of the run, built by `make` (`-O2 -g`); "
      "measured: %s (a copy taken at the start, so that a rebuild during the run does not "
      "mix two builds) |" % (info.get("libmixture", "?"), info.get("git", "?"),
                              info.get("libmixture_build", "?")))
    A("| peers | scikit-learn %s (Debian python3-sklearn), Armadillo %s, VLFeat %s |"
      % (info.get("sklearn", "absent"), info.get("armadillo", "absent"),
         info.get("vlfeat", "absent")))
    A("| threads | %d for every runner (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, "
      "mix_*_set_threads) |" % args.threads)
    A("")
    A("The machine is shared and measurements are noisy: compare numbers within one run "
      "(the ratios), not across runs.")
    A("")
    A("## Time per iteration")
    A("")
    A(md_table(H1, R1))
    A("")
    A("- **ms/it**: milliseconds per iteration (one Lloyd step; one EM step, E and M). "
      "All runners start from the same data and parameters with tol = 0 and a fixed "
      "number of iterations (see below).")
    A("- Every runner ran %d time(s) per row, the runners of a row in turn, and its fastest "
      "run is shown (a transient load on the shared machine then rarely decides a ratio)."
      % args.repeats)
    A("- **speed-up vs X** = X's time / libmixture's time (above 1: libmixture is faster). "
      "VLFeat K-means: Lloyd (L) and Elkan (E).")
    A("- **dgemm ms**: one bare whole-matrix `cblas_dgemm` (OpenBLAS, %d threads) of the "
      "iteration's main product, the arithmetic limit of a BLAS-based iteration: K-means "
      "n x d times d x k; GMM full n x d times d x kd (the data against every component's "
      "precision Cholesky factor); tied n x d times d x (d + k) (one whitening and the cross "
      "terms); diag n x 2d times 2d x k ([x^2, x] against [1/s^2, -2 mu/s^2]); spherical "
      "n x d times d x k. It covers the E-step's product only; an EM M-step costs about as "
      "much again for full covariance." % args.threads)
    A("- **silhouette**: one call of `mix_silhouette_score` against "
      "`sklearn.metrics.silhouette_score` on the same data with labels drawn at random "
      "(gen_data.py), milliseconds per call; libmixture uses every online core (the call "
      "has no thread argument; this machine has %s), scikit-learn OpenBLAS's %d threads. "
      "Its dgemm is X X^T, the product behind scikit-learn's expanded distances; "
      "libmixture takes each distance exactly from the differences (a subtraction, a "
      "multiplication and an addition per coordinate, each pair once) and the same "
      "score to 1e-12 is part of its target." % (info.get("cpus"), args.threads))
    A("- **dgemm / libmixture**: that product's time over libmixture's whole iteration; 1 "
      "means an iteration costs one plain dgemm, above 1 that the iteration is faster than "
      "the bare product (blocked kernels that keep the data in cache can do that).")
    A("- **MiB**: peak resident memory beyond the data (VmHWM after the fit minus VmHWM "
      "with the data and parameters loaded), libmixture and scikit-learn; all runners in "
      "the memory table below.")
    A("")
    A("## Memory beyond the data (MiB)")
    A("")
    A(md_table(H2, R2))
    A("")
    if mem and ms_of(mem.get("libmixture")) is not None:
        lm = mem["libmixture"]["extra_mib"]
        verdict = "within" if lm <= MEMORY_LIMIT_MIB else "**over**"
        sk = mem.get("sklearn") or {}
        A("Requirement: fitting a full-covariance GMM on n = 1M, d = 16, k = 16 (%.0f MiB of "
          "data) needs at most %.0f MiB beyond the data. Measured: libmixture **%.1f MiB** "
          "(%s the limit)%s." % (mem["data_mib"], MEMORY_LIMIT_MIB, lm, verdict,
                                 ", scikit-learn %.1f MiB" % sk["extra_mib"]
                                 if "extra_mib" in sk else ""))
        A("")
    A("VmHWM is per process: every runner of every row is a separate process. The baseline "
      "is taken after loading the data and starting parameters (scikit-learn: also after a "
      "small warm-up fit on a slice, so that imports, thread pools and BLAS buffers are not "
      "charged to the fit); scikit-learn's K-means makes a centred copy of X by default "
      "(copy_x=True), which is counted.")
    A("")
    A("## How each runner was driven")
    A("")
    A("Data (tests/bench/gen_data.py): n rows around k Gaussian blobs (centers uniform in "
      "[-10, 10]^d, standard deviation 2.5 sqrt(d), so neighbouring blobs overlap), fixed "
      "seed, raw float64 in a temporary directory. Starting parameters: the first k rows "
      "after a fixed shuffle as centers / means; GMM weights 1/k and covariances v I, v the "
      "mean per-feature variance (precisions 1/v for scikit-learn). From these starts K-means "
      "takes about 90 iterations to converge, so no runner stops early at the iteration "
      "counts used.")
    A("")
    A("- **libmixture** (bench_mixture.c): `mix_kmeans_set_init_centers` / "
      "`mix_gmm_set_params`, tol 0, reg_covar 1e-6, `set_threads(%d)`; a timestamp "
      "(CLOCK_MONOTONIC) in the iteration callback; the median interval between "
      "consecutive callbacks (the first iteration, which includes the set-up, is left "
      "out). The runner first waits 0.3 s: OpenBLAS's pthread build lets its own worker "
      "threads spin for about 0.1 s after it is loaded, and a fit of a few milliseconds "
      "would otherwise share the cores with them (a one-time cost of a process, not of "
      "an iteration). K-means uses the library's default algorithm (`MIX_KMEANS_AUTO`: "
      "Lloyd below k d = 512, Hamerly's bounds above, bit-identical results)." % args.threads)
    A("- **scikit-learn** (bench_sklearn.py, /usr/bin/python3): `KMeans(init=centers, "
      "n_init=1, algorithm=\"lloyd\", tol=0)`, `GaussianMixture(weights_init, means_init, "
      "precisions_init, tol=0, reg_covar=1e-6, init_params=\"random_from_data\")` (the "
      "given arrays override the initialisation). No callback: time per iteration = "
      "(t(M2) - t(M1)) / (M2 - M1) from two fits, medians over up to 5 pairs of fits.")
    A("- **Armadillo** (bench_armadillo.cpp, compiled with -O2 -march=native -fopenmp): "
      "`kmeans(means, X, k, keep_existing, M, true)`; `gmm_full` / `gmm_diag` "
      "`set_params` then `learn(X, k, eucl_dist, keep_existing, km_iter 0, em_iter M, "
      "var_floor 1e-6, true)`. The data are used in place as a d x n column-major matrix. "
      "Armadillo prints one line per iteration to its cout stream; the runner redirects "
      "that stream and timestamps those lines, then takes the median interval as for "
      "libmixture (more robust than the difference of two fits, and it counts the "
      "iterations actually run). Armadillo floors variances at var_floor where the others "
      "add reg_covar: the trajectories differ by rounding only. No tied or spherical "
      "model.")
    A("- **VLFeat** (bench_vlfeat.c, double precision): `vl_kmeans_set_centers` + "
      "`vl_kmeans_refine_centers` (Lloyd and Elkan, L2, min energy variation 0), "
      "`vl_gmm_em` after `vl_gmm_set_means / set_covariances / set_priors` "
      "(VlGMMCustom, covariance lower bound 1e-6). Timestamps from VLFeat's own "
      "per-iteration messages (captured with `vl_set_printf_func`), median interval. "
      "VLFeat runs max_iter + 1 assignment passes and its GMM stops by itself when the "
      "relative change of the log-likelihood falls below 1e-5; the iteration counts "
      "below are those actually run. Diagonal GMM only.")
    A("- **dgemm** (bench_dgemm.c): after one warm-up call, repeated for about 0.5 s "
      "(3 to 50 times), median.")
    A("")
    A("### Iterations run and agreement")
    A("")
    A("Same starting point, same algorithm: the final objectives should agree to rounding "
      "(GMM: mean log-likelihood before the last M-step, libmixture's lower bound and "
      "scikit-learn's `lower_bound_`; K-means: inertia of the final centers). Armadillo's "
      "and VLFeat's GMM objectives are defined differently and are not compared.")
    A("")
    A(md_table(H3, R3))
    A("")
    if scaling:
        A("## Scaling in n")
        A("")
        A("libmixture alone, same blobs (the centers depend only on d, k and the seed), "
          "same number of iterations at every n; best of %d interleaved runs per point."
          % args.scaling_repeats)
        A("")
        ns = [p["n"] for p in scaling[0]["points"]]
        hdr = ["n"] + ["%s d=%d k=%d ms/it" % ("K-means" if s["model"] == "kmeans"
                                               else "GMM " + s["model"], s["d"], s["k"])
                       for s in scaling]
        rows = []
        for i, n in enumerate(ns):
            rows.append([human_n(n)] + [fmt_ms(s["points"][i]["result"].get("ms_per_iter"))
                                        for s in scaling])
        ratio_row = ["t(%s) / t(%s)" % (human_n(ns[-1]), human_n(ns[0]))]
        for s in scaling:
            if "ratio" in s:
                ok = abs(s["ratio"] / s["ideal"] - 1) <= 0.15
                ratio_row.append("%.2f (%s)" % (s["ratio"], "linear: within 15%% of %g" %
                                                s["ideal"] if ok else "**not** within 15%% of %g"
                                                % s["ideal"]))
            else:
                ratio_row.append("-")
        rows.append(ratio_row)
        A(md_table(hdr, rows))
        A("")
        if svg_ok:
            A("![time per iteration against n](performance-scaling.svg)")
            A("")
            A("The dashed lines extend the n = %s point linearly; the shaded wedges are +-15%% "
          "around them." % human_n(ns[0]))
            A("")
    hdr_t, rows_t = targets_table(results)
    if rows_t:
        A("## Targets")
        A("")
        A("The speed-up targets of the performance issue, on this run. *Asks for*: "
          "scikit-learn's time over the target; *main products at dgemm speed*: the "
          "iteration's main matrix products (K-means: the distances; a GMM: the E-step's and "
          "the M-step's, the same shape) at the speed of one bare whole-matrix dgemm. For "
          "d = 64 that dgemm runs at most of the two cores' peak (its GFLOP/s are shown), so a "
          "target asking for much less than it asks for fewer floating-point operations "
          "than the iteration needs (the K-means row at d = 64 can beat it only because "
          "Hamerly's bounds skip part of the distances); for "
          "d = 16 the tall, thin dgemm is far from peak and libmixture's register kernels "
          "(AVX2/FMA, d <= 64: K-means assignment, full-covariance E-step) and blocked GEMM "
          "calls beat it. scikit-learn's own time varies by 20-30% between runs on this shared "
          "machine, so a ratio near its target can land on either side.")
        A("")
        A(md_table(hdr_t, rows_t))
        A("")
    if threads:
        A("## Threads")
        A("")
        A("libmixture alone on the n = 200k rows, 1 and 2 threads (`set_threads` and the BLAS "
          "thread variables alike), interleaved, best of %d runs per point. Results are "
          "bit-identical for any number of threads (tested by `make check`)."
          % args.scaling_repeats)
        A("")
        A(md_table(*threads_table(threads)))
        A("")
    hdr_a, rows_a = adam_table(results)
    if rows_a:
        A("## Gradient fitting: an Adam epoch")
        A("")
        A("Issue 11's speed targets: one full-batch Adam epoch costs at most %gx one EM "
          "iteration of the same model, and is at least %gx faster than PyTorch's CPU "
          "autograd epoch (float64, the same threads) for full, diagonal and spherical "
          "covariances." % (ADAM_TARGET, TORCH_TARGET))
        A("")
        A(md_table(hdr_a, rows_a))
        A("")
        A("- **EM ms/it** and **Adam ms/epoch**: the row's libmixture runner as in the "
          "main table, and the same with `mix_gmm_set_method(g, MIX_METHOD_ADAM)` (full "
          "batch, learning rate 0.01, betas 0.9 and 0.99, epsilon 1e-5: the defaults) from "
          "the same starting parameters for the same number of epochs, timed the same way "
          "(median interval between callbacks after the first); the two alternate, %d runs "
          "each, right after the row's other runners, and each shows its fastest run (so "
          "EM's figure may differ from the main table's by the machine's noise). An epoch "
          "is one E-step pass plus the gradient from its statistics; an EM iteration one "
          "E-step pass plus the M-step (Cholesky factors of the new covariances)."
          % PAIR_ROUNDS)
        A("- **PyTorch** (bench_torch.py, /usr/bin/python3, torch %s, float64, "
          "`torch.set_num_threads(%d)` and the thread variables as for every runner): one "
          "epoch is `zero_grad`, the negative log-likelihood of all rows, `backward`, "
          "`torch.optim.Adam` step, on libmixture's theta (logits, means, precision Cholesky "
          "factors with log diagonals: docs/two_ways.md) from the same start, with the same "
          "Adam settings; median epoch after the first. The log-likelihood written two ways: "
          "*torch.distributions* (`MixtureSameFamily` of `MultivariateNormal(means, "
          "scale_tril = U^-T)` for full and tied, `Independent(Normal(means, 1/s), 1)` for "
          "diagonal and spherical; argument validation off) and *by hand* (one matrix "
          "product per epoch: X [U_1 .. U_k] for full, X U for tied, the expanded square "
          "[x^2, x] against [s^2, -2 mu s^2] for diagonal and spherical; then "
          "`torch.logsumexp`). After libmixture's pair, %s; the fastest run of each way is "
          "shown and the speed-up is against the faster way."
          % (next((r["pairs"]["torch_hand"].get("version") for r in results
                   if ms_of((r.get("pairs") or {}).get("torch_hand"))), "?"), args.threads,
             " and ".join("%d runs %s" % (n, "by hand" if v == "hand" else "with distributions")
                          for v, n in TORCH_RUNS)))
        A("- **log-likelihood after the epochs**: the relative difference between "
          "PyTorch's and libmixture's mean log-likelihood of the final model (the largest "
          "of PyTorch's two ways): both ran the same Adam trajectory, so they agree to "
          "rounding.")
        A("- **MiB beyond data**: as above (VmHWM after the fit minus before); PyTorch's "
          "baseline is taken after a warm-up epoch on 5,000 rows, so the interpreter, torch "
          "and its thread pool are not counted, the autograd graph of the full data is.")
        A("")
    hdr_s, rows_s = stream_table(results)
    if rows_s:
        A("## Streamed fits")
        A("")
        A("Issue 14's target: a streamed fit from an in-memory reader within %gx of the "
          "in-memory fit's time." % STREAM_TARGET)
        A("")
        A(md_table(hdr_s, rows_s))
        A("")
        A("- **in-memory fit ms**: the whole `mix_kmeans_fit` / `mix_gmm_fit` of the row's "
          "libmixture runner (start to return: checks, the iterations, the final pass); "
          "**streamed fit ms**: the same fit by `mix_kmeans_fit_stream` / "
          "`mix_gmm_fit_stream`, whose reader copies at most %d rows per call from the same "
          "array in memory (so the engine's streaming is measured, not a disk). The two "
          "alternate, %d runs each, right after the row's other runners; fastest whole fit "
          "of each." % (STREAM_ROWS_PER_CALL, PAIR_ROUNDS))
        A("- **in the reader**: the time the reader took over the whole streamed fit (of "
          "the fastest run), i.e. copying every row once per pass on the fit's thread (the "
          "reader is called on that thread only). With more than one thread the other "
          "threads process the previous window meanwhile, so a pass costs about (reader + "
          "in-memory pass x threads) / threads when the reader is the shorter: a copy as "
          "long as the computation itself (K-means with d = 16, k = 16) cannot be hidden.")
        A("- **same model bits**: a hash of every byte of the fitted model (K-means: the "
          "centers; GMM: weights, means, covariances and precision factors) and of its "
          "objective (inertia, lower bound) is the same in memory and streamed.")
        A("- **in-memory Lloyd**: where k d >= 512 the in-memory K-means runs Hamerly's "
          "algorithm by default (two bounds per row skip most distances; bit-identical "
          "result), which a streamed fit cannot: it keeps no per-row state, so it runs "
          "Lloyd's algorithm. The in-memory fit forced to Lloyd "
          "(`mix_kmeans_set_algorithm`) separates the cost of streaming from that of the "
          "algorithm.")
        A("- **reader calls**: calls to the reader during the fit (every pass: the checks "
          "and column statistics, the iterations, the final pass; each asks for what fits "
          "the library's window).")
        A("")
    if mpi:
        A("## MPI ranks")
        A("")
        A(mpi_section(mpi))
        A("")
    if notes:
        A("## Notes from this run")
        A("")
        for n in notes:
            A("- " + n)
        A("")
    A("## How to rerun")
    A("")
    A("```sh")
    A("make bench                              # builds lib/ first; about %.0f minutes"
      % max(1, round(elapsed / 60)))
    A("make bench BENCH_ARGS=--quick           # smoke run, writes no docs")
    A("/usr/bin/python3 tests/bench/run.py --rows full-100k,kmeans-1M   # some rows only")
    A("```")
    A("")
    A("Peers are optional: scikit-learn (`apt-get install python3-sklearn`), Armadillo "
      "(`libarmadillo-dev`) and VLFeat (`libvlfeat-dev`) are used when installed and skipped "
      "with a note otherwise; they are bench-only dependencies, never linked into the "
      "library. Runner binaries go to build/bench/, raw results to "
      "build/bench/results.json, data to a temporary directory that is removed.")
    A("")
    with open(os.path.join(DOCS, "performance.md"), "w") as f:
        f.write("\n".join(L))
    if mpi and mpi.get("fits"):
        write_scaling_table(mpi, info)


# ---------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description="libmixture benchmark suite")
    ap.add_argument("--quick", action="store_true", help="smoke run (no docs)")
    ap.add_argument("--rows", help="comma-separated patterns matched against row ids")
    ap.add_argument("--docs", dest="docs", action="store_true", default=None)
    ap.add_argument("--no-docs", dest="docs", action="store_false")
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--mpi", dest="mpi", action="store_true", default=None,
                    help="run the MPI section (default: in a full run only)")
    ap.add_argument("--no-mpi", dest="mpi", action="store_false")
    ap.add_argument("--mpi-rounds", type=int, default=5,
                    help="interleaved rounds of 1, 2, 3 ranks, fastest kept (default 5)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=None,
                    help="runs of every runner per row; the fastest is kept (default 2, "
                         "1 with --quick)")
    ap.add_argument("--keep-data", action="store_true")
    ap.add_argument("--list", action="store_true", help="list row ids and exit")
    ap.add_argument("--persist", action="store_true",
                    help="only the saving and loading benchmark (writes no docs)")
    ap.add_argument("--from-json", metavar="FILE",
                    help="rewrite docs/performance.md from a full run's results.json "
                         "(after a change to this script's formatting), running nothing")
    args = ap.parse_args(argv)
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        args.repeats = args.repeats or 2
        args.scaling_repeats = SCALING_REPEATS
        write_docs(saved["rows"], saved["scaling"], saved.get("threads", []),
                   saved.get("mpi"), saved["machine"], saved["notes"], args, saved["elapsed_s"])
        if saved.get("persist"):
            with open(os.path.join(DOCS, "performance.md"), "a") as f:
                f.write("\n".join([""] + persist_lines(saved["persist"])))
        print("wrote docs/performance.md%s from %s" % (
            " and docs/scaling.md's table" if saved.get("mpi") else "", args.from_json))
        return 0
    if args.list:
        for r in ROWS:
            print(r.id)
        return 0
    if args.persist:
        print("\n".join(persist_lines(run_persist(dict(os.environ)), markdown=False)))
        return 0
    rows = ROWS
    scaling_n, repeats = SCALING_N, SCALING_REPEATS
    if args.quick:
        rows = [Row(r.model, r.n, r.d, r.k, max(4, r.iters // 2), r.note, r.adam, r.stream)
                for r in ROWS if r.id in QUICK_IDS]
        scaling_n, repeats = SCALING_N[:2], 1
    if args.repeats is None:
        args.repeats = 1 if args.quick else 2
    if args.rows:
        pats = [p.strip() for p in args.rows.split(",") if p.strip()]
        rows = [r for r in rows if any(p in r.id for p in pats)]
        if not rows:
            log("no row matches %s; rows: %s" % (args.rows, ", ".join(r.id for r in ROWS)))
            return 2
    if args.docs is None:
        args.docs = not args.quick and not args.rows
    do_scaling = not args.no_scaling and not args.rows
    args.scaling_repeats = repeats
    if args.mpi is None:
        args.mpi = not args.quick and not args.rows

    t_start = time.time()
    git_state = sh("git describe --always --dirty 2>/dev/null")
    runners, notes = build_runners()
    for n in notes:
        log("note: " + n)
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(args.threads)
    load = os.getloadavg()[0]
    if load > 0.5:
        notes.append("load average at the start of the run: %.2f (shared machine)" % load)

    tmp = tempfile.mkdtemp(prefix="libmixture-bench-")
    try:
        shapes = {(r.n, r.d, r.k) for r in rows}
        if do_scaling:
            shapes |= {(n, d, k) for _, d, k, _ in SCALING for n in scaling_n}
        metas = {}
        log("generating %d data sets in %s" % (len(shapes), tmp))
        for (n, d, k) in sorted(shapes):
            path = gen_data.generate(os.path.join(tmp, "n%d-d%d-k%d" % (n, d, k)), n, d, k)
            with open(path) as f:
                metas[(n, d, k)] = (json.load(f), path)
        results = []
        for i, row in enumerate(rows):
            log("[%d/%d] %s" % (i + 1, len(rows), row.label))
            meta, path = metas[(row.n, row.d, row.k)]
            res = run_row(row, meta, path, runners, env, args.threads, args.repeats)
            for key in ("libmixture", "sklearn", "armadillo", "vlfeat_lloyd", "vlfeat_elkan",
                        "vlfeat_diag", "dgemm"):
                if key in res:
                    r = res[key]
                    log("    %-13s %s" % (key, r["error"] if "error" in r else
                                          "%s ms%s" % (fmt_ms(ms_of(r)), "/it" if key != "dgemm"
                                                       else "")))
            lib = res.get("libmixture") or {}
            if "n_iter" in lib and lib["n_iter"] < min(3, row.iters):
                notes.append("%s: libmixture ran only %d iterations" % (row.label,
                                                                       lib["n_iter"]))
            results.append(res)
        scaling = []
        if do_scaling:
            log("scaling runs")
            scaling = run_scaling({k: v[0] for k, v in metas.items()}, runners, env,
                                  args.threads, scaling_n, repeats)
        threads = []
        if do_scaling:
            log("thread runs")
            threads = run_threads(rows, metas, runners, env, repeats)
        mpi = None
        if args.mpi and "mpi_fit" in runners:
            log("MPI runs")
            mpi = run_mpi(runners, args.mpi_rounds)
        persist = {}
        if do_scaling:
            log("saving and loading")
            persist = run_persist(env)
    finally:
        if args.keep_data:
            log("data kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    elapsed = time.time() - t_start
    info = machine_info(results)
    info["git"] = git_state
    info["libmixture_build"] = runners.get("libmixture_build", "?")
    os.makedirs(BUILD, exist_ok=True)
    with open(os.path.join(BUILD, "results.json"), "w") as f:
        json.dump({"machine": info, "rows": results, "scaling": scaling, "threads": threads,
                   "mpi": mpi, "persist": persist, "notes": notes,
                   "elapsed_s": elapsed}, f, indent=1)

    print()
    print("libmixture benchmark, %s, %s (%s CPUs), %s" % (info.get("date"), info.get("cpu"),
                                                          info.get("cpus"),
                                                          info.get("openblas", "")))
    print()
    print(text_table(*main_table(results)))
    print()
    print("Memory beyond the data (MiB):")
    print(text_table(*memory_table(results)))
    for s in scaling:
        pts = ", ".join("%s: %s" % (human_n(p["n"]), fmt_ms(p["result"].get("ms_per_iter")))
                        for p in s["points"])
        ratio = ""
        if "ratio" in s:
            ok = abs(s["ratio"] / s["ideal"] - 1) <= 0.15
            ratio = " ratio %.2f (ideal %g: %s)" % (s["ratio"], s["ideal"],
                                                   "within 15%" if ok else "NOT within 15%")
        print("scaling %s d=%d k=%d ms/it: %s;%s" % (s["model"], s["d"], s["k"], pts, ratio))
    print("Targets:")
    print(text_table(*targets_table(results)))
    if threads:
        print("Threads:")
        print(text_table(*threads_table(threads)))
    for title, (hdr, rows_) in (("Gradient fitting (Adam):", adam_table(results)),
                                ("Streamed fits:", stream_table(results))):
        if rows_:
            print(title)
            print(text_table(hdr, rows_))
    if mpi:
        print("MPI ranks (%d rows, fastest of %d rounds):" % (mpi["n"], mpi["rounds"]))
        print(text_table(*mpi_table(mpi)))
        hdr, rows_ = mpi_probe_table(mpi)
        if rows_:
            print(text_table(hdr, rows_))
    if persist:
        print("\n".join(persist_lines(persist, markdown=False)))
    for n in notes:
        print("note: " + n)
    if args.docs:
        write_docs(results, scaling, threads, mpi, info, notes, args, elapsed)
        if persist:  # its own section, after the rest
            with open(os.path.join(DOCS, "performance.md"), "a") as f:
                f.write("\n".join([""] + persist_lines(persist)))
        print("\nwrote docs/performance.md%s%s" % (" and docs/performance-scaling.svg"
                                                   if scaling else "",
                                                   ", docs/scaling.md's table" if mpi else ""))
    print("raw results: %s (%.0f s)" % (os.path.relpath(os.path.join(BUILD, "results.json"),
                                                        REPO), elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
