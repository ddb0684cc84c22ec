/** profile.proto codec entry: the decoder lives here, the encoder in src/profile/encode.ts. */
export { decodePprof } from './decode.js';
