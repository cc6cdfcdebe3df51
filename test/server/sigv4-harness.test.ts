// The SigV4 check the browser tests put in front of s3rver (test/helpers/sigv4.ts) must itself be right:
// AWS's published example verifies, URLs from the AWS SDK presigner verify, and any change to them does not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { verifyPresigned } from '../helpers/sigv4.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CREDENTIALS = { AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('test harness: SigV4 presigned-URL verification', () => {
  it('verifies the example from AWS\'s "Authenticating Requests: Using Query Parameters"', () => {
    const url =
      '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
      '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const headers = { Host: 'examplebucket.s3.amazonaws.com' };
    const at = Date.UTC(2013, 4, 24, 12);
    assert.deepEqual(verifyPresigned({ method: 'GET', url, headers }, CREDENTIALS, at), { ok: true, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    assert.equal(verifyPresigned({ method: 'PUT', url, headers }, CREDENTIALS, at).ok, false);
    assert.equal(verifyPresigned({ method: 'GET', url: url.replace('test.txt', 'test.txu'), headers }, CREDENTIALS, at).ok, false);
    assert.deepEqual(verifyPresigned({ method: 'GET', url, headers }, CREDENTIALS, Date.UTC(2013, 4, 25, 0, 0, 1)), {
      ok: false,
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
  });

  it('verifies SDK-presigned PUT URLs, signed Content-Type included, and refuses every alteration', async () => {
    const client = new S3Client({
      region: 'eu-west-3',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: CREDENTIALS.AKIAIOSFODNN7EXAMPLE },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const command = new PutObjectCommand({ Bucket: 'bucket', Key: 'a folder/ü (1)!.png', ContentType: 'image/png' });
    const signed = new URL(await getSignedUrl(client, command, { expiresIn: 60, signableHeaders: new Set(['content-type']) }));
    client.destroy();
    assert.equal(signed.searchParams.get('X-Amz-SignedHeaders'), 'content-type;host');
    const url = signed.pathname + signed.search;
    const headers = { host: '127.0.0.1:9000', 'content-type': 'image/png' };
    const check = (request: Partial<Parameters<typeof verifyPresigned>[0]>, now?: number) =>
      verifyPresigned({ method: 'PUT', url, headers, ...request }, CREDENTIALS, now);

    assert.equal(check({}).ok, true);
    const refused = [
      check({ headers: { ...headers, 'content-type': 'image/jpeg' } }),
      check({ headers: { host: headers.host } }),
      check({ headers: { ...headers, host: '127.0.0.1:9001' } }),
      check({ method: 'GET' }),
      check({ url: url.replace('bucket', 'bucker') }),
      check({ url: url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600') }),
      check({ url: `${url}&extra=1` }),
    ];
    for (const result of refused) assert.deepEqual(result.ok ? 'accepted' : result.code, 'SignatureDoesNotMatch');
    assert.equal(verifyPresigned({ method: 'PUT', url, headers }, {}).ok, false);
    const late = check({}, Date.now() + 61_000);
    assert.equal(late.ok ? 'accepted' : late.code, 'AccessDenied');
  });
});
