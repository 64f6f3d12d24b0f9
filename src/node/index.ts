/**
 * `provisionkit/node`: Node-only helpers (`node:http`, Express, Koa, Fastify).
 *
 * @module node
 */
export {};
