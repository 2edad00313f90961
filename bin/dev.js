#!/usr/bin/env node
// The same build as bin/run.js, in oclif's development mode (NODE_ENV=development: stack traces).
import {execute} from '../dist/cli.js'

await execute({development: true, dir: import.meta.url})
