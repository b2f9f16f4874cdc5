// glibc's natural logarithm, bit for bit, for NumPy-exact Gaussian draws.
//
// Why this exists: `np.random.seed(S); np.random.randn()` (legacy_gauss in NumPy's
// legacy-distributions.c) computes `f = sqrt(-2.0 * log(r2) / r2)` with the C library's
// `log`. On Linux that is glibc's, and V8's Math.log (an fdlibm port) returns a different
// double for about 7 % of inputs, which made ~3 % of our randn draws differ from NumPy's by
// 1–3 ulp. Neither function is correctly rounded: glibc's log is off by up to 0.519 ulp,
// so a correctly rounded log would still disagree with NumPy on ~0.1 % of inputs. This
// module therefore reproduces glibc's algorithm itself, including its rounding errors.
//
// What it reproduces: glibc >= 2.28 `__ieee754_log` (sysdeps/ieee754/dbl-64/e_log.c, from
// Arm's optimized-routines, LOG_TABLE_BITS = 7, LOG_POLY_ORDER = 6, LOG_POLY1_ORDER = 12),
// in the variant x86_64 glibc selects on CPUs with FMA and AVX2 (`__log_fma`, e_log-fma.c,
// built with -mfma -mavx2). In that build GCC contracts the C expressions into fused
// multiply-adds; the exact grouping below was read from the disassembly of Debian's glibc
// 2.36 libm.so.6 (x86_64), and the tables/coefficients were taken from its .rodata
// (they equal e_log_data.c). aarch64 glibc builds the same source with FMA contraction too.
// Other C libraries (macOS, Windows) and pre-FMA x86 CPUs use other log implementations, so
// there NumPy itself draws slightly different numbers.
//
// JavaScript has no fused multiply-add, so `fma` below emulates it exactly: Dekker's exact
// product (Veltkamp splitting), two TwoSums, and a correction for the one case where the
// last rounding could go wrong, an exact tie (the idea behind Boldo & Melquiond's rounding
// to odd, "Emulation of FMA and correctly rounded sums", IEEE Trans. Computers 57(4), 2008).
// It is exact barring overflow and underflow, neither of which log's operands come near.
// Multiply-adds whose product is exact (k*Ln2hi, r*2^27, rhi*rhi*(-0.5)) are written as
// plain a*b + c, which is then the same single rounding.
//
// `exactLogReference` is the straight transcription (about 7-10 emulated FMAs per call).
// `exactLog`, the one to use, gets glibc's result from plain arithmetic plus an error bound
// and only falls back to the transcription when the bound cannot decide the last rounding
// (about 1 call in 500); see its comment. Cost: ~40 ns a call once optimised (Math.log ~10).
//
// Checked against glibc (Python's math.log calls the same libm function) on 4.5 million
// inputs (random doubles, subnormals, near 1, randn's r2), the fast path against the
// transcription on 40 million more, and randn against NumPy on 14 million draws; the
// committed reference is test/fixtures/reference/rng-bits.json (scripts/numpy_fixtures.py),
// compared bit for bit by test/unit/trainer/rng-exact.test.ts.

