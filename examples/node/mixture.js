'use strict';
// libmixture for Node.js through koffi (npm install koffi): K-means and
// Gaussian mixtures on Float64Array data, row-major, n rows of d columns.
// The library is found through MIXTURE_LIBRARY, else the system loader
// (libmixture.so.0, after `make install`). Handles are freed by close();
// a FinalizationRegistry frees those that are dropped unclosed.
const koffi = require('koffi');

const lib = koffi.load(process.env.MIXTURE_LIBRARY || 'libmixture.so.0');
const fn = (proto) => lib.func(proto);
const C = {
  version: fn('const char *mix_version_string(void)'),
  strerror: fn('const char *mix_strerror(int status)'),
};
// What K-means and Gaussian mixtures share, declared for each prefix.
for (const kind of ['kmeans', 'gmm']) {
  for (const [name, proto] of Object.entries({
    free: 'void mix_@_free(void *h)',
    set_seed: 'int mix_@_set_seed(void *h, uint64_t seed)',
    set_n_init: 'int mix_@_set_n_init(void *h, int n_init)',
    set_max_iter: 'int mix_@_set_max_iter(void *h, int max_iter)',
    set_tol: 'int mix_@_set_tol(void *h, double tol)',
    fit: 'int mix_@_fit(void *h, const double *X, size_t n, size_t d, const double *w)',
    predict: 'int mix_@_predict(const void *h, const double *X, size_t n, size_t d, int32_t *out)',
    score: 'int mix_@_score(const void *h, const double *X, size_t n, size_t d, double *out)',
    errmsg: 'const char *mix_@_errmsg(const void *h)',
  })) {
    C[`${kind}_${name}`] = fn(proto.replace('@', kind));
  }
}
Object.assign(C, {
  kmeans_create: fn('void *mix_kmeans_create(size_t k)'),
  kmeans_set_init_centers: fn('int mix_kmeans_set_init_centers(void *h, const double *c, size_t d)'),
  kmeans_transform: fn('int mix_kmeans_transform(const void *h, const double *X, size_t n, size_t d, double *out)'),
  kmeans_centers: fn('const double *mix_kmeans_centers(const void *h)'),
  kmeans_inertia: fn('double mix_kmeans_inertia(const void *h)'),
  kmeans_n_iter: fn('int mix_kmeans_n_iter(const void *h)'),
  gmm_create: fn('void *mix_gmm_create(size_t k, int covariance_type)'),
  gmm_set_reg_covar: fn('int mix_gmm_set_reg_covar(void *h, double reg_covar)'),
  gmm_predict_proba: fn('int mix_gmm_predict_proba(const void *h, const double *X, size_t n, size_t d, double *out)'),
  gmm_score_samples: fn('int mix_gmm_score_samples(const void *h, const double *X, size_t n, size_t d, double *out)'),
  gmm_bic: fn('int mix_gmm_bic(const void *h, const double *X, size_t n, size_t d, double *out)'),
  gmm_weights: fn('const double *mix_gmm_weights(const void *h)'),
  gmm_means: fn('const double *mix_gmm_means(const void *h)'),
  gmm_covariances: fn('const double *mix_gmm_covariances(const void *h)'),
  gmm_covariances_size: fn('size_t mix_gmm_covariances_size(const void *h)'),
  gmm_converged: fn('int mix_gmm_converged(const void *h)'),
});

/** A failed libmixture call: message is the handle's errmsg, code the status. */
class MixtureError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'MixtureError';
    this.code = code;
    this.status = C.strerror(code);
  }
}

const COVARIANCE = { full: 0, tied: 1, diag: 2, spherical: 3 };
const registry = new FinalizationRegistry(({ free, ptr }) => free(ptr));

class Model {
  constructor(kind, ptr) {
    if (!ptr) throw new MixtureError(-2, `mix_${kind}_create failed`);
    this.kind = kind;
    this.ptr = ptr;
    this.d = 0;
    registry.register(this, { free: C[`${kind}_free`], ptr }, this);
  }

