/**
 * `itty-uploader/server/node`: the ittybit-compatible upload server for Node ≥ 20 (`createUploadServer`,
 * usable as Vite / Connect / Express middleware or under `node:http`), its fault injection for testing
 * clients, and the code of the `itty-uploader serve` CLI. The signing functions are re-exported, so a Node
 * app can import everything from here; edge runtimes import `itty-uploader/server`.
 */
export * from './index.js';
export { createUploadServer, type NextFunction, type UploadServerHandler, type UploadServerOptions } from './upload-server.js';
export { FAULT_KINDS, type FaultKind, type FaultOptions, type FaultRoute, type InjectedFault } from './faults.js';
export { CliError, main, USAGE, type CliIO, type RunningServer } from './cli.js';
