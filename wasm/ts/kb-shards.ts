// Building a sharded KB (KBQA.load({ kb: { shards } })) from KB text too large to hold at once:
// `attnkit-cli build-kb --shards DIR` drives this, streaming the text through route() and each bucket's lines
// through cut() (src/attnkit/pipelines/kb_shard_builder.hpp says how the KB is cut).
import { failedCount, failedHandle, takeBytes, withHeap } from './heap.js';
import { init, loadedModule } from './loader.js';
import { directoryUrl, readBytes, type ModelSource } from './model-files.js';
import { checkOptions, optionKeys } from './options.js';
import { OwnedHandle } from './owned.js';
import { optionalSize, requireBytes, requireCount } from './validate.js';

export interface KbShardBuilderOptions {
  /** The KBQA model directory whose vocabulary the shards are cut with (default: the bundled KgCLUE model). */
  model?: Pick<ModelSource, 'url'>;
  /** Triples a shard holds at most, unless one subject has more (default 1,000). */
  shardTriples?: number;
  /** Buckets the KB's lines are routed to before cutting (default 1; about one per 32 MB of text). */
  buckets?: number;
}
const OPTION_KEYS = optionKeys<KbShardBuilderOptions>()('model', 'shardTriples', 'buckets');
const DEFAULT_MODEL = new URL('./models/kbqa-kgclue/', import.meta.url);

export class KbShardBuilder extends OwnedHandle {
  private constructor(mod: ReturnType<typeof loadedModule>, handle: number) {
    super(mod, 'KbShardBuilder');
    this.adopt(handle, (h) => mod.kbShardBuilderDestroy(h));
  }

  static async create(options: KbShardBuilderOptions = {}): Promise<KbShardBuilder> {
    const where = 'KbShardBuilder.create';
    checkOptions(where, options, OPTION_KEYS);
    await init();
    const mod = loadedModule(where);
    const directory = directoryUrl(options.model?.url ?? DEFAULT_MODEL, DEFAULT_MODEL);
    const vocab = await readBytes(where, new URL('vocab.txt', directory));
    const shardTriples = optionalSize(where, 'shardTriples', options.shardTriples, 1000);
    const buckets = optionalSize(where, 'buckets', options.buckets, 1);
    const handle = withHeap(mod, where, (heap) =>
      heap.checked(mod.kbShardBuilderCreate(heap.view(vocab), shardTriples, buckets), failedHandle));
    return new KbShardBuilder(mod, handle);
  }

  /** Lines of the KB text, in order, whole lines only (a chunk ends at a line end). */
  route(lines: Uint8Array): void {
    const where = 'KbShardBuilder.route';
    const handle = this.handle(where);
    const bytes = requireBytes(where, 'lines', lines);
    withHeap(this.mod, where, (heap) => heap.check(this.mod.kbShardBuilderRoute(handle, heap.view(bytes))));
  }

  /** The lines routed to `bucket` since the last call, to append to that bucket's file. */
  takeBucket(bucket: number): Uint8Array {
    const where = 'KbShardBuilder.takeBucket';
    const handle = this.handle(where);
    return takeBytes(this.mod, this.mod.kbShardBuilderTakeBucket(handle, requireCount(where, 'bucket', bucket)));
  }

  /** All of one bucket's lines, once every line is routed: the texts of the shards cut from them, numbered on. */
  cut(lines: Uint8Array): Uint8Array[] {
    const where = 'KbShardBuilder.cut';
    const handle = this.handle(where);
    const bytes = requireBytes(where, 'lines', lines);
    const count = withHeap(this.mod, where, (heap) =>
      heap.checked(this.mod.kbShardBuilderCut(handle, heap.view(bytes)), failedCount));
    return Array.from({ length: count }, (_, i) => takeBytes(this.mod, this.mod.kbShardBuilderShard(handle, i)));
  }

  /** The manifest, once every bucket is cut (only once). */
  manifest(): Uint8Array {
    return takeBytes(this.mod, this.mod.kbShardBuilderManifest(this.handle('KbShardBuilder.manifest')));
  }

  get stats(): { triples: number; shards: number; cuts: number } {
    return this.mod.kbShardBuilderStats(this.handle('KbShardBuilder.stats'));
  }
}
