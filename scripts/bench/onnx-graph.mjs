// Writes small ONNX models (protobuf) by hand, so benchmarks can run the same computation in
// onnxruntime-web without a Python onnx dependency. Field numbers follow onnx/onnx.proto.

function varint(value) {
  const bytes = [];
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // protobuf int64: negative values are 10-byte two's complement
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return bytes;
}

const encoder = new TextEncoder();
const intField = (num, value) => [...varint((num << 3) | 0), ...varint(value)];
const floatField = (num, value) => {
  const buf = new Uint8Array(4);
  new DataView(buf.buffer).setFloat32(0, value, true);
  return [...varint((num << 3) | 5), ...buf];
};
const bytesField = (num, bytes) => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
const stringField = (num, text) => bytesField(num, encoder.encode(text));

const FLOAT = 1;

/** A tensor input/output description; dims are numbers or symbolic names. */
function valueInfo(name, dims) {
  const dimBytes = dims.flatMap((d) =>
    bytesField(1, typeof d === 'number' ? intField(1, d) : stringField(2, d)));
  const tensorType = [...intField(1, FLOAT), ...bytesField(2, dimBytes)];
  return [...stringField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

/** attrs: { name: number (float) | { int: n } | { ints: [...] } }. */
function attribute(name, value) {
  if (typeof value === 'number') return [...stringField(1, name), ...floatField(2, value), ...intField(20, 1)];
  if ('int' in value) return [...stringField(1, name), ...intField(3, value.int), ...intField(20, 2)];
  return [...stringField(1, name), ...value.ints.flatMap((i) => intField(8, i)), ...intField(20, 7)];
}

/** A float initializer (weights baked into the graph). */
function tensor(name, dims, data) {
  const raw = new Uint8Array(Float32Array.from(data).buffer);
  return [...dims.flatMap((d) => intField(1, d)), ...intField(2, FLOAT), ...stringField(8, name), ...bytesField(9, raw)];
}

/**
 * Builds a model: nodes = [{ op, inputs, outputs, attrs }], inputs/outputs = [[name, dims]],
 * initializers = [[name, dims, Float32Array]]; a node's `domain` (e.g. 'com.microsoft' for onnxruntime's
 * contrib ops) is imported at version 1. Returns the serialised bytes.
 */
export function onnxModel({ nodes, inputs, outputs, initializers = [], opset = 17 }) {
  const domains = [...new Set(nodes.map((node) => node.domain).filter(Boolean))];
  const graph = [
    ...nodes.flatMap((node, i) => bytesField(1, [
      ...node.inputs.flatMap((n) => stringField(1, n)),
      ...node.outputs.flatMap((n) => stringField(2, n)),
      ...stringField(3, `n${i}`),
      ...stringField(4, node.op),
      ...Object.entries(node.attrs ?? {}).flatMap(([k, v]) => bytesField(5, attribute(k, v))),
      ...(node.domain ? stringField(7, node.domain) : []),
    ])),
    ...stringField(2, 'attnkit_bench'),
    ...initializers.flatMap(([name, dims, data]) => bytesField(5, tensor(name, dims, data))),
    ...inputs.flatMap(([name, dims]) => bytesField(11, valueInfo(name, dims))),
    ...outputs.flatMap(([name, dims]) => bytesField(12, valueInfo(name, dims))),
  ];
  const model = [
    ...intField(1, 8), // ir_version
    ...stringField(2, 'attnkit'),
    ...bytesField(7, graph),
    ...bytesField(8, [...stringField(1, ''), ...intField(2, opset)]),
    ...domains.flatMap((domain) => bytesField(8, [...stringField(1, domain), ...intField(2, 1)])),
  ];
  return Uint8Array.from(model);
}
