// How the signing step reaches signing.ts: bound at once for `itty-uploader/core` (sign.ts, response.ts), or loaded
// on demand by the elements (`lazySigner`), so that the CDN bundle's first load holds no signing code.
import { MAX_ANSWER_SIZE } from './answer.js';
import { loadFailure } from './failure-loader.js';
import type { FailurePath } from './failure.js';
import { checkTarget, isOk, lazy } from './shared.js';
import type { SignerSettings, Signing, SigningTools } from './signing.js';
import type { SignFunction, Source } from './types.js';

/** What signing.ts shares with the upload path: failure.ts's readers of answers (`path`), and the target's check. */
export const signingTools = (path: FailurePath): SigningTools => ({ ...path, checkTarget, isOk, MAX_ANSWER_SIZE });

// The signing step reads answers synchronously (parseSignResponse): failure.ts loads with it, at once, so that it is
// there when an upload answers, or fails, even if the network is gone by then.
const loadSigning = lazy(
  () => Promise.all([import('./signing.js'), loadFailure()]).then(([module, path]) => module.signing(signingTools(path))),
  'signing',
);

/** A signer whose code loads on demand: `prepare()` starts loading it (when a file is queued). */
export type LazySigner<S extends Source = Source> = SignFunction<S> & { prepare(): void };

/**
 * `createSigner(settings)`, with the signing code imported the first time it is needed: on `prepare()` or on the first
 * signing. A failed import (offline, most likely) fails that signing with a retryable `unavailable` error, as a failed
 * signing request does, and the next signing imports again. `load` is for tests (the import, made by `lazy`).
 */
export function lazySigner<S extends Source = Source>(
  settings: SignerSettings<S>,
  load: () => Promise<Signing> = loadSigning,
): LazySigner<S> {
  const sign: SignFunction<S> = async (source, ctx) => (await load()).createSigner(settings)(source, ctx);
  return Object.assign(sign, { prepare: () => void load().catch(() => {}) });
}
