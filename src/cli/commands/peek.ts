import { UserError } from '../../errors.js';
import type { CommandSpec } from '../main.js';

// Placeholder until the 'peek' command lands; it fails loudly rather than pretending to work.
const spec: CommandSpec = {
  command: 'peek',
  describe: 'not available yet',
  builder: (y) => y,
  run: async () => {
    throw new UserError("'peek' is not implemented yet");
  },
};
export default spec;
