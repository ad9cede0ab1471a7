import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.ts';
import { createInquiryInput, prepareGuess } from '../../src/core/inquiries/index.ts';
import { createHttpServer, type HttpServer } from '../../src/intake/http/server.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createAdapterPorts } from '../../src/storage/adapter-ports.ts';
import { createWriteBatcher } from '../../src/storage/write-batch.ts';
import { coreContext, tempDb } from '../helpers/temp-db.ts';

// The slow part of a reason guess (an English inquiry's sentence embedding) is made before the
// HTTP API stores the inquiry, off the event loop, so the guess inside the group commit finds it
// ready: here a prepared text is recorded, and the guess says whether its text was prepared first.

const TOKEN = 'Prepare-Guess-Test-Token-0123';

describe('the HTTP API prepares the reason guess before it stores the inquiry', () => {
  const t = tempDb();
  const prepared: string[] = [];
  const guessedAfterPreparing: boolean[] = [];
  const ctx = coreContext(t.db, {
    prepareGuess: async (text) => {
      await new Promise((resolve) => setImmediate(resolve));
      prepared.push(text);
    },
    guessReason: (text) => {
      guessedAfterPreparing.push(prepared.includes(text));
      return null;
    },
  });
  let server: HttpServer;
  let url: string;

  beforeAll(async () => {
    server = createHttpServer({
      ctx,
      read: createAdapterPorts(t.db).read,
      batch: createWriteBatcher(t.db),
      intakeToken: new Secret(TOKEN),
      log: silentLogger(),
      ready: () => true,
    });
    url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  const post = (json: unknown) =>
    fetch(`${url}/api/v1/inquiries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });

  it('prepares exactly the text the guess reads (subject and body), before guessing', async () => {
    const res = await post({ source: 'api', subject: 'Card', body: 'My card has not arrived' });
    expect(res.status).toBe(201);
    expect(prepared).toEqual(['Card\nMy card has not arrived']);
    expect(guessedAfterPreparing).toEqual([true]);
  });

  it('prepares nothing when the inquiry comes with its reason (nothing is guessed)', async () => {
    prepared.length = 0;
    const res = await post({ source: 'api', body: 'Please refund me', reason: 'billing' });
    expect(res.status).toBe(201);
    expect(prepared).toEqual([]);
  });
});

describe('prepareGuess', () => {
  const t = tempDb();
  afterAll(() => t.cleanup());
  const input = createInquiryInput.parse({ source: 'api', body: 'hello' });

  it('never fails: a preparation that throws only leaves the guess to do the work', async () => {
    const ctx = coreContext(t.db, {
      prepareGuess: () => Promise.reject(new Error('the encoder stopped')),
    });
    await expect(prepareGuess(ctx, input)).resolves.toBeUndefined();
  });

  it('does nothing without a preparer', async () => {
    await expect(prepareGuess(coreContext(t.db), input)).resolves.toBeUndefined();
  });
});
