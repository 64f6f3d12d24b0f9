#!/usr/bin/env node
// The `provisionkit` command (Node only).
export {};
