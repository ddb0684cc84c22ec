import { UserError } from '../../errors.js';
import type { CommandSpec } from '../main.js';

// Placeholder until the 'traces' command lands; it fails loudly rather than pretending to work.
const spec: CommandSpec = {
  command: 'traces',
  describe: 'not available yet',
  builder: (y) => y,
  run: async () => {
    throw new UserError("'traces' is not implemented yet");
  },
};
export default spec;
