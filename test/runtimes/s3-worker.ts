// A Cloudflare Worker running the createS3Uploads round trip (s3.test.ts runs it in workerd).
import { s3RuntimeCheck } from './s3-check.js';

export default {
  fetch: async (request: Request) => Response.json(await s3RuntimeCheck(new URL(request.url).searchParams.get('endpoint')!, 'workerd')),
};
