import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalSignature,
  createSignature,
  isReservedName,
  sanitizeFilename,
  sanitizeFolder,
  signUploadUrl,
  verifySignedUrl,
  type SignUploadUrlOptions,
} from '../../src/server/signing.js';

const KEY = 'ittybit_test_key_123';

describe('signature test vectors (protocol.md §2.3)', () => {
  const vectors: Array<[string, string]> = [
    ['image.png?expiry=1765432100&method=put', 'NKfT_nppUaU5Mk8ViRWO2YCbBtxPzSDeCURoKCqPhfE'],
    ['nested/folders/image.png?expiry=1765432100&method=put', '2BDaB0FRpVrU23JHrmmt1MoZMq8aB2s67a79K4-a9L8'],
    ['private/image.png?expiry=1765432100&method=get', 'zPdqMZaUxOfmzmsSElaomLGIpZ3Fm8RUHk9xuqp183k'],
    ['example/video.mp4?expiry=1735689600&method=put', '4VYX27-WQc474-ewmFTvSofprX4JLdBmS-ke6n0T4OI'],
    ['my%20file.png?expiry=1765432100&method=put', '_sfl66wRFTnin_LPClHiobC2GcbolOMteiQSbLCLUUo'],
    ['my file.png?expiry=1765432100&method=put', 'oWfSG0havlOz2mqltdhpHeEJF5x2NRCn6ZuW80n_bcI'],
  ];
  for (const [stringToSign, expected] of vectors) {
    it(`signs "${stringToSign}"`, async () => {
      assert.equal(await createSignature(KEY, stringToSign), expected);
    });
  }

  it('builds the documented URL for the nested-folder vector', async () => {
    const signed = await signUploadUrl({
      key: KEY,
      domain: 'you.ittybit.net',
      folder: 'nested/folders',
      filename: 'image.png',
      expiry: 1765432100,
    });
    assert.deepEqual(signed, {
      domain: 'you.ittybit.net',
      filename: 'image.png',
      folder: 'nested/folders',
      expiry: 1765432100,
      method: 'put',
      signature: '2BDaB0FRpVrU23JHrmmt1MoZMq8aB2s67a79K4-a9L8',
      url: 'https://you.ittybit.net/nested/folders/image.png?expiry=1765432100&method=put&signature=2BDaB0FRpVrU23JHrmmt1MoZMq8aB2s67a79K4-a9L8',
    });
  });

  it('signs GET URLs and omits folder when there is none', async () => {
    const get = await signUploadUrl({
      key: KEY,
      domain: 'you.ittybit.net',
      folder: 'private',
      filename: 'image.png',
      expiry: 1765432100,
      method: 'GET',
    });
    assert.equal(get.method, 'get');
    assert.equal(get.signature, 'zPdqMZaUxOfmzmsSElaomLGIpZ3Fm8RUHk9xuqp183k');
    const bare = await signUploadUrl({ key: KEY, domain: 'you.ittybit.net', filename: 'image.png', expiry: 1765432100 });
    assert.equal(bare.signature, 'NKfT_nppUaU5Mk8ViRWO2YCbBtxPzSDeCURoKCqPhfE');
    assert.equal('folder' in bare, false);
  });
});

