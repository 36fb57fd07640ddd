'use strict';
// libmixture from Node.js through koffi (examples/node/mixture.js), against
// references computed here in plain JavaScript: Lloyd's algorithm from the
// same centers, nearest centers and distances, and the closed form of a
// one-component Gaussian mixture. Run by `make check` (check-node):
//   MIXTURE_LIBRARY=$PWD/lib/libmixture.so.0 NODE_PATH=... node --test tests/node/kmeans.test.js
const test = require('node:test');
const assert = require('node:assert');
const { KMeans, GaussianMixture, MixtureError } = require('../../examples/node/mixture');

function random(seed) { // mulberry32: a fixed stream, so failures reproduce
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand) { // Box-Muller
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function blobs(n, d, k, seed) {
  const rand = random(seed);
  const centers = Array.from({ length: k * d }, () => 20 * rand() - 10);
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) X[i * d + t] = centers[(i % k) * d + t] + normal(rand);
  }
  return X;
}

const sq = (X, i, C, j, d) => {
  let s = 0;
  for (let t = 0; t < d; t++) s += (X[i * d + t] - C[j * d + t]) ** 2;
  return s;
};

function nearest(X, C, d, k) {
  const n = X.length / d;
  const labels = new Int32Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (sq(X, i, C, j, d) < sq(X, i, C, best, d)) best = j;
    labels[i] = best;
    inertia += sq(X, i, C, best, d);
  }
  return { labels, inertia };
}

function lloyd(X, C0, d, k) { // until the labels stop changing
  const C = Float64Array.from(C0);
  let prev = null;
  for (;;) {
    const { labels } = nearest(X, C, d, k);
    if (prev && labels.every((l, i) => l === prev[i])) return C;
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    labels.forEach((l, i) => {
      counts[l] += 1;
      for (let t = 0; t < d; t++) sums[l * d + t] += X[i * d + t];
    });
    for (let j = 0; j < k * d; j++) C[j] = sums[j] / counts[Math.floor(j / d)];
    prev = labels;
  }
}

// got and want: equally long, non-empty (every use expects data), and
// every element within rel of the largest |want| (a NaN fails).
function assertClose(got, want, rel, what) {
  assert.strictEqual(got.length, want.length, `${what}: length ${got.length}, expected ${want.length}`);
  assert.ok(want.length > 0, `${what}: no elements`);
  const scale = Math.max(...Array.from(want, Math.abs), 1e-300);
  let diff = 0;
  for (let i = 0; i < want.length && !Number.isNaN(diff); i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i])); // NaN stays NaN
  }
  assert.ok(diff <= rel * scale, `${what}: max difference ${diff} (scale ${scale})`);
}

test('assertClose rejects empty, shorter and longer arrays', () => {
  assert.throws(() => assertClose([], [1], 1, 'x'), /length 0, expected 1/);
  assert.throws(() => assertClose([], [], 1, 'x'), /no elements/);
  assert.throws(() => assertClose([1], [1, 2], 1, 'x'), /length 1, expected 2/);
  assert.throws(() => assertClose([1, 2, 3], [1, 2], 1, 'x'), /length 3, expected 2/);
  assert.throws(() => assertClose([NaN], [1], 1, 'x'), /max difference NaN/);
  assertClose([1, 2 + 1e-13], [1, 2], 1e-12, 'x');
});

test('K-means from given centers equals Lloyd in JavaScript', () => {
  const d = 3, k = 4;
  const X = blobs(400, d, k, 1);
  const C0 = X.slice(0, k * d); // rows 0..3: one from each blob
  const km = new KMeans(k, { init: C0, d, tol: 0 }).fit(X, d);
  const C = lloyd(X, C0, d, k);
  assertClose(km.centers, C, 1e-12, 'centers');
  const ref = nearest(X, C, d, k);
  assert.deepStrictEqual(km.predict(X), ref.labels);
  assertClose([km.inertia], [ref.inertia], 1e-12, 'inertia');
  const Y = blobs(50, d, k, 2);
  const held = nearest(Y, C, d, k);
  assert.deepStrictEqual(km.predict(Y), held.labels);
  assertClose([km.score(Y)], [-held.inertia], 1e-12, 'score');
  const D = km.transform(Y);
  const Dref = Float64Array.from({ length: 50 * k }, (_, m) => Math.sqrt(sq(Y, Math.floor(m / k), C, m % k, d)));
  assertClose(D, Dref, 1e-12, 'transform');
  km.close();
});

