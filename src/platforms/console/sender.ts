import type { DeliveryKind, RenderSettings, Sender } from '../types.ts';
import { renderInquiryText, renderMessageText } from './render.ts';
import { renderDigestText } from './render-digest.ts';
import { terminalSafe } from './terminal-text.ts';
import { wordsFor } from '../words/index.ts';

/**
 * Prints mirrors to a stream so koe can be tried without any workspace. There is no remote copy to
 * look up after a crash, so an interrupted print may be repeated: acceptable for a terminal.
 * The stream is usually the stdout koe logs to: whatever is printed passes `terminalSafe` (no
 * control character but line feeds, no line that parses as a JSON log record).
 */
export function createConsoleSender(
  settings: RenderSettings,
  out: NodeJS.WritableStream = process.stdout,
  renderDigest: (digest: unknown, settings: RenderSettings) => string = renderDigestText,
): Sender {
  let seq = 0;
  const write = (text: string) => {
    out.write(`${terminalSafe(text)}\n`);
    seq += 1;
    return { messageRef: `console-${Date.now()}-${seq}` };
  };
  return {
    platform: 'console',
    paceMs: (_kind: DeliveryKind) => 0,
    async postInquiry({ view }) {
      const posted = write(renderInquiryText(view, settings, 'new'));
      return { ...posted, threadRef: posted.messageRef };
    },
    async updateInquiry({ view }) {
      write(renderInquiryText(view, settings, 'updated'));
    },
    async postToThread({ view, message }) {
      return write(renderMessageText(view, message, settings));
    },
    async updateThreadMessage({ view, message }) {
      write(renderMessageText(view, message, settings));
    },
    async postAlert({ text }) {
      return write(`! ${text}`);
    },
    async notifyUser({ userId, view, message }) {
      const words = wordsFor(settings.locale).replies;
      write(`  ! ${userId}: ${words.failedNotice({ id: view.inquiry.id, error: message.replyError ?? '?' })}`);
    },
    async postDigest({ digest }) {
      return write(renderDigest(digest, settings));
    },
    async findDelivered() {
      return null;
    },
  };
}
