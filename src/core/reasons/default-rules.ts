/**
 * The default taxonomy's rules: how customers actually write each reason, in Japanese and English,
 * as weighted regular expressions over the normalised text (NFKC, lower case; see rules.ts).
 *
 * Weights say how sure a phrase makes us, not how common it is:
 * - DECISIVE (4): the phrase alone names the reason (解約, 領収書, パスワード, 不具合 …). A decisive
 *   hit that no other reason contests is a strong rule, which the classifier never overrules.
 * - CLEAR (2): usually the reason, but another reason's decisive word outranks it (プラン in
 *   「プランを解約したい」 is a cancellation).
 * - HINT (1): only a hint (〜できますか, どこから, 教えて); two hints make an answer, one does not.
 *
 * Stems are written to cover politeness and inflection (解約したい / ご解約 / 解約させていただきたく),
 * and English words match whole words with common endings only (`plan` is not in "explanation").
 */
import type { WeightedRule } from './taxonomy.ts';

export const DECISIVE = 4;
export const CLEAR = 2;
export const HINT = 1;

const rule = (weight: number, ...sources: string[]): WeightedRule[] => sources.map((pattern) => ({ pattern, weight }));

// A long vowel mark as customers type it: ー, half-width ｰ (NFKC makes it ー), or a dash.
const BAR = '[ー\\-−‐]';
// English word edges: not inside another word, but plural and past forms still match.
const word = (stem: string) => `(?<![a-z])${stem}(?:s|es|d|ed|ing|led|ling|lation)?(?![a-z])`;

export const HOW_TO_RULES: WeightedRule[] = [
  ...rule(DECISIVE, '使い方', '使いかた', 'つかいかた', 'やり方', 'やりかた', '設定方法', '操作方法'),
  ...rule(CLEAR, '手順', 'どう(?:すれば|したら|やって|やれば)', 'どのように', 'の仕方', '付け方', '作り方', '組み方'),
  ...rule(
    CLEAR,
    '(?:方法|仕方)(?:を|が|は)?(?:教え|知り|分か|わか|あり)',
    'チュートリアル',
    'マニュアル',
    'ドキュメント',
  ),
  ...rule(
    CLEAR,
    `(?<![a-z])how (?:do|can|should) (?:i|we)(?![a-z])`,
    '(?<![a-z])how to(?![a-z])',
    "what'?s the best way",
  ),
  ...rule(CLEAR, `(?<![a-z])where (?:can|do) (?:i|we)(?![a-z])`, '(?<![a-z])is it possible to(?![a-z])'),
  ...rule(HINT, 'どこ(?:から|で|に|を)', 'どこにあり', '見当たりません', '見つけられ', '見つかりません'),
  ...rule(HINT, '(?:でき|られ)ますか', 'できるのでしょうか', '可能でしょうか', '可能ですか', '教えて', '設定'),
];

export const PRICING_PLAN_RULES: WeightedRule[] = [
  ...rule(DECISIVE, '料金プラン', 'プラン(?:の)?変更', `アップグレ${BAR}?ド`, `ダウングレ${BAR}?ド`, '見積'),
  ...rule(DECISIVE, '料金', '価格', '値段', '月額', '費用', '割引', 'ディスカウント', 'いくら'),
  ...rule(CLEAR, 'プラン', 'トライアル', '無料期間', '有料', '年間契約', '契約期間', '追加料金', '日割り'),
  ...rule(CLEAR, word('pric'), word('plan'), word('quote'), word('discount'), 'how much', 'per seat', word('trial')),
  ...rule(HINT, '年払い', '月払い', '人数', 'ユーザー数', 'アカウント数'),
];

export const BILLING_RULES: WeightedRule[] = [
  ...rule(DECISIVE, '請求書', '請求額', '請求金額', '請求先', '二重(?:で|に)?(?:請求|課金|引き落)', '領収', '返金'),
  ...rule(DECISIVE, 'インボイス', '適格請求', '支払', '払い込', '振込', '振り込', '引き落', '決済', 'カード情報'),
  ...rule(DECISIVE, word('invoice'), word('receipt'), word('refund'), word('billing'), `(?<!in )${word('charge')}`),
  ...rule(CLEAR, '請求', '課金', 'クレジットカード', '(?:法人|登録)?カード', '未払', '支払い済', '消費税'),
];

