import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.ts';
import { createKoe, type Koe } from '../../src/wire.ts';
import { loadTestConfig, TEST_TOKEN } from '../helpers/koe-instance.ts';
import { SHOP_LABELS, SHOP_REASONS } from '../helpers/label-set.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

// koe as it runs: labels taken in through the API, the classifier trained at start with the real
// sentence encoder on its thread, the English labels' embeddings kept in the database, and a new
// English inquiry guessed by the classifier through the HTTP API.

const yaml = `reasons:\n${SHOP_REASONS.map((r) => `  - id: ${r.id}\n    label: { ja: ${r.label.ja}, en: ${r.label.en} }`).join('\n')}\n`;

describe('koe with the sentence encoder', () => {
  const { dir, cleanup } = tempDir();
  writeFileSync(join(dir, 'koe.config.yaml'), yaml);
  const running: Koe[] = [];
  afterEach(async () => {
    for (const koe of running.splice(0)) await koe.stop();
  });
  afterAll(() => cleanup());

  async function start(): Promise<{ koe: Koe; post: (json: unknown) => Promise<any> }> {
    const koe = await createKoe(loadTestConfig(dir, { KOE_INTAKE_TOKEN: TEST_TOKEN }), { log: silentLogger() });
    running.push(koe);
    const { port } = await koe.start();
    const post = async (json: unknown) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/inquiries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
      expect(res.status).toBeLessThan(300);
      return res.json();
    };
    return { koe, post };
  }

  it('learns from English labels with their embeddings and names the reason of a new English inquiry', async () => {
    const first = await start();
    for (const [i, l] of SHOP_LABELS.entries())
      await first.post({ source: 'web', externalId: `l${i}`, body: l.text, reason: l.reasonId });
    await first.koe.stop();

    // The next start trains on the labels at once, embedding the English half on the encoder's thread.
    const { koe, post } = await start();
    const english = SHOP_LABELS.filter((l) => /^[A-Z]/.test(l.text)).length;
    const stored = () =>
      koe.db.$client.prepare<[], { n: number }>('SELECT count(*) AS n FROM text_embeddings').get()!.n;
    await waitFor(() => stored() === english, 60_000, 'the English labels’ embeddings in the database');

    let n = 0;
    const guessed = await waitFor(
      async () => {
        const inquiry = await post({ source: 'web', body: `Where is my parcel? It still has not come (${n++})` });
        return inquiry.reasonSource === 'classifier' ? inquiry : null;
      },
      60_000,
      'a classifier guess once the model is trained',
    );
    expect(guessed.reason).toBe('shipping');
  });
});