describe('signUploadUrl', () => {
  it('keeps a scheme and base path of the domain out of the signed string', async () => {
    const signed = await signUploadUrl({ key: KEY, domain: 'http://localhost:5173/uploads/', filename: 'image.png', expiry: 1765432100 });
    assert.equal(
      signed.url,
      'http://localhost:5173/uploads/image.png?expiry=1765432100&method=put&signature=NKfT_nppUaU5Mk8ViRWO2YCbBtxPzSDeCURoKCqPhfE',
    );
    const local = await signUploadUrl({ key: KEY, domain: 'localhost:8787', filename: 'a.png', expiry: 1765432100 });
    assert.match(local.url, /^http:\/\/localhost:8787\/a\.png\?/);
  });

  it('expires expiresIn seconds after now (default one hour)', async () => {
    const now = 1_700_000_000_500;
    assert.equal((await signUploadUrl({ key: KEY, domain: 'h.example', filename: 'a', now })).expiry, 1_700_003_600);
    assert.equal((await signUploadUrl({ key: KEY, domain: 'h.example', filename: 'a', now, expiresIn: 60 })).expiry, 1_700_000_060);
  });

  it('returns sanitised names and signs them', async () => {
    const signed = await signUploadUrl({
      key: KEY,
      domain: 'h.example',
      folder: '/Été 2024//raw/',
      filename: 'my photo (1).JPG',
      expiry: 1765432100,
    });
    assert.equal(signed.folder, 'Ete-2024/raw');
    assert.match(signed.filename, /^my-photo-\(1\)-[0-9a-z]+\.JPG$/);
    assert.equal(signed.signature, await createSignature(KEY, `Ete-2024/raw/${signed.filename}?expiry=1765432100&method=put`));
  });

  it('refuses other methods, bad expiries, empty keys and non-http domains', async () => {
    const base = { key: KEY, domain: 'h.example', filename: 'a.png' };
    await assert.rejects(signUploadUrl({ ...base, method: 'delete' }), TypeError);
    await assert.rejects(signUploadUrl({ ...base, expiry: 1.5 }), RangeError);
    await assert.rejects(signUploadUrl({ ...base, expiry: Date.now() }), RangeError);
    await assert.rejects(signUploadUrl({ ...base, key: '' }), TypeError);
    await assert.rejects(signUploadUrl({ ...base, domain: 'ftp://h.example' }), TypeError);
    await assert.rejects(signUploadUrl({ ...base, folder: 'a/../b' }), RangeError);
    // Only what verifySignedUrl and the upload server accept: a 12-digit expiry, a path of at most 1024 characters.
    await assert.rejects(signUploadUrl({ ...base, expiresIn: 1e12 }), RangeError);
    await assert.rejects(signUploadUrl({ ...base, expiresIn: 1e300 }), RangeError);
    await assert.rejects(
      signUploadUrl({ ...base, folder: Array.from({ length: 10 }, () => 'd'.repeat(99)).join('/'), filename: `${'f'.repeat(190)}.png` }),
      RangeError,
    );
  });

  it('throws a TypeError naming the option for a missing filename, another method, or an unknown option (SPEC §6.1 v2)', async () => {
    const base = { key: KEY, domain: 'h.example', filename: 'a.png' };
    const rejects = (options: unknown, pattern: RegExp) =>
      assert.rejects(signUploadUrl(options as SignUploadUrlOptions), (error: unknown) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.match(error.message, pattern);
        return true;
      });
    // Before: the path "undefined" was signed; a spread request body chose method, expiry, domain and key.
    await rejects({ ...base, filename: undefined }, /filename/);
    await rejects({ key: KEY, domain: 'h.example' }, /filename/);
    await rejects({ ...base, filename: '' }, /filename/);
    await rejects({ ...base, filename: '   ' }, /filename/);
    await rejects({ ...base, filename: 42 }, /filename/);
    await rejects({ ...base, method: 'delete' }, /method/);
    await rejects({ ...base, method: 'POST' }, /method/);
    await rejects({ ...base, method: 1 }, /method/);
    await rejects({ ...base, size: 10 }, /"size"/);
    await rejects({ ...base, type: 'image/png' }, /"type"/);
    await rejects({ ...base, expires: 10 }, /"expires"/);
    assert.equal((await signUploadUrl({ ...base, method: 'GET', expiry: 1765432100 })).method, 'get');
  });
});