export const BUG_RULES: WeightedRule[] = [
  ...rule(DECISIVE, '不具合', 'バグ', '障害', `エラ${BAR}`, '強制終了', `フリ${BAR}ズ`, '文字化け', '真っ白'),
  ...rule(DECISIVE, '(?<![0-9])(?:404|500|502|503)(?![0-9])', '落ち(?:る|ます|た|て)', 'おちる', 'クラッシュ'),
  ...rule(DECISIVE, word('error'), word('bug'), word('crash'), word('broken'), word('outage'), "won'?t load"),
  ...rule(DECISIVE, "(?:doesn'?t|does not|isn'?t|not) work", 'does nothing', 'not loading', 'spins forever'),
  ...rule(
    CLEAR,
    '動かな',
    '動作しな',
    '反映され(?:ない|ません)',
    '表示され(?:ない|ません)',
    'つながら',
    '繋がら',
    '重い',
  ),
  ...rule(CLEAR, '崩れ', 'ずれ', 'おかしい', '消え(?:た|まし)', '押せな', '届かなくなり', '元に戻って'),
  ...rule(
    CLEAR,
    '何も(?:起き|起こ|反応)',
    '進めません',
    '保存でき(?:ない|ません)',
    '(?:ダウンロード|アップロード)でき(?:ない|ません)',
  ),
  ...rule(HINT, 'でき(?:ない|ません|なく)', '急に', '勝手に', '何十'),
];

export const FEATURE_REQUEST_RULES: WeightedRule[] = [
  ...rule(
    DECISIVE,
    '要望',
    '機能追加',
    '追加機能',
    'ご検討(?:くだ|いただ|を)',
    '検討して(?:ほしい|くだ|いただ|もらえ)',
  ),
  ...rule(
    DECISIVE,
    '実装を?(?:お願い|して)',
    'ように(?:して(?:ほしい|欲しい|もらえ|いただけ)|なると|なれば|なったら|なりませんか)',
  ),
  ...rule(
    DECISIVE,
    '(?:あると|あれば|あったら|できたら|できると|なると|もらえると)(?:助か|嬉し|うれし|便利|ありがた|いい|良い|最高|もっと)',
  ),
  ...rule(
    DECISIVE,
    'feature request',
    'would be (?:great|nice|helpful)',
    'please add',
    'it would help',
    'could you add',
  ),
  ...rule(CLEAR, '(?:が|も)(?:ほしい|欲しい)', '(?:して|つけて|追加して|対応して)(?:ほしい|欲しい)', '対応する予定'),
  ...rule(HINT, '使いたい'),
  ...rule(CLEAR, '予定はありますか', 'つけてください', 'たらいいのに', 'supported', `(?<![a-z])wish(?![a-z])`),
];

export const ACCOUNT_RULES: WeightedRule[] = [
  ...rule(
    DECISIVE,
    `パスワ${BAR}ド`,
    '(?:ログイン|ろぐいん|サインイン)(?:が)?でき',
    'ログインid',
    '二段階認証',
    '2段階認証',
  ),
  ...rule(DECISIVE, '二要素認証', '2要素認証', `認証コ${BAR}ド`, 'ロックされ', '不正ログイン', 'ログアウトされ'),
  ...rule(
    DECISIVE,
    word('password'),
    "(?:can'?t|cannot|unable to) (?:log|sign) ?in",
    word('locked'),
    '2fa',
    'two-factor',
  ),
  ...rule(CLEAR, 'ログイン', 'ろぐいん', 'アカウント', `メ${BAR}ルアドレス`, `ユ${BAR}ザ${BAR}名`, '招待'),
  ...rule(CLEAR, `オ${BAR}ナ${BAR}`, '管理者権限', '権限がありません', `プロフィ${BAR}ル`, '表示名', '引き継'),
  ...rule(CLEAR, `(?<![a-z])(?:log|sign) ?in(?![a-z])`, word('account'), '(?<![a-z])sso(?![a-z])'),
];

export const CANCELLATION_RULES: WeightedRule[] = [
  ...rule(DECISIVE, '解約', '退会', 'かいやく', '契約を?(?:終了|打ち切|やめ|止め|終わり)', '利用を?(?:停止|終了|やめ)'),
  ...rule(DECISIVE, '更新(?:は|を)?(?:しない|しません|不要|止め|停止)', 'サブスクを?(?:止め|やめ|解除)', 'やめたい'),
  ...rule(DECISIVE, 'アカウントを?(?:閉じ|削除して(?:ください|ほしい|いただ))', word('cancel'), word('unsubscribe')),
  ...rule(DECISIVE, 'close (?:my|our) account', 'no longer need', 'end (?:my|our) subscription'),
  ...rule(CLEAR, 'キャンセル', '終わりにし', '終了にし', '一旦やめ'),
];
