import { inspect } from 'node:util';

/**
 * A secret value that refuses to be printed: logging, JSON-serialising or string-interpolating a
 * config object shows `[redacted]`, so a stray `log.info({ config })` cannot leak a token.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw value; call only where it is handed to the platform SDK or compared. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
