/**
 * `provisionkit`: everything for production — the Anzu and Wristband clients, Anzu webhooks,
 * the shared-state stores and the errors. The in-memory sandboxes live only in
 * `provisionkit/testing`, so test code stays out of production bundles. Import a sub-path
 * (`provisionkit/anzu`, `provisionkit/wristband`, `provisionkit/stores`) to say what you use;
 * with a bundler, named imports from here tree-shake to the same size.
 *
 * @module provisionkit
 */
export * from './anzu/index.js';
export * from './stores/index.js';
export * from './wristband/index.js';
