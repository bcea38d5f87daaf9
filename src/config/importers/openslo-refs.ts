/** Objects of an OpenSLO file by kind and name, so references (indicatorRef, alertPolicyRef…) resolve. */

import type { ObjectReader, YamlDoc } from './yaml-reader.js';

export interface Entry {
  doc: YamlDoc;
  reader: ObjectReader;
  meta: ObjectReader | undefined;
  kind: string;
  name: string;
}

/** Finds an object by kind and name in the same file; marks it used. */
export type Lookup = (kind: string, name: string) => Entry | undefined;