// glibc's __log_data (e_log_data.c), read from libm.so.6's .rodata; the decimal literals are
// the shortest round-trip forms of the exact doubles (hex forms in the comments).
const LN2HI = 0.6931471805598903; // 0x1.62e42fefa3800p-1
const LN2LO = 5.497923018708371e-14; // 0x1.ef35793c76730p-45
const A0 = -0.5000000000000001; // -0x1.0000000000001p-1
const A1 = 0.33333333331825593; // 0x1.555555551305bp-2
const A2 = -0.2499999999622955; // -0x1.fffffffeb4590p-3
const A3 = 0.20000304511814496; // 0x1.999b324f10111p-3
const A4 = -0.16667054827627667; // -0x1.55575e506c89fp-3
const B0 = -0.5; // -0x1.0000000000000p-1
const B1 = 0.3333333333333352; // 0x1.5555555555577p-2
const B2 = -0.24999999999998432; // -0x1.ffffffffffdcbp-3
const B3 = 0.19999999999320328; // 0x1.999999995dd0cp-3
const B4 = -0.16666666669929706; // -0x1.55555556745a7p-3
const B5 = 0.14285715076560868; // 0x1.24924a344de30p-3
const B6 = -0.12499997863982555; // -0x1.fffffa4423d65p-4
const B7 = 0.11110712032936046; // 0x1.c7184282ad6cap-4
const B8 = -0.10000486757818193; // -0x1.999eb43b068ffp-4
const B9 = 0.09181994006195467; // 0x1.78182f7afd085p-4
const B10 = -0.08328363062289341; // -0x1.5521375d145cdp-4
// T[2i] = invc, T[2i+1] = logc (glibc __log_data.tab, LOG_TABLE_BITS = 7)
const T = new Float64Array([
  1.4504249240398293, -0.3718565645633589,
  1.442253508327276, -0.36620682668944937,
  1.4341736174350004, -0.3605888069791945,
  1.426183816329995, -0.3550022171419869,
  1.4182825527052965, -0.34944666968829097,
  1.4104682921759335, -0.3439217713603284,
  1.4027396147468003, -0.3384271921261188,
  1.3950954438932313, -0.332962831494342,
  1.3875338232485754, -0.32752794345742586,
  1.3800539211058593, -0.32212257167088865,
  1.3726542695419708, -0.3167462884799761,
  1.3653332798446802, -0.3113985598928366,
  1.358090204587874, -0.3060794515165526,
  1.3509234892132138, -0.300788424667644,
  1.3438320840699889, -0.2955252968476998,
  1.3368146974742003, -0.29028969275850613,
  1.329870114677736, -0.2850812793277555,
  1.322997339161106, -0.27989987391470095,
  1.316195352741367, -0.27474526621870154,
  1.3094628125672239, -0.2696169863701243,
  1.3027990455471041, -0.26451506180308115,
  1.2962024229438942, -0.2594387762767383,
  1.2896726275815547, -0.2543884090981692,
  1.2832080305745537, -0.24936321635129843,
  1.276807885983376, -0.24436312405975968,
  1.2704714060687552, -0.23938801747897287,
  1.2641976054949482, -0.23443761696705678,
  1.257985357514882, -0.22951151871518505,
  1.2518337750655457, -0.2246094963439873,
  1.2457421919097305, -0.21973149037705753,
  1.2397094966625508, -0.2148770752847895,
  1.2337348463589233, -0.210046029103637,
  1.2278176973028803, -0.20523836373934046,
  1.2219570190618474, -0.20045368751368642,
  1.2161519732977757, -0.1956917537758045,
  1.2104018095009725, -0.19095237845203883,
  1.204705805718973, -0.18623539250290833,
  1.1990631185441964, -0.18154051731551135,
  1.1934733004462308, -0.1768677957431919,
  1.1879350812847385, -0.17221657406412305,
  1.1824481322833125, -0.16758697765942543,
  1.1770114976921955, -0.16297859687290384,
  1.1716248121809465, -0.15839151377804228,
  1.1662869231674715, -0.15382513241456763,
  1.1609977486762766, -0.14927976358922024,
  1.1557563220795803, -0.14475495398119165,
  1.1505619105480347, -0.14025044090817573,
  1.1454138888505974, -0.1357660466685502,
  1.140311877374656, -0.1313018016355727,
  1.1352550225747513, -0.12685731518763532,
  1.1302429094831266, -0.1224325737671279,
  1.1252747693068048, -0.11802724521862729,
  1.1203501571039876, -0.11364127671663482,
  1.1154683327680124, -0.10927434611278386,
  1.1106291463292157, -0.10492665324943573,
  1.1058315813301596, -0.10059761422644442,
  1.1010752177696026, -0.09628717309055901,
  1.0963597137952512, -0.09199534069557558,
  1.0916844827550398, -0.08772190036688698,
  1.0870487291277784, -0.08346643613867855,
  1.082452357388312, -0.07922916827544668,
  1.0778948225025884, -0.0750099004750382,
  1.0733751731601076, -0.07080805133352897,
  1.068893585073351, -0.06662408085151128,
  1.0644491706655506, -0.06245745471915143,
  1.0600414846328305, -0.0583080438042316,
  1.0556701316181605, -0.05417576112313327,
  1.051334750556926, -0.050060547896805474,
  1.0470347288442157, -0.045962101199052086,
  1.0427699229652954, -0.04188056008865715,
  1.0385395013738175, -0.03781540056183985,
  1.034343418940345, -0.03376684757915882,
  1.0301811073173315, -0.029734619131772888,
  1.026052043621297, -0.025718470239212365,
  1.0219561082336197, -0.021718543925430822,
  1.0178926505784922, -0.01773446126981071,
  1.0138614436244586, -0.013766252464051831,
  1.0098620186501341, -0.009813706322574944,
  1.0058938559734134, -0.005876555150052809,
  1.00195696235014, -0.0019550499938532084,
  0.9961089923088509, 0.0038985973556009412,
  0.9884170338185201, 0.011650571286395461,
  0.9808429191005297, 0.019342955478919066,
  0.9733840169987446, 0.0269766014846482,
  0.9660377568876556, 0.034552359728422744,
  0.9588014945307369, 0.04207121767183253,
  0.9516728569073111, 0.049533940950141186,
  0.9446494635965822, 0.056941358295944156,
  0.9377288993026223, 0.06429439168346107,
  0.9309091073790681, 0.0715936354946507,
  0.924187681612722, 0.07884010933776153,
  0.9175626765599192, 0.08603438905970506,
  0.9110320403624034, 0.09317721180013905,
  0.9045935839762024, 0.10026951462748457,
  0.8982456375922825, 0.10731170956330516,
  0.8919860966782501, 0.11430473320717738,
  0.8858131121185129, 0.12124928503033061,
  0.879725075760676, 0.12814583422959913,
  0.8737201372634685, 0.1349951636851756,
  0.8677966405782273, 0.1417978768189414,
  0.8619528050060739, 0.14855476039031146,
  0.8561872354420692, 0.1552661937658968,
  0.8504983927816893, 0.16193275688146969,
  0.8448844572790304, 0.16855539792220497,
  0.8393442741575965, 0.1751343179947753,
  0.8338762249349438, 0.1816702989864325,
  0.8284789320557778, 0.18816387146023317,
  0.8231510800065832, 0.1946155228479256,
  0.8178913903778707, 0.20102572579389744,
  0.8126984007245374, 0.2073952090795501,
  0.8075710029460227, 0.21372429840596396,
  0.8025078881160415, 0.2200135945981856,
  0.7975077379364331, 0.22626374162859975,
  0.792569604966373, 0.23247494747693054,
  0.7876923641254114, 0.23864766620658884,
  0.7828746724940998, 0.24478265647405806,
  0.7781155388790811, 0.25088025827324145,
  0.7734139557869777, 0.2569408552510595,
  0.7687687179914933, 0.26296511155101143,
  0.7641790698041854, 0.2689531327189343,
  0.7596438763692399, 0.27490553924610595,
  0.7551621951078668, 0.2808227248478943,
  0.7507331780216866, 0.286704979267256,
  0.7463557196361751, 0.29255295645509705,
  0.7420289364869653, 0.2983670386142876,
  0.7377521537065876, 0.30414734587282055,
  0.7335242966002608, 0.30989455774829366,
  0.729344777457841, 0.31560871301871884,
]);

