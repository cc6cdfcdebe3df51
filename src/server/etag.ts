import type { BigIntStats } from 'node:fs';

/** Strong ETag from inode, size and mtime (ns): a rename-replace always changes the inode, so every upload gets a new tag. */
export function etagFor(stats: BigIntStats): string {
  return `"${stats.ino.toString(36)}-${stats.size.toString(36)}-${stats.mtimeNs.toString(36)}"`;
}