describe('sanitizeFilename / sanitizeFolder', () => {
  it('keeps only the URL-safe set and never yields dot names', () => {
    assert.match(sanitizeFilename('café au lait.png'), /^cafe-au-lait-[0-9a-z]+\.png$/);
    assert.equal(sanitizeFilename('plain-name_1.(2).png'), 'plain-name_1.(2).png');
    // Dropped letters leave a hash of the name, so two non-Latin names never become the same file.
    assert.match(sanitizeFilename('日本語.png'), /^file-[0-9a-z]{1,7}\.png$/);
    const distinct = ['отпуск.jpg', 'семья.jpg', '假期.jpg', '🎉.jpg', 'Straße.jpg', 'Strasse.jpg'].map(sanitizeFilename);
    assert.equal(new Set(distinct).size, distinct.length, distinct.join(' '));
    assert.equal(sanitizeFilename('日本語.png'), sanitizeFilename('日本語.png'.normalize('NFD')));
    assert.equal(sanitizeFilename('../../etc/passwd'), 'passwd');
    assert.equal(sanitizeFilename('C:\\fakepath\\a b.png'), sanitizeFilename('a b.png'));
    assert.match(sanitizeFilename('..'), /^file-[0-9a-z]+$/);
    assert.match(sanitizeFilename('.env'), /^env-[0-9a-z]+$/);
    assert.match(sanitizeFilename('a   b%%c.tar.gz'), /^a-b-c\.tar-[0-9a-z]+\.gz$/);
    assert.match(sanitizeFilename('e\u0301.png'), /^e-[0-9a-z]+\.png$/);
    const long = sanitizeFilename(`${'x'.repeat(400)}.jpeg`);
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('.jpeg'));
  });

  it('never makes two names one: a hash is added whenever sanitising changed the name (issue 22)', () => {
    // Before: these became a-b.pdf (three files, one path, one id) and resume.pdf.
    const pdfs = ['a b.pdf', 'a-b.pdf', 'a+b.pdf', 'a_b.pdf'].map(sanitizeFilename);
    assert.equal(new Set(pdfs).size, 4, pdfs.join(' '));
    assert.equal(pdfs[1], 'a-b.pdf');
    const resumes = ['résumé.pdf', 'resume.pdf', 'Résumé.pdf'.normalize('NFD')].map(sanitizeFilename);
    assert.equal(resumes[1], 'resume.pdf');
    assert.notEqual(resumes[0], resumes[1]);
    assert.equal(sanitizeFilename('x.p g'), sanitizeFilename('x.p g'));
    assert.notEqual(sanitizeFilename('x.p g'), sanitizeFilename('x.p-g'));
  });

  it('renames Windows hazards: reserved device names, trailing dots and spaces, 8.3 aliases (issue 22)', () => {
    for (const name of ['CON', 'con', 'aux.txt', 'NUL.tar.gz', 'com1.png', 'LPT9', 'COM\u00b9.txt', 'prn.']) {
      const clean = sanitizeFilename(name);
      assert.equal(isReservedName(clean), false, `${name} → ${clean}`);
      assert.doesNotMatch(clean, /[. ]$/);
    }
    for (const name of ['report.', 'report ', 'report. . ', 'UPLOAD~1', 'PROGRA~2.txt']) {
      const clean = sanitizeFilename(name);
      assert.doesNotMatch(clean, /[. ]$|~\d/, `${name} → ${clean}`);
    }
    assert.equal(sanitizeFilename('console.log'), 'console.log');
    assert.equal(sanitizeFilename('con-tract.pdf'), 'con-tract.pdf');
    assert.equal(isReservedName(sanitizeFolder('CON/aux/UPLOAD~1').split('/')[0]!), false);
    for (const segment of sanitizeFolder('CON/aux/UPLOAD~1').split('/')) {
      assert.equal(isReservedName(segment), false, segment);
      assert.doesNotMatch(segment, /~\d/);
    }
  });

  it('cleans each folder segment and refuses dot segments', () => {
    assert.equal(sanitizeFolder('photos/2024 summer/'), 'photos/2024-summer');
    assert.equal(sanitizeFolder('\\a\\\\b'), 'a/b');
    assert.equal(sanitizeFolder(''), '');
    assert.throws(() => sanitizeFolder('a/../b'), RangeError);
    assert.throws(() => sanitizeFolder('./a'), RangeError);
    assert.throws(() => sanitizeFolder(Array.from({ length: 40 }, () => 'd').join('/')), RangeError);
    assert.throws(() => sanitizeFolder(Array.from({ length: 32 }, () => 'd').join('/')), RangeError);
    assert.equal(sanitizeFolder(Array.from({ length: 31 }, () => 'd').join('/')).split('/').length, 31);
    const [a, b] = [sanitizeFolder('отпуск/2024'), sanitizeFolder('семья/2024')];
    assert.notEqual(a, b);
    assert.match(a, /^_-[0-9a-z]{1,7}\/2024$/);
  });
});

