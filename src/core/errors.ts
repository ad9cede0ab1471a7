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
  | 'INVALID_INPUT'
  /** A reply to an inquiry whose channel has no way back (captured from a DM, an API source without a webhook). */
  | 'NO_WAY_BACK'
  /** Undo of a reply that already left (or was undone, or is not a reply koe sends). */
  | 'TOO_LATE_TO_UNDO'
  /** Retry of a reply that has not failed. */
  | 'NOT_FAILED';

export interface Failure {
  ok: false;
  code: FailureCode;
  inquiryId?: number;
  /** For ALREADY_CLAIMED: who holds it. */
  by?: { id: string; name: string | null };
  /** For UNKNOWN_REASON: the ids that exist. */
  validReasons?: string[];
  /** For UNKNOWN_REASON: the id that was given. */
  reason?: string;
  message?: string;
  /** For NO_WAY_BACK: where the customer wrote (a link), so the answer can be given there. */
  url?: string | null;
  /** For NO_WAY_BACK: the inquiry's source. */
  source?: string;
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
