/** Tests use the demo's evidence set: reports that pass every gate, with a fresh signing key. */
export { trustedGenerator, writeGoodEvidence } from '../demo/release-evidence.js';
