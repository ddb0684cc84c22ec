/**
 * Errors the user caused (bad input, bad flags). The CLI prints `pprof-doctor: <message>` on one
 * line, with no stack trace, and exits with `exitCode` (2 unless said otherwise).
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** A problem inside one input file; the message names the file. */
export class InputError extends UserError {
  readonly file: string;
  readonly problem: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'InputError';
    this.file = file;
    this.problem = problem;
  }
}

/** Decoders throw this without knowing the file name; the loader re-throws it as an InputError. */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}