test('K-means: integer weights are repeated rows', () => {
  const d = 2, k = 3;
  const X = blobs(90, d, k, 3);
  const w = Float64Array.from({ length: 90 }, (_, i) => 1 + (i % 3));
  const rep = Float64Array.from(Array.from(w).flatMap((c, i) => Array(c).fill([X[2 * i], X[2 * i + 1]]).flat()));
  const a = new KMeans(k, { init: X.slice(0, k * d), d }).fit(X, d, w);
  const b = new KMeans(k, { init: X.slice(0, k * d), d }).fit(rep, d);
  assertClose(a.centers, b.centers, 1e-12, 'centers');
  assertClose([a.inertia], [b.inertia], 1e-12, 'inertia');
});

test('one Gaussian component is the sample mean and covariance', () => {
  const d = 2, n = 500, reg = 1e-6;
  const X = blobs(n, d, 1, 4);
  for (let i = 0; i < n; i++) X[2 * i + 1] += 0.5 * X[2 * i]; // correlated
  const g = new GaussianMixture(1, { covarianceType: 'full', regCovar: reg }).fit(X, d);
  const mu = [0, 0];
  for (let i = 0; i < n; i++) { mu[0] += X[2 * i] / n; mu[1] += X[2 * i + 1] / n; }
  const S = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const a = X[2 * i] - mu[0], b = X[2 * i + 1] - mu[1];
    S[0] += a * a / n; S[1] += a * b / n; S[2] += a * b / n; S[3] += b * b / n;
  }
  S[0] += reg; S[3] += reg;
  assertClose(g.weights, [1], 1e-15, 'weights');
  assertClose(g.means, mu, 1e-12, 'means');
  assertClose(g.covariances, S, 1e-12, 'covariance');
  assert.ok(g.converged);
  const det = S[0] * S[3] - S[1] * S[2];
  const logp = (x, y) => {
    const a = x - mu[0], b = y - mu[1];
    const m = (S[3] * a * a - 2 * S[1] * a * b + S[0] * b * b) / det;
    return -0.5 * (m + Math.log(det) + 2 * Math.log(2 * Math.PI));
  };
  const Y = blobs(40, d, 1, 5);
  const ref = Float64Array.from({ length: 40 }, (_, i) => logp(Y[2 * i], Y[2 * i + 1]));
  assertClose(g.scoreSamples(Y), ref, 1e-12, 'scoreSamples');
  const total = ref.reduce((s, v) => s + v, 0);
  assertClose([g.score(Y)], [total / 40], 1e-12, 'score');
  assertClose([g.bic(Y)], [-2 * total + 5 * Math.log(40)], 1e-12, 'bic'); // 2 means, 3 covariance
  assert.deepStrictEqual(g.predict(Y), new Int32Array(40));
  assertClose(g.predictProba(Y), new Float64Array(40).fill(1), 0, 'predictProba');
  g.close();
});

test('errors carry the library message', () => {
  const X = new Float64Array([0, 0, NaN, 1, 2, 2, 3, 3]);
  const km = new KMeans(2);
  assert.throws(() => km.fit(X, 2), (e) => e instanceof MixtureError && e.code === -3 &&
                e.message === 'X[1][0] is NaN');
  assert.throws(() => km.predict(new Float64Array([1, 2])), (e) => e.code === -5);
  assert.throws(() => km.fit(new Float64Array(5), 2), RangeError);
  km.close();
  assert.throws(() => km.predict(X), /closed/);
});
