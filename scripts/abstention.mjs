// Measures for a QA system that may say "not in this knowledge base": the seeded split of KgCLUE dev into
// questions whose triple stays in the KB and questions whose triple is removed, the AUROC of a confidence for
// telling them apart, and coverage/accuracy at a threshold.

/** The indices of a fixed, seeded half of n items (mulberry32 Fisher–Yates; the same for every run). */
export function seededHalf(n, seed = 15) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Set(order.slice(0, Math.floor(n / 2)));
}

/**
 * The probability that a random positive scores above a random negative, ties counting one half
 * (Mann–Whitney U / (|P|·|N|)): 1 separates them perfectly, 0.5 is chance.
 */
export function auroc(positives, negatives) {
  const all = [...positives.map((s) => [s, 1]), ...negatives.map((s) => [s, 0])].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) ++j;
    const midRank = (i + 1 + j) / 2;  // ranks i+1 … j share their mean
    for (let t = i; t < j; ++t) if (all[t][1]) rankSum += midRank;
    i = j;
  }
  const p = positives.length, n = negatives.length;
  return (rankSum - (p * (p + 1)) / 2) / (p * n);
}

/**
 * At threshold t (answer when confidence ≥ t): the share of in-KB questions answered, the accuracy of those
 * answers, and the share of out-of-KB questions answered anyway (each answer there is wrong: its triple is
 * not in the KB). inKb: [{ confidence, correct }], outOfKb: [{ confidence }].
 */
export function abstentionAt(inKb, outOfKb, t) {
  const answered = inKb.filter((q) => q.confidence >= t);
  return {
    threshold: t,
    inKbAnswered: answered.length / inKb.length,
    accuracyOfAnswered: answered.length ? answered.filter((q) => q.correct).length / answered.length : 1,
    outOfKbAnswered: outOfKb.filter((q) => q.confidence >= t).length / outOfKb.length,
  };
}
