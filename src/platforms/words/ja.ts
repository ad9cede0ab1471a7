import { CONTACT_FORM_SOURCE } from '../../core/surfaces.ts';
import { cmd, codes, ref } from './format.ts';
import type { ReplyContext, Words } from './index.ts';

// 日本語の言葉: 丁寧かつ簡潔に（です・ます）。用語と約物は docs/glossary.md のとおり（未対応・対応中・解決済み、担当、窓口、理由、社内メモ…）。
// 約物は全角（、。：（））。数と助数詞の間は空けない（5件、3分）。「さん」は人の名前のあとだけ。

const status = { open: '未対応', claimed: '対応中', resolved: '解決済み' } as const;
const showFull = '全文を表示';
const notAMirror = 'このメッセージは koe のお問い合わせではありません。';
/** A person's name with さん; someone unknown is お客様, never 「（不明） さん」. */
const san = (name: string | undefined, nobody = 'お客様') =>
  name && name.trim() !== '' && name !== '（不明）' && name !== '?' ? `${name} さん` : nobody;
/** `#12 という` before お問い合わせ, or その when the number is not known. */
const which = (id: number | undefined) => (id === undefined ? 'その' : `#${id} という`);
/** `#12 は`, or このお問い合わせは when the number is not known. */
const topic = (id: number | undefined) => (id === undefined ? 'このお問い合わせは' : `#${id} は`);
const invalidInput = (c: ReplyContext, message = '入力が正しくありません。') =>
  `${message}${/[。！？]$/.test(message) ? '' : ' '}\`${c.command} help\` で使い方を確認できます。`;

