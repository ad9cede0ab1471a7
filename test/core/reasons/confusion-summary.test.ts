import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ConfusionSummary,
  formatMixUps,
  type HeldOut,
  labelMoreLine,
  summarizeConfusion,
} from '../../../src/core/reasons/evaluate.ts';

const times = (n: number, actual: string, predicted: string | null): HeldOut[] =>
  Array.from({ length: n }, () => ({ actual, predicted }));

// Deliberately lopsided, so a swapped axis (row for column) or a count off by one shows:
// a: 5 labels, 1 right, 3 taken for b, 1 not named at all; taken for it: 1 of b, 2 of c.
// b: 4 labels, 3 right, 1 taken for a; taken for it: 3 of a.
// c: 10 labels, 8 right, 2 taken for a; nothing taken for it.
// d: 2 labels, both right. e: in the taxonomy, no labels.
const heldOut: HeldOut[] = [
  ...times(1, 'a', 'a'),
  ...times(3, 'a', 'b'),
  ...times(1, 'a', null),
  ...times(3, 'b', 'b'),
  ...times(1, 'b', 'a'),
  ...times(8, 'c', 'c'),
  ...times(2, 'c', 'a'),
  ...times(2, 'd', 'd'),
];

describe('summarizeConfusion', () => {
  // Built before each test rather than as the file loads, so that mutation testing traces the code
  // it runs to the tests that read it.
  let summary: ConfusionSummary;
  beforeEach(() => {
    summary = summarizeConfusion(heldOut, { reasonIds: ['e', 'd', 'c', 'b', 'a'] });
  });

  it('reads each reason’s row (mistaken for) and column (taken from) with exact counts', () => {
    expect(summary.reasons).toEqual([
      {
        reasonId: 'a',
        labels: 5,
        correct: 1,
        missed: 4,
        taken: 3,
        mistakenFor: [{ reasonId: 'b', count: 3 }],
        takenFrom: [
          { reasonId: 'c', count: 2 },
          { reasonId: 'b', count: 1 },
        ],
      },
      {
        reasonId: 'b',
        labels: 4,
        correct: 3,
        missed: 1,
        taken: 3,
        mistakenFor: [{ reasonId: 'a', count: 1 }],
        takenFrom: [{ reasonId: 'a', count: 3 }],
      },
      {
        reasonId: 'c',
        labels: 10,
        correct: 8,
        missed: 2,
        taken: 0,
        mistakenFor: [{ reasonId: 'a', count: 2 }],
        takenFrom: [],
      },
      { reasonId: 'd', labels: 2, correct: 2, missed: 0, taken: 0, mistakenFor: [], takenFrom: [] },
      { reasonId: 'e', labels: 0, correct: 0, missed: 0, taken: 0, mistakenFor: [], takenFrom: [] },
    ]);
  });

  it('advises the reasons with the most mix-ups per label, never one without a mix-up', () => {
    // a: (4 + 3) / 5 = 1.4; b: (1 + 3) / 4 = 1; c: 2 / 10 = 0.2; d has none.
    expect(summary.labelMore).toEqual([
      { reasonId: 'a', labels: 5, mixUps: 7 },
      { reasonId: 'b', labels: 4, mixUps: 4 },
      { reasonId: 'c', labels: 10, mixUps: 2 },
    ]);
    expect(summary.unlabeled).toEqual(['e']);
  });

  it('puts the reason with fewer labels first when the need is equal, and keeps to the limits', () => {
    const tied = summarizeConfusion(
      [
        ...times(2, 'many', 'many'),
        ...times(2, 'many', 'few'),
        ...times(1, 'few', 'few'),
        ...times(1, 'few', 'many'),
        // Four reasons taken for `sink`, one each except `w` twice: only the three most frequent are shown.
        ...times(2, 'w', 'sink'),
        ...times(1, 'x', 'sink'),
        ...times(1, 'y', 'sink'),
        ...times(1, 'z', 'sink'),
      ],
      { adviceLimit: 2 },
    );
    // few: (1 + 2) / 2 = 1.5; many: (2 + 1) / 4 = 0.75; w … z: 1 each (all missed), and of those
    // x, y and z have one label where w has two; sink has no labels, so it is unlabeled, not advised.
    expect(tied.labelMore.map((a) => a.reasonId)).toEqual(['few', 'x']);
    expect(tied.reasons.find((r) => r.reasonId === 'sink')?.takenFrom).toEqual([
      { reasonId: 'w', count: 2 },
      { reasonId: 'x', count: 1 },
      { reasonId: 'y', count: 1 },
    ]);
    expect(tied.unlabeled).toEqual(['sink']);
  });

  it('is empty for no held-out predictions, and lists the taxonomy as unlabeled', () => {
    expect(summarizeConfusion([], { reasonIds: ['a'] })).toEqual({
      reasons: [{ reasonId: 'a', labels: 0, correct: 0, missed: 0, taken: 0, mistakenFor: [], takenFrom: [] }],
      labelMore: [],
      unlabeled: ['a'],
    });
  });
});

describe('the mix-up lines', () => {
  let summary: ConfusionSummary;
  beforeEach(() => {
    summary = summarizeConfusion(heldOut, { reasonIds: ['a', 'b', 'c', 'd', 'e'] });
  });

  it('prints → for a reason’s own inquiries and ← for those taken for it', () => {
    const lines = formatMixUps(summary);
    expect(lines[1]).toMatch(/^ {2}a\s+5 labels, 1 right\s+→ b 3 {3}← c 2, b 1$/);
    expect(lines[2]).toMatch(/^ {2}b\s+4 labels, 3 right\s+→ a 1 {3}← a 3$/);
    expect(lines[3]).toMatch(/^ {2}c\s+10 labels, 8 right\s+→ a 2$/);
    expect(lines[4]).toMatch(/^ {2}d\s+2 labels, 2 right\s+no mix-ups$/);
    expect(lines[5]).toMatch(/^ {2}e\s+0 labels\s+no labels yet: the classifier cannot name it$/);
  });

  it('says in one line which labels would help most', () => {
    expect(labelMoreLine(summary)).toBe(
      'label more of these: a (5 labels, 7 mix-ups), b (4 labels, 4 mix-ups), c (10 labels, 2 mix-ups), e (no labels yet).',
    );
    const clean: ConfusionSummary = summarizeConfusion(times(3, 'a', 'a'));
    expect(labelMoreLine(clean)).toBe('label more of these: none stands out; every held-out label was named right.');
    const one = summarizeConfusion([...times(1, 'a', 'b'), ...times(1, 'b', 'b')]);
    expect(labelMoreLine(one)).toBe('label more of these: a (1 label, 1 mix-up), b (1 label, 1 mix-up).');
  });
});
