import { UserError } from '../../errors.js';
import type { CommandSpec } from '../main.js';

// Placeholder until the 'analyze' command lands; it fails loudly rather than pretending to work.
const spec: CommandSpec = {
  command: 'analyze',
  describe: 'not available yet',
  builder: (y) => y,
  run: async () => {
    throw new UserError("'analyze' is not implemented yet");
  },
};
export default spec;
