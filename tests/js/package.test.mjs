// The npm package as a user gets it: `npm pack`, install the tarball into a new project offline, then use
// it from Node (NER and KBQA with the bundled models), type-check a TypeScript consumer with tsc, and build a
// fresh Vite app whose page runs NER and KBQA in a Web Worker in Chromium, Firefox and WebKit.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, launch } from '../e2e/browser.mjs';
import { serveStatic } from '../e2e/static-server.mjs';

const root = new URL('../..', import.meta.url).pathname;
let work;
let packed;
let app;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'attnkit-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
  packed = JSON.parse(out)[0];
});

afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

describe('npm pack', () => {
  it('ships the module, the loader, the API and its types, and nothing from the build tree', () => {
    const files = packed.files.map((f) => f.path).sort();
    for (const needed of ['dist/attnkit.wasm', 'dist/attnkit.mjs', 'dist/index.js', 'dist/index.d.ts', 'package.json', 'README.md',
      'dist/models/ner-cluener/config.json', 'dist/models/ner-cluener/model.safetensors', 'dist/models/ner-cluener/vocab.txt',
      'dist/models/kbqa-kgclue/config.json', 'dist/models/kbqa-kgclue/model.safetensors', 'dist/models/kbqa-kgclue/vocab.txt',
      'dist/models/kbqa-kgclue/kb.attnkit', 'dist/worker.js', 'dist/worker-client.d.ts']) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('build/') || f.endsWith('.symbols'))).toEqual([]);
  });

  it('installs into a new project offline: kernels and the bundled NER and KBQA models work', () => {
    app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], { cwd: app, stdio: 'pipe' });
    writeFileSync(join(app, 'main.js'), [
      "import { init, gemm, AttnkitError, NER } from 'attnkit';",
      'await init();',
      'const c = gemm(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), { m: 2, n: 2, k: 2 });',
      'let message = "";',
      'try { gemm(new Float32Array(3), new Float32Array(4), { m: 2, n: 2, k: 2 }); } catch (e) { message = e instanceof AttnkitError ? e.message : "wrong type"; }',
      'const ner = await NER.load();',
      'const entities = ner.extract("浙商银行企业信贷部叶老桂博士");',
      'const kbqa = await KBQA.load();',
      'const [answer] = kbqa.ask("你知道龙晶用繁体字怎么写吗？");',
      'console.log(JSON.stringify({ c: Array.from(c), message, labels: ner.labels.length, entities: entities.length, answer }));',
    ].join('\n').replace('NER }', 'NER, KBQA }'));
    const result = JSON.parse(execFileSync('node', ['main.js'], { cwd: app, encoding: 'utf8' }));
    expect(result.c).toEqual([19, 22, 43, 50]);
    expect(result.message).toBe('gemm: a has 3 values, expected m*k = 4');
    expect(result.labels).toBe(10); // the bundled NER model loads from the package, offline
    expect(result.entities).toBeGreaterThan(0);
    expect(result.answer).toEqual({ subject: '龙晶（游戏）', predicate: '繁体', object: '龍晶', score: expect.any(Number),
      confidence: expect.any(Number) });
  });

  it('type-checks a TypeScript consumer of every public API with tsc --noEmit, and catches a type error', () => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext',
      moduleResolution: 'NodeNext', strict: true, noEmit: true, lib: ['ES2022', 'DOM'], types: [] }, include: ['consumer.ts'] }));
    writeFileSync(join(app, 'consumer.ts'), `
import { init, gemm, softmax, layerNorm, attention, gauAttention, linearAttention, performerProjection, rope,
  LinearAttentionState, entropy, entropyNormalize, entropyInvariantScale, PrefixTrie, beamSearch, beamSearchSync,
  NER, KBQA, DEFAULT_MIN_CONFIDENCE, AttnkitWorker, AttnkitError, type AttnkitErrorCode, type Entity, type Answer,
  type BeamResult, type Timed } from 'attnkit';
const kit = await init();
const bytes: number = kit.memoryBytes();
const x = new Float32Array(8);
const c: Float32Array = gemm(x, x, { m: 2, n: 2, k: 4 });
softmax(x, { rows: 2, cols: 4 });
layerNorm(x, new Float32Array(4), new Float32Array(4), { rows: 2, cols: 4, eps: 1e-5 });
attention(x, x, x, { heads: 1, queryLen: 2, headDim: 4, scale: 'entropy-invariant', trainLen: 512, causal: true });
gauAttention(x, x, x, { heads: 1, queryLen: 2, headDim: 4, variant: 'softmax' });
linearAttention(x, x, x, { heads: 1, queryLen: 2, headDim: 4, featureMap: 'elu+1' });
const w: Float32Array = performerProjection(8, 4, 1);
rope(x, { seqLen: 2, headDim: 4 });
new LinearAttentionState({ headDim: 4 }).dispose();
const h: Float64Array = entropy(x.fill(0.25), { rows: 2 });
const { probs, gamma } = entropyNormalize(x, 0.5, { rows: 2 });
const lambda: number = entropyInvariantScale(1024, 64, { trainLen: 512 });
const trie = PrefixTrie.from([[1, 2], [1, 3]]);
const compactTrie = PrefixTrie.from([[1, 2]], [7], { layout: 'compact' });
const best: BeamResult[] = beamSearchSync(() => new Float32Array(4), { vocabSize: 4, eosId: 0, trie, beams: 2 });
const later: Promise<BeamResult[]> = beamSearch(async () => new Float32Array(4), { vocabSize: 4, eosId: 0 });
const ner = await NER.load({ onProgress: (loaded: number, total: number) => {} });
const entities: Entity[] = ner.extract('浙商银行');
const kbqa = await KBQA.load({ kb: [['北京', '别名', '京']] });
const answers: Answer[] = kbqa.ask('北京的别名', { beams: 4, topK: 2, mode: 'open-predicate', minConfidence: DEFAULT_MIN_CONFIDENCE });
const confidence: number | undefined = answers[0]?.confidence;
const index: Uint8Array = kbqa.index();
const fromIndex = await KBQA.load({ kb: { index }, trie: 'compact' });
const worker = new AttnkitWorker();
const timed: Promise<Timed<Entity[]>> = worker.extract('x');
const isError: boolean = new AttnkitError('x') instanceof Error;
const code: AttnkitErrorCode = new AttnkitError('x', 'not-found').code;
console.log(bytes, c, w, h, probs, gamma, lambda, best, later, entities, answers, confidence, timed, isError, code, compactTrie, fromIndex);
`);
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    execFileSync('node', [tsc, '-p', app], { cwd: app, encoding: 'utf8' });
    writeFileSync(join(app, 'consumer.ts'), "import { NER } from 'attnkit';\nconst ner = await NER.load();\nner.extract(42);\n");
    let report = 'tsc accepted it';
    try {
      execFileSync('node', [tsc, '-p', app], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      report = error.stdout;  // tsc prints its diagnostics on stdout
    }
    expect(report).toMatch(/Argument of type 'number' is not assignable to parameter of type 'string'/);
  });

  it('builds a fresh Vite app whose page runs NER and KBQA in a Web Worker', () => {
    // The bundled models are served as static files (a bundler cannot inline a directory): copied to public/.
    mkdirSync(join(app, 'web/public'), { recursive: true });
    cpSync(join(app, 'node_modules/attnkit/dist/models'), join(app, 'web/public/models'), { recursive: true });
    writeFileSync(join(app, 'web/index.html'), '<!doctype html><meta charset="utf-8"><pre id="out">loading</pre><script type="module" src="./main.js"></script>');
    writeFileSync(join(app, 'web/main.js'), [
      "import { AttnkitWorker } from 'attnkit';",
      'const worker = new AttnkitWorker();',
      "await worker.loadNer({ url: '/models/ner-cluener/' });",
      "const { result: entities } = await worker.extract('浙商银行企业信贷部叶老桂博士');",
      "await worker.loadKbqa({ model: { url: '/models/kbqa-kgclue/' } });",
      "const { result: answers } = await worker.ask('你知道龙晶用繁体字怎么写吗？');",
      "document.getElementById('out').textContent = JSON.stringify({ entities: entities.map((e) => e.type + ':' + e.text), answer: answers[0].object });",
    ].join('\n'));
    writeFileSync(join(app, 'vite.config.mjs'),
      "export default { root: 'web', build: { outDir: '../dist', target: 'es2022' }, worker: { format: 'es' } };\n");
    execFileSync('node', [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: app, stdio: 'pipe' });
  });

  it.each(ENGINES)('runs that app in %s', async (engine) => {
    const server = await serveStatic({ '/': join(app, 'dist') },
      { 'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'" });
    const browser = await launch(engine);
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/index.html`);
      await page.waitFor(() => document.getElementById('out').textContent !== 'loading', null, { timeout: 90_000 });
      const result = JSON.parse(await page.text('#out'));
      expect(result.entities).toEqual(expect.arrayContaining(['company:浙商银行企业信贷部', 'position:博士']));
      expect(result.answer).toBe('龍晶');
      expect(await page.errors()).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