// Bit access to doubles; which 32-bit half holds the sign and exponent depends on endianness.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitting constant for 53-bit doubles

/**
 * Exactly rounded fused multiply-add RN(a*b + c), as the FMA instruction computes it.
 * Valid when nothing overflows (|a|, |b| < 2^995) and a*b is 0 or above 2^-969 in
 * magnitude (so Dekker's error term is exact), which holds for every call in this module.
 */
export function fma(a: number, b: number, c: number): number {
  // p + e = a*b exactly (Dekker's product with Veltkamp's splitting).
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  // s + q = p + c exactly (TwoSum), then v + w = q + e exactly (TwoSum).
  const s = p + c;
  t = s - p;
  const q = p - (s - t) + (c - t);
  const v = q + e;
  t = v - q;
  const w = q - (v - t) + (e - t);
  // a*b + c = s + v + w exactly. If w != 0, then |v| <= 3 ulp(s) (q = 0 and w = 0 whenever
  // p + c cancels), so s + v and every midpoint between doubles near it are multiples of
  // ulp(v), while |w| <= ulp(v)/2: RN(s + v) can only differ from RN(s + v + w) when s + v
  // is exactly halfway between two doubles, and then the sign of w decides the side.
  const res = s + v;
  if (w === 0) return res;
  t = res - s;
  const d = s - (res - t) + (v - t); // s + v = res + d exactly
  if (d === 0 || w > 0 !== d > 0) return res;
  const next = res + 2 * d; // the neighbour of res on d's side if s + v is a tie
  return next - res === 2 * d ? next : res;
}

