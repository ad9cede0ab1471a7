import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for.ts';
import { ALICE, CUSTOMER, CUSTOMERS, postInSource, startSlackKoe, type SlackKoe } from './harness.ts';

/**
 * A customer's message in a Slack source channel is stored as the text a reader saw, not as Slack's
 * markup: mentions become `@name`, channels `#name`, links `label (url)`, broadcasts `@here`, and the
 * entities are decoded; so no stored body carries `<@U…>` or `<!here>` that could act again later.
 */
describe('a Slack source-channel message, taken in', () => {
  let k: SlackKoe;
  beforeAll(async () => {
    k = await startSlackKoe();
  });
  afterAll(async () => {
    await k.stop();
  });

  it('is stored as readable text', async () => {
    const text =
      `<@${ALICE}|alice> see <#C0DOCS|docs> and <https://help.example/a?b=1&amp;c=2|the guide>, ` +
      'or <https://plain.example>. <!here> <!subteam^S0TEAM|@support> 1 &lt; 2 &amp;&amp; 3 &gt; 2';
    await postInSource(k, CUSTOMER, text);
    const item = await waitFor(
      async () =>
        (await (await k.api('/api/v1/inquiries?limit=100')).json()).items.find(
          (i: any) => i.source === `slack:${CUSTOMERS}`,
        ),
      8_000,
      'the inquiry from the source channel',
    );
    const { body } = await (await k.api(`/api/v1/inquiries/${item.id}`)).json();
    expect(body).toBe(
      '@alice see #docs and the guide (https://help.example/a?b=1&c=2), or https://plain.example. @here @support 1 < 2 && 3 > 2',
    );
    expect(body).not.toMatch(/<[@#!]/);
  });
});
