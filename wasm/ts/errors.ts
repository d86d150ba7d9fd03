// The error type every attnkit function throws; messages name the function and argument, and `code` says
// what kind of failure it is, so an app can branch on it without parsing the message.

/**
 * - 'invalid-argument': a value, size, type or option you passed is wrong (the message names it);
 * - 'out-of-memory': WebAssembly memory could not grow enough;
 * - 'corrupt-file': a model file, vocabulary, knowledge base or serialized trie is malformed, truncated or of
 *   the wrong kind;
 * - 'not-found': what was asked for does not exist (a URL answering 404, a trie prefix no entry starts with);
 * - 'network': a fetch failed before any answer (offline, blocked, CORS);
 * - 'invalid-state': the call is not possible now (attnkit not initialised, an object already disposed, a
 *   model not loaded in the worker, the worker terminated);
 * - 'unsupported': this environment lacks something attnkit needs (WebAssembly, SIMD);
 * - 'internal': a bug in attnkit; please report it with the message.
 */
export type AttnkitErrorCode =
  | 'invalid-argument' | 'out-of-memory' | 'corrupt-file' | 'not-found' | 'network' | 'invalid-state'
  | 'unsupported' | 'internal';

const CODES: readonly AttnkitErrorCode[] = [
  'invalid-argument', 'out-of-memory', 'corrupt-file', 'not-found', 'network', 'invalid-state', 'unsupported',
  'internal',
];

export class AttnkitError extends Error {
  readonly code: AttnkitErrorCode;

  constructor(message: string, code: AttnkitErrorCode = 'invalid-argument') {
    super(message);
    this.name = 'AttnkitError';
    this.code = code;
  }
}

/** A code received from elsewhere (the module, a worker), or 'internal' when it is not one of ours. */
export function errorCode(value: unknown): AttnkitErrorCode {
  return CODES.includes(value as AttnkitErrorCode) ? (value as AttnkitErrorCode) : 'internal';
}
