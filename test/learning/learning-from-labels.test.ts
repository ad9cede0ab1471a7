import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInquiry, setReason } from '../../src/core/inquiries/index.ts';
import { trainClassifier } from '../../src/core/reasons/classifier.ts';
import { createReasonGuesser } from '../../src/core/reasons/reason-guesser.ts';
import { compileRules } from '../../src/core/reasons/rules.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createClassifierService } from '../../src/learning/classifier-service.ts';
import { loadLabels } from '../../src/storage/label-queries.ts';
import { addInquiry } from '../helpers/digest-rows.ts';
import { coreContext, tempDb } from '../helpers/temp-db.ts';
import { SHOP_LABELS, SHOP_REASONS } from '../helpers/label-set.ts';

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  t.cleanup();
});

function koeCore() {
  const ids = SHOP_REASONS.map((r) => r.id);
  const service = createClassifierService({
    loadLabels: () => loadLabels(t.db, { reasonIds: ids }),
    train: (e) => trainClassifier(e),
    log: silentLogger(),
    debounceMs: 1_000,
  });
  const ctx = coreContext(t.db, {
    reasons: SHOP_REASONS,
    guessReason: createReasonGuesser({
      rules: compileRules(SHOP_REASONS),
      classifier: service.current,
      reasonIds: new Set(ids),
    }),
    onLabeled: () => service.noteLabel(),
  });
  return { ctx, service };
}

describe('contact reasons that classify themselves', () => {
  it('learns from intake and human labels, then classifies new inquiries, and stays unclassified when unsure', () => {
    const { ctx, service } = koeCore();
    const ask = (body: string) => {
      const r = createInquiry(ctx, { source: 'web', body });
      if (!r.ok) throw new Error(r.code);
      return r.inquiry;
    };
    expect(ask('my package has not arrived yet').reasonId).toBeNull(); // nothing learnt yet

    // Half the labels come with the inquiry (a form's category), half from people in chat.
    SHOP_LABELS.forEach((l, i) => {
      if (i % 2 === 0) {
        const r = createInquiry(ctx, { source: 'web', body: l.text, reason: l.reasonId });
        expect(r.ok).toBe(true);
      } else {
        const inquiry = ask(l.text);
        const r = setReason(ctx, {
          inquiryId: inquiry.id,
          actor: { id: 'slack:U1', name: 'Aiko' },
          reasonId: l.reasonId,
          source: 'human',
        });
        expect(r.ok && r.changed).toBe(true);
      }
    });
    expect(service.current()).toBeNull(); // retraining waits for the debounce window…
    vi.advanceTimersByTime(1_000); // …then learns all 32 labels at once
    expect(service.current()?.trainedOn).toBe(32);

    const shipped = ask('When will my package arrive? It is late');
    expect(shipped).toMatchObject({ reasonId: 'shipping', reasonSource: 'classifier' });
    expect(shipped.reasonConfidence).toBeGreaterThanOrEqual(0.75);
    expect(ask('zzqx qqq vvv')).toMatchObject({ reasonId: null, reasonSource: null });

    // A person's choice wins, and the classifier never takes it back.
    const corrected = setReason(ctx, {
      inquiryId: shipped.id,
      actor: { id: 'slack:U2' },
      reasonId: 'returns',
      source: 'human',
    });
    expect(corrected.ok && corrected.inquiry.reasonSource).toBe('human');
    const machine = setReason(ctx, {
      inquiryId: shipped.id,
      actor: { id: 'system' },
      reasonId: 'shipping',
      source: 'classifier',
      confidence: 0.99,
    });
    expect(machine.ok && machine.changed).toBe(false);
  });

  it('trains only on reasons people set or gave at intake, never on its own guesses or rules', () => {
    addInquiry(t.db, {
      receivedAt: 1,
      reasonId: 'shipping',
      reasonSource: 'human',
      subject: 'Where',
      body: 'is my parcel',
    });
    addInquiry(t.db, { receivedAt: 2, reasonId: 'returns', reasonSource: 'intake', body: 'return it' });
    addInquiry(t.db, { receivedAt: 3, reasonId: 'stock', reasonSource: 'classifier', body: 'guess' });
    addInquiry(t.db, { receivedAt: 4, reasonId: 'praise', reasonSource: 'rule', body: 'rule' });
    addInquiry(t.db, { receivedAt: 5, reasonId: null, body: 'nothing' });
    addInquiry(t.db, {
      receivedAt: 6,
      reasonId: 'gone',
      reasonSource: 'human',
      body: 'a reason since removed from config',
    });
    expect(loadLabels(t.db, { reasonIds: SHOP_REASONS.map((r) => r.id) }).map((l) => [l.text, l.reasonId])).toEqual([
      ['Where\nis my parcel', 'shipping'],
      ['return it', 'returns'],
    ]);
  });
});
