import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderDigestBlocks } from '../../../src/platforms/slack/render-digest.ts';
import { smallDailyDigest, smallWeeklyDigest } from '../../helpers/small-digest.ts';

/** The Slack digest, whole, read in Japanese (labels from the reader's taxonomy), and at the edges of a daily digest. */

describe('the Slack digest at its edges', () => {
  it('relabels reasons from the reader’s taxonomy and speaks Japanese', () => {
    const settings = { locale: 'ja' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
    expect(renderDigestBlocks(smallWeeklyDigest(), settings)).toEqual({
      text: '週次ダイジェスト · 2026/11/16（月）〜11/22（日）: 新規 37件（前週比 +30・4週平均 1.8件）',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: '週次ダイジェスト · 2026/11/16（月）〜11/22（日）', emoji: true },
        },
        { type: 'section', text: { type: 'mrkdwn', text: '新規 37件（前週比 +30・4週平均 1.8件）', verbatim: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*お問い合わせ理由*\n`██████████` *28* 請求・支払い `▂▃▄▅▆▇█`  _前週比 +21・4週平均比 +26.3_\n`██▌       ` *7* 不具合・障害 `███████`  _前週比 +7・4週平均比 +7_\n`▊         ` *2* 未分類 `▁▁▁▁▁▁█`  _前週比 +2・4週平均比 +2_\n_7日間の推移（月→日）_',
            verbatim: true,
          },
        },
        { type: 'divider' },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*初回返信と期限*\n初回返信 中央値 1時間（営業時間 1時間）・p90 5時間（営業時間 5時間）・目標（営業時間で2時間）内 50%・返信待ち 0件\n解決まで 中央値 2時間（営業時間 2時間）・p90 2時間（営業時間 2時間）・目標（営業時間で72時間）内 50%・未解決 1件\n期限超過 1件（返信の遅れ 1件・未返信のまま超過 0件・解決の遅れ 0件・未解決のまま超過 1件）\n• #2 不具合・障害：未解決・期限から営業時間で105時間超過・担当 Aiko\n• #2 不具合・障害：返信が遅れました・期限から営業時間で3時間超過・担当 Aiko',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*理由別の目標達成率*\n• 請求・支払い：初回返信 100%・解決 100%（1件）\n• 不具合・障害：初回返信 0%・解決 0%（1件）',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*バックログ（現在）*\n未解決 3件・未対応 2件・対応中 1件・最古の未対応 7日9時間（#2）・解決期限超過 1件',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*解決と再問い合わせ*\n解決率 50%（1/2件）\n再問い合わせ率（解決後7日以内）25%（1/4人）',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*参加*\n2人が反応・担当・返信しました\n• Aiko：4（返信 2・担当 1・リアクション 1）\n• api:bot：1（返信 1・担当 0・リアクション 0）',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*お客様の声*\n• <https://help.example.com/2|#2> 不具合・障害：Export ∗broken∗（リアクション 3）',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*未分類・その他で増えている話題*\n• 「二段階認証・コード」：今週 5件（4週平均 0.5件）\n    「コードが届かない」\n    「SMSが来ない」',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*フェーズ*\n1日平均 5.3件。30件/日未満：全員で返信するフェーズです。',
            verbatim: true,
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'koe · Asia/Tokyo · 2026/11/23 09:00' }] },
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
    expect(renderDigestBlocks(smallDailyDigest(), settings)).toEqual({
      text: 'Daily digest · Fri, Nov 20, 2026: 233 new inquiries (+229 vs day before, 7-day avg 0.6)',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Daily digest · Fri, Nov 20, 2026', emoji: true } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '233 new inquiries (+229 vs day before, 7-day avg 0.6)', verbatim: true },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Contact reasons*\n`██████████` *21* Reason 20  _+21 vs yesterday · +21 vs 7-day avg_\n`█████████▌` *20* Reason 19  _+20 vs yesterday · +20 vs 7-day avg_\n`█████████ ` *19* Reason 18  _+19 vs yesterday · +19 vs 7-day avg_\n`████████▋ ` *18* Reason 17  _+18 vs yesterday · +18 vs 7-day avg_\n`████████▏ ` *17* Reason 16  _+17 vs yesterday · +17 vs 7-day avg_\n`███████▋  ` *16* Reason 15  _+16 vs yesterday · +16 vs 7-day avg_\n`███████▏  ` *15* Reason 14  _+15 vs yesterday · +15 vs 7-day avg_\n`██████▋   ` *14* Reason 13  _+14 vs yesterday · +14 vs 7-day avg_\n`██████▎   ` *13* Reason 12  _+13 vs yesterday · +13 vs 7-day avg_\n`█████▊    ` *12* Reason 11  _+12 vs yesterday · +12 vs 7-day avg_\n`█████▎    ` *11* Reason 10  _+11 vs yesterday · +11 vs 7-day avg_\n`████▊     ` *10* Reason 9  _+10 vs yesterday · +10 vs 7-day avg_\n`████▎     ` *9* Reason 8  _+9 vs yesterday · +9 vs 7-day avg_\n`███▊      ` *8* Reason 7  _+8 vs yesterday · +8 vs 7-day avg_\n`███▍      ` *7* Reason 6  _+7 vs yesterday · +7 vs 7-day avg_\n`██▉       ` *6* Reason 5  _+6 vs yesterday · +6 vs 7-day avg_\n`██▍       ` *5* Reason 4  _+5 vs yesterday · +5 vs 7-day avg_\n`█▉        ` *4* Reason 3  _+4 vs yesterday · +4 vs 7-day avg_\n`█▍        ` *3* Reason 2  _+3 vs yesterday · +3 vs 7-day avg_\n`█         ` *2* Reason 1  _+2 vs yesterday · +2 vs 7-day avg_\n_3 more reasons (3 inquiries)_\n`          ` *0* Unclassified  _−1 vs yesterday · −0.1 vs 7-day avg_',
            verbatim: true,
          },
        },
        { type: 'divider' },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*First response and targets*\nFirst response: median — (— business) · p90 — (— business) · within 2 business hours — · awaiting reply 0\nResolution: median — (— business) · p90 — (— business) · within 2 business days — · unresolved 0\nNothing past due',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Backlog (now)*\n0 unresolved · 0 open · 0 claimed · 0 past resolution due',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Resolution &amp; re-inquiries*\nResolution rate — (0/0)\nRe-inquiry rate (within 7 days of a resolution) — (0/0 customers)',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Participation*\n0 people reacted, claimed or replied', verbatim: true },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Voices of the customer*\nNo bug reports or feature requests.',
            verbatim: true,
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'koe · Asia/Tokyo · 2026-11-21 01:00' }] },
      ],
    });
  });
});
