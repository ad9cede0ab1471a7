/** What `waitFor` does not count as "the condition holds". */
type Falsy = undefined | null | false | 0 | '';

/** How `waitFor` names a condition it was given no words for: its source, on one line. */
function describe(condition: () => unknown): string {
  const source = String(condition).replace(/\s+/g, ' ').trim();
  return source.length > 160 ? `${source.slice(0, 157)}...` : source;
}

/**
 * Polls `condition` until it gives a truthy value and returns that value; the one way tests wait.
 *
 * - The condition may be sync or async: its promise is awaited, never taken as truthy itself.
 * - A condition that throws has not held yet (a row not written, a body not parsed): it is asked
 *   again, and the last error is in the message if the deadline passes.
 * - `what` says what was waited for; without it the message quotes the condition's source.
 *
 * Deadlines are generous on purpose: a test waits for a condition, not for a speed, and runs on a
 * busy machine. Nothing here is a fixed sleep.
 */
export async function waitFor<T>(
  condition: () => T,
  timeoutMs = 10_000,
  what?: string,
): Promise<Exclude<Awaited<T>, Falsy>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as Exclude<Awaited<T>, Falsy>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : `; it last threw: ${String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what ?? describe(condition)}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}