export const ja: Words = {
  status,
  direction: { inbound: 'お客様から', outbound: '返信', note: '社内メモ' },
  field: (label, value) => `${label}：${value}`,
  aside: (text, note) => `${text}（${note}）`,
  labels: {
    customer: 'お客様',
    assignee: '担当',
    subject: '件名',
    reason: '理由',
    status: '状態',
    received: '受付',
    source: '窓口',
    messages: 'メッセージ',
    reactions: 'リアクション',
    unknownCustomer: '（不明）',
    unassigned: '担当なし',
    noSubject: '（件名なし）',
    autoReason: (pct) => `（自動判定${pct === null ? '' : ` ${pct}%`}）`,
  },
  controls: {
    claim: '担当する',
    unclaim: '担当を外す',
    resolve: '解決する',
    reopen: '再開する',
    showFull,
    chooseReason: 'お問い合わせ理由を選ぶ',
    unclassifiedHint: '未分類です。下のメニューで理由を選んでください。',
  },
  failures: {
    NOT_FOUND: (c, f) =>
      `${which(f.inquiryId)}お問い合わせは見つかりません。\`${c.command} open\` で${status.open}の一覧を確認できます。`,
    ALREADY_CLAIMED: (c, f, w) =>
      `${topic(f.inquiryId)}すでに${w.holder ? ` ${san(w.holder)}` : '別のメンバー'}が担当しています。本人に声をかけるか、${cmd(c, 'assign', f.inquiryId ?? '<番号>', '@担当者')} で付け替えてください。`,
    ALREADY_YOURS: (_c, f) => `${topic(f.inquiryId)}すでにあなたの担当です。`,
    NOT_CLAIMED: (c, f) =>
      `${topic(f.inquiryId)}誰も担当していません。${cmd(c, 'claim', f.inquiryId)} で担当できます。`,
    ALREADY_RESOLVED: (c, f) =>
      `${topic(f.inquiryId)}${status.resolved}です。まだ対応が必要なら ${cmd(c, 'reopen', f.inquiryId)} で再開してください。`,
    NOT_RESOLVED: (c, f) =>
      `${topic(f.inquiryId)}まだ${status.resolved}ではないため、再開は不要です。${status.resolved}にするには ${cmd(c, 'resolve', f.inquiryId)} を使ってください。`,
    UNKNOWN_REASON: (_c, f) =>
      `${f.reason ? `"${f.reason}" という理由` : '指定された理由'}はありません。使える理由：${codes(f.validReasons)}`,
    NOT_A_MIRROR: () => notAMirror,
    INVALID_INPUT: (c, f) => invalidInput(c, f.message),
    NO_WAY_BACK: (_c, f) =>
      f.source === CONTACT_FORM_SOURCE
        ? `${ref(f.inquiryId)} はお問い合わせフォームから届いたため、まだ koe から返信できません（メールでの返信は準備中です。koe.config.yaml の \`replies.webhooks\` に窓口 \`form\` を設定すると、その Webhook で返信できます）。お客様が入力したメールアドレス（ミラーとスレッドに表示されています）あてに、直接ご返信ください。`
        : `${ref(f.inquiryId)} には koe から返信できません。${f.source ? `窓口「${f.source}」` : 'この窓口'}には返信の経路がありません（返信できるのは koe.config.yaml の \`sources\` に登録したチャンネルと、\`replies.webhooks\` を設定した API の窓口です）。${f.url ? `お客様が書き込んだ場所 ${f.url} で` : 'お客様が書き込んだ場所で'}直接返信してください。`,
    TOO_LATE_TO_UNDO: (_c, f) =>
      `${ref(f.inquiryId)} への返信はもう取り消せません。すでに送信されたか、取り消し済みです。`,
    NOT_FAILED: (_c, f) => `${ref(f.inquiryId)} へのその返信は失敗していないため、再送の必要はありません。`,
  },
  refusals: {
    notStaff: (role) =>
      role
        ? `koe の操作はチームのメンバーだけができます（${role} ロールが必要です）。`
        : 'koe の操作はチームのメンバーだけができます。',
    staffUnknown:
      'いまチームのメンバーかどうかを確認できなかったため、何もしていません。少し時間をおいてから、もう一度お試しください。',
    notAMirror,
    ownPost: (c) => invalidInput(c, 'koe 自身の投稿は記録できません。'),
    unknownControl: (c) => invalidInput(c),
  },
  success: {
    claimed: (p) => `#${p.id} を担当しました。`,
    unclaimed: (p) => `#${p.id} の担当を外しました。誰でも担当できます。`,
    assigned: (p) => `#${p.id} の担当を${p.user ? ` ${san(p.user)}` : '別のメンバー'}にしました。`,
    alreadyAssigned: (p) => `#${p.id} はすでに${p.user ? ` ${san(p.user)}` : '別のメンバー'}の担当です。`,
    resolved: (p) => `#${p.id} を${status.resolved}にしました。`,
    reopened: (p) => `#${p.id} を再開しました。`,
    reasonSet: (p) => `#${p.id} の理由を「${p.reason ?? ''}」にしました。`,
    reasonUnchanged: (p) => `#${p.id} の理由はすでに「${p.reason ?? ''}」です。`,
    noteAdded: (p) => `#${p.id} に社内メモを追加しました。`,
  },
  help: {
    title: '*koe の使い方*',
    subcommands: {
      help: 'この使い方を表示',
      claim: '担当する',
      unclaim: '担当を外す',
      assign: '担当を付け替える',
      resolve: '解決済みにする（社内メモも残せます）',
      reopen: '再開する',
      reason: 'お問い合わせ理由を設定する',
      note: '社内メモを残す',
      reply: 'お客様が書き込んだ場所へ返信を送る',
      mine: '自分が担当しているお問い合わせの一覧',
      open: `${status.open}の一覧（古い順）`,
      show: '詳細と全文を表示',
      stats: '件数などの集計',
    },
  },
  usage: {
    unknown: (c, given) => `「${given}」というコマンドはありません。\`${c.command} help\` で一覧を確認できます。`,
    missingId: (c, form, subcommand) =>
      `お問い合わせ番号を指定してください：${form}（例：\`${c.command} ${subcommand} 12\`）`,
    badId: (given) => `「${given}」はお問い合わせ番号ではありません。\`12\` や \`#12\` のように指定してください。`,
    missingArgument: (form) => `入力が足りません。次の形で指定してください：${form}`,
  },
  lists: {
    openTitle: (n) => `*${status.open}のお問い合わせ（${n}件、古い順）*`,
    mineTitle: (n) => `*あなたが担当しているお問い合わせ（${n}件）*`,
    openEmpty: `${status.open}のお問い合わせはありません。`,
    mineEmpty: 'あなたが担当しているお問い合わせはありません。',
    more: (n) => `…ほか${n}件`,
  },
  age: (minutes) => {
    const m = Math.max(0, Math.round(minutes));
    if (m < 60) return `${m}分`;
    if (m < 48 * 60) return `${Math.floor(m / 60)}時間`;
    return `${Math.floor(m / (24 * 60))}日`;
  },
  stats: {
    periods: { today: '今日', '7d': '直近7日', '30d': '直近30日' },
    title: (period) => `*${period}の集計*`,
    totals: (received, resolved, median) => `受付 ${received}件・解決 ${resolved}件・初回返信の中央値 ${median}`,
    now: (open, claimed) => `現在：${status.open} ${open}件・${status.claimed} ${claimed}件`,
    byReason: '理由別：',
    reasonLine: (label, count) => `• ${label}：${count}件`,
  },
  misc: {
    recorded: (id) => `お問い合わせ #${id} として記録しました。`,
    recordedAlready: (id) => `このメッセージはすでに #${id} として記録されています。`,
    joined: (id) => `同じ方からの直前のお問い合わせ #${id} にまとめました。`,
    recordFailed: 'このメッセージを記録できませんでした。少し時間をおいてから、もう一度お試しください。',
    emptyMessage: '（本文なし）',
    reactionRefused: (why) => `リアクションでの操作はできませんでした：${why}`,
    internalError: 'koe でエラーが起きました。少し時間をおいてから、もう一度お試しください。',
    pageOf: (n, total) => `（${n}/${total}）`,
  },
  threadHints: {
    slack: 'お問い合わせのスレッドの中では `@koe claim` のように koe にメンションすると、番号を省略できます。',
    discord:
      'お問い合わせのスレッドの中では番号を省略できます。ボタンやリアクション（🙋 担当 / ✅ 解決）でも操作できます。',
  },
  slack: {
    original: '元のメッセージ',
    mirrorMessages: (n) => `💬 ${n}件`,
    truncated: (shown, total, id) =>
      `本文${total.toLocaleString('ja-JP')}文字のうち、先頭の${shown.toLocaleString('ja-JP')}文字を表示しています。全文は「${showFull}」か \`/koe show ${id}\` で確認できます。`,
    threadCut: (total, id) =>
      `（全${total.toLocaleString('ja-JP')}文字のうち、途中までを表示しています。全文は \`/koe show ${id}\` で確認できます）`,
    conversation: 'やりとり',
    body: '本文',
    morePages: (sent, total, id) =>
      `全${total}ページのうち${sent}ページを表示しました。残りは API（GET /api/v1/inquiries/${id}）で確認できます。`,
    replyErrors: {
      noAccess: 'お客様のチャンネルに koe が投稿できません（koe をチャンネルに招待するか、権限をご確認ください）',
      gone: 'お客様のチャンネルが見つかりません（削除されたか、koe から見えません）',
      archived: 'お客様のチャンネルはアーカイブされています',
      threadGone: 'お客様のメッセージが削除されたため、返信するスレッドがありません',
      tooLong: '返信が長すぎるため Slack に受け付けられませんでした',
      token: 'koe の Slack トークンが使えなくなっています（アプリを再インストールしてください）',
      rejected: (code) => `Slack に受け付けられませんでした（${code}）`,
    },
    replyFailedTitle: 'お客様に返信が届いていません',
  },
  discord: {
    link: 'リンク',
    latestMessages: (n) => `最近のメッセージ（全${n}件）`,
    commands: {
      koe: 'お問い合わせの担当・解決・一覧・集計',
      subcommands: {
        help: 'koe の使い方',
        claim: 'お問い合わせを担当する',
        unclaim: '担当を外す',
        assign: '担当を付け替える',
        resolve: '解決済みにする',
        reopen: '再開する',
        reason: 'お問い合わせ理由を設定する',
        note: '社内メモを残す',
        reply: 'お客様が書き込んだ場所へ返信を送る',
        mine: '自分が担当しているお問い合わせの一覧',
        open: `${status.open}の一覧（古い順）`,
        show: '詳細と全文を表示',
        stats: '件数などの集計',
      },
      id: 'お問い合わせ番号',
      idInThread: 'お問い合わせ番号（スレッド内では省略可）',
      user: '新しい担当者',
      note: 'スレッドに残す社内メモ',
      reason: 'お問い合わせ理由',
      text: '社内メモの内容',
      period: '期間（既定：今日）',
      record: 'お問い合わせとして記録',
      replyText: '返信内容（お客様にはこのまま届きます）',
    },
    replies: {
      notANote:
        '「お客様に送信」は、お問い合わせのスレッドにあるメモ（スレッドに書かれたメッセージ、または koe の「社内メモ」）に使えます。そちらで使うか、`/koe reply` をご利用ください。',
      tooLong: (p) =>
        `この返信は Discord には長すぎます（名前の行と記号のエスケープを含めて${p.length}文字、上限は${p.max}文字です）。短くしてからもう一度送信してください。`,
      errors: {
        noAccess: 'お客様のチャンネルに koe が書き込む権限がありません',
        gone: 'お客様のチャンネルまたはスレッドが見つかりません',
        locked: 'お客様のスレッドはロックされています',
        rejected: (detail) => `Discord がメッセージを受け付けませんでした（${detail}）`,
      },
    },
  },
  replies: {
    state: {
      queued: (p) => `↩︎ ${san(p.by, 'メンバー')}のお客様への返信：${p.at} に送信します（それまで取り消せます）`,
      sent: (p) => `↩︎ ${san(p.by, 'メンバー')}がお客様に送信しました（${p.at}）`,
      failed: (p) => `⚠️ ${san(p.by, 'メンバー')}の返信を送信できませんでした：${p.error}`,
      undone: (p) => `↩︎ ${san(p.by, 'メンバー')}の返信は取り消されました（送信していません）`,
    },
    undo: '取り消す',
    retry: '再送する',
    replyToCustomer: 'お客様に返信',
    sendToCustomer: 'お客様に送信',
    formFailed: (button) =>
      `フォームを開けませんでした（Slack の応答が間に合いませんでした）。もう一度「${button}」を押してください。`,
    fieldLabel: '返信内容（お客様にはこのまま届きます）',
    submit: '送信',
    cancel: 'キャンセル',
    close: '閉じる',
    goesTo: (where) => `送信先：${where}`,
    where: {
      slack: (p) => `${san(p.customer)}（${p.channel} のスレッド）`,
      discord: (p) => `${san(p.customer)}（${p.channel} での返信）`,
      webhook: (p) => `${san(p.customer)}（Webhook「${p.source}」経由）`,
      other: (p) => `${san(p.customer)}（${p.source}）`,
      email: (p) => `${san(p.customer)}（メール）`,
    },
    queued: (p) =>
      p.undoSeconds > 0
        ? `#${p.id} への返信を送信待ちにしました。送信先：${p.where}。${p.at} に送信します。それまではお問い合わせのスレッドの「取り消す」で止められます。`
        : `#${p.id} への返信を送信しています。送信先：${p.where}。`,
    undone: (id) => `#${id} への返信を取り消しました。お客様には届きません。`,
    retried: (id) => `#${id} への返信を再送しています。`,
    blank: '返信内容が空です。お客様にお送りする内容を入力してください。',
    confirmLead: 'お客様には次の内容がこのまま届きます：',
    notInMirrorThread:
      '「お客様に送信」は、チームのチャンネルにあるお問い合わせのスレッド内のメモに使えます。このメッセージはそのスレッドにないため、何も送信していません。',
    koesOwnPost:
      'これは koe 自身の投稿（お問い合わせ、お客様のメッセージ、返信）で、メモではありません。「お客様に送信」で送れるのは、お問い合わせのスレッドにチームのメンバーが書いたメモです。何も送信していません。',
    customersMessage:
      'このメッセージはチームのメンバーが書いたものではないため、お客様には送信しません。「お客様に送信」で送れるのは、お問い合わせのスレッドにチームのメンバーが書いたメモです。何も送信していません。',
    noteTooLong: (max) =>
      `このメモは返信の上限（${max.toLocaleString('ja')}文字）を超えています。何も送信していません。お問い合わせの「お客様に返信」から短くして送ってください。`,
    otherInquiryInThread: (p) =>
      `ここは #${p.thread} のスレッドのため、このままでは #${p.given} のお客様に返信することになります。何も送信していません。#${p.thread} に返信するには \`@koe reply <本文>\` と書いてください。#${p.given} に返信するには、そのお問い合わせのスレッドをお使いください。`,
    failedNotice: (p) =>
      `#${p.id} への返信を送信できませんでした：${p.error}。お問い合わせのスレッドにある該当の行から再送できます。`,
  },
  console: {
    newInquiry: '新しいお問い合わせ',
    updated: '更新',
  },
  sla: {
    label: '期限',
    due: { first_response: (at) => `初回返信期限 ${at}`, resolution: (at) => `解決期限 ${at}` },
    state: { on_track: '期限内', due_soon: '期限間近', breached: '期限超過' },
    warning: (p) => {
      const what = p.target === 'first_response' ? '初回返信' : '解決';
      const head =
        p.level === 'due_soon'
          ? `⏰ ${what}の期限（${p.due}）が近づいています。`
          : `🚨 ${what}の期限（${p.due}）を過ぎました。`;
      return `${head}${p.owner ? `担当の ${p.owner} さん、ご対応をお願いします。` : 'まだ担当者がいません。どなたか対応をお願いします。'}`;
    },
    alert: (p) => {
      const what = p.target === 'first_response' ? '初回返信' : '解決';
      const head = p.level === 'due_soon' ? `⏰ #${p.id} ${what}期限間近` : `🚨 #${p.id} ${what}期限超過`;
      return `${head}（期限 ${p.due}）／${p.owner ? `担当：${p.owner} さん` : '担当なし'}／${p.gist}`;
    },
  },
  mail: {
    noSubject: 'お問い合わせ',
    acknowledgementSubject: (p) => `お問い合わせを受け付けました：${p.subject} [#${p.id}]`,
    acknowledgementBody: (p) =>
      `${p.customer} 様\n\nお問い合わせいただき、ありがとうございます。\n以下の受付番号でお問い合わせを承りました。担当者より順次ご連絡いたしますので、今しばらくお待ちください。\n\n受付番号：${p.id}\n${p.due ? `ご回答の目安：${p.due}までにご連絡いたします。\n` : ''}\nこのメールへのご返信は、同じお問い合わせとして担当者に届きます。\n（このメールは自動送信です）`,
  },
};
