import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadError } from '../../src/core/errors.js';
import { errorFromResponse, parseSignResponse, parseUploadResponse, readServerMessage } from '../../src/core/response.js';
import { makeSource, response } from './helpers.js';

const signature = {
  domain: 'you.ittybit.net',
  filename: 'video.mp4',
  folder: 'example',
  expiry: 1735689600,
  method: 'put',
  signature: 'sig',
  url: 'https://you.ittybit.net/example/video.mp4?expiry=1735689600&method=put&signature=sig',
};

const signError = (status: number, body: string) => {
  try {
    parseSignResponse(status, body, { baseUrl: 'https://app.test/' });
  } catch (error) {
    assert.ok(error instanceof UploadError);
    return error;
  }
  assert.fail('expected an UploadError');
};

describe('parseSignResponse', () => {
  it('accepts { url }', () => {
    assert.deepEqual(parseSignResponse(200, '{"url":"https://bucket.s3.amazonaws.com/a.png?X-Amz-Signature=1"}'), {
      url: 'https://bucket.s3.amazonaws.com/a.png?X-Amz-Signature=1',
      resumable: false,
    });
  });

  it('accepts the ittybit Signature object as a resumable target with its expiry', () => {
    assert.deepEqual(parseSignResponse(200, JSON.stringify(signature)), {
      url: signature.url,
      method: 'PUT',
      resumable: true,
      expiry: 1735689600,
    });
  });

  it('unwraps the { data } envelope with meta, links and error: null', () => {
    const body = { meta: { request_id: 'req_1', type: 'object' }, data: signature, error: null, links: { self: '/signatures' } };
    assert.equal(parseSignResponse(200, JSON.stringify(body)).resumable, true);
    assert.equal(parseSignResponse(201, JSON.stringify({ data: { url: 'https://x.test/a' } })).url, 'https://x.test/a');
  });

  it('keeps the method and exactly the headers of a generic target, not resumable unless it says so', () => {
    const body = {
      url: 'https://storage.googleapis.com/b/a.png?X-Goog-Signature=1',
      method: 'put',
      headers: { 'Content-Type': 'image/png', 'x-goog-meta-n': 3 },
    };
    assert.deepEqual(parseSignResponse(200, JSON.stringify(body)), {
      url: body.url,
      method: 'PUT',
      headers: { 'Content-Type': 'image/png', 'x-goog-meta-n': '3' },
      resumable: false,
    });
    assert.equal(parseSignResponse(200, JSON.stringify({ url: 'https://x.test/a', resumable: true })).resumable, true);
    const withHeaders = { url: 'https://x.test/a?expiry=1&signature=s', headers: { 'Content-Type': 'a/b' } };
    assert.equal(parseSignResponse(200, JSON.stringify(withHeaders)).resumable, false);
  });

  it('treats a bare { url } with ittybit expiry and signature params as resumable', () => {
    const target = parseSignResponse(
      200,
      JSON.stringify({ url: 'https://you.ittybit.net/a.png?expiry=1765432100&method=put&signature=s' }),
    );
    assert.equal(target.resumable, true);
    assert.equal(target.expiry, 1765432100);
  });

  it('adds the header Azure requires when a blob target lacks it', () => {
    const target = parseSignResponse(200, JSON.stringify({ url: 'https://acct.blob.core.windows.net/c/a.png?sv=1&sig=2' }));
    assert.deepEqual(target.headers, { 'x-ms-blob-type': 'BlockBlob' });
  });

  it('accepts a JSON string or a text/plain URL body', () => {
    assert.equal(parseSignResponse(200, '"https://x.test/a"').url, 'https://x.test/a');
    assert.equal(parseSignResponse(200, '  https://x.test/b \n').url, 'https://x.test/b');
    assert.equal(parseSignResponse(200, '/uploads/c', { baseUrl: 'https://app.test/page' }).url, 'https://app.test/uploads/c');
  });

  it('resolves relative URLs against baseUrl', () => {
    assert.equal(
      parseSignResponse(200, '{"url":"/upload/a.png"}', { baseUrl: 'https://app.test/x/y' }).url,
      'https://app.test/upload/a.png',
    );
    assert.equal(parseSignResponse(200, '{"url":"a.png"}', { baseUrl: 'https://app.test/x/y' }).url, 'https://app.test/x/a.png');
  });

  it('refuses URLs that are not http(s) with invalid_target', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<b>x</b>',
      'ftp://x.test/a',
      'relative/without/base',
    ]) {
      assert.throws(() => parseSignResponse(200, JSON.stringify({ url })), { code: 'invalid_target' }, url);
    }
    assert.throws(() => parseSignResponse(200, 'javascript:alert(1)'), { code: 'invalid_target' });
    assert.throws(() => parseSignResponse(200, JSON.stringify({ ...signature, method: 'get' })), { code: 'invalid_target' });
  });

  it('fails with sign_failed for an unusable 2xx body', () => {
    for (const body of ['', '{', '{"ok":true}', '[1]', 'null', '42', '"OK"', 'OK', '<html><body>Login</body></html>']) {
      const error = signError(200, body);
      assert.equal(error.code, 'sign_failed', body);
      assert.equal(error.status, 200);
      assert.equal(error.retryable, false);
    }
    assert.equal(signError(200, '"OK"').serverMessage, 'OK');
    const envelope = { data: null, error: { message: 'Quota exceeded' } };
    assert.equal(signError(200, JSON.stringify(envelope)).serverMessage, 'Quota exceeded');
  });

  it('fails with sign_failed, the status and the server message for a non-2xx answer', () => {
    const cases: [number, string, string | undefined][] = [
      [400, '{"message":"filename is required"}', 'filename is required'],
      [401, '{"kind":"token_invalid","message":"Bad token"}', 'Bad token'],
      [403, '{"error":{"message":"Not allowed"}}', 'Not allowed'],
      [422, '{"error":"Too big"}', 'Too big'],
      [400, '{"detail":"Folder invalid"}', 'Folder invalid'],
      [500, '  Internal\n  error  ', 'Internal error'],
      [502, '<html><h1>Bad gateway</h1></html>', undefined],
      [500, '{"unexpected":true}', undefined],
    ];
    for (const [status, body, message] of cases) {
      const error = signError(status, body);
      assert.equal(error.code, 'sign_failed');
      assert.equal(error.status, status);
      assert.equal(error.serverMessage, message, body);
      if (message) assert.match(error.message, new RegExp(message));
    }
    assert.equal(signError(503, '').retryable, true);
    assert.equal(signError(429, '').retryable, true);
    assert.equal(signError(408, '').retryable, true);
    assert.equal(signError(404, '').retryable, false);
  });
});

