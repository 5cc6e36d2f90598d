/** Why audio could not be read. `unsupported` means well-formed but not a format we decode (415). */
export type AudioErrorCode = 'empty' | 'truncated' | 'not_wav' | 'corrupt' | 'unsupported';

export class AudioDecodeError extends Error {
  constructor(
    readonly code: AudioErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AudioDecodeError';
  }

  /** 415 for a format we do not decode; 400 for anything broken. */
  get httpStatus(): 400 | 415 {
    return this.code === 'unsupported' ? 415 : 400;
  }
}
