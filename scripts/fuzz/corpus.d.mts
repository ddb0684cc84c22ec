/** Types for corpus.mjs. */
export interface CorpusEntry {
  name: string;
  bytes: Uint8Array;
  raw: Uint8Array;
  gz: boolean;
  kind: 'proto' | 'text' | 'other';
  text?: string;
}

export interface RuleText {
  name: string;
  text: string;
}

export function loadCorpus(root: string, dirs?: string[], opts?: { maxBytes?: number }): CorpusEntry[];
export function loadRuleTexts(root: string): RuleText[];
