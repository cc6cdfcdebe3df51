#!/usr/bin/env node
import { CliError, main } from '../dist/server/cli.js';

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`itty-uploader: ${error instanceof CliError ? error.message : (error?.stack ?? error)}\n`);
  process.exitCode = error instanceof CliError ? 2 : 1;
});
