import assert from "node:assert/strict";
import { mismatch, oracleErrorId, type Outcome, runNative } from "./_oracle.ts";

type Vector = {
  op: string;
  a: string;
  b?: string;
  decimals?: number;
  result?: string | boolean;
  error?: string;
};

const file = new URL("../../fixtures/float_vectors.json", import.meta.url);
const { vectors } = JSON.parse(await Deno.readTextFile(file)) as { vectors: Vector[] };

Deno.test("float vectors from @rainlanguage/float@0.0.0-alpha.22", async (t) => {
  await t.step("the fixture holds all 4,021 vectors", () => {
    assert.equal(vectors.length, 4021);
  });
  const ops = [...new Set(vectors.map((v) => v.op))];
  for (const op of ops) {
    await t.step(`${op}: every vector matches bits and error identity`, () => {
      const failures: string[] = [];
      const cases = vectors.filter((x) => x.op === op);
      assert.ok(cases.length > 0);
      for (const v of cases) {
        const expected: Outcome = v.error !== undefined
          ? { ok: false, error: oracleErrorId(v.error) }
          : { ok: true, value: v.result! };
        const why = mismatch(expected, runNative(v));
        if (why) failures.push(`${JSON.stringify(v)}: ${why}`);
      }
      assert.deepEqual(failures.slice(0, 10), []);
    });
  }
});
