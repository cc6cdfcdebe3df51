// A Cloudflare Worker answering every request with the signing checks (runtimes.test.ts runs it in workerd).
import { runtimeCheck } from './runtime-check.js';

export default { fetch: async () => Response.json(await runtimeCheck()) };
