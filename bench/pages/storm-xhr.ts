// An XMLHttpRequest that really uploads (to the real server) but reports upload progress the way WebKitGTK
// does: one `progress` event per 8 KiB, each in a task of its own, thousands per file. The browser's own
// (rarer) upload progress events are hidden so `loaded` stays monotonic, and the request's `load` /
// `loadend` / final `readystatechange` are held back until the storm has reported every byte.
// Uploaders that read `XMLHttpRequest` when they send (itty-uploader's transport, Uppy's fetcher) use it.

export interface StormStats {
  /** Synthetic progress events dispatched. */
  events: number;
  requests: number;
}

export function installStormXhr(step = 8 * 1024): StormStats {
  const stats: StormStats = { events: 0, requests: 0 };
  const Real = window.XMLHttpRequest;
  class StormXMLHttpRequest extends Real {
    #held: string[] = [];
    #stormDone = false;

    constructor() {
      super();
      const hold = (event: Event) => {
        if (!event.isTrusted || this.#stormDone) return;
        if (event.type === 'readystatechange' && this.readyState !== Real.DONE) return;
        event.stopImmediatePropagation();
        this.#held.push(event.type);
      };
      // Registered before any handler the uploader sets, so stopImmediatePropagation hides the real event from it.
      for (const type of ['readystatechange', 'load', 'loadend']) this.addEventListener(type, hold);
      this.upload.addEventListener('progress', (event) => {
        if (event.isTrusted) event.stopImmediatePropagation();
      });
    }

    override send(body?: Document | XMLHttpRequestBodyInit | null): void {
      super.send(body);
      stats.requests += 1;
      const total = body instanceof Blob ? body.size : 0;
      let loaded = 0;
      const channel = new MessageChannel();
      const finish = () => {
        this.#stormDone = true;
        channel.port1.close();
        // Replays what was held back (the real request is done whenever something was held), in order.
        for (const type of this.#held) {
          this.dispatchEvent(
            type === 'readystatechange' ? new Event(type) : new ProgressEvent(type, { lengthComputable: true, loaded: total, total }),
          );
        }
        this.#held = [];
      };
      channel.port1.onmessage = () => {
        if (this.readyState === Real.DONE && this.status === 0) return finish(); // failed or aborted: stop storming
        loaded = Math.min(total, loaded + step);
        stats.events += 1;
        this.upload.dispatchEvent(new ProgressEvent('progress', { lengthComputable: true, loaded, total }));
        if (loaded < total) channel.port2.postMessage(0);
        else finish();
      };
      if (total > 0) channel.port2.postMessage(0);
      else finish();
    }
  }
  window.XMLHttpRequest = StormXMLHttpRequest;
  return stats;
}
