// The uploaded file: written once per run, checked and removed after every upload.
import { randomBytes } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MIB } from './config.js';

/** Writes `size` bytes alternating a zero MiB and a random MiB (the server sniffs no type from it). */
export async function writeSource(path: string, size: number) {
  const blocks = [Buffer.alloc(MIB), randomBytes(MIB)];
  const handle = await open(path, 'w');
  try {
    for (let offset = 0, i = 0; offset < size; offset += MIB, i += 1) {
      const block = blocks[i % 2]!.subarray(0, Math.min(MIB, size - offset));
      await handle.write(block);
    }
  } finally {
    await handle.close();
  }
}

/** Removes what an upload stored (not the server's internal folder), returning its size so the caller can check it. */
export async function takeStored(store: string, name: string): Promise<number> {
  const file = join(store, name);
  const size = (await stat(file)).size;
  await rm(file, { force: true });
  return size;
}
