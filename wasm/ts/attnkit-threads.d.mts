// attnkit-threads.mjs (the -pthread build) has the same interface as attnkit.mjs.
export * from './attnkit.mjs';
export { default } from './attnkit.mjs';
