/**
 * jsdom's `Blob` (and so its `File`) has no `arrayBuffer()`, `text()` or `stream()`. MSW turns an intercepted
 * XMLHttpRequest's body into a Fetch `Request`, and Node's `Request` reads a body only if it looks like a Blob
 * (one of those methods) — otherwise it stores the text "[object File]". Adding the three standard methods,
 * read through jsdom's own `FileReader`, lets the bytes the element sends reach the handlers unchanged.
 * Where `Blob` already has them (browsers, Node, happy-dom) nothing is touched.
 */
export function ensureReadableBlobs(): void {
  const BlobClass = (globalThis as { Blob?: typeof Blob }).Blob;
  const Reader = (globalThis as { FileReader?: typeof FileReader }).FileReader;
  if (typeof BlobClass !== 'function' || typeof Reader !== 'function') return;
  const proto = BlobClass.prototype as Blob & Record<string, unknown>;
  if (typeof proto.arrayBuffer === 'function' && typeof proto.stream === 'function') return;

  function read(blob: Blob, as: 'arrayBuffer' | 'text'): Promise<ArrayBuffer | string> {
    return new Promise((resolve, reject) => {
      const reader = new Reader!();
      reader.onload = () => resolve(reader.result as ArrayBuffer | string);
      reader.onerror = () => reject(reader.error);
      if (as === 'text') reader.readAsText(blob);
      else reader.readAsArrayBuffer(blob);
    });
  }
  const methods: Record<string, (this: Blob) => unknown> = {
    arrayBuffer() {
      return read(this, 'arrayBuffer');
    },
    text() {
      return read(this, 'text');
    },
    stream() {
      const blob = this;
      return new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new Uint8Array((await read(blob, 'arrayBuffer')) as ArrayBuffer));
          controller.close();
        },
      });
    },
  };
  for (const [name, method] of Object.entries(methods)) {
    if (typeof proto[name] === 'function') continue;
    Object.defineProperty(proto, name, { value: method, writable: true, configurable: true, enumerable: false });
  }
}