describe('readServerMessage', () => {
  it('caps the length and never parses HTML', () => {
    const long = readServerMessage('x'.repeat(1000))!;
    assert.equal(long.length, 300);
    assert.ok(long.endsWith('…'));
    assert.equal(readServerMessage('<!doctype html><p>Message</p>'), undefined);
    assert.equal(readServerMessage('<Error><Code>X</Code><Message>Access  denied</Message></Error>'), 'Access denied');
    assert.equal(readServerMessage(''), undefined);
  });
});

describe('parseUploadResponse', () => {
  const target = { url: 'https://bucket.s3.amazonaws.com/dir/a%20b.png?X-Amz-Signature=1#frag' };
  const source = makeSource('a b.png', 42, 'image/png');

  it('returns a bare File object, keeping unknown fields', () => {
    const body = {
      id: 'file_1',
      kind: 'image',
      type: 'image/png',
      url: 'https://you.ittybit.net/a.png',
      filesize: 42,
      width: 3,
      future_field: { x: 1 },
    };
    const file = parseUploadResponse(response(201, JSON.stringify(body)), { target, source });
    assert.deepEqual(file, { ...body, filename: 'a b.png' });
  });

  it('unwraps a { data } envelope', () => {
    const body = {
      meta: { type: 'object' },
      data: { id: 'file_2', url: 'https://u.test/f', kind: 'video', type: 'video/mp4', filesize: 9 },
      error: null,
    };
    const file = parseUploadResponse(response(201, JSON.stringify(body)), { target, source });
    assert.equal(file.id, 'file_2');
    assert.equal(file.kind, 'video');
    assert.equal(file.meta, undefined);
  });

  it('fills what a File object with an id but no url lacks', () => {
    const file = parseUploadResponse(response(201, '{"id":"file_3"}'), { target, source });
    assert.equal(file.id, 'file_3');
    assert.equal(file.url, 'https://bucket.s3.amazonaws.com/dir/a%20b.png');
    assert.equal(file.kind, 'image');
  });

  it('builds the File object locally for an S3 empty body, with the exposed ETag', () => {
    const file = parseUploadResponse(response(200, '', { ETag: '"abc123"' }), { target, source });
    assert.deepEqual(file, {
      url: 'https://bucket.s3.amazonaws.com/dir/a%20b.png',
      type: 'image/png',
      kind: 'image',
      filesize: 42,
      filename: 'a b.png',
      etag: '"abc123"',
    });
  });

  it('builds locally for XML, non-JSON and JSON that is not a File object', () => {
    for (const text of ['<?xml version="1.0"?><PostResponse/>', 'OK', '{"received":42}', '[]']) {
      const file = parseUploadResponse(response(201, text), { target, source });
      assert.equal(file.url, 'https://bucket.s3.amazonaws.com/dir/a%20b.png', text);
      assert.equal(file.etag, undefined);
    }
  });

  it('fills fields the storage sent null or mistyped, and never keeps a url that is not http(s) or relative', () => {
    const odd = parseUploadResponse(response(201, '{"id":"file_4","url":"https://h/a.png","kind":null,"type":null,"filesize":"5"}'), {
      target,
      source,
    });
    assert.deepEqual([odd.type, odd.kind, odd.filesize, odd.url], ['image/png', 'image', 42, 'https://h/a.png']);
    for (const url of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,x', 42]) {
      const file = parseUploadResponse(response(201, JSON.stringify({ id: 'file_5', url })), { target, source });
      assert.equal(file.url, 'https://bucket.s3.amazonaws.com/dir/a%20b.png', String(url));
    }
    assert.equal(parseUploadResponse(response(201, '{"id":"file_6","url":"/uploads/a.png"}'), { target, source }).url, '/uploads/a.png');
  });

  it('derives kind from the MIME type and defaults the type', () => {
    const kind = (type: string) => parseUploadResponse(response(200), { target, source: makeSource('x', 1, type) });
    assert.equal(kind('video/mp4').kind, 'video');
    assert.equal(kind('audio/wav').kind, 'audio');
    assert.equal(kind('application/pdf').kind, 'other');
    assert.deepEqual([kind('').kind, kind('').type], ['other', 'application/octet-stream']);
  });
});

