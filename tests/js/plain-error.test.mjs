// The demo's error messages for people (web/plain-error.js): each kind of failure gets plain words.
import { describe, expect, it } from 'vitest';
import { plainError } from '../../web/plain-error.js';

describe('plain-word errors on the demo page', () => {
  const cases = [
    [new Error('init: this runtime has no WebAssembly SIMD support'), /lacks WebAssembly SIMD \(Chrome 91\+/],
    [new Error('NER.load: could not load https://x/model.safetensors (HTTP 404)'), /could not be downloaded .*works offline/],
    [new Error('safetensors: header length 99 exceeds the file (8 bytes): truncated or not safetensors'), /damaged or not an attnkit model/],
    [new Error('knowledge base line 3: expected "subject ||| predicate ||| object", got "x"'), /damaged or not an attnkit model: knowledge base line 3/],
    [new Error('out of memory: the request needs more WebAssembly memory than is available'), /ran out of memory/],
    ['a string thrown', /Something went wrong: a string thrown/],
  ];
  for (const [error, expected] of cases) {
    it(`explains ${String(error.message ?? error).slice(0, 40)}`, () => expect(plainError(error)).toMatch(expected));
  }
});
