// The signing checks run by signing.test.ts under Bun and Deno (this file) and workerd (signing-worker.ts):
// the signing helpers must work on any WebCrypto runtime.
import { createSignature, signUploadUrl, verifySignedUrl } from '../../src/server/signing.js';

const key = 'ittybit_test_key_123';
const now = 1_700_000_000_000;
const vectors: [string, string][] = [
  ['image.png?expiry=1765432100&method=put', 'NKfT_nppUaU5Mk8ViRWO2YCbBtxPzSDeCURoKCqPhfE'],
  ['nested/folders/image.png?expiry=1765432100&method=put', '2BDaB0FRpVrU23JHrmmt1MoZMq8aB2s67a79K4-a9L8'],
  ['private/image.png?expiry=1765432100&method=get', 'zPdqMZaUxOfmzmsSElaomLGIpZ3Fm8RUHk9xuqp183k'],
];

export async function runtimeCheck() {
  const signatures = await Promise.all(vectors.map(([text]) => createSignature(key, text)));
  const signed = await signUploadUrl({ key, domain: 'you.ittybit.net', filename: 'my photo.png', folder: 'a/b', now });
  const good = await verifySignedUrl(signed.url, { key, method: 'PUT', now });
  const forged = await verifySignedUrl(signed.url.replace(/signature=[^&]+/, `signature=${'A'.repeat(43)}`), { key, method: 'PUT', now });
  return {
    vectors: signatures.every((signature, i) => signature === vectors[i]![1]),
    url: signed.url,
    verified: good.ok,
    forged: forged.ok ? 'accepted' : forged.reason,
  };
}

// Bun and Deno run this file directly; signing-worker.ts imports it into a Worker.
if ((import.meta as { main?: boolean }).main) console.log(JSON.stringify(await runtimeCheck()));
