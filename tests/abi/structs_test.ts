/**
 * Struct components follow the Solidity field order, and the declared TypeScript types are exactly
 * viem's types for those components (checked at compile time).
 */
import assert from "node:assert/strict";
import type { AbiParameterToPrimitiveType } from "viem";
import {
  type ClearConfigV2,
  clearConfigV2Components,
  type ClearStateChangeV2,
  clearStateChangeV2Components,
  type EvaluableV4,
  evaluableV4Components,
  type EvalV4,
  evalV4Components,
  type IOV2,
  ioV2Components,
  type OrderConfigV4,
  orderConfigV4Components,
  type OrderV4,
  orderV4Components,
  type QuoteV2,
  quoteV2Components,
  type SignedContextV1,
  signedContextV1Components,
  type TakeOrderConfigV4,
  takeOrderConfigV4Components,
  type TakeOrdersConfigV4,
  takeOrdersConfigV4Components,
  type TakeOrdersConfigV5,
  takeOrdersConfigV5Components,
  type TaskV2,
  taskV2Components,
} from "../../src/abi/mod.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Viem<C extends readonly unknown[]> = AbiParameterToPrimitiveType<
  { type: "tuple"; components: C }
>;

// Compile-time: each line fails `deno check` if the declared type drifts from the ABI.
const typeChecks: true[] = [
  true satisfies Same<IOV2, Viem<typeof ioV2Components>>,
  true satisfies Same<EvaluableV4, Viem<typeof evaluableV4Components>>,
  true satisfies Same<SignedContextV1, Viem<typeof signedContextV1Components>>,
  true satisfies Same<OrderV4, Viem<typeof orderV4Components>>,
  true satisfies Same<OrderConfigV4, Viem<typeof orderConfigV4Components>>,
  true satisfies Same<TaskV2, Viem<typeof taskV2Components>>,
  true satisfies Same<QuoteV2, Viem<typeof quoteV2Components>>,
  true satisfies Same<TakeOrderConfigV4, Viem<typeof takeOrderConfigV4Components>>,
  true satisfies Same<TakeOrdersConfigV4, Viem<typeof takeOrdersConfigV4Components>>,
  true satisfies Same<TakeOrdersConfigV5, Viem<typeof takeOrdersConfigV5Components>>,
  true satisfies Same<ClearConfigV2, Viem<typeof clearConfigV2Components>>,
  true satisfies Same<ClearStateChangeV2, Viem<typeof clearStateChangeV2Components>>,
  true satisfies Same<EvalV4, Viem<typeof evalV4Components>>,
];

// Field names in Solidity declaration order, transcribed from the interfaces.
const FIELDS: [string, readonly { name: string }[], string[]][] = [
  ["IOV2", ioV2Components, ["token", "vaultId"]],
  ["EvaluableV4", evaluableV4Components, ["interpreter", "store", "bytecode"]],
  ["SignedContextV1", signedContextV1Components, ["signer", "context", "signature"]],
  ["OrderV4", orderV4Components, ["owner", "evaluable", "validInputs", "validOutputs", "nonce"]],
  ["OrderConfigV4", orderConfigV4Components, [
    "evaluable",
    "validInputs",
    "validOutputs",
    "nonce",
    "secret",
    "meta",
  ]],
  ["TaskV2", taskV2Components, ["evaluable", "signedContext"]],
  ["QuoteV2", quoteV2Components, ["order", "inputIOIndex", "outputIOIndex", "signedContext"]],
  ["TakeOrderConfigV4", takeOrderConfigV4Components, [
    "order",
    "inputIOIndex",
    "outputIOIndex",
    "signedContext",
  ]],
  ["TakeOrdersConfigV4", takeOrdersConfigV4Components, [
    "minimumInput",
    "maximumInput",
    "maximumIORatio",
    "orders",
    "data",
  ]],
  ["TakeOrdersConfigV5", takeOrdersConfigV5Components, [
    "minimumIO",
    "maximumIO",
    "maximumIORatio",
    "IOIsInput",
    "orders",
    "data",
  ]],
  ["ClearConfigV2", clearConfigV2Components, [
    "aliceInputIOIndex",
    "aliceOutputIOIndex",
    "bobInputIOIndex",
    "bobOutputIOIndex",
    "aliceBountyVaultId",
    "bobBountyVaultId",
  ]],
  ["ClearStateChangeV2", clearStateChangeV2Components, [
    "aliceOutput",
    "bobOutput",
    "aliceInput",
    "bobInput",
  ]],
  ["EvalV4", evalV4Components, [
    "store",
    "namespace",
    "bytecode",
    "sourceIndex",
    "context",
    "inputs",
    "stateOverlay",
  ]],
];

Deno.test("struct components follow the Solidity field order", async (t) => {
  assert.equal(typeChecks.length, 13);
  for (const [name, components, fields] of FIELDS) {
    await t.step(name, () => {
      assert.deepEqual(components.map((c) => c.name), fields);
    });
  }
});
