import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import {
  createSentenceEncoder,
  EMBEDDING_DIMS,
  lazySentenceEncoder,
  readsAsEnglish,
  type SentenceEncoder,
} from '../../src/learning/sentence-encoder.ts';
import { createEmbeddingStore } from '../../src/storage/embedding-store.ts';
import { tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

// The real encoder: Universal Sentence Encoder lite from the installed package, on its own thread.

function recordingLog() {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('debug', out, { format: 'json' }), lines };
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
};

describe('readsAsEnglish', () => {
  it('takes text whose letters are at least half Latin', () => {
    expect(readsAsEnglish('My card has not arrived')).toBe(true);
    expect(readsAsEnglish('sync error on Google Calendar連携')).toBe(true);
    expect(readsAsEnglish('Café déjà vu')).toBe(true);
  });

  it('leaves out Japanese, other scripts, and text with no letters', () => {
    expect(readsAsEnglish('カードが届きません')).toBe(false);
    expect(readsAsEnglish('Slackの通知が来ないです')).toBe(false);
    expect(readsAsEnglish('Карта не пришла')).toBe(false);
    expect(readsAsEnglish('12345 !!! 😀')).toBe(false);
    expect(readsAsEnglish('')).toBe(false);
  });
});

describe('the sentence encoder', () => {
  const { log } = recordingLog();
  const encoder: SentenceEncoder = createSentenceEncoder({ log, waitMs: 60_000 });
  afterAll(() => encoder.close());

  it('embeds English texts for training and leaves the others without one', async () => {
    const texts = ['My card has not arrived', 'カードが届きません', 'My card has not arrived', 'Where is my refund?'];
    const embeddings = await encoder.embedAll(texts);
    expect(embeddings.map((e) => e?.length ?? null)).toEqual([EMBEDDING_DIMS, null, EMBEDDING_DIMS, EMBEDDING_DIMS]);
    expect(embeddings[0]).toEqual(embeddings[2]);
  });

  it('embeds one text synchronously, as classifying an inquiry does, the same as in a batch', async () => {
    await encoder.embedAll(['warm up']);
    const text = 'I still have not received my new card';
    const one = encoder.embed(text);
    expect(one).toBeInstanceOf(Float32Array);
    const other = createSentenceEncoder({ log, waitMs: 60_000 });
    try {
      const [batch] = await other.embedAll([text]);
      for (let i = 0; i < EMBEDDING_DIMS; i++) expect(one![i]).toBeCloseTo(batch![i]!, 4);
    } finally {
      await other.close();
    }
    expect(encoder.embed('カードが届きません')).toBeNull();
  });

  it('puts paraphrases closer together than unrelated requests', async () => {
    const [late, notYet, pin] = (await encoder.embedAll([
      'My card has not arrived yet',
      'I still have not received my new card',
      'How do I change my PIN?',
    ])) as Float32Array[];
    expect(cosine(late!, notYet!)).toBeGreaterThan(cosine(late!, pin!) + 0.1);
  });
});

describe('an encoder that cannot load', () => {
  it('gives no embeddings and says which setting turns it off', async () => {
    const { log, lines } = recordingLog();
    const encoder = createSentenceEncoder({ log, modelModule: 'data:text/javascript,throw new Error("no weights")' });
    try {
      expect(await encoder.embedAll(['My card has not arrived'])).toEqual([null]);
      expect(encoder.embed('My card has not arrived')).toBeNull();
      const warning = await waitFor(() => lines.find((l) => l.includes('sentence encoder is not available')));
      expect(JSON.parse(warning)).toMatchObject({ level: 40, reason: 'no weights' });
      expect(warning).toContain('classifier.sentenceEncoder: false');
    } finally {
      await encoder.close();
    }
  });
});

describe('an encoder with a store', () => {
  it('keeps the labels’ embeddings for the next start, which reads them without the model', async () => {
    const t = tempDb();
    const { log } = recordingLog();
    const store = createEmbeddingStore(t.db);
    const labels = ['My card has not arrived', 'カードが届きません', 'Where is my refund?'];
    const first = createSentenceEncoder({ log, store, waitMs: 60_000 });
    let made: (Float32Array | null)[];
    try {
      made = await first.embedAll(labels);
    } finally {
      await first.close();
    }
    // A second start whose model cannot load still has every stored label's embedding.
    const second = createSentenceEncoder({ log, store, modelModule: 'data:text/javascript,throw new Error("gone")' });
    try {
      expect(await second.embedAll(labels)).toEqual(made);
      expect(made.map((e) => e?.length ?? null)).toEqual([EMBEDDING_DIMS, null, EMBEDDING_DIMS]);
      // Labels no longer among them are dropped from the store.
      await second.embedAll(['Where is my refund?']);
      expect(await second.embedAll(labels)).toEqual([null, null, made[2]]);
    } finally {
      await second.close();
      t.cleanup();
    }
  });
});

describe('the lazy encoder', () => {
  it('does not start for Japanese-only labels, and starts for the first English one', async () => {
    const { log } = recordingLog();
    const encoder = lazySentenceEncoder({ log, waitMs: 60_000 });
    try {
      expect(await encoder.embedAll(['カードが届きません', '返金してください'])).toEqual([null, null]);
      expect(encoder.embed('My card has not arrived')).toBeNull();
      const [e] = await encoder.embedAll(['My card has not arrived']);
      expect(e?.length).toBe(EMBEDDING_DIMS);
      expect(encoder.embed('My card has not arrived')).toEqual(e);
    } finally {
      await encoder.close();
    }
  });
});