describe('errorFromResponse', () => {
  it('keeps the status and the message of JSON and S3 XML bodies', () => {
    const json = errorFromResponse(response(400, '{"kind":"request_invalid","message":"Bad range"}'), 'upload_failed');
    assert.deepEqual([json.code, json.status, json.serverMessage], ['upload_failed', 400, 'Bad range']);
    const xml =
      '<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>';
    const s3 = errorFromResponse(response(403, xml));
    assert.deepEqual([s3.code, s3.serverMessage], ['upload_failed', 'The request signature we calculated does not match']);
  });

  it('reads Retry-After as seconds or as an HTTP date against now', () => {
    assert.equal(errorFromResponse(response(429, '', { 'Retry-After': '7' })).retryAfter, 7);
    const now = Date.parse('2025-01-01T00:00:00Z');
    const later = errorFromResponse(response(503, '', { 'Retry-After': 'Wed, 01 Jan 2025 00:00:30 GMT' }), 'upload_failed', now);
    assert.equal(later.retryAfter, 30);
    assert.equal(errorFromResponse(response(503, '', { 'Retry-After': 'soon' })).retryAfter, undefined);
  });

  it('never reads a negative or fractional Retry-After as a date (which would mean "retry at once")', () => {
    // V8's Date.parse takes "-1" and "1.5" for days in 2001: a past date, so no wait and no backoff at all.
    for (const value of ['-1', '-30', '+5', '1,5']) {
      assert.equal(errorFromResponse(response(503, '', { 'Retry-After': value })).retryAfter, undefined, value);
    }
    assert.equal(errorFromResponse(response(503, '', { 'Retry-After': '1.5' })).retryAfter, 1.5);
    assert.equal(errorFromResponse(response(503, '', { 'Retry-After': ' 0.25 ' })).retryAfter, 0.25);
  });

  it('says expired for a 403 whose body mentions expiry', () => {
    assert.equal(errorFromResponse(response(403, '{"kind":"signature_expired","message":"URL has expired"}')).code, 'expired');
    assert.equal(
      errorFromResponse(response(403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>')).code,
      'expired',
    );
    assert.equal(errorFromResponse(response(403, '{"kind":"signature_invalid"}')).code, 'upload_failed');
    // Azure's expired SAS; and messages that only name the expiry parameter are not an expiry.
    const azure = '<Error><Code>AuthenticationFailed</Code><Message>Signature not valid in the specified time frame</Message></Error>';
    assert.equal(errorFromResponse(response(403, azure)).code, 'expired');
    assert.equal(
      errorFromResponse(response(403, '{"kind":"signature_invalid","message":"malformed (expiry must be unix seconds)"}')).code,
      'upload_failed',
    );
  });

  it('says rejected for 413 and 415, upload_failed otherwise', () => {
    assert.equal(errorFromResponse(response(413, '{"kind":"file_too_large"}')).code, 'rejected');
    assert.equal(errorFromResponse(response(415)).code, 'rejected');
    const server = errorFromResponse(response(500));
    assert.deepEqual([server.code, server.retryable], ['upload_failed', true]);
    assert.equal(errorFromResponse(response(404)).retryable, false);
    assert.equal(errorFromResponse(response(500), 'sign_failed').code, 'sign_failed');
  });
});
