import { UserError } from '../../errors.js';
import type { CommandSpec } from '../main.js';

// Placeholder until the 'top' command lands; it fails loudly rather than pretending to work.
const spec: CommandSpec = {
  command: 'top',
  describe: 'not available yet',
  builder: (y) => y,
  run: async () => {
    throw new UserError("'top' is not implemented yet");
  },
};
export default spec;
