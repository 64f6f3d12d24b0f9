/**
 * `provisionkit/node`: serve a Fetch API handler (such as `createAnzuWebhookHandler(…)`) from
 * Node's own servers, `node:http`, Express, Koa and Fastify, with the request body's raw bytes as
 * they were sent.
 *
 * @module node
 */
export { type NodeHandler, toNodeHandler } from './to-node-handler.js';
