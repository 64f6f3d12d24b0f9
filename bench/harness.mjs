// A small benchmark harness (no dependencies): warm up, calibrate a batch size per candidate,
// then take samples round-robin so that drift (CPU frequency, GC, other load) hits every
// candidate alike, and report the median of the samples.

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export { median };

/**
 * How many times faster `subject` runs than `other`: the median over rounds of the two
 * candidates' ratio in the same round. A shared machine's speed drifts between rounds, and both
 * candidates of one round see the same speed, so this is steadier than a ratio of medians.
 */
export function medianRatio(subject, other) {
  return median(subject.times.map((ns, round) => other.times[round] / ns));
}

/** First and third quartile: how much block-to-block noise a median sits in. */
export function quartiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  return [at(0.25), at(0.75)];
}

/** Times `iterations` back-to-back calls; awaits each call only when `fn` is async. */
async function batch(fn, iterations, isAsync) {
  const started = performance.now();
  if (isAsync) for (let i = 0; i < iterations; i++) await fn();
  else for (let i = 0; i < iterations; i++) fn();
  return performance.now() - started;
}

/**
 * Compares candidates `{ name, fn }` side by side. Returns `{ name, nsPerOp, opsPerSecond, times }`
 * per candidate, where `nsPerOp` is the median over `samples` samples of ~`sampleMs` each, and
 * `times` each sample's ns per op, in round order (every candidate runs once per round).
 */
export async function compare(candidates, { samples = 40, sampleMs = 20, warmupMs = 150 } = {}) {
  const prepared = [];
  for (const candidate of candidates) {
    const isAsync = typeof candidate.fn()?.then === 'function';
    let iterations = 1;
    let spent = 0;
    const warmupStarted = performance.now();
    while (performance.now() - warmupStarted < warmupMs) {
      spent = await batch(candidate.fn, iterations, isAsync);
      if (spent < sampleMs / 4) iterations *= 2;
    }
    const perSample = Math.max(1, Math.round((iterations * sampleMs) / Math.max(spent, 0.001)));
    prepared.push({ ...candidate, isAsync, perSample, times: [] });
  }
  for (let sample = 0; sample < samples; sample++) {
    // Rotate the order each round so no candidate always runs right after another's garbage.
    for (let k = 0; k < prepared.length; k++) {
      const candidate = prepared[(sample + k) % prepared.length];
      const ms = await batch(candidate.fn, candidate.perSample, candidate.isAsync);
      candidate.times.push((ms * 1e6) / candidate.perSample);
    }
  }
  return prepared.map(({ name, times }) => {
    const nsPerOp = median(times);
    return { name, nsPerOp, opsPerSecond: 1e9 / nsPerOp, times };
  });
}

/** `1.23 µs`, `456 ns`, `1.2 ms`. */
export function formatNs(ns) {
  if (ns < 0) return `-${formatNs(-ns)}`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

/** A PASS/MISS line for a target; targets are reported, never asserted. */
export function verdict(ok) {
  return ok ? 'PASS' : 'MISS';
}
