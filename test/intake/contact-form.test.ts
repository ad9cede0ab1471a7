import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { inquiries } from '../../src/storage/schema/index.ts';
import { type RunningKoe, startKoe } from '../helpers/koe-instance.ts';

/**
 * The contact form over plain HTTP: what it answers, with which headers, what it stores, and that
 * nothing a customer types comes back as markup. The browser side is test/browser/contact-form.
 */

let k: RunningKoe | undefined;
afterEach(async () => {
  await k?.stop();
  k = undefined;
});

const ENABLED = 'contact:\n  enabled: true\n';

async function start(yaml: string | null = ENABLED, env: Record<string, string> = {}): Promise<RunningKoe> {
  k = await startKoe(yaml, env);
  return k;
}

const valid = {
  name: '山田 太郎',
  email: 'taro@example.com',
  category: 'billing',
  subject: '領収書について',
  message: '先月分の領収書を\r\nダウンロードできません。',
};

/** POSTs the form as a browser would (urlencoded), with the page's hidden fields. */
function submit(
  r: RunningKoe,
  fields: Record<string, string>,
  path = '/contact',
  headers: Record<string, string> = {},
) {
  return fetch(`${r.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ locale: 'ja', token: 'tok_0123456789abcdefghijkl', ...fields }).toString(),
  });
}

const storedCount = (r: RunningKoe) => r.koe.db.select().from(inquiries).all().length;

describe('the contact form is off unless enabled', () => {
  it('answers 404 for /contact with no contact block, and stores nothing on a POST', async () => {
    const r = await start(null);
    expect((await fetch(`${r.url}/contact`)).status).toBe(404);
    expect((await submit(r, valid)).status).toBe(404);
    expect(storedCount(r)).toBe(0);
  });
});

describe('GET /contact', () => {
  it('draws the form in Japanese by default, with lang, labels tied to fields, and the taxonomy as categories', async () => {
    const r = await start();
    const res = await fetch(`${r.url}/contact`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html>\n<html lang="ja">/);
    expect(page).toContain('<title>お問い合わせ</title>');
    for (const field of ['name', 'email', 'category', 'subject', 'message']) {
      expect(page).toContain(`<label for="f-${field}">`);
      expect(page).toMatch(new RegExp(`id="f-${field}" name="${field}"`));
    }
    expect(page).toContain('<option value="billing">請求・支払い</option>');
    expect(page).toContain('お名前<span class="tag">（必須）</span>');
    expect(page).toContain('お問い合わせの種類<span class="tag">（任意）</span>');
    // The honeypot is out of sight and out of the tab order.
    expect(page).toMatch(/<div class="hp" aria-hidden="true">.*name="website" type="text" tabindex="-1"/);
  });

  it.each([
    ['Accept-Language en-US', '', { 'accept-language': 'en-US,en;q=0.9' }, 'en'],
    ['en preferred by q over ja', '', { 'accept-language': 'ja;q=0.5, en;q=0.8' }, 'en'],
    ['ja-JP first', '', { 'accept-language': 'ja-JP, en;q=0.9' }, 'ja'],
    ['a language koe does not speak', '', { 'accept-language': 'fr-FR' }, 'ja'],
    ['?locale=en over Accept-Language ja', '?locale=en', { 'accept-language': 'ja' }, 'en'],
    ['?locale=ja over Accept-Language en', '?locale=ja', { 'accept-language': 'en' }, 'ja'],
    ['an unknown ?locale falls back', '?locale=%22%3E%3Cscript%3E', { 'accept-language': 'en' }, 'en'],
  ])('chooses the language by %s', async (_what, query, headers, lang) => {
    const r = await start();
    const page = await (await fetch(`${r.url}/contact${query}`, { headers })).text();
    expect(page).toContain(`<html lang="${lang}">`);
    expect(page).toContain(lang === 'en' ? '<title>Contact us</title>' : '<title>お問い合わせ</title>');
    expect(page).not.toContain('<script');
  });

  it('follows koe’s own locale when the browser prefers neither language', async () => {
    const r = await start(`locale: en\n${ENABLED}`);
    const page = await (await fetch(`${r.url}/contact`, { headers: { 'accept-language': 'de' } })).text();
    expect(page).toContain('<html lang="en">');
  });
});

describe('headers', () => {
  it('sends a CSP that allows only its own inline style (by hash), no framing, nosniff and no caching', async () => {
    const r = await start();
    const res = await fetch(`${r.url}/contact`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    const style = /<style>([\s\S]*?)<\/style>/.exec(await res.text())?.[1] ?? '';
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('lets only the sites in contact.frameAncestors frame ?embed=1, and keeps the embed on its answers', async () => {
    const r = await start(`${ENABLED}  frameAncestors: ["https://www.example.com", "https://*.example.jp"]\n`);
    const res = await fetch(`${r.url}/contact?embed=1`);
    expect(res.headers.get('content-security-policy')).toContain(
      'frame-ancestors https://www.example.com https://*.example.jp',
    );
    expect(res.headers.get('x-frame-options')).toBeNull();
    const page = await res.text();
    expect(page).toContain('<body class="embed">');
    expect(page).toContain('<input type="hidden" name="embed" value="1">');
    // The page without ?embed=1 is still never framed.
    const plain = await fetch(`${r.url}/contact`);
    expect(plain.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // The answer to an embedded form's submission keeps the embed's headers.
    const thanks = await submit(r, { ...valid, embed: '1' });
    expect(thanks.headers.get('content-security-policy')).toContain('frame-ancestors https://www.example.com');
  });

  it('lets no site frame ?embed=1 while contact.frameAncestors is empty', async () => {
    const r = await start();
    const res = await fetch(`${r.url}/contact?embed=1`);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('POST /contact', () => {
  it('stores the inquiry through the core (source form, reason from the category), thanks with its number, and mirrors it', async () => {
    const r = await start();
    const res = await submit(r, valid);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<title>お問い合わせを受け付けました</title>');
    expect(page).toContain('受付番号: 1');
    const detail = await (await r.api('/api/v1/inquiries/1')).json();
    expect(detail).toMatchObject({
      source: 'form',
      subject: '領収書について',
      body: '先月分の領収書を\nダウンロードできません。',
      reason: 'billing',
      reasonSource: 'intake',
      customer: { name: '山田 太郎', email: 'taro@example.com' },
      metadata: { form: { locale: 'ja', embedded: false } },
    });
    // No way back yet: the thread says where to answer.
    expect(detail.messages).toContainEqual(
      expect.objectContaining({
        direction: 'note',
        body: 'お問い合わせフォームから届いたお問い合わせです。koe.config.yaml に email.smtp が設定されていないため koe からは返信できません。お客様のメールアドレス taro@example.com あてに直接ご返信ください。',
      }),
    );
    await r.koe.worker.drain();
    expect(r.consoleText()).toContain('koe #1');
    expect(r.consoleText()).toContain('領収書について');
  });

  it('leaves the category to koe when none is chosen', async () => {
    const r = await start();
    await submit(r, { ...valid, category: '', subject: 'ログインできません', message: 'パスワードを忘れました' });
    const detail = await (await r.api('/api/v1/inquiries/1')).json();
    expect(detail.reasonSource).not.toBe('intake');
  });

  it('stores one inquiry for a double submit of the same form, and thanks with the same number', async () => {
    const r = await start();
    const first = await (await submit(r, valid)).text();
    const again = await (await submit(r, valid)).text();
    expect(first).toContain('受付番号: 1');
    expect(again).toContain('受付番号: 1');
    expect(storedCount(r)).toBe(1);
  });

  it('writes no note when replies.webhooks gives source form a way back', async () => {
    const yaml = `${ENABLED}replies:\n  webhooks:\n    - { source: form, url: "https://example.com/koe" }\n`;
    const r = await start(yaml, { KOE_WEBHOOK_SECRET: 'whsec-contact-0123456789abcdef' });
    await submit(r, valid);
    const detail = await (await r.api('/api/v1/inquiries/1')).json();
    expect(detail.messages.filter((m: { direction: string }) => m.direction === 'note')).toEqual([]);
  });

  it('refuses a reply to a form inquiry with no way back, saying to write to the address the customer gave', async () => {
    const r = await start();
    await submit(r, valid);
    const res = await r.api('/api/v1/inquiries/1/replies', {
      method: 'POST',
      json: { body: 'x', author: { id: 'sato', name: 'Sato' } },
    });
    expect(res.status).toBe(409);
    expect((await res.json()).message).toBe(
      'koe has no way back to the customer of inquiry 1 (source "form", the contact form) until replies by email are built: write to the email address the customer gave, or give "form" a reply webhook in replies.webhooks',
    );
  });

  it.each([
    ['an empty message', { message: '  \r\n ' }, 'message', 'お問い合わせ内容を入力してください。'],
    ['a bad email', { email: 'taro@' }, 'email', 'メールアドレスの形式が正しくありません。'],
    ['no name', { name: '' }, 'name', 'お名前を入力してください。'],
    ['a category not in the taxonomy', { category: 'nope' }, 'category', '一覧の中から選択してください。'],
    ['a message over 10,000 characters', { message: 'あ'.repeat(10_001) }, 'message', '10,000文字以内'],
  ])('answers 400 for %s, with the error next to its field and nothing stored', async (_what, change, field, error) => {
    const r = await start();
    const res = await submit(r, { ...valid, ...change });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<title>入力エラー: お問い合わせ</title>');
    // Between the field's label and its input, tied to it, and the field takes the focus.
    expect(page).toMatch(
      new RegExp(
        `<label for="f-${field}">[^\\n]*</label>\\n<p class="error" id="f-${field}-error">[^<]*${error}[^<]*</p>\\n<(input|select|textarea) id="f-${field}"[^>]*aria-invalid="true" aria-describedby="f-${field}-error" autofocus`,
      ),
    );
    expect(page).toContain(`<a href="#f-${field}">`);
    expect(storedCount(r)).toBe(0);
  });

  it('drops a submission whose honeypot is filled: a thank-you page without a number, and nothing stored', async () => {
    const r = await start();
    const res = await submit(r, { ...valid, website: 'https://spam.example' });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('お問い合わせを受け付けました');
    expect(page).not.toContain('受付番号');
    expect(storedCount(r)).toBe(0);
  });

  it('answers 413 with a page, and stores nothing, for a body over the limit', async () => {
    const r = await start();
    const res = await submit(r, { ...valid, message: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('送信内容が大きすぎます');
    expect(storedCount(r)).toBe(0);
  });
});

describe('the per-address limit', () => {
  it('answers 429 past contact.maxPerAddress with Retry-After and the form kept, and stores nothing more', async () => {
    const r = await start(`${ENABLED}  maxPerAddress: 2\n  windowMinutes: 10\n`);
    // Refused submissions do not count: a customer fixing a typo is not held back.
    expect((await submit(r, { ...valid, email: 'bad' })).status).toBe(400);
    expect((await submit(r, { ...valid, token: 'tok_aaaaaaaaaaaaaaaaaaaaaa' })).status).toBe(200);
    expect((await submit(r, { ...valid, token: 'tok_bbbbbbbbbbbbbbbbbbbbbb' })).status).toBe(200);
    const res = await submit(r, { ...valid, token: 'tok_cccccccccccccccccccccc', subject: '三通目' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(600);
    const page = await res.text();
    expect(page).toContain('<html lang="ja">');
    expect(page).toMatch(/<div class="notice" role="alert"><p>短時間に多くの送信があったため.*10分ほどおいてから/);
    expect(page).toContain('value="三通目"');
    expect(storedCount(r)).toBe(2);
  });

  it('never holds anyone back with contact.maxPerAddress: off', async () => {
    const r = await start(`${ENABLED}  maxPerAddress: off\n`);
    for (let i = 0; i < 8; i++) {
      expect((await submit(r, { ...valid, token: `tok_${String(i).repeat(22)}` })).status).toBe(200);
    }
    expect(storedCount(r)).toBe(8);
  });
});

describe('escaping', () => {
  const hostile = {
    name: '"><script>alert(1)</script>',
    email: "x'onmouseover='alert(1)",
    category: '"><img src=x onerror=alert(1)>',
    subject: "<img src=x onerror=alert('s')>&amp;",
    message: '</textarea><script>alert(2)</script>\n<b>bold</b>',
  };

  it('echoes hostile input back as text, never as markup', async () => {
    const r = await start();
    const res = await submit(r, hostile);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>bold');
    expect(page).not.toContain("'onmouseover");
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain('value="x&#39;onmouseover=&#39;alert(1)"');
    expect(page).toContain('value="&lt;img src=x onerror=alert(&#39;s&#39;)&gt;&amp;amp;"');
    expect(page).toContain(
      '&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;\n&lt;b&gt;bold&lt;/b&gt;</textarea>',
    );
    // The one textarea closes once, where koe closes it.
    expect(page.match(/<\/textarea>/g)).toHaveLength(1);
  });

  it('stores what was typed as typed, and the thank-you page shows none of it as markup', async () => {
    const r = await start();
    const res = await submit(r, { ...valid, name: hostile.name, subject: hostile.subject });
    const page = await res.text();
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    const detail = await (await r.api('/api/v1/inquiries/1')).json();
    expect(detail.subject).toBe(hostile.subject);
    expect(detail.customer.name).toBe(hostile.name);
  });

  it('replaces a token that koe could not have made with a fresh one instead of echoing it', async () => {
    const r = await start();
    const page = await (await submit(r, { ...valid, email: '', token: '"><script>x</script>' })).text();
    expect(page).not.toContain('<script');
    expect(page).toMatch(/name="token" value="[A-Za-z0-9_-]{22}"/);
  });
});
