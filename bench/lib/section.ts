// The shape of a bench section (bench/sections/*.ts): it measures, and it turns what it measured into report rows.
// Both live in the section's module, side by side; bench/run.ts only picks sections, runs them and writes the report.
import type { Browser, Page } from 'playwright';
import type { Site } from './site.js';
import type { Meter } from './browser.js';

/** One line of the report. */
export interface Row {
  /** The report's first column (a section may fill several groups: throughput also reports cpu and memory). */
  section: string;
  measure: string;
  /** Usually "median (min–max)". */
  value: string;
  goal?: string;
  met?: boolean;
  /** A short column name: the row's value is kept in RESULTS.md's history, one line per full run. */
  history?: string;
}

/** The run's settings as recorded in results.json (and read back by `--report`). */
export interface BenchConfig {
  size: number;
  runs: number;
  chunkSize: number;
  parallelChunks: number;
  renderRuns: number;
  sweepRounds: number;
  quick: boolean;
  chromeArgs: string[];
  /** <itty-uploader>'s defaults as read from the page, when a section opened the throughput page. */
  elementDefaults?: unknown;
}

/** The throughput page: the source file set on its `<input type=file>`, and a CPU meter around each upload. */
export interface ThroughputPage {
  page: Page;
  meter: Meter;
}

/** What a section may ask the driver for; each is made on first use, so a section that needs none of them starts at once. */
export interface Context {
  /** Folder the upload server stores into. */
  store: string;
  /** The site (bench pages + the real upload server, same origin). */
  site(): Promise<Site>;
  browser(): Promise<Browser>;
  /** The page that uploads the source file (SIZE bytes on disk). */
  throughputPage(): Promise<ThroughputPage>;
}

export interface ReportContext {
  config: BenchConfig;
  /** Every section's data of this run (or of the results.json `--report` reads), by section name. */
  results: Record<string, unknown>;
}

export interface Section<Data = unknown> {
  name: string;
  /** One line for the log when the section starts. */
  describe(): string;
  /** Whether it uses the throughput page (the driver closes that page once no later section does). */
  usesThroughputPage?: boolean;
  measure(context: Context): Promise<Data>;
  /** The report rows for what `measure` returned (also called by `--report` on an older results.json). */
  rows(data: Data, context: ReportContext): Row[];
}

export const section = <Data>(s: Section<Data>) => s as unknown as Section;

export const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