/**
 * glibc's `log` transcribed operation for operation, with every fused multiply-add of the
 * x86_64 FMA build emulated exactly. Slow (about 7-10 `fma` calls); `exactLog` runs a
 * cheaper evaluation first and falls back to this when it cannot vouch for the rounding.
 */
export function exactLogReference(x: number): number {
  F64[0] = x;
  let hi = U32[HI];
  let lo = U32[LO];

  // Close to 1.0 (0x3fee000000000000 <= bits < 0x3ff1090000000000): a degree-12 polynomial.
  if (hi >= 0x3fee0000 && hi < 0x3ff10900) {
    if (hi === 0x3ff00000 && lo === 0) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const q1 = fma(r2, B3, fma(r, B2, B1));
    const q2 = fma(r2, B6, fma(r, B5, B4));
    let q3 = fma(r2, B9, fma(r, B8, B7));
    q3 = fma(r3, B10, q3);
    const p = fma(fma(q3, r3, q2), r3, q1);
    // hi + lo = r - r^2/2 with r split into rhi (26 bits) + rlo, so rhi*rhi is exact.
    const rw = r * 134217728 + r; // fma(r, 2^27, r): the product is exact
    const rhi = rw - 134217728 * r; // fnmadd: exact product again
    const rlo = r - rhi;
    const rhi2 = rhi * rhi;
    const h = rhi2 * B0 + r; // exact product (times -0.5)
    let l = rhi2 * B0 + (r - h);
    l = fma(B0 * rlo, r + rhi, l);
    return h + fma(p, r3, l);
  }

  const top = hi >>> 16;
  if (top < 0x0010 || top >= 0x7ff0) {
    // Zero, subnormal, negative, infinite or NaN.
    if ((hi & 0x7fffffff) === 0 && lo === 0) return -Infinity;
    if (x === Infinity) return x;
    if (top & 0x8000 || (top & 0x7ff0) === 0x7ff0) return NaN;
    // Subnormal: scale by 2^52 and take 52 off the exponent.
    F64[0] = x * 4503599627370496;
    hi = U32[HI] - (52 << 20);
    lo = U32[LO];
  }

  // x = 2^k z with z in [0x1.6p-1, 0x1.6p0); the table entry i brackets z.
  const tmp = (hi - 0x3fe60000) | 0; // high word of (bits - 0x3fe6000000000000)
  const i = (tmp >>> 13) & 0x7f;
  const k = tmp >> 20;
  U32[HI] = hi - (tmp & 0xfff00000);
  U32[LO] = lo;
  const z = F64[0];
  const invc = T[2 * i];
  const logc = T[2 * i + 1];

  // log(x) = log1p(z/c - 1) + log(c) + k*ln2, with r = z*invc - 1 in one rounding.
  const r = fma(z, invc, -1);
  const w = k * LN2HI + logc; // fma(k, Ln2hi, logc): the product is exact
  const h = w + r;
  const l = fma(k, LN2LO, w - h + r);
  const r2 = r * r;
  const p = fma(r2, fma(r, A4, A3), fma(r, A2, A1));
  return fma(r * r2, p, fma(r2, A0, l)) + h;
}

const BOUND = 1.7763568394002505e-15; // 2^-49, see exactLog

