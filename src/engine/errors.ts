/**
 * Typed errors of the virtual engine. Names mirror the orderbook's custom errors (`TokenSelfTrade` →
 * `TokenSelfTradeError`) so a virtual failure and an on-chain revert read the same.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { VraindexError } from "../errors/mod.ts";

/**
 * An order the engine has never seen (no body to evaluate), or a removal of an unknown hash.
 *
 * @example
 * ```ts
 * import { OrderNotFoundError } from "./errors.ts";
 * const error = new OrderNotFoundError("order 0x01… is unknown", { orderHash: "0x01" });
 * console.log(error.name); // "OrderNotFoundError"
 * ```
 */
export class OrderNotFoundError extends VraindexError<{ orderHash: Hex }> {
  override readonly name = "OrderNotFoundError";
}

/**
 * No decimals recorded for a token the orderbook reads decimals of (never a silent 18).
 *
 * @example
 * ```ts
 * import { TokenDecimalsMissingError } from "./errors.ts";
 * const e = new TokenDecimalsMissingError("no decimals", { token: "0x0000000000000000000000000000000000000001" });
 * console.log(e.details.token);
 * ```
 */
export class TokenDecimalsMissingError extends VraindexError<{ token: Address }> {
  override readonly name = "TokenDecimalsMissingError";
}

/**
 * The input and output tokens of an order's chosen IO pair are the same (`TokenSelfTrade`).
 *
 * @example
 * ```ts
 * import { TokenSelfTradeError } from "./errors.ts";
 * console.log(new TokenSelfTradeError("self trade", { token: "0x0000000000000000000000000000000000000001" }).name);
 * ```
 */
export class TokenSelfTradeError extends VraindexError<{ token: Address; orderHash?: Hex }> {
  override readonly name = "TokenSelfTradeError";
}

/**
 * Calculate-io returned fewer than 2 stack items (`UnsupportedCalculateOutputs(outputs)`).
 *
 * @example
 * ```ts
 * import { UnsupportedCalculateOutputsError } from "./errors.ts";
 * console.log(new UnsupportedCalculateOutputsError("1 output", { orderHash: "0x01", outputs: 1 }).details.outputs);
 * ```
 */
export class UnsupportedCalculateOutputsError extends VraindexError<{
  orderHash: Hex;
  outputs: number;
}> {
  override readonly name = "UnsupportedCalculateOutputsError";
}

/**
 * A signed context whose signature does not verify (`InvalidSignature(i)`).
 *
 * @example
 * ```ts
 * import { InvalidSignatureError } from "./errors.ts";
 * const e = new InvalidSignatureError("bad", { index: 0, signer: "0x0000000000000000000000000000000000000001" });
 * console.log(e.details.index); // 0
 * ```
 */
export class InvalidSignatureError extends VraindexError<{ index: number; signer: Address }> {
  override readonly name = "InvalidSignatureError";
}

/**
 * A signed context's signature is not a valid ECDSA signature of its signer, and the signer may be an
 * ERC-1271 contract, but the engine has no external state to ask `isValidSignature`.
 *
 * @example
 * ```ts
 * import { SignatureCheckUnavailableError } from "./errors.ts";
 * const e = new SignatureCheckUnavailableError("no external state", { index: 0, signer: "0x0000000000000000000000000000000000000001" });
 * console.log(e.name);
 * ```
 */
export class SignatureCheckUnavailableError extends VraindexError<{
  index: number;
  signer: Address;
}> {
  override readonly name = "SignatureCheckUnavailableError";
}

/**
 * An IO index past the end of `validInputs`/`validOutputs` (a Solidity panic 0x32 on chain).
 *
 * @example
 * ```ts
 * import { IOIndexOutOfRangeError } from "./errors.ts";
 * const e = new IOIndexOutOfRangeError("input 3 of 1", { side: "input", index: 3n, length: 1 });
 * console.log(e.details.side);
 * ```
 */
export class IOIndexOutOfRangeError extends VraindexError<{
  side: "input" | "output";
  index: bigint;
  length: number;
  orderHash?: Hex;
}> {
  override readonly name = "IOIndexOutOfRangeError";
}

/**
 * `takeOrders` with an empty order list (`NoOrders`).
 *
 * @example
 * ```ts
 * import { NoOrdersError } from "./errors.ts";
 * console.log(new NoOrdersError("no orders", {}).name);
 * ```
 */
export class NoOrdersError extends VraindexError<Record<string, never>> {
  override readonly name = "NoOrdersError";
}

