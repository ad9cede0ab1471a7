import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderDigestEmbeds } from '../../../src/platforms/discord/render-digest.ts';
import { smallDailyDigest, smallWeeklyDigest } from '../../helpers/small-digest.ts';

/** The Discord digest, whole, read in Japanese (labels from the reader's taxonomy), and at the edges of a daily digest. */

describe('the Discord digest at its edges', () => {
  it('relabels reasons from the reader’s taxonomy and speaks Japanese', () => {
    const settings = { locale: 'ja' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
    expect(renderDigestEmbeds(smallWeeklyDigest(), settings)).toEqual({
      embeds: [
        {
          title: '週次ダイジェスト · 2026/11/16（月）〜11/22（日）',
          description:
            '新規 37件（前週比 +30・4週平均 1.8件）\n\n**お問い合わせ理由**\n```\n██████████ 28 請求・支払い ▂▃▄▅▆▇█\n              前週比 +21・4週平均比 +26.3\n██▌         7 不具合・障害 ███████\n              前週比 +7・4週平均比 +7\n▊           2 未分類 ▁▁▁▁▁▁█\n              前週比 +2・4週平均比 +2\n```\n*7日間の推移（月→日）*',
          color: 5793266,
          fields: [
            {
              name: '初回返信と期限',
              value:
                '初回返信 中央値 1時間（営業時間 1時間）・p90 5時間（営業時間 5時間）・目標（営業時間で2時間）内 50%・返信待ち 0件\n解決まで 中央値 2時間（営業時間 2時間）・p90 2時間（営業時間 2時間）・目標（営業時間で72時間）内 50%・未解決 1件\n期限超過 1件（返信の遅れ 1件・未返信のまま超過 0件・解決の遅れ 0件・未解決のまま超過 1件）\n• \\#2 不具合・障害：未解決・期限から営業時間で105時間超過・担当 Aiko\n• \\#2 不具合・障害：返信が遅れました・期限から営業時間で3時間超過・担当 Aiko',
            },
            {
              name: '理由別の目標達成率',
              value: '• 請求・支払い：初回返信 100%・解決 100%（1件）\n• 不具合・障害：初回返信 0%・解決 0%（1件）',
            },
            {
              name: 'バックログ（現在）',
              value: '未解決 3件・未対応 2件・対応中 1件・最古の未対応 7日9時間（\\#2）・解決期限超過 1件',
            },
            { name: '解決と再問い合わせ', value: '解決率 50%（1/2件）\n再問い合わせ率（解決後7日以内）25%（1/4人）' },
            {
              name: '参加',
              value:
                '2人が反応・担当・返信しました\n• Aiko：4（返信 2・担当 1・リアクション 1）\n• api:bot：1（返信 1・担当 0・リアクション 0）',
            },
            {
              name: 'お客様の声',
              value: '• [#2](https://help.example.com/2) 不具合・障害：Export \\*broken\\*（リアクション 3）',
            },
            {
              name: '未分類・その他で増えている話題',
              value: '• 「二段階認証・コード」：今週 5件（4週平均 0.5件）\n   「コードが届かない」\n   「SMSが来ない」',
            },
            { name: 'フェーズ', value: '1日平均 5.3件。30件/日未満：全員で返信するフェーズです。' },
          ],
          footer: { text: 'koe · Asia/Tokyo · 2026/11/23 09:00' },
          timestamp: '2026-11-23T00:00:00.000Z',
        },
      ],
    });
  });

  it('draws a daily digest: past the reasons it lists, a reason only yesterday, a stored label, no voices', () => {
    const extra = Array.from({ length: 21 }, (_, i) => ({
      id: `r${String(i).padStart(2, '0')}`,
      label: { ja: `理由${i}`, en: `Reason ${i}` },
      keywords: [],
      patterns: [],
    }));
    const settings = { locale: 'en' as const, timezone: 'Asia/Tokyo', reasons: [...DEFAULT_REASONS, ...extra] };
    expect(renderDigestEmbeds(smallDailyDigest(), settings)).toEqual({
      embeds: [
        {
          title: 'Daily digest · Fri, Nov 20, 2026',
          description:
            '233 new inquiries \\(+229 vs day before, 7\\-day avg 0.6\\)\n\n**Contact reasons**\n```\n██████████ 21 Reason 20\n              +21 vs yesterday · +21 vs 7-day avg\n█████████▌ 20 Reason 19\n              +20 vs yesterday · +20 vs 7-day avg\n█████████  19 Reason 18\n              +19 vs yesterday · +19 vs 7-day avg\n████████▋  18 Reason 17\n              +18 vs yesterday · +18 vs 7-day avg\n████████▏  17 Reason 16\n              +17 vs yesterday · +17 vs 7-day avg\n███████▋   16 Reason 15\n              +16 vs yesterday · +16 vs 7-day avg\n███████▏   15 Reason 14\n              +15 vs yesterday · +15 vs 7-day avg\n██████▋    14 Reason 13\n              +14 vs yesterday · +14 vs 7-day avg\n██████▎    13 Reason 12\n              +13 vs yesterday · +13 vs 7-day avg\n█████▊     12 Reason 11\n              +12 vs yesterday · +12 vs 7-day avg\n█████▎     11 Reason 10\n              +11 vs yesterday · +11 vs 7-day avg\n████▊      10 Reason 9\n              +10 vs yesterday · +10 vs 7-day avg\n████▎       9 Reason 8\n              +9 vs yesterday · +9 vs 7-day avg\n███▊        8 Reason 7\n              +8 vs yesterday · +8 vs 7-day avg\n███▍        7 Reason 6\n              +7 vs yesterday · +7 vs 7-day avg\n██▉         6 Reason 5\n              +6 vs yesterday · +6 vs 7-day avg\n██▍         5 Reason 4\n              +5 vs yesterday · +5 vs 7-day avg\n█▉          4 Reason 3\n              +4 vs yesterday · +4 vs 7-day avg\n█▍          3 Reason 2\n              +3 vs yesterday · +3 vs 7-day avg\n█           2 Reason 1\n              +2 vs yesterday · +2 vs 7-day avg\n            0 Unclassified\n              −1 vs yesterday · −0.1 vs 7-day avg\n```\n*3 more reasons \\(3 inquiries\\)*',
          color: 5793266,
          fields: [
            {
              name: 'First response and targets',
              value:
                'First response: median — \\(— business\\) · p90 — \\(— business\\) · within 2 business hours — · awaiting reply 0\nResolution: median — \\(— business\\) · p90 — \\(— business\\) · within 2 business days — · unresolved 0\nNothing past due',
            },
            { name: 'Backlog (now)', value: '0 unresolved · 0 open · 0 claimed · 0 past resolution due' },
            {
              name: 'Resolution & re-inquiries',
              value:
                'Resolution rate — \\(0/0\\)\nRe\\-inquiry rate \\(within 7 days of a resolution\\) — \\(0/0 customers\\)',
            },
            { name: 'Participation', value: '0 people reacted, claimed or replied' },
            { name: 'Voices of the customer', value: 'No bug reports or feature requests.' },
          ],
          footer: { text: 'koe · Asia/Tokyo · 2026-11-21 01:00' },
          timestamp: '2026-11-20T16:00:00.000Z',
        },
      ],
    });
  });
});
