import { UserError } from '../../errors.js';
import type { CommandSpec } from '../main.js';

// Placeholder until the 'trend' command lands; it fails loudly rather than pretending to work.
const spec: CommandSpec = {
  command: 'trend',
  describe: 'not available yet',
  builder: (y) => y,
  run: async () => {
    throw new UserError("'trend' is not implemented yet");
  },
};
export default spec;
