// bench/RESULTS.md: the last full run in full, and a history with one line per full run (newest first).
// The history lives between two markers as a Markdown table; a run adds its line and keeps the older ones, matching
// cells by column name, so a column added later shows a dash for older runs.
import { markdownTable } from './stats.js';

const START = '<!-- history:start -->';
const END = '<!-- history:end -->';
/** Columns every history line has, before the sections' own. */
export const HISTORY_BASE = ['date', 'git', 'host', 'load (1 min)'];

export type HistoryLine = Record<string, string>;

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) =>
      cell
        .trim()
        .replace(/\\\|/g, '|')
        .replace(/`<([a-z][a-z0-9-]*)>`/g, '<$1>'),
    );

/** The history lines of an existing RESULTS.md (none if it has no history yet), with the column order they were written in. */
export function readHistory(markdown: string): { columns: string[]; lines: HistoryLine[] } {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) return { columns: [], lines: [] };
  const rows = markdown
    .slice(start + START.length, end)
    .split('\n')
    .filter((line) => line.trim().startsWith('|'));
  if (rows.length < 2) return { columns: [], lines: [] };
  const columns = cells(rows[0]!);
  const lines = rows.slice(2).map((row) => Object.fromEntries(cells(row).map((cell, i) => [columns[i] ?? `column ${i}`, cell])));
  return { columns, lines };
}

/** The history table with `line` on top: this run's columns first, then any only older runs have. */
export function historyTable(line: HistoryLine, older: { columns: string[]; lines: HistoryLine[] }): string {
  const columns = [...new Set([...HISTORY_BASE, ...Object.keys(line), ...older.columns])];
  const lines = [line, ...older.lines];
  return [
    START,
    markdownTable(
      columns,
      lines.map((l) => columns.map((column) => l[column] || '–')),
    ),
    END,
  ].join('\n');
}

/** The median a history cell keeps of a row's value: "0.969 (0.858–1.095)" → "0.969", "17.56; 19.43" → "17.56". */
export const historyValue = (value: string) => value.trim().split(/[\s;]/)[0] ?? value;

export function resultsMarkdown(parts: { about: string; table: string; verdict: string; history: string }): string {
  return [
    '# Benchmark results',
    '',
    'Written by `npm run bench` after a full run (every section, a 1 GiB file, not `BENCH_QUICK`). What each figure measures,',
    'how, and how to read it on a shared machine: [bench/README.md](README.md).',
    '',
    '## Last full run',
    '',
    parts.about,
    '',
    parts.table,
    '',
    parts.verdict,
    '',
    '## History',
    '',
    'One line per full run, newest first: the median of each key figure (the full table of an older run is in this',
    "file's git history). Absolute MB/s and ms depend on the host and its load that day; the ratios, measured side by",
    'side in the same run, are what to compare across lines.',
    '',
    parts.history,
    '',
  ].join('\n');
}
