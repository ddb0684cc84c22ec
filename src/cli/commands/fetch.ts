import { UserError } from '../../errors.js';
import type { CommandSpec } from '../main.js';

// Placeholder until the 'fetch' command lands; it fails loudly rather than pretending to work.
const spec: CommandSpec = {
  command: 'fetch',
  describe: 'not available yet',
  builder: (y) => y,
  run: async () => {
    throw new UserError("'fetch' is not implemented yet");
  },
};
export default spec;
