#!/usr/bin/env node
import { readEnv } from '../config/env.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), readEnv());
// `up` keeps running (its server holds the event loop); everything else ends with its code.
process.exitCode = code;
