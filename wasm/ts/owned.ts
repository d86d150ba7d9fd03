// Base of every JS object that owns a C++ object in WASM memory: dispose() frees it now; a
// FinalizationRegistry frees it if the object is garbage-collected first; use after dispose() throws.
import type { AttnkitWasmModule } from './attnkit.mjs';
import { AttnkitError } from './errors.js';

interface Owned { destroy: (handle: number) => void; handle: number }

const registry = new FinalizationRegistry<Owned>(({ destroy, handle }) => destroy(handle));

export abstract class OwnedHandle {
  private ownedHandle = 0;
  private destroy: (handle: number) => void = () => {};

  /** `kind` names the class in messages (constructor.name does not survive minifying bundlers). */
  protected constructor(protected readonly mod: AttnkitWasmModule, private readonly kind: string) {}

  /** Takes ownership of a freshly created C++ object. */
  protected adopt(handle: number, destroy: (handle: number) => void): void {
    this.ownedHandle = handle;
    this.destroy = destroy;
    registry.register(this, { destroy, handle }, this);
  }

  /** The handle, or an AttnkitError naming `where` when this object was disposed. */
  protected handle(where: string): number {
    if (this.ownedHandle === 0) throw new AttnkitError(`${where}: this ${this.kind} was disposed`, 'invalid-state');
    return this.ownedHandle;
  }

  get disposed(): boolean {
    return this.ownedHandle === 0;
  }

  /** Frees the WASM memory now. Safe to call twice. */
  dispose(): void {
    if (this.ownedHandle === 0) return;
    registry.unregister(this);
    this.destroy(this.ownedHandle);
    this.ownedHandle = 0;
  }
}
