import { afterAll, beforeAll } from 'vitest';

/**
 * The process's unhandled rejections while the file runs (each would end koe's Node process), for a
 * test to expect none. Call it at the top of the file, before the hooks that start koe: it listens
 * from its `beforeAll` and stops in its `afterAll`, which runs after the later-registered ones.
 */
export function collectUnhandledRejections(): unknown[] {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onRejection);
  });
  afterAll(() => {
    process.off('unhandledRejection', onRejection);
  });
  return rejections;
}