/**
 * `takeOrders` with a maximum input that is not greater than zero (`ZeroMaximumInput`).
 *
 * @example
 * ```ts
 * import { ZeroMaximumInputError } from "./errors.ts";
 * console.log(new ZeroMaximumInputError("zero", { maximumInput: "0x00" }).name);
 * ```
 */
export class ZeroMaximumInputError extends VraindexError<{ maximumInput: Hex }> {
  override readonly name = "ZeroMaximumInputError";
}

/**
 * Tokens of a visited order (take) or of the two orders (clear) do not match (`TokenMismatch`).
 *
 * @example
 * ```ts
 * import { TokenMismatchError } from "./errors.ts";
 * console.log(new TokenMismatchError("mismatch", { orderIndex: 1 }).details.orderIndex);
 * ```
 */
export class TokenMismatchError extends VraindexError<{ orderIndex?: number }> {
  override readonly name = "TokenMismatchError";
}

/**
 * The total taker input is below the take's minimum (`MinimumInput(minimumInput, input)`).
 *
 * @example
 * ```ts
 * import { MinimumInputError } from "./errors.ts";
 * console.log(new MinimumInputError("short", { minimumInput: "0x01", input: "0x00" }).name);
 * ```
 */
export class MinimumInputError extends VraindexError<{ minimumInput: Hex; input: Hex }> {
  override readonly name = "MinimumInputError";
}

/**
 * A vault balance change would leave a negative balance (`NegativeVaultBalance(balance)`).
 *
 * @example
 * ```ts
 * import { NegativeVaultBalanceError } from "./errors.ts";
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * console.log(new NegativeVaultBalanceError("neg", { owner: z, token: z, vaultId: "0x01", balance: "0x00" }).name);
 * ```
 */
export class NegativeVaultBalanceError extends VraindexError<{
  owner: Address;
  token: Address;
  vaultId: Hex;
  balance: Hex;
}> {
  override readonly name = "NegativeVaultBalanceError";
}

/**
 * A negative amount applied as a vault increase or decrease (`NegativeVaultBalanceChange(amount)`).
 *
 * @example
 * ```ts
 * import { NegativeVaultBalanceChangeError } from "./errors.ts";
 * console.log(new NegativeVaultBalanceChangeError("neg", { amount: "0x00" }).name);
 * ```
 */
export class NegativeVaultBalanceChangeError extends VraindexError<{ amount: Hex }> {
  override readonly name = "NegativeVaultBalanceChangeError";
}

/**
 * A negative token transfer amount (`NegativePush` / `NegativePull`).
 *
 * @example
 * ```ts
 * import { NegativeTransferError } from "./errors.ts";
 * console.log(new NegativeTransferError("neg", { direction: "push", amount: "0x00" }).name);
 * ```
 */
export class NegativeTransferError extends VraindexError<{
  direction: "push" | "pull";
  amount: Hex;
}> {
  override readonly name = "NegativeTransferError";
}

/**
 * `clear` of two orders with the same owner (`SameOwner`).
 *
 * @example
 * ```ts
 * import { SameOwnerError } from "./errors.ts";
 * console.log(new SameOwnerError("same", { owner: "0x0000000000000000000000000000000000000001" }).name);
 * ```
 */
export class SameOwnerError extends VraindexError<{ owner: Address }> {
  override readonly name = "SameOwnerError";
}

/**
 * A clear whose bounty would be negative (`NegativeBounty`).
 *
 * @example
 * ```ts
 * import { NegativeBountyError } from "./errors.ts";
 * console.log(new NegativeBountyError("neg", { aliceBounty: "0x00", bobBounty: "0x00" }).name);
 * ```
 */
export class NegativeBountyError extends VraindexError<{ aliceBounty: Hex; bobBounty: Hex }> {
  override readonly name = "NegativeBountyError";
}

/**
 * A clear in which both outputs are zero (`ClearZeroAmount`, checked after both handle-ios).
 *
 * @example
 * ```ts
 * import { ClearZeroAmountError } from "./errors.ts";
 * console.log(new ClearZeroAmountError("zero", {}).name);
 * ```
 */
export class ClearZeroAmountError extends VraindexError<Record<string, never>> {
  override readonly name = "ClearZeroAmountError";
}

/**
 * A deposit of an amount not greater than zero (`ZeroDepositAmount`).
 *
 * @example
 * ```ts
 * import { ZeroDepositAmountError } from "./errors.ts";
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * console.log(new ZeroDepositAmountError("zero", { sender: z, token: z, vaultId: "0x01" }).name);
 * ```
 */
export class ZeroDepositAmountError extends VraindexError<{
  sender: Address;
  token: Address;
  vaultId: Hex;
}> {
  override readonly name = "ZeroDepositAmountError";
}

