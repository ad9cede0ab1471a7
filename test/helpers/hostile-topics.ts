// Topics for renderer tests: as long and hostile as customers' words get (markup, mentions, links).
import type { Topic } from '../../src/core/digests/types.ts';

/** Three topics with the longest labels and examples a digest carries, full of markup. */
export const HOSTILE_TOPICS: Topic[] = Array.from({ length: 3 }, (_, i) => ({
  label: `二段階認証・*コード*・<@U1> @channel ${'長'.repeat(40)} ${i}`,
  count: 1234 + i,
  previousWeeklyAverage: 0.5,
  examples: [
    `<!here> *届かない* [link](https://x) ~消~ \`code\` ${'字'.repeat(30)}…`,
    `> 引用 _斜体_ ${'x'.repeat(50)}`,
  ],
}));
