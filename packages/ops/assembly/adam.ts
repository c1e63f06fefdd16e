// Adam's per-weight update (the optimizer's hot loop: 1.6M weights a step for the textbook's
// first model) in float64 lanes, two weights at a time. Every operation is the one the JavaScript
// loop performs on doubles, in the same order, with the moments rounded to float32 when stored:
// the results are bit for bit the same, only the square roots and divisions run two per
// instruction instead of one.

function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

function store2(p: usize, value: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(value), 0);
}

/** Rounds two doubles to float32 and back, as storing them in a Float32Array does. */
function round2(value: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(value));
}

/**
 * For each of `count` weights: m = f32(beta1·m + (1−beta1)·g), v = f32(beta2·v + (1−beta2)·g·g),
 * param = f32(param − stepSize·m / (sqrt(v) + epsilon)). All pointers are float32 arrays.
 */
export function adamUpdate(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  count: i32,
  stepSize: f64,
  beta1: f64,
  beta2: f64,
  epsilon: f64,
): void {
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  const beta1s = f64x2.splat(beta1);
  const beta2s = f64x2.splat(beta2);
  const oneMinusBeta1s = f64x2.splat(oneMinusBeta1);
  const oneMinusBeta2s = f64x2.splat(oneMinusBeta2);
  const steps = f64x2.splat(stepSize);
  const epsilons = f64x2.splat(epsilon);
  const pairs = count & ~1;
  let i = 0;
  for (; i < pairs; i += 2) {
    const offset = (<usize>i) << 2;
    const g = load2(grad + offset);
    const first = round2(
      f64x2.add(f64x2.mul(beta1s, load2(m + offset)), f64x2.mul(oneMinusBeta1s, g)),
    );
    const second = round2(
      f64x2.add(f64x2.mul(beta2s, load2(v + offset)), f64x2.mul(f64x2.mul(oneMinusBeta2s, g), g)),
    );
    store2(m + offset, first);
    store2(v + offset, second);
    const stepped = f64x2.div(f64x2.mul(steps, first), f64x2.add(f64x2.sqrt(second), epsilons));
    store2(param + offset, f64x2.sub(load2(param + offset), stepped));
  }
  for (; i < count; i++) {
    const offset = (<usize>i) << 2;
    const g = <f64>load<f32>(grad + offset);
    const first = <f64>(<f32>(beta1 * <f64>load<f32>(m + offset) + oneMinusBeta1 * g));
    const second = <f64>(<f32>(beta2 * <f64>load<f32>(v + offset) + oneMinusBeta2 * g * g));
    store<f32>(m + offset, <f32>first);
    store<f32>(v + offset, <f32>second);
    const updated =
      <f64>load<f32>(param + offset) - (stepSize * first) / (Math.sqrt(second) + epsilon);
    store<f32>(param + offset, <f32>updated);
  }
}
