'use strict';
// K-means and a Gaussian mixture on Old Faithful's eruptions from Node.js,
// through koffi. From the libmixture sources, after `make`:
//   npm install koffi
//   MIXTURE_LIBRARY=$PWD/lib/libmixture.so.0 node examples/node/kmeans.js
const fs = require('fs');
const path = require('path');
const { KMeans, GaussianMixture, version } = require('./mixture');

// examples/data/faithful.csv: a header, then eruption duration and waiting time
const lines = fs.readFileSync(path.join(__dirname, '..', 'data', 'faithful.csv'), 'utf8')
  .trim().split('\n').slice(1);
const X = Float64Array.from(lines.flatMap((line) => line.split(',').map(Number)));
const d = 2;

console.log(`libmixture ${version()}: ${X.length / d} eruptions`);
const km = new KMeans(2, { seed: 0 }).fit(X, d);
console.log(`K-means: centers ${Array.from(km.centers, (v) => v.toFixed(3)).join(' ')}, ` +
            `inertia ${km.inertia.toFixed(2)} after ${km.nIter} iterations`);
for (const k of [1, 2, 3, 4]) {
  const gmm = new GaussianMixture(k, { covarianceType: 'full', seed: 0 }).fit(X, d);
  console.log(`Gaussian mixture, k = ${k}: BIC ${gmm.bic(X).toFixed(2)}, ` +
              `mean log-likelihood ${gmm.score(X).toFixed(4)}`);
  gmm.close();
}
const labels = km.predict(X);
console.log(`first rows labelled ${Array.from(labels.slice(0, 8)).join(' ')}`);
km.close();