  close() {
    if (this.ptr) {
      registry.unregister(this);
      C[`${this.kind}_free`](this.ptr);
      this.ptr = null;
    }
  }

  call(name, ...args) {
    if (!this.ptr) throw new Error('the model is closed');
    const rc = C[`${this.kind}_${name}`](this.ptr, ...args);
    if (rc !== 0) throw new MixtureError(rc, C[`${this.kind}_errmsg`](this.ptr));
  }

  options({ seed, nInit, maxIter, tol }) {
    if (seed !== undefined) this.call('set_seed', seed);
    if (nInit !== undefined) this.call('set_n_init', nInit);
    if (maxIter !== undefined) this.call('set_max_iter', maxIter);
    if (tol !== undefined) this.call('set_tol', tol);
  }

  rows(X, d = this.d) {
    if (!this.ptr) throw new Error('the model is closed');
    if (!(X instanceof Float64Array)) throw new TypeError('X must be a Float64Array');
    if (!d) throw new MixtureError(-5, 'the model is not fitted'); // MIX_ESTATE
    if (!(d > 0) || X.length % d !== 0) throw new RangeError(`X has ${X.length} values, not rows of ${d}`);
    return X.length / d;
  }

  /** Fit to X (n x d), with optional weights (a Float64Array of n). */
  fit(X, d, sampleWeight = null) {
    const n = this.rows(X, d);
    if (sampleWeight !== null && sampleWeight.length !== n) throw new RangeError('one weight per row');
    this.call('fit', X, n, d, sampleWeight);
    this.d = d;
    return this;
  }

  out(name, X, OutType, width) {
    const n = this.rows(X);
    const out = new OutType(n * width);
    this.call(name, X, n, this.d, out);
    return out;
  }

  scalar(name, X) {
    const out = new Float64Array(1);
    this.call(name, X, this.rows(X), this.d, out);
    return out[0];
  }

  predict(X) { return this.out('predict', X, Int32Array, 1); }
  score(X) { return this.scalar('score', X); }

  copy(getter, length) {
    return koffi.decode(C[`${this.kind}_${getter}`](this.ptr), koffi.array('double', length, 'Typed'));
  }
}

class KMeans extends Model {
  /** k clusters; options seed, nInit, maxIter, tol, init (k x d centers) with d. */
  constructor(k, options = {}) {
    super('kmeans', C.kmeans_create(k));
    this.k = k;
    this.options(options);
    if (options.init) this.call('set_init_centers', options.init, options.d);
  }

  transform(X) { return this.out('transform', X, Float64Array, this.k); }
  get centers() { return this.copy('centers', this.k * this.d); }
  get inertia() { return C.kmeans_inertia(this.ptr); }
  get nIter() { return C.kmeans_n_iter(this.ptr); }
}

class GaussianMixture extends Model {
  /** k components; options covarianceType ('full', 'tied', 'diag',
   *  'spherical'), seed, nInit, maxIter, tol, regCovar. */
  constructor(k, options = {}) {
    const cov = COVARIANCE[options.covarianceType || 'full'];
    if (cov === undefined) throw new RangeError(`covarianceType ${options.covarianceType}`);
    super('gmm', C.gmm_create(k, cov));
    this.k = k;
    this.options(options);
    if (options.regCovar !== undefined) this.call('set_reg_covar', options.regCovar);
  }

  predictProba(X) { return this.out('predict_proba', X, Float64Array, this.k); }
  scoreSamples(X) { return this.out('score_samples', X, Float64Array, 1); }
  bic(X) { return this.scalar('bic', X); }
  get weights() { return this.copy('weights', this.k); }
  get means() { return this.copy('means', this.k * this.d); }
  get covariances() { return this.copy('covariances', Number(C.gmm_covariances_size(this.ptr))); }
  get converged() { return C.gmm_converged(this.ptr) === 1; }
}

module.exports = { KMeans, GaussianMixture, MixtureError, version: () => C.version() };
