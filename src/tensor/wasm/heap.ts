/**
 * The memory the WebAssembly kernels work in, and how buffers are handed out of it.
 *
 * Choice: one SHARED WebAssembly.Memory (`shared: true`, maximum 4 GiB of address space
 * reserved, committed only as it grows) with a bump allocator that never frees.
 *   - Growing a non-shared memory detaches its ArrayBuffer, which would silently empty every
 *     Float32Array handed out before (params, grads, activations). Growing a shared memory
 *     never moves or detaches anything: old SharedArrayBuffer objects keep their length and
 *     stay valid views of the same bytes, and `memory.buffer` returns a new, longer
 *     SharedArrayBuffer object after each grow. So buffers can be allocated at any time.
 *   - Because each grow yields a new SharedArrayBuffer *object*, "is this array ours?" is
 *     `buffers.has(array.buffer)` over every buffer object this heap has handed out a view of,
 *     not `array.buffer === memory.buffer`.
 *   - Shared memory is also what worker_threads need to run kernels on both cores later: the
 *     Memory object can be posted to a worker and instantiated there over the same bytes.
 *   - Nothing is ever freed: the engine allocates its params, grads, moments and activations
 *     once per model. Per-call temporaries (copies of foreign arrays) live in a `Scratch` arena
 *     that is reset on every call.
 */

const PAGE = 65536;
/** every allocation starts on a cache line */
const ALIGN = 64;

export interface HeapOptions {
  /** bytes committed at once (rounded up to 64 KiB pages) */
  initialBytes?: number;
  /** bytes the memory may grow to (≤ 4 GiB; address space is reserved, not committed) */
  maximumBytes?: number;
}

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** the buffer objects views were made over: all alias the same bytes */
  private readonly buffers = new Set<ArrayBufferLike>();
  /** the next free byte (the first cache line stays unused, so no buffer sits at address 0) */
  private top = ALIGN;
  private readonly maximumBytes: number;
  /** a view over all of the memory as last grown */
  private whole: Float32Array;

  constructor(options: HeapOptions = {}) {
    const maximumPages = Math.min(65536, Math.ceil((options.maximumBytes ?? 4 * 1024 ** 3) / PAGE));
    const initialPages = Math.min(maximumPages, Math.max(1, Math.ceil((options.initialBytes ?? 4 * 1024 ** 2) / PAGE)));
    this.maximumBytes = maximumPages * PAGE;
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared: true });
    this.whole = this.refresh();
  }

  /** bytes handed out so far */
  get used(): number {
    return this.top;
  }

  /** Reserves `bytes` (aligned to a cache line) and returns their byte address. */
  reserve(bytes: number): number {
    const address = this.top;
    const end = address + Math.ceil(bytes / ALIGN) * ALIGN;
    if (end > this.maximumBytes) {
      throw new Error(`wasm heap is full: ${bytes} more bytes requested, ${this.top} of ${this.maximumBytes} in use`);
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // grow by what is missing, and by at least an eighth to keep the number of grows small
      const want = Math.min(this.maximumBytes, Math.max(end, have + have / 8));
      this.memory.grow(Math.ceil((want - have) / PAGE));
      this.whole = this.refresh();
    }
    this.top = end;
    return address;
  }

  /** A new zeroed Float32Array [length] inside the memory (fresh pages are zero; nothing is reused). */
  alloc(length: number): Float32Array {
    if (!Number.isInteger(length) || length < 0) throw new Error(`alloc: length must be a whole number ≥ 0, got ${length}`);
    const address = this.reserve(length * 4);
    return new Float32Array(this.whole.buffer, address, length);
  }

  /** The byte address of `array` if it lives in this memory, else −1. */
  addressOf(array: Float32Array): number {
    return this.buffers.has(array.buffer) ? array.byteOffset : -1;
  }

  /** A Float32Array over the whole memory (valid until the next grow adds bytes it does not see). */
  get floats(): Float32Array {
    return this.whole;
  }

  private refresh(): Float32Array {
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Float32Array(buffer);
  }
}

/**
 * Per-call temporaries: `begin()` forgets everything taken since the last call; `take(n)`
 * returns the byte address of n floats. When the region runs out a larger one is reserved
 * (the old one is abandoned; addresses taken earlier in the same call stay valid).
 */
export class Scratch {
  private start = 0;
  private capacity = 0;
  private used = 0;

  constructor(
    private readonly heap: WasmHeap,
    initialBytes = 0,
  ) {
    if (initialBytes > 0) this.grow(initialBytes);
  }

  begin(): void {
    this.used = 0;
  }

  take(floats: number): number {
    const bytes = Math.ceil((floats * 4) / 64) * 64;
    if (this.used + bytes > this.capacity) this.grow(Math.max(bytes, 2 * this.capacity));
    const address = this.start + this.used;
    this.used += bytes;
    return address;
  }

  private grow(bytes: number): void {
    this.start = this.heap.reserve(bytes);
    this.capacity = bytes;
    this.used = 0;
  }
}
