/**
 * Native Float vs Rain's own `@rainlanguage/float@0.0.0-alpha.22` (the baseline in each group):
 * `deno bench -A bench/float.bench.ts` prints each operation's time and the ratio.
 *
 * Inputs cycle through a pool of realistic values (token amounts, prices, small integers, values
 * with many digits) so neither side sees one constant input. In those groups the oracle is measured
 * in its most favourable form (prepared `Float` objects, results freed) while the native side takes
 * and returns packed hex (its decode cache warm). The opt-in `cold` groups cycle 20,000 distinct
 * words and start both sides from hex.
 */
import { Float as OracleFloat } from "@rainlanguage/float";
import * as F from "../src/float/mod.ts";

const STRINGS = [
  "1",
  "0.5",
  "1.5",
  "-2.25",
  "100",
  "1234.5678",
  "0.000001",
  "1e18",
  "3.14159265358979",
  "123456789012345678901234567890",
  "0.1",
  "0.2",
  "-0.3",
  "42",
  "1e-18",
  "999999.999999",
  "0.333333333333333333",
  "7",
  "-1",
  "2500000",
  "0.0025",
  "65536",
  "1.000000000000000001",
  "8.5e3",
  "12.5",
  "-7.75",
  "3",
  "0.05",
  "10000000000",
  "250.125",
  "0.9",
  "6.02214076e23",
];
const POOL = STRINGS.length;
const nativeFloats: F.Float[] = STRINGS.map((s) => F.parse(s));
const positiveFloats: F.Float[] = nativeFloats.map((f) => F.abs(f));
const oracleFloats = STRINGS.map((s) => OracleFloat.parse(s).value!);
const oraclePositive = positiveFloats.map((f) => OracleFloat.fromHex(f).value!);
const FIXED: bigint[] = STRINGS.map((_, i) => BigInt(i * 7919 + 1) * 10n ** BigInt(i % 19));
const DECIMALS = [18, 6, 0, 8];

let i = 0;
function next(): number {
  i = (i + 1) % POOL;
  return i;
}

function binary(name: "add" | "sub" | "mul" | "div" | "min" | "max"): void {
  Deno.bench({
    name: `oracle ${name}`,
    group: name,
    baseline: true,
    fn() {
      const k = next();
      oracleFloats[k][name](oracleFloats[(k + 5) % POOL]).value!.free();
    },
  });
  Deno.bench({
    name: `native ${name}`,
    group: name,
    fn() {
      const k = next();
      F[name](nativeFloats[k], nativeFloats[(k + 5) % POOL]);
    },
  });
}

function compare(name: "lt" | "eq"): void {
  Deno.bench({
    name: `oracle ${name}`,
    group: name,
    baseline: true,
    fn() {
      const k = next();
      oracleFloats[k][name](oracleFloats[(k + 3) % POOL]);
    },
  });
  Deno.bench({
    name: `native ${name}`,
    group: name,
    fn() {
      const k = next();
      F[name](nativeFloats[k], nativeFloats[(k + 3) % POOL]);
    },
  });
}

Deno.bench({
  name: "oracle parse",
  group: "parse",
  baseline: true,
  fn() {
    OracleFloat.parse(STRINGS[next()]).value!.free();
  },
});
Deno.bench({
  name: "native parse",
  group: "parse",
  fn() {
    F.parse(STRINGS[next()]);
  },
});

Deno.bench({
  name: "oracle format",
  group: "format",
  baseline: true,
  fn() {
    oracleFloats[next()].format();
  },
});
Deno.bench({
  name: "native format",
  group: "format",
  fn() {
    F.format(nativeFloats[next()]);
  },
});

for (const op of ["add", "sub", "mul", "div", "min", "max"] as const) binary(op);
for (const op of ["lt", "eq"] as const) compare(op);

Deno.bench({
  name: "oracle fromFixedDecimal",
  group: "fromFixedDecimal",
  baseline: true,
  fn() {
    const k = next();
    OracleFloat.fromFixedDecimal(FIXED[k], DECIMALS[k & 3]).value!.free();
  },
});
Deno.bench({
  name: "native fromFixedDecimal",
  group: "fromFixedDecimal",
  fn() {
    const k = next();
    F.fromFixedDecimal(FIXED[k], DECIMALS[k & 3]);
  },
});

Deno.bench({
  name: "oracle fromFixedDecimalLossy",
  group: "fromFixedDecimalLossy",
  baseline: true,
  fn() {
    const k = next();
    OracleFloat.fromFixedDecimalLossy(FIXED[k], DECIMALS[k & 3]).value!.free();
  },
});
Deno.bench({
  name: "native fromFixedDecimalLossy",
  group: "fromFixedDecimalLossy",
  fn() {
    const k = next();
    F.fromFixedDecimalLossy(FIXED[k], DECIMALS[k & 3]);
  },
});