/**
 * Natural logarithm, equal bit for bit to glibc's `log` (x86_64 FMA build) for every double.
 *
 * Fast path: glibc's intermediate values up to `hi` (h here) are computed exactly:
 * r = fma(z, invc, -1) via Dekker's exact product (z*invc - 1 then cancels without error),
 * the rest are exact products or plain operations that glibc also does unfused. Only the
 * small tail Y that glibc adds last (result = RN(h + Y)) is evaluated with plain, unfused
 * operations, as Y'. Bounding every rounding of both evaluations by 2^-53 times the size of
 * its operands gives |Y - Y'| <= 6.02 * 2^-53 * S (main path) and <= 4.01 * 2^-53 * S (near 1),
 * with S the sum of magnitudes used for `bound` below; we allow 16 * 2^-53 * S (= BOUND * S).
 * On 4.5 million test inputs the largest |Y - Y'| / S seen was 1.9 * 2^-53. If h + Y' is
 * farther than that from every rounding boundary, RN(h + Y) = RN(h + Y'); otherwise (about
 * 1 call in 500 for randn's inputs) the exact transcription, exactLogReference, decides.
 */
export function exactLog(x: number): number {
  F64[0] = x;
  let hi = U32[HI];
  let lo = U32[LO];
  let h: number;
  let y: number;
  let bound: number;

  if (hi >= 0x3fee0000 && hi < 0x3ff10900) {
    if (hi === 0x3ff00000 && lo === 0) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const q1 = r2 * B3 + (r * B2 + B1);
    const q2 = r2 * B6 + (r * B5 + B4);
    const q3 = r3 * B10 + (r2 * B9 + (r * B8 + B7));
    const p = (q3 * r3 + q2) * r3 + q1;
    const rw = r * 134217728 + r;
    const rhi = rw - 134217728 * r;
    const rlo = r - rhi;
    const rhi2 = rhi * rhi;
    h = rhi2 * B0 + r;
    const c = B0 * rlo * (r + rhi);
    const l = c + (rhi2 * B0 + (r - h));
    y = p * r3 + l;
    bound = (Math.abs(r3) + Math.abs(l) + Math.abs(c)) * BOUND;
  } else {
    const top = hi >>> 16;
    if (top < 0x0010 || top >= 0x7ff0) return exactLogReference(x); // 0, subnormal, < 0, inf, NaN
    const tmp = (hi - 0x3fe60000) | 0;
    const i = (tmp >>> 13) & 0x7f;
    const k = tmp >> 20;
    U32[HI] = hi - (tmp & 0xfff00000);
    const z = F64[0];
    const invc = T[2 * i];
    // r = fma(z, invc, -1) exactly: z*invc = ph + pe (Dekker), and ph - 1 is exact.
    const ph = z * invc;
    let t = SPLIT * z;
    const zh = t - (t - z);
    const zl = z - zh;
    t = SPLIT * invc;
    const ih = t - (t - invc);
    const il = invc - ih;
    const r = ph - 1 + (zh * ih - ph + zh * il + zl * ih + zl * il);
    const w = k * LN2HI + T[2 * i + 1];
    h = w + r;
    const kl = k * LN2LO;
    const l = kl + (w - h + r);
    const r2 = r * r;
    const r3 = r * r2;
    y = r3 * (r2 * (r * A4 + A3) + (r * A2 + A1)) + (r2 * A0 + l);
    bound = (Math.abs(l) + Math.abs(kl) + r2 + Math.abs(r3)) * BOUND;
  }

  // s + e = h + y exactly (|h| > |y|), and glibc's h + Y lies within `bound` of it.
  const s = h + y;
  const e = y - (s - h);
  // Half the spacing of doubles around s (the smaller side's, when s is a power of two).
  F64[0] = s;
  hi = U32[HI];
  lo = U32[LO];
  U32[HI] = (((hi >>> 20) & 0x7ff) - ((hi & 0xfffff) === 0 && lo === 0 ? 54 : 53)) << 20;
  U32[LO] = 0;
  if (Math.abs(e) + bound < F64[0]) return s;
  return exactLogReference(x);
}
