// The textbook's worked examples (chapter 5, section 1: 512_1 .. 5111_1), loaded at run time from
// test/fixtures/textbook-examples.json, a copy of the project's shared fixture.

import { readFileSync } from 'node:fs';

export interface ConvExample {
  image: number[][] | number[][][];
  filter: number[][] | number[][][][];
  padding: 'same' | 'valid';
  strides: number;
  output: number[][] | number[][][];
  maxpool_output?: number[][][];
}

export interface PoolExample {
  input: number[][];
  pool: number;
  strides: number;
  output: number[][];
}

export interface TextbookExamples {
  about: string;
  examples: Record<string, ConvExample | PoolExample>;
}

export function loadTextbookExamples(): TextbookExamples {
  const url = new URL('../fixtures/textbook-examples.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as TextbookExamples;
}
