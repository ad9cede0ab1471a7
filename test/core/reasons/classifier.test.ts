import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD, type LabeledText, trainClassifier } from '../../../src/core/reasons/classifier.ts';

const label = (reasonId: string, texts: string[]): LabeledText[] => texts.map((text) => ({ text, reasonId }));

// BANKING77 (seconds to train) is in classifier-banking77.test.ts.

// A small support taxonomy, half Japanese, half English, as a team would label it.
const examples: LabeledText[] = [
  ...label('billing', [
    '請求書が届きません',
    '今月の請求額が間違っています',
    '領収書を発行してください',
    'クレジットカードの支払いに失敗しました',
    'I was charged twice this month',
    'Please send me an invoice',
    'refund my last payment',
    'my credit card payment failed',
  ]),
  ...label('bug', [
    'アプリがクラッシュします',
    'ボタンを押してもエラーが出ます',
    '画面が真っ白になって動きません',
    '保存するとエラーになります',
    'The app crashes when I open settings',
    'I get an error when saving',
    'the page is blank and nothing works',
    'export button throws an error',
  ]),
  ...label('how_to', [
    '使い方を教えてください',
    'メンバーを招待する方法は？',
    'CSVをエクスポートするにはどうすればいいですか',
    '通知の設定方法を知りたいです',
    'How do I invite a teammate?',
    'How can I export to CSV?',
    'where do I change notification settings',
    'how to set up two factor login',
  ]),
  ...label('cancel', [
    '解約したいです',
    '退会の手続きをお願いします',
    'プランをキャンセルしたい',
    'アカウントを削除してください',
    'I want to cancel my subscription',
    'please close my account',
    'how do I delete my account and cancel',
    'cancel the plan at the end of month',
  ]),
];

describe('trainClassifier on a small ja/en taxonomy', () => {
  const classifier = trainClassifier(examples);

  it('knows its reasons and how many labels it learned from', () => {
    expect(classifier.labels).toEqual(['billing', 'bug', 'cancel', 'how_to']);
    expect(classifier.trainedOn).toBe(32);
    expect(classifier.threshold).toBe(DEFAULT_THRESHOLD);
  });

  it.each([
    ['先月の請求書が届いていません', 'billing'],
    ['I was billed twice', 'billing'],
    ['アプリが落ちてエラーが出る', 'bug'],
    ['the app keeps crashing', 'bug'],
    ['チームメンバーを招待するには？', 'how_to'],
    ['how do I export my data', 'how_to'],
    ['cancel my account please', 'cancel'],
  ])('classifies the unseen variant %j as %s', (text, reasonId) => {
    const prediction = classifier.classify(text);
    expect(prediction.reasonId).toBe(reasonId);
    expect(prediction.confidence).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    // ranked carries the model's probabilities; confidence is the calibrated chance of being right.
    expect(prediction.ranked[0]!.reasonId).toBe(reasonId);
  });

  it.each([
    'asdkjh qwe zzz',
    'ほげほげふがふが',
    '今日はいい天気ですね',
    'what is the capital of France',
    'the weather is nice today',
  ])('abstains on %j, which is unlike anything it was taught', (text) => {
    const prediction = classifier.classify(text);
    expect(prediction.reasonId).toBeNull();
    expect(prediction.confidence).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it.each(['', '   \n ', '😀', '\u0000\u0000\u0000', '。！？'])(
    'abstains with zero confidence on %j, which carries no known term',
    (text) => {
      expect(classifier.classify(text)).toEqual({ reasonId: null, confidence: 0, ranked: [] });
    },
  );

  it('ranks reasons best first with probabilities that sum to at most 1', () => {
    const { ranked } = classifier.classify('請求書の再発行');
    expect(ranked.length).toBe(4);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.p).toBeLessThanOrEqual(ranked[i - 1]!.p);
    expect(ranked.reduce((sum, r) => sum + r.p, 0)).toBeCloseTo(1, 6);
  });

  it('lets the caller move the threshold per call', () => {
    const text = 'the weather is nice today';
    const { confidence, ranked } = classifier.classify(text);
    expect(classifier.classify(text, confidence).reasonId).toBe(ranked[0]!.reasonId);
    expect(classifier.classify('I was billed twice', 0.9999).reasonId).toBeNull();
  });

  it('reads only the head of a 100,000-character inquiry: what comes after it cannot change the answer', () => {
    // How fast that is belongs to `npm run bench:reasons`; here, that the tail is not read at all.
    const head = `請求書が届きません ${'x'.repeat(2_000)}`;
    const bugTail = ' the app crashes with an error when saving'.repeat(2_400);
    const cancelTail = ' please cancel my subscription and close my account'.repeat(2_000);
    expect(head.length + bugTail.length).toBeGreaterThan(100_000);
    const withBugs = classifier.classify(head + bugTail);
    expect(withBugs.reasonId).toBe('billing');
    expect(classifier.classify(head + cancelTail)).toEqual(withBugs);
    expect(classifier.classify(head)).toEqual(withBugs);
    // The same tail right after the opening words is read, and does change the answer.
    expect(classifier.classify(`請求書が届きません ${bugTail}`).reasonId).toBe('bug');
  });

  it('gives identical models for the same labels and seed', () => {
    const a = trainClassifier(examples, { seed: 42 });
    const b = trainClassifier(examples, { seed: 42 });
    for (const text of ['請求書', 'app crashes', 'how do I invite', '解約']) {
      expect(a.classify(text)).toEqual(b.classify(text));
    }
  });
});

describe('trainClassifier edge cases', () => {
  it('abstains on everything when trained on zero examples', () => {
    const empty = trainClassifier([]);
    expect(empty.labels).toEqual([]);
    expect(empty.trainedOn).toBe(0);
    expect(empty.classify('請求書が届きません')).toEqual({ reasonId: null, confidence: 0, ranked: [] });
  });

  it('abstains when there is only one reason, as there is nothing to tell apart', () => {
    const single = trainClassifier(label('billing', ['請求書が届きません', 'refund please']));
    expect(single.labels).toEqual(['billing']);
    expect(single.classify('請求書が届きません').reasonId).toBeNull();
  });

  it('does not let a lopsided label prior name a reason for a foreign text', () => {
    const lopsided = [
      ...label(
        'billing',
        Array.from({ length: 30 }, (_, i) => `invoice number ${i} is wrong`),
      ),
      ...label('bug', ['the app crashes']),
    ];
    expect(trainClassifier(lopsided).classify('zzz qqq').reasonId).toBeNull();
  });

  it('limits the ranked list to rankedLimit', () => {
    const classifier = trainClassifier(examples, { rankedLimit: 2 });
    expect(classifier.classify('請求書').ranked).toHaveLength(2);
  });
});
