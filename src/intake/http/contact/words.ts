import type { Locale } from '../../../lib/locale.ts';

/**
 * Every sentence of the contact form, ja and en side by side. They live here, not in
 * platforms/words: these are said to customers on a web page (plain text, escaped into HTML, no
 * chat markup or commands), intake may not import platforms/, and only this folder uses them. One
 * `ContactWords` per locale, so a sentence missing in one is a type error; the one sentence said to
 * staff (the thread note) is here too because this module writes it.
 *
 * 日本語: お客様向けなので丁寧語（です・ます、「ご〜ください」）。項目名はフォームとエラーで同じ言葉を使う。
 */

export type ContactField = 'name' | 'email' | 'category' | 'subject' | 'message';

export interface ContactWords {
  title: string;
  intro: string;
  /** The label of each field, the same in the form and in its errors. */
  fields: Record<ContactField, string>;
  /** Put right after a field's label, brackets and spacing included (they differ by language). */
  required: string;
  optional: string;
  /** The select's first choice, which leaves the category to koe. */
  noCategory: string;
  submit: string;
  /** The honeypot's label: never seen or reached by a person, but said plainly in case it is. */
  honeypot: string;
  /** The link to the other language, written in that language. */
  otherLanguage: string;
  errors: {
    /** Put before the page's title when the form has errors, so a screen reader says so first. */
    titlePrefix: string;
    summary: string;
    missing: Record<Exclude<ContactField, 'category'>, string>;
    tooLong: (field: string, max: number, length: number) => string;
    email: string;
    category: string;
  };
  thanks: {
    title: string;
    body: string;
    number: (id: number) => string;
    keepNumber: string;
  };
  tooMany: (minutes: number) => string;
  tooLarge: { title: string; body: string; back: string };
  /** Said to staff in the inquiry's thread, in the team's locale: where to answer until koe can. */
  answerByEmail: (email: string) => string;
}

const ja: ContactWords = {
  title: 'お問い合わせ',
  intro: '以下のフォームにご記入のうえ、送信してください。担当者よりメールでご連絡いたします。',
  fields: {
    name: 'お名前',
    email: 'メールアドレス',
    category: 'お問い合わせの種類',
    subject: '件名',
    message: 'お問い合わせ内容',
  },
  required: '（必須）',
  optional: '（任意）',
  noCategory: '選択してください',
  submit: '送信する',
  honeypot: 'この欄には何も入力しないでください',
  otherLanguage: 'English',
  errors: {
    titlePrefix: '入力エラー',
    summary: '入力内容に不備があります。以下の項目をご確認ください。',
    missing: {
      name: 'お名前を入力してください。',
      email: 'メールアドレスを入力してください。',
      subject: '件名を入力してください。',
      message: 'お問い合わせ内容を入力してください。',
    },
    tooLong: (field, max, length) =>
      `${field}は${max.toLocaleString('ja-JP')}文字以内で入力してください（現在 ${length.toLocaleString('ja-JP')} 文字）。`,
    email: 'メールアドレスの形式が正しくありません。taro@example.com のような形式で入力してください。',
    category: '一覧の中から選択してください。',
  },
  thanks: {
    title: 'お問い合わせを受け付けました',
    body: 'お問い合わせいただき、ありがとうございます。内容を確認のうえ、ご入力いただいたメールアドレスあてに担当者よりご連絡いたします。',
    number: (id) => `受付番号: ${id}`,
    keepNumber: 'ご連絡の際は、この受付番号をお知らせください。',
  },
  tooMany: (minutes) =>
    `短時間に多くの送信があったため、今回のお問い合わせは送信されていません。恐れ入りますが、${minutes}分ほどおいてから、もう一度お試しください。ご入力いただいた内容はそのまま残っています。`,
  tooLarge: {
    title: '送信内容が大きすぎます',
    body: '送信内容が大きすぎるため、受け付けられませんでした。お問い合わせ内容を短くして、もう一度お試しください。',
    back: 'フォームに戻る',
  },
  answerByEmail: (email) =>
    `お問い合わせフォームから届いたお問い合わせです。koe.config.yaml に email.smtp が設定されていないため koe からは返信できません。お客様のメールアドレス ${email} あてに直接ご返信ください。`,
};

const en: ContactWords = {
  title: 'Contact us',
  intro: 'Fill in the form below and send it; we will get back to you by email.',
  fields: {
    name: 'Name',
    email: 'Email address',
    category: 'Topic',
    subject: 'Subject',
    message: 'Message',
  },
  required: ' (required)',
  optional: ' (optional)',
  noCategory: 'Choose a topic',
  submit: 'Send',
  honeypot: 'Leave this field empty',
  otherLanguage: '日本語',
  errors: {
    titlePrefix: 'Error',
    summary: 'Some of what you entered needs fixing. Please check the fields below.',
    missing: {
      name: 'Enter your name.',
      email: 'Enter your email address.',
      subject: 'Enter a subject.',
      message: 'Enter your message.',
    },
    tooLong: (field, max, length) =>
      `${field} must be at most ${max.toLocaleString('en-US')} characters (it is ${length.toLocaleString('en-US')}).`,
    email: 'Enter an email address like taro@example.com.',
    category: 'Choose one of the topics in the list.',
  },
  thanks: {
    title: 'Thank you for your message',
    body: 'We have received your message. Someone from our team will read it and reply to the email address you gave.',
    number: (id) => `Reference number: ${id}`,
    keepNumber: 'Please mention this number if you contact us about it.',
  },
  tooMany: (minutes) =>
    `We received many messages from your network in a short time, so this one was not sent. Please try again in about ${minutes} minutes; what you wrote is still below.`,
  tooLarge: {
    title: 'Your message is too large',
    body: 'What you sent was too large to accept. Please shorten your message and try again.',
    back: 'Back to the form',
  },
  answerByEmail: (email) =>
    `This inquiry came in through the contact form. koe cannot reply to it because email.smtp is not set in koe.config.yaml, so answer the customer by email at ${email}.`,
};

export const CONTACT_WORDS: Record<Locale, ContactWords> = { ja, en };
