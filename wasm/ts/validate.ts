// Argument checks at the JS boundary, before anything touches WASM memory: wrong types and shapes throw
// an AttnkitError that names the function and the argument.
import { AttnkitError } from './errors.js';

const MAX_INT32 = 2 ** 31 - 1;

/** A size argument: a positive integer that fits the module's 32-bit sizes. */
export function requireSize(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_INT32) {
    throw new AttnkitError(`${where}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function requireFloat32Array(where: string, name: string, value: unknown): Float32Array {
  if (!(value instanceof Float32Array)) {
    const got = value === null ? 'null' : typeof value === 'object' ? value.constructor?.name : typeof value;
    throw new AttnkitError(`${where}: ${name} must be a Float32Array, got ${got}`);
  }
  return value;
}

/** Element count of a shape, checked against overflow and the array's actual length. */
export function requireLength(where: string, name: string, array: ArrayLike<number>, shapeText: string,
                              ...dims: number[]): void {
  const expected = dims.reduce((product, dim) => product * dim, 1);
  if (!Number.isSafeInteger(expected) || expected > MAX_INT32) {
    throw new AttnkitError(`${where}: ${shapeText} = ${expected} is too large`);
  }
  if (array.length !== expected) {
    throw new AttnkitError(`${where}: ${name} has ${array.length} values, expected ${shapeText} = ${expected}`);
  }
}

export function requireFiniteNumber(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AttnkitError(`${where}: ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** An optional size: the default when undefined, else a positive integer. */
export function optionalSize(where: string, name: string, value: unknown, fallback: number): number {
  return value === undefined ? fallback : requireSize(where, name, value);
}

/** A non-negative integer (offsets, lengths that may be 0). */
export function requireCount(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_INT32) {
    throw new AttnkitError(`${where}: ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** One of the listed string values. */
export function requireChoice<T extends string>(where: string, name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw new AttnkitError(`${where}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/** Bytes a binding copies in (a file's, or text already encoded). */
export function requireBytes(where: string, name: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new AttnkitError(`${where}: ${name} must be a Uint8Array`);
  return value;
}

/** Integers from an Int32Array or a number array (e.g. keyLengths). */
export function toInt32Array(where: string, name: string, value: unknown): Int32Array {
  if (value instanceof Int32Array) return value;
  if (Array.isArray(value) && value.every((x) => Number.isInteger(x) && Math.abs(x) <= MAX_INT32)) {
    return Int32Array.from(value);
  }
  throw new AttnkitError(`${where}: ${name} must be an Int32Array or an array of integers`);
}
