// The part of the WebAssembly JavaScript API that wasmBackend.ts uses. Node has the API, but its
// types come with the DOM library, which src/trainer does not see (it runs in workers and the
// CLI, never in a page).

declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView<ArrayBuffer> | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  function validate(bytes: ArrayBufferView<ArrayBuffer> | ArrayBuffer): boolean;
}
