// A Cloudflare Worker answering every request with the signing checks (signing.test.ts runs it in workerd).
import { runtimeCheck } from './signing-check.js';

export default { fetch: async () => Response.json(await runtimeCheck()) };
