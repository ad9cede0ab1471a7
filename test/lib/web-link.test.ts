import { describe, expect, it } from 'vitest';
import { webLinkProblem } from '../../src/lib/web-link.ts';

describe('webLinkProblem: the links koe shows staff', () => {
  it.each([
    'https://example.com/form/42',
    'http://example.com',
    'HTTPS://Example.COM/Path?q=1#top',
    'https://8.8.8.8/',
    'https://[2001:db8::1]/', // documentation range, but not a local one
    'https://172.32.0.1/', // just past 172.16.0.0/12
    'https://100.128.0.1/', // just past 100.64.0.0/10
    'https://sub.example.local.example.com/',
  ])('accepts %s', (url) => {
    expect(webLinkProblem(url)).toBeNull();
  });

  it.each([
    ['javascript:alert(document.cookie)', 'javascript:'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    ['file:///etc/passwd', 'file:'],
    ['slack://open?team=T1', 'slack:'],
    ['ftp://example.com/a', 'ftp:'],
    ['vbscript:msgbox(1)', 'vbscript:'],
  ])('refuses %s, saying which schemes it takes', (url, scheme) => {
    expect(webLinkProblem(url)).toBe(`must be an http: or https: URL, not ${scheme}`);
  });

  it.each([
    'http://127.0.0.1:22/',
    'http://127.1.2.3/',
    'http://2130706433/', // 127.0.0.1 written as one number
    'http://0x7f.1/', // and in hex
    'http://0.0.0.0:8080/',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.1.1/admin',
    'http://169.254.169.254/latest/meta-data/', // cloud metadata
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:192.168.0.1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[ff02::1]/',
    'http://localhost:3000/',
    'http://LOCALHOST./',
    'http://app.localhost/',
    'http://printer.local/',
    'http://vault.internal/',
    'http://nas.home.arpa/',
    'http://router.lan/',
    'http://intranet/wiki',
  ])('refuses %s as a loopback, private or local-network host', (url) => {
    expect(webLinkProblem(url)).toMatch(/^must point at a public host, not .+ \(loopback, private and local-network/);
  });

  it.each(['example.com/form', 'not a url', '', 'https://'])('refuses %j as not a URL', (text) => {
    expect(webLinkProblem(text)).toBe('must be a URL');
  });
});
