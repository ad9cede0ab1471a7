import { describe, expect, it } from 'vitest';
import { predictInto, trainSoftmax } from '../../../src/core/reasons/classifier-softmax.ts';
import type { SparseVector } from '../../../src/core/reasons/features-tfidf.ts';

// The dense block (a sentence embedding) is the same model as those numbers written as sparse
// features after the others, laid out class by class for speed: the two must train to the same
// weights and give the same probabilities, whatever the block's length (here 10: two runs of the
// four-wide loop and two numbers after). Six reasons, each told by its own dense number, trained
// until most of the others' gradients are negligible: the updates then touch only some classes.

const DIMS = 10;
const SPARSE = 4;
const CLASSES = 6;

function examples(): { asDense: SparseVector[]; asSparse: SparseVector[]; labels: Int32Array } {
  const asDense: SparseVector[] = [];
  const asSparse: SparseVector[] = [];
  const labels: number[] = [];
  for (let n = 0; n < 36; n++) {
    const c = n % CLASSES;
    const indices = Int32Array.of(n % SPARSE, (n + 1) % SPARSE === n % SPARSE ? 0 : (n + 1) % SPARSE);
    const values = Float32Array.of(0.5, 0.25);
    const dense = Float32Array.from({ length: DIMS }, (_, i) => (i === c ? 1 : Math.sin(n * 7 + i * 3 + c) * 0.2));
    asDense.push({ indices, values, dense });
    asSparse.push({
      indices: Int32Array.from([...indices, ...Array.from(dense, (_, i) => SPARSE + i)]),
      values: Float32Array.from([...values, ...dense]),
    });
    labels.push(c);
  }
  return { asDense, asSparse, labels: Int32Array.from(labels) };
}

describe('the softmax’s dense block', () => {
  const options = { epochs: 30, learningRate: 2, l2: 1e-4, seed: 3 };

  it('trains to the weights the same numbers get as sparse features', () => {
    const { asDense, asSparse, labels } = examples();
    const dense = trainSoftmax(asDense, labels, CLASSES, SPARSE, options, DIMS);
    const sparse = trainSoftmax(asSparse, labels, CLASSES, SPARSE + DIMS, options);
    for (let f = 0; f < SPARSE; f++) {
      for (let c = 0; c < CLASSES; c++) {
        expect(dense.weights[f * CLASSES + c]).toBeCloseTo(sparse.weights[f * CLASSES + c]!, 5);
      }
    }
    for (let i = 0; i < DIMS; i++) {
      for (let c = 0; c < CLASSES; c++) {
        expect(dense.dense![c * DIMS + i]).toBeCloseTo(sparse.weights[(SPARSE + i) * CLASSES + c]!, 5);
      }
    }
    expect(dense.dense!.some((w) => Math.abs(w) > 0.05)).toBe(true);
  });

  it('gives the same probabilities, and ignores a block of another length', () => {
    const { asDense, asSparse, labels } = examples();
    const dense = trainSoftmax(asDense, labels, CLASSES, SPARSE, options, DIMS);
    const sparse = trainSoftmax(asSparse, labels, CLASSES, SPARSE + DIMS, options);
    const a = new Float64Array(CLASSES);
    const b = new Float64Array(CLASSES);
    predictInto(dense, asDense[4]!, a);
    predictInto(sparse, asSparse[4]!, b);
    for (let c = 0; c < CLASSES; c++) expect(a[c]).toBeCloseTo(b[c]!, 5);
    const wordsOnly = { indices: asDense[4]!.indices, values: asDense[4]!.values };
    predictInto(dense, { ...wordsOnly, dense: Float32Array.of(1, 2) }, a);
    predictInto(dense, wordsOnly, b);
    expect([...a]).toEqual([...b]);
  });
});
