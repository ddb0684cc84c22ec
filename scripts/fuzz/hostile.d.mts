/** Types for hostile.mjs. */
export const HOSTILE_STRINGS: [string, string][];
export const UNSAFE_IN_OUTPUT: RegExp;
export function hostileProfileSpec(strings?: string[]): {
  sampleTypes: [string, string][];
  period: number;
  periodType: [string, string];
  timeNanos: number;
  durationNanos: number;
  comments: string[];
  mappings: string[];
  samples: {
    stack: ({ fn: string; file: string; line: number } | string)[];
    values: number[];
    labels: ({ key: string; str: string } | { key: string; num: number; unit: string })[];
  }[];
};
