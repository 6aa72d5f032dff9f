import assert from "node:assert/strict";
import { VraindexError } from "../../src/errors/mod.ts";
import * as F from "../../src/float/mod.ts";
import { nearFloat, Rand, randomFloat } from "./_random.ts";

function rainErrorOf(fn: () => unknown): F.FloatErrorDetails {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof F.FloatError);
    assert.ok(error instanceof VraindexError);
    assert.equal(error.name, "FloatError");
    return error.details;
  }
  assert.fail("expected a FloatError");
}

Deno.test("float API", async (t) => {
  await t.step("constants and raw pack/unpack (hand-derived words)", () => {
    assert.equal(F.FLOAT_ZERO, `0x${"0".repeat(64)}`);
    assert.equal(F.FLOAT_ONE, `0x${"0".repeat(63)}1`);
    assert.equal(F.packFloat(15n, -1), `0xffffffff${"0".repeat(54)}0f`);
    assert.equal(F.packFloat(-1n, 0), `0x00000000${"f".repeat(56)}`);
    assert.deepEqual(F.unpackFloat(`0xffffffff${"0".repeat(54)}0f`), {
      coefficient: 15n,
      exponent: -1,
    });
    assert.deepEqual(F.unpackFloat(`0x80000000${"f".repeat(56)}`), {
      coefficient: -1n,
      exponent: -2147483648,
    });
    assert.equal(F.toBigint(F.FLOAT_ONE), 1n);
    assert.equal(F.fromBigint((1n << 256n) - 1n), `0x${"f".repeat(64)}`);
  });

  await t.step("word conversions agree with the hex forms (seeded random)", () => {
    const r = new Rand(5);
    for (let i = 0; i < 2000; i++) {
      const f = randomFloat(r);
      const word = F.toBigint(f);
      assert.deepEqual(F.unpackWord(word), F.unpackFloat(f));
      assert.equal(F.packWord(F.unpackFloat(f)), word);
    }
    assert.throws(() => F.unpackWord(-1n), F.FloatInputError);
    assert.throws(() => F.packWord({ coefficient: 1n << 223n, exponent: 0 }), F.FloatInputError);
  });

  await t.step("named constants are the words Rain defines", () => {
    const max224 = (1n << 223n) - 1n;
    assert.equal(F.FLOAT_HALF, F.packFloat(5n, -1));
    assert.equal(F.FLOAT_TWO, F.packFloat(2n, 0));
    assert.equal(F.FLOAT_MAX_POSITIVE_VALUE, F.packFloat(max224, 2147483647));
    assert.equal(F.FLOAT_MIN_POSITIVE_VALUE, F.packFloat(1n, -2147483648));
    assert.equal(F.FLOAT_MAX_NEGATIVE_VALUE, F.packFloat(-1n, -2147483648));
    assert.equal(F.FLOAT_MIN_NEGATIVE_VALUE, F.packFloat(-max224 - 1n, 2147483647));
  });

  await t.step("ceil (hand-derived from LibDecimalFloat.ceil)", () => {
    // Non-negative exponent and integral values come back unchanged (same bits).
    assert.equal(F.ceil(F.packFloat(7n, 2)), F.packFloat(7n, 2));
    assert.equal(F.ceil(F.packFloat(700n, -2)), F.packFloat(700n, -2));
    // 2.25 → 2.00 + 1 through Rain's add: maximised 3e66 × 10^-66.
    assert.deepEqual(F.unpackFloat(F.ceil(F.parse("2.25"))), {
      coefficient: 3n * 10n ** 66n,
      exponent: -66,
    });
    // -2.25 → truncated toward zero, exponent kept: -200 × 10^-2.
    assert.equal(F.ceil(F.parse("-2.25")), F.packFloat(-200n, -2));
    // Tiny positive (exponent < -76): characteristic 0, so 0 + 1 returns (1e76, -76) unmaximised,
    // which packLossy shrinks to 1e67 (it fits int224, unlike 2e67).
    assert.deepEqual(F.unpackFloat(F.ceil(F.packFloat(5n, -80))), {
      coefficient: 10n ** 67n,
      exponent: -67,
    });
    assert.equal(F.ceil(F.packFloat(-5n, -80)), F.packFloat(0n, -80));
  });

  await t.step("packing errors mirror packLossless", () => {
    const over = rainErrorOf(() => F.packFloat(1n << 223n, 0));
    assert.equal(over.rainError, "CoefficientOverflow");
    assert.equal(over.args.signedCoefficient, String(1n << 223n));
    const exp = rainErrorOf(() => F.packFloat(1n, 2147483648));
    assert.equal(exp.rainError, "ExponentOverflow");
    // packLossy truncates 2^223 by one digit (exponent + 1) and says it was lossy.
    const lossy = F.packFloatLossy(1n << 223n, 0);
    assert.equal(lossy.lossless, false);
    assert.deepEqual(F.unpackFloat(lossy.value), { coefficient: (1n << 223n) / 10n, exponent: 1 });
  });

  await t.step("1 + 1 is a maximised coefficient with exponent -66", () => {
    const two = F.add(F.FLOAT_ONE, F.FLOAT_ONE);
    assert.deepEqual(F.unpackFloat(two), { coefficient: 2n * 10n ** 66n, exponent: -66 });
    assert.ok(F.eq(two, F.packFloat(2n, 0)));
  });

  await t.step("min/max return the second argument's bits on equal values", () => {
    const a = F.packFloat(1n, 2), b = F.packFloat(100n, 0);
    assert.equal(F.min(a, b), b);
    assert.equal(F.max(a, b), b);
    assert.equal(F.min(b, a), a);
  });

  await t.step("division by zero: MulDivOverflow for x/0, Panic(0x12) for 0/0", () => {
    assert.equal(rainErrorOf(() => F.div(F.FLOAT_ONE, F.FLOAT_ZERO)).rainError, "MulDivOverflow");
    const panic = rainErrorOf(() => F.div(F.FLOAT_ZERO, F.FLOAT_ZERO));
    assert.equal(panic.rainError, "Panic");
    assert.equal(panic.panicCode, 0x12);
  });

  await t.step("fixed-decimal conversions and their typed errors", () => {
    assert.equal(F.toFixedDecimal(F.parse("1.5"), 18), 1500000000000000000n);
    assert.deepEqual(F.toFixedDecimalLossy(F.parse("1.2345"), 2), { value: 123n, lossless: false });
    assert.equal(
      rainErrorOf(() => F.toFixedDecimal(F.parse("1.2345"), 2)).rainError,
      "LossyConversionFromFloat",
    );
    assert.equal(
      rainErrorOf(() => F.toFixedDecimal(F.parse("-1"), 2)).rainError,
      "NegativeFixedDecimalConversion",
    );
    assert.equal(rainErrorOf(() => F.toFixedDecimal(F.parse("1e60"), 18)).panicCode, 0x11);
    assert.throws(() => F.fromFixedDecimal(-1n, 18), F.FloatInputError);
    assert.throws(() => F.fromFixedDecimal(1n, 256), F.FloatInputError);
    assert.throws(() => F.toFixedDecimal(F.FLOAT_ONE, -1), F.FloatInputError);
    assert.throws(() => F.add("0x12" as F.Float, F.FLOAT_ONE), F.FloatInputError);
    const lossy = F.fromFixedDecimalLossy((1n << 256n) - 1n, 0);
    assert.equal(lossy.lossless, false);
    assert.equal(
      rainErrorOf(() => F.fromFixedDecimal((1n << 256n) - 1n, 0)).rainError,
      "LossyConversionToFloat",
    );
  });

  await t.step("parse and format", () => {
    assert.equal(F.format(F.parse("0.1")), "0.1");
    assert.equal(F.format(F.parse("-123.45")), "-123.45");
    assert.equal(F.format(F.parse("1e20")), "1e20");
    assert.equal(F.format(F.parse("1234567890")), "1.23456789e9");
    assert.equal(rainErrorOf(() => F.parse("1.2x")).rainError, "ParseDecimalFloatExcessCharacters");
    assert.equal(rainErrorOf(() => F.parse("")).rainError, "ParseEmptyDecimalString");
  });

  await t.step("unpacked operations equal the packed ones (seeded random)", () => {
    const r = new Rand(99);
    const ops = [
      [F.add, F.addUnpacked],
      [F.sub, F.subUnpacked],
      [F.mul, F.mulUnpacked],
      [F.div, F.divUnpacked],
    ] as const;
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const a = randomFloat(r), b = r.bool() ? nearFloat(r, a) : randomFloat(r);
      const [packed, unpacked] = ops[i % ops.length];
      let expected: unknown, actual: unknown;
      try {
        expected = F.unpackFloat(packed(a, b));
      } catch (error) {
        expected = (error as F.FloatError).details.rainError;
      }
      try {
        actual = unpacked(F.unpackFloat(a), F.unpackFloat(b));
      } catch (error) {
        actual = (error as F.FloatError).details.rainError;
      }
      assert.deepEqual(actual, expected);
      const cmp = F.compareUnpacked(F.unpackFloat(a), F.unpackFloat(b));
      assert.equal(cmp, F.lt(a, b) ? -1 : F.eq(a, b) ? 0 : 1);
      if (i % 4 === 3) {
        try {
          expected = F.unpackFloat(F.inv(a));
        } catch (error) {
          expected = (error as F.FloatError).details.rainError;
        }
        try {
          actual = F.invUnpacked(F.unpackFloat(a));
        } catch (error) {
          actual = (error as F.FloatError).details.rainError;
        }
        assert.deepEqual(actual, expected);
      }
      compared++;
    }
    assert.equal(compared, 3000);
  });
});
