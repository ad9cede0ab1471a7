// A small mixed ja/en label set for classifier-backed tests: reasons with no keyword rules, so any
// reason they get comes from the classifier.
import type { Reason } from '../../src/core/reasons/taxonomy.ts';

const reason = (id: string, ja: string, en: string): Reason => ({ id, label: { ja, en }, keywords: [], patterns: [] });

export const SHOP_REASONS: Reason[] = [
  reason('shipping', '配送', 'Shipping'),
  reason('returns', '返品・交換', 'Returns'),
  reason('praise', 'お礼', 'Praise'),
  reason('stock', '在庫', 'Stock'),
];

export const SHOP_LABELS: { text: string; reasonId: string }[] = [
  ...[
    '荷物がまだ届きません',
    '配送状況を教えてください',
    'When will my package arrive?',
    'Tracking number shows no movement for my package',
    '発送はいつですか',
    'My order has not shipped yet',
    '配達日を変更したい',
    'The parcel is late, where is my package?',
  ].map((text) => ({ text, reasonId: 'shipping' })),
  ...[
    '返品したいです',
    '商品を交換してほしい',
    'How do I return this item?',
    'I want to send this item back for a refund',
    '返品の手順を教えて',
    'Exchange this item for a different size',
    '不良品なので返品します',
    'Please send a return label',
  ].map((text) => ({ text, reasonId: 'returns' })),
  ...[
    'いつもありがとうございます',
    '素晴らしいサービスです、ありがとう',
    'Great job team, love it',
    'Thank you so much for the help',
    'とても満足しています、ありがとう',
    'You folks are awesome, thank you',
    '感謝しています',
    'Best support ever, thanks',
  ].map((text) => ({ text, reasonId: 'praise' })),
  ...[
    '在庫はありますか',
    '再入荷の予定は？在庫',
    'Is this item back in stock?',
    'When will you restock the blue one?',
    '在庫切れですか',
    'Out of stock, notify me when in stock',
    '入荷時期を知りたい、在庫',
    'Do you have size M in stock?',
  ].map((text) => ({ text, reasonId: 'stock' })),
];