Deno.bench({
  name: "oracle toFixedDecimalLossy",
  group: "toFixedDecimalLossy",
  baseline: true,
  fn() {
    oraclePositive[next()].toFixedDecimalLossy(18);
  },
});
Deno.bench({
  name: "native toFixedDecimalLossy",
  group: "toFixedDecimalLossy",
  fn() {
    F.toFixedDecimalLossy(positiveFloats[next()], 18);
  },
});

// Lossless conversion on values that convert exactly at 18 decimals.
const exact = positiveFloats.filter((f) => F.toFixedDecimalLossy(f, 18).lossless);
const oracleExact = exact.map((f) => OracleFloat.fromHex(f).value!);
Deno.bench({
  name: "oracle toFixedDecimal",
  group: "toFixedDecimal",
  baseline: true,
  fn() {
    oracleExact[next() % oracleExact.length].toFixedDecimal(18);
  },
});
Deno.bench({
  name: "native toFixedDecimal",
  group: "toFixedDecimal",
  fn() {
    F.toFixedDecimal(exact[next() % exact.length], 18);
  },
});

// Opt-in stress scenario (`VRAINDEX_BENCH_COLD=1`): 20,000 distinct words cycled (more than the
// native decode cache holds), both sides starting from the packed hex word as it arrives from chain
// data (the oracle pays its `fromHex`, the native side its hex decode). Ratios here are lower and
// swing with machine load; see docs/float.md.
if (Deno.env.get("VRAINDEX_BENCH_COLD")) coldGroups();

function coldGroups(): void {
  const COLD = 20000;
  const coldNative: F.Float[] = [];
  for (let n = 0; n < COLD; n++) {
    const value = BigInt(n + 1) * 1000003n * 10n ** BigInt(n % 23) + BigInt(n);
    coldNative.push(F.fromFixedDecimal(value, n % 19));
  }
  let j = 0;
  function nextCold(): number {
    j = (j + 1) % COLD;
    return j;
  }
  function oracleOf(hex: F.Float): OracleFloat {
    return OracleFloat.fromHex(hex).value!;
  }

  for (const op of ["add", "mul", "div", "min"] as const) {
    Deno.bench({
      name: `oracle ${op} (cold, from hex)`,
      group: `${op} cold`,
      baseline: true,
      fn() {
        const k = nextCold();
        const a = oracleOf(coldNative[k]), b = oracleOf(coldNative[(k + 7919) % COLD]);
        a[op](b).value!.free();
        a.free();
        b.free();
      },
    });
    Deno.bench({
      name: `native ${op} (cold, from hex)`,
      group: `${op} cold`,
      fn() {
        const k = nextCold();
        F[op](coldNative[k], coldNative[(k + 7919) % COLD]);
      },
    });
  }
  for (const op of ["lt", "eq"] as const) {
    Deno.bench({
      name: `oracle ${op} (cold, from hex)`,
      group: `${op} cold`,
      baseline: true,
      fn() {
        const k = nextCold();
        const a = oracleOf(coldNative[k]), b = oracleOf(coldNative[(k + 7919) % COLD]);
        a[op](b);
        a.free();
        b.free();
      },
    });
    Deno.bench({
      name: `native ${op} (cold, from hex)`,
      group: `${op} cold`,
      fn() {
        const k = nextCold();
        F[op](coldNative[k], coldNative[(k + 7919) % COLD]);
      },
    });
  }
  Deno.bench({
    name: "oracle format (cold, from hex)",
    group: "format cold",
    baseline: true,
    fn() {
      const a = oracleOf(coldNative[nextCold()]);
      a.format();
      a.free();
    },
  });
  Deno.bench({
    name: "native format (cold, from hex)",
    group: "format cold",
    fn() {
      F.format(coldNative[nextCold()]);
    },
  });
  Deno.bench({
    name: "oracle toFixedDecimalLossy (cold, from hex)",
    group: "toFixedDecimalLossy cold",
    baseline: true,
    fn() {
      const a = oracleOf(coldNative[nextCold()]);
      a.toFixedDecimalLossy(18);
      a.free();
    },
  });
  Deno.bench({
    name: "native toFixedDecimalLossy (cold, from hex)",
    group: "toFixedDecimalLossy cold",
    fn() {
      F.toFixedDecimalLossy(coldNative[nextCold()], 18);
    },
  });
}
