// The npm package as a user gets it: `npm pack`, install the tarball into a new project, import it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
let work;
let packed;

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
      'dist/models/ner-cluener/config.json', 'dist/models/ner-cluener/model.safetensors', 'dist/models/ner-cluener/vocab.txt']) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('build/') || f.endsWith('.symbols'))).toEqual([]);
  });

  it('installs into a new project offline: kernels and the bundled NER model work', () => {
    const app = join(work, 'app');
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
      'console.log(JSON.stringify({ c: Array.from(c), message, labels: ner.labels.length, entities: entities.length }));',
    ].join('\n'));
    const result = JSON.parse(execFileSync('node', ['main.js'], { cwd: app, encoding: 'utf8' }));
    expect(result.c).toEqual([19, 22, 43, 50]);
    expect(result.message).toBe('gemm: a has 3 values, expected m*k = 4');
    expect(result.labels).toBe(10); // the bundled NER model loads from the package, offline
    expect(result.entities).toBeGreaterThan(0);
  });
});