describe('verifySignedUrl', () => {
  const expiry = 1765432100;
  const at = (seconds: number) => seconds * 1000;
  const url = (path: string, signature: string, query = `expiry=${expiry}&method=put`) =>
    `https://you.ittybit.net/${path}?${query}&signature=${signature}`;

  it('round-trips what signUploadUrl makes', async () => {
    const signed = await signUploadUrl({ key: KEY, domain: 'you.ittybit.net', folder: 'a/b', filename: 'c.png', expiry });
    assert.deepEqual(await verifySignedUrl(signed.url, { key: KEY, method: 'PUT', now: at(expiry - 10) }), {
      ok: true,
      path: 'a/b/c.png',
      expiry,
    });
    const get = await signUploadUrl({ key: KEY, domain: 'h.example/base', filename: 'c.png', expiry, method: 'get' });
    const result = await verifySignedUrl(get.url, { key: KEY, method: 'HEAD', now: at(expiry), basePath: '/base' });
    assert.deepEqual(result, { ok: true, path: 'c.png', expiry });
  });

  it('reports expired only after the expiry second', async () => {
    const signed = await signUploadUrl({ key: KEY, domain: 'h.example', filename: 'a.png', expiry });
    assert.equal((await verifySignedUrl(signed.url, { key: KEY, method: 'put', now: at(expiry) + 999 })).ok, true);
    assert.deepEqual(await verifySignedUrl(signed.url, { key: KEY, method: 'put', now: at(expiry + 1) }), { ok: false, reason: 'expired' });
  });

  it('rejects tampering with the path, expiry, method, signature or key', async () => {
    const signed = await signUploadUrl({ key: KEY, domain: 'h.example', filename: 'a.png', expiry });
    const now = at(expiry - 60);
    const check = (u: string, key = KEY, method = 'put') => verifySignedUrl(u, { key, method, now });
    assert.deepEqual(await check(signed.url.replace('/a.png', '/b.png')), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(await check(signed.url.replace(`expiry=${expiry}`, `expiry=${expiry + 1}`)), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(await check(signed.url.replace('method=put', 'method=get'), KEY, 'get'), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(await check(signed.url.slice(0, -2) + 'AA'), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(await check(signed.url, 'another-key'), { ok: false, reason: 'bad_signature' });
  });

  it('reports a method mismatch', async () => {
    const signed = await signUploadUrl({ key: KEY, domain: 'h.example', filename: 'a.png', expiry });
    assert.deepEqual(await verifySignedUrl(signed.url, { key: KEY, method: 'GET', now: at(expiry) }), { ok: false, reason: 'method' });
  });

  it('reports missing and malformed parameters', async () => {
    const sig = 'NKfT_nppUaU5Mk8ViRWO2YCbBtxPzSDeCURoKCqPhfE';
    const check = (u: string) => verifySignedUrl(u, { key: KEY, method: 'PUT', now: at(expiry - 60) });
    assert.deepEqual(await check(`https://h/image.png?expiry=${expiry}&method=put`), { ok: false, reason: 'missing' });
    assert.deepEqual(await check(`https://h/image.png?method=put&signature=${sig}`), { ok: false, reason: 'missing' });
    assert.deepEqual(await check(`https://h/image.png?expiry=${expiry}&signature=${sig}`), { ok: false, reason: 'missing' });
    assert.deepEqual(await check('https://h/image.png'), { ok: false, reason: 'missing' });
    for (const bad of ['12a', '-5', '1.5', '', '1765432100000', '0x10']) {
      assert.deepEqual(
        await check(`https://h/image.png?expiry=${bad}&method=put&signature=${sig}`),
        { ok: false, reason: 'malformed' },
        bad,
      );
    }
    assert.deepEqual(await check(url('image.png', sig, `expiry=${expiry}&expiry=${expiry}&method=put`)), {
      ok: false,
      reason: 'malformed',
    });
    assert.deepEqual(await check(url('image.png', sig, `expiry=${expiry}&method=post`)), { ok: false, reason: 'malformed' });
    assert.deepEqual(await check(url('image.png', 'not*base64!')), { ok: false, reason: 'malformed' });
  });

  it('takes a millisecond expiry as malformed even when correctly signed', async () => {
    const ms = 1765432100000;
    const signature = await createSignature(KEY, `image.png?expiry=${ms}&method=put`);
    assert.deepEqual(await verifySignedUrl(url('image.png', signature, `expiry=${ms}&method=put`), { key: KEY, method: 'PUT', now: 0 }), {
      ok: false,
      reason: 'malformed',
    });
  });

  it('accepts padded and standard base64, and a "+" that a query decoder turned into a space', async () => {
    const sig = '4VYX27-WQc474-ewmFTvSofprX4JLdBmS-ke6n0T4OI';
    const standard = sig.replace(/-/g, '+').replace(/_/g, '/');
    const check = (signature: string) =>
      verifySignedUrl(`https://h/example/video.mp4?expiry=1735689600&method=put&signature=${signature}`, {
        key: KEY,
        method: 'PUT',
        now: at(1735689600),
      });
    for (const form of [sig, `${sig}=`, `${sig}%3D`, encodeURIComponent(standard), standard, `${encodeURIComponent(standard)}%3D`]) {
      assert.deepEqual(await check(form), { ok: true, path: 'example/video.mp4', expiry: 1735689600 }, form);
    }
  });

  it('refuses every other spelling of a signature: extra padding, unused bits set, other lengths (issue 22)', async () => {
    // Before: any number of trailing "=" verified, so one signed URL had endless spellings (and cache keys).
    const sig = '4VYX27-WQc474-ewmFTvSofprX4JLdBmS-ke6n0T4OI';
    const check = (signature: string) =>
      verifySignedUrl(`https://h/example/video.mp4?expiry=1735689600&method=put&signature=${signature}`, {
        key: KEY,
        method: 'PUT',
        now: at(1735689600),
      });
    // 'I' is 8 = 0b001000: the two low bits are unused; 'J' (0b001001) decodes to the same 32 bytes.
    const unusedBits = `${sig.slice(0, -1)}J`;
    for (const form of [
      `${sig}==`,
      `${sig}===`,
      `${sig}%3D%3D`,
      `${sig}=`.repeat(2),
      unusedBits,
      `${sig}A`,
      sig.slice(0, -1),
      `${sig}${'='.repeat(5000)}`,
    ]) {
      assert.deepEqual(await check(form), { ok: false, reason: 'malformed' }, form.slice(0, 60));
    }
    assert.equal(canonicalSignature(`${sig}=`), sig);
    assert.equal(canonicalSignature(sig.replace(/-/g, '+').replace(/_/g, '/')), sig);
    assert.equal(canonicalSignature(`${sig}==`), undefined);
    assert.equal(canonicalSignature(unusedBits), undefined);
  });

  it('matches a signature over the wire (encoded) path or over the decoded path', async () => {
    const options = { key: KEY, method: 'PUT', now: at(expiry) };
    const wire = await verifySignedUrl(url('my%20file.png', '_sfl66wRFTnin_LPClHiobC2GcbolOMteiQSbLCLUUo'), options);
    const decoded = await verifySignedUrl(url('my%20file.png', 'oWfSG0havlOz2mqltdhpHeEJF5x2NRCn6ZuW80n_bcI'), options);
    assert.deepEqual(wire, { ok: true, path: 'my file.png', expiry });
    assert.deepEqual(decoded, { ok: true, path: 'my file.png', expiry });
  });

  it('ignores parameter order and extra parameters, and reads relative URLs', async () => {
    const sig = 'NKfT_nppUaU5Mk8ViRWO2YCbBtxPzSDeCURoKCqPhfE';
    const result = await verifySignedUrl(`/image.png?signature=${sig}&x=1&method=PUT&expiry=${expiry}`, {
      key: KEY,
      method: 'PUT',
      now: at(expiry),
    });
    assert.deepEqual(result, { ok: true, path: 'image.png', expiry });
  });

  it('needs the URL under basePath', async () => {
    const sig = 'NKfT_nppUaU5Mk8ViRWO2YCbBtxPzSDeCURoKCqPhfE';
    const options = { key: KEY, method: 'PUT', now: at(expiry), basePath: '/uploads' };
    assert.equal((await verifySignedUrl(`/uploads/image.png?expiry=${expiry}&method=put&signature=${sig}`, options)).ok, true);
    assert.deepEqual(await verifySignedUrl(`/other/image.png?expiry=${expiry}&method=put&signature=${sig}`, options), {
      ok: false,
      reason: 'malformed',
    });
  });
});
