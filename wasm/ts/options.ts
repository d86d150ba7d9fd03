// Options objects are checked for unknown keys: a typo (`casual: true`) or an option this version does
// not have must not be silently ignored, or the caller gets a result computed without it.
import { AttnkitError } from './errors.js';

/**
 * The accepted keys of an options type, checked by the compiler to be exactly its keys (a key missing from
 * the list is a type error, so the list cannot fall behind the interface).
 */
export function optionKeys<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    ...keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> })
  ): K => keys;
}

/** Throws when `options` (an object, or undefined) has a key outside `accepted`; returns it as an object. */
export function checkOptions<T extends object>(where: string, options: T | undefined, accepted: readonly string[],
                                               what = 'options'): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new AttnkitError(`${where}: ${what} must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      const known = accepted.length > 0 ? `accepted: ${accepted.join(', ')}` : 'it accepts none';
      throw new AttnkitError(`${where}: unknown option '${key}' in ${what}; ${known}`);
    }
  }
  return options;
}