/**
 * A withdrawal with a target amount not greater than zero (`ZeroWithdrawTargetAmount`).
 *
 * @example
 * ```ts
 * import { ZeroWithdrawTargetAmountError } from "./errors.ts";
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * console.log(new ZeroWithdrawTargetAmountError("zero", { sender: z, token: z, vaultId: "0x01" }).name);
 * ```
 */
export class ZeroWithdrawTargetAmountError extends VraindexError<{
  sender: Address;
  token: Address;
  vaultId: Hex;
}> {
  override readonly name = "ZeroWithdrawTargetAmountError";
}

/**
 * An order config without inputs or outputs (`OrderNoInputs` / `OrderNoOutputs`).
 *
 * @example
 * ```ts
 * import { OrderNoIOError } from "./errors.ts";
 * console.log(new OrderNoIOError("no inputs", { side: "input" }).name);
 * ```
 */
export class OrderNoIOError extends VraindexError<{ side: "input" | "output" }> {
  override readonly name = "OrderNoIOError";
}

/**
 * `removeOrder` by someone other than the owner (`NotOrderOwner(sender, owner)`).
 *
 * @example
 * ```ts
 * import { NotOrderOwnerError } from "./errors.ts";
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * console.log(new NotOrderOwnerError("not owner", { sender: z, owner: z }).name);
 * ```
 */
export class NotOrderOwnerError extends VraindexError<{ sender: Address; owner: Address }> {
  override readonly name = "NotOrderOwnerError";
}

/**
 * A store write list with an odd number of words (`store.set` reverts on it).
 *
 * @example
 * ```ts
 * import { OddSetLengthError } from "./errors.ts";
 * console.log(new OddSetLengthError("odd", { store: "0x0000000000000000000000000000000000000001", length: 3 }).name);
 * ```
 */
export class OddSetLengthError extends VraindexError<{ store: Address; length: number }> {
  override readonly name = "OddSetLengthError";
}

/**
 * A mutation that is malformed or cannot apply (unknown kind, bad word, bad decimals).
 *
 * @example
 * ```ts
 * import { InvalidMutationError } from "./errors.ts";
 * console.log(new InvalidMutationError("bad", { path: "0.type", reason: "unknown" }).name);
 * ```
 */
export class InvalidMutationError extends VraindexError<{ path: string; reason: string }> {
  override readonly name = "InvalidMutationError";
}

/**
 * A snapshot (or bundle) that fails validation: wrong format or version, bad fields, an order whose
 * body does not hash to its key.
 *
 * @example
 * ```ts
 * import { InvalidSnapshotError } from "./errors.ts";
 * console.log(new InvalidSnapshotError("bad", { issues: ["version"] }).name);
 * ```
 */
export class InvalidSnapshotError extends VraindexError<{ issues: readonly string[] }> {
  override readonly name = "InvalidSnapshotError";
}

/**
 * Restoring a snapshot whose live orders need interpreter or store code missing from the code
 * cache; lists every missing address at once.
 *
 * @example
 * ```ts
 * import { SnapshotBytecodeMissingError } from "./errors.ts";
 * console.log(new SnapshotBytecodeMissingError("missing", { missing: [] }).name);
 * ```
 */
export class SnapshotBytecodeMissingError extends VraindexError<{
  missing: readonly { address: Address; kind: "interpreter" | "store"; orderHashes: Hex[] }[];
}> {
  override readonly name = "SnapshotBytecodeMissingError";
}

/**
 * An orderbook version whose rules the engine does not implement (anything but `v5` and `v6`).
 *
 * @example
 * ```ts
 * import { EngineVersionNotImplementedError } from "./errors.ts";
 * console.log(new EngineVersionNotImplementedError("v7", { version: "v7" }).name);
 * ```
 */
export class EngineVersionNotImplementedError extends VraindexError<{ version: string }> {
  override readonly name = "EngineVersionNotImplementedError";
}

/**
 * `addOrder` meta that does not start with Rain's meta magic `0xff0a89c674ee7874` (`NotRainMetaV1`).
 *
 * @example
 * ```ts
 * import { NotRainMetaV1Error } from "./errors.ts";
 * console.log(new NotRainMetaV1Error("not meta", { meta: "0x01" }).name);
 * ```
 */
export class NotRainMetaV1Error extends VraindexError<{ meta: Hex }> {
  override readonly name = "NotRainMetaV1Error";
}

