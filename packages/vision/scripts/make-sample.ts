// Regenerates assets/cube.png, the default sample picture, from drawCube(). Run from the
// repository root: node --conditions=source --import tsx packages/vision/scripts/make-sample.ts
import { fileURLToPath } from 'node:url';
import { drawCube, SAMPLE_PICTURE_URL, writePng } from '../src/index.js';

const path = fileURLToPath(SAMPLE_PICTURE_URL);
await writePng(path, drawCube(), { level: 9 });
console.log(`wrote ${path}`);
