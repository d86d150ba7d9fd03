// Errors in plain words for people, not stack traces.
export function plainError(error) {
  const message = String(error?.message ?? error);
  if (/SIMD/i.test(message)) {
    return 'This browser cannot run attnkit: it lacks WebAssembly SIMD (Chrome 91+, Firefox 89+ and Safari 16.4+ have it).';
  }
  if (/could not load|could not read|offline/i.test(message)) {
    return `A model file could not be downloaded (${message}). Check the connection; after one full visit the page works offline.`;
  }
  if (/safetensors|config\.json|vocab|knowledge base/i.test(message)) {
    return `The model files are damaged or not an attnkit model: ${message}`;
  }
  if (/out of memory/i.test(message)) return 'The device ran out of memory for this model. Close other tabs and reload.';
  return `Something went wrong: ${message}`;
}
