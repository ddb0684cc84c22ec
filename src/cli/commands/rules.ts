import { UserError } from '../../errors.js';
import type { CommandSpec } from '../main.js';

// Placeholder until the 'rules' command lands; it fails loudly rather than pretending to work.
const spec: CommandSpec = {
  command: 'rules',
  describe: 'not available yet',
  builder: (y) => y,
  run: async () => {
    throw new UserError("'rules' is not implemented yet");
  },
};
export default spec;
