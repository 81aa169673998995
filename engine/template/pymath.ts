// Python's math.log, math.log10 and math.pow as glibc computes them (nearly correctly rounded),
// for the log/pow/root filters: V8's Math.log and Math.pow differ from glibc in the last bit for
// a few percent of inputs, which shows in printed results. Computed in double-double arithmetic
// (about 100 bits) and rounded once; glibc's log10 formula is reproduced on top of that log.

type DD = [number, number];

const SPLIT = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = quickTwoSum(s, e + t);
  return quickTwoSum(s2, e2 + f);
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  let r = add(a, mul([-q1, 0], b));
  const q2 = r[0] / b[0];
  r = add(r, mul([-q2, 0], b));
  const q3 = r[0] / b[0];
  return add(quickTwoSum(q1, q2), [q3, 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** ln(x) for finite x > 0, as a double-double. */
function ddLog(x: number): DD {
  let e = 0;
  let m = x;
  while (m < 2 ** -960) {
    m *= 2 ** 60;
    e -= 60;
  }
  const k = Math.floor(Math.log2(m));
  m /= 2 ** k;
  e += k;
  if (m >= Math.SQRT2) {
    m /= 2;
    e += 1;
  } else if (m < Math.SQRT1_2) {
    m *= 2;
    e -= 1;
  }
  // ln(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172
  const s = div(twoSum(m, -1), twoSum(m, 1));
  const s2 = mul(s, s);
  let term = s;
  let sum: DD = s;
  for (let n = 3; n < 80; n += 2) {
    term = mul(term, s2);
    const piece = div(term, [n, 0]);
    sum = add(sum, piece);
    if (Math.abs(piece[0]) < 1e-36 * Math.abs(sum[0])) break;
  }
  return add(mul(sum, [2, 0]), mul(LN2, [e, 0]));
}

/** e^z for a double-double z, as a double (Infinity/0 beyond range). */
function ddExp(z: DD): number {
  if (z[0] > 709.8) return Infinity;
  if (z[0] < -745.2) return 0;
  const k = Math.round(z[0] / LN2[0]);
  let r = add(z, mul(LN2, [-k, 0]));
  r = [r[0] / 1024, r[1] / 1024];
  // Taylor series of e^r - 1 for |r| < 3.4e-4, then squared ten times
  let term: DD = r;
  let sum: DD = r;
  for (let n = 2; n < 30; n++) {
    term = div(mul(term, r), [n, 0]);
    sum = add(sum, term);
    if (Math.abs(term[0]) < 1e-36) break;
  }
  let y = add(sum, [1, 0]);
  for (let i = 0; i < 10; i++) y = mul(y, y);
  const v = y[0] + y[1];
  // scale by 2^k in two steps so that neither factor overflows
  const half = Math.trunc(k / 2);
  return v * 2 ** half * 2 ** (k - half);
}

/** math.log(x) for x > 0. */
export function pyLog(x: number): number {
  if (x === Infinity || Number.isNaN(x)) return x;
  if (x === 1) return 0;
  const [hi, lo] = ddLog(x);
  return hi + lo;
}

/** glibc's __ieee754_log10: k*log10(2) split in two, plus log(mantissa)/ln(10). */
export function pyLog10(x: number): number {
  if (x === Infinity || Number.isNaN(x)) return x;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  let hx = buf.getInt32(0);
  let k = 0;
  if (hx < 0x00100000) {
    buf.setFloat64(0, x * 1.8014398509481984e16);
    hx = buf.getInt32(0);
    k -= 54;
  }
  k += (hx >> 20) - 1023;
  const i = k < 0 ? 1 : 0;
  buf.setInt32(0, (hx & 0x000fffff) | ((0x3ff - i) << 20));
  const y = k + i;
  const z = y * 3.69423907715893078616e-13 + 4.34294481903251816668e-1 * pyLog(buf.getFloat64(0));
  return z + y * 3.01029995663611771306e-1;
}

/** math.pow(x, y); NaN stands for Python's ValueError ("math domain error"). */
export function pyPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0) {
    if (x === 0 && y < 0) return NaN;
    return Math.pow(x, y);
  }
  const odd = Number.isInteger(y) && Math.abs(y % 2) === 1;
  if (x < 0 && !Number.isInteger(y)) return NaN;
  const r = ddExp(mul(ddLog(Math.abs(x)), [y, 0]));
  return x < 0 && odd ? -r : r;
}
