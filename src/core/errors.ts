/** Why a verb refused; adapters turn each code into words in the user's locale. */
export type FailureCode =
  | 'NOT_FOUND'
  | 'ALREADY_CLAIMED'
  | 'ALREADY_YOURS'
  | 'NOT_CLAIMED'
  | 'ALREADY_RESOLVED'
  | 'NOT_RESOLVED'
  | 'UNKNOWN_REASON'
  | 'NOT_A_MIRROR'
  | 'INVALID_INPUT';

export interface Failure {
  ok: false;
  code: FailureCode;
  inquiryId?: number;
  /** For ALREADY_CLAIMED: who holds it. */
  by?: { id: string; name: string | null };
  /** For UNKNOWN_REASON: the ids that exist. */
  validReasons?: string[];
  message?: string;
  /** For INVALID_INPUT: each problem with where it is (`note`, `assignee.id`). */
  issues?: Array<{ path: string; message: string }>;
}

/** A verb's answer: the changed thing, or a typed refusal. */
export type Outcome<T> = ({ ok: true } & T) | Failure;

/** Thrown for programming or input errors that a caller did not validate; carries a string code. */
export class DomainError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    readonly details: Omit<Failure, 'ok' | 'code'> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Builds a refusal. */
export function fail(code: FailureCode, details: Omit<Failure, 'ok' | 'code'> = {}): Failure {
  return { ok: false, code, ...details };
}