/**
 * V6 `takeOrders4`: `maximumIO` is not > 0 (`ZeroMaximumIO`).
 *
 * @example
 * ```ts
 * import { ZeroMaximumIOError } from "./errors.ts";
 * console.log(new ZeroMaximumIOError("0", { maximumIO: `0x${"0".repeat(64)}` }).name); // "ZeroMaximumIOError"
 * ```
 */
export class ZeroMaximumIOError extends VraindexError<{ maximumIO: Hex }> {
  override readonly name = "ZeroMaximumIOError";
}

/**
 * V6 `takeOrders4`: the relevant total (taker input when `IOIsInput`, else taker output) is below
 * `minimumIO` (`MinimumIO(minimumIO, actualIO)`).
 *
 * @example
 * ```ts
 * import { MinimumIOError } from "./errors.ts";
 * const z = `0x${"0".repeat(64)}` as const;
 * console.log(new MinimumIOError("low", { minimumIO: z, actualIO: z, IOIsInput: true }).details.IOIsInput); // true
 * ```
 */
export class MinimumIOError extends VraindexError<{
  minimumIO: Hex;
  actualIO: Hex;
  IOIsInput: boolean;
}> {
  override readonly name = "MinimumIOError";
}

/**
 * V6 `deposit4`/`withdraw4` with vault id 0 (`ZeroVaultId(sender, token)`), checked before the
 * zero-amount check.
 *
 * @example
 * ```ts
 * import { ZeroVaultIdError } from "./errors.ts";
 * const a = "0x0000000000000000000000000000000000000001" as const;
 * console.log(new ZeroVaultIdError("vault 0", { sender: a, token: a }).name); // "ZeroVaultIdError"
 * ```
 */
export class ZeroVaultIdError extends VraindexError<{ sender: Address; token: Address }> {
  override readonly name = "ZeroVaultIdError";
}

/**
 * An operation of one orderbook version called on an engine of another (e.g. `takeOrders4`, a
 * V6 function, on a `v5` engine).
 *
 * @example
 * ```ts
 * import { OrderbookVersionMismatchError } from "./errors.ts";
 * console.log(new OrderbookVersionMismatchError("v5", { expected: "v6", actual: "v5", operation: "takeOrders4" }).name);
 * ```
 */
export class OrderbookVersionMismatchError extends VraindexError<{
  expected: string;
  actual: string;
  operation: string;
}> {
  override readonly name = "OrderbookVersionMismatchError";
}

/**
 * The token model has no entry for a (token, account) pair the rules must read: a vaultless
 * (vault id 0) IO's owner balance or allowance, or the orderbook's own holdings before a vaultless
 * push. Seed it with `setTokenBalances` / `setAllowances` mutations.
 *
 * @example
 * ```ts
 * import { TokenBalanceNotTrackedError } from "./errors.ts";
 * const a = "0x0000000000000000000000000000000000000001" as const;
 * console.log(new TokenBalanceNotTrackedError("untracked", { token: a, account: a, kind: "balance" }).details.kind);
 * ```
 */
export class TokenBalanceNotTrackedError extends VraindexError<{
  token: Address;
  account: Address;
  kind: "balance" | "allowance";
}> {
  override readonly name = "TokenBalanceNotTrackedError";
}

/**
 * An ERC-20 transfer from a tracked account that holds too little (OpenZeppelin's
 * `ERC20InsufficientBalance(sender, balance, needed)`); e.g. a vaultless push the orderbook's own
 * holdings cannot pay, or a pull from a vaultless owner whose balance fell inside the take.
 *
 * @example
 * ```ts
 * import { InsufficientTokenBalanceError } from "./errors.ts";
 * const a = "0x0000000000000000000000000000000000000001" as const;
 * console.log(new InsufficientTokenBalanceError("low", { token: a, account: a, balance: 1n, needed: 2n }).name);
 * ```
 */
export class InsufficientTokenBalanceError extends VraindexError<{
  token: Address;
  account: Address;
  balance: bigint;
  needed: bigint;
}> {
  override readonly name = "InsufficientTokenBalanceError";
}

/**
 * An orderbook pull (`transferFrom`) beyond the tracked allowance (OpenZeppelin's
 * `ERC20InsufficientAllowance(spender, allowance, needed)`).
 *
 * @example
 * ```ts
 * import { InsufficientAllowanceError } from "./errors.ts";
 * const a = "0x0000000000000000000000000000000000000001" as const;
 * console.log(new InsufficientAllowanceError("low", { token: a, owner: a, allowance: 1n, needed: 2n }).name);
 * ```
 */
export class InsufficientAllowanceError extends VraindexError<{
  token: Address;
  owner: Address;
  allowance: bigint;
  needed: bigint;
}> {
  override readonly name = "InsufficientAllowanceError";
}
