// @convoy/data for browsers: everything but the Node loader (no fs, zlib or http here). Load
// Fashion-MNIST with loadFashionMnistFromUrl.

export * from './common.js';
