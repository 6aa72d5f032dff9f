/**
 * Test harness around a local `anvil` node: start it on a free port, talk to it with viem, deploy
 * fixture artifacts, control time and snapshots, and stop it by PID.
 *
 * @module
 */
import { existsSync } from "node:fs";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";

/** Private keys of anvil's default dev accounts (derived from its public test mnemonic). */
export const ANVIL_PRIVATE_KEYS: readonly Hex[] = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
];

/** Options of {@link startAnvil}. */
export type StartAnvilOptions = {
  /** Chain id anvil reports (default 31337). */
  chainId?: number;
  /** Timestamp of the genesis block, in seconds. */
  timestamp?: bigint;
  /** Extra command-line arguments. */
  args?: string[];
  /** How long to wait for the node to answer, in milliseconds (default 20 000). */
  readyTimeoutMs?: number;
};

/** A running anvil node and clients bound to it. */
export type Anvil = {
  /** HTTP JSON-RPC endpoint. */
  url: string;
  port: number;
  pid: number;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  /** One wallet client per default dev account, in anvil's order. */
  walletClients: WalletClient<Transport, Chain, Account>[];
  /** The first dev account's wallet client. */
  walletClient: WalletClient<Transport, Chain, Account>;
  /** Raw JSON-RPC request. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Deploys `bytecode` with `abi`/`args` from the first account and waits for the receipt. */
  deploy(artifact: DeployableArtifact, args?: readonly unknown[], from?: number): Promise<Address>;
  /** Mines one block, optionally with the given timestamp (seconds). */
  mine(timestamp?: bigint): Promise<void>;
  /** `evm_snapshot`: returns the snapshot id. */
  snapshot(): Promise<Hex>;
  /** `evm_revert` to a snapshot id; resolves whether the node reverted. */
  revert(id: Hex): Promise<boolean>;
  /** Kills the node by PID and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** What {@link Anvil.deploy} needs from a compiled artifact. */
export type DeployableArtifact = { abi: Abi | readonly unknown[]; bytecode: Hex | string };

const repoRoot = new URL("../../", import.meta.url);

/** Path of the anvil binary: the project's `.tools/` (`deno task setup`), else `anvil` on `PATH`. */
export function anvilBinary(): string {
  const installed = new URL(".tools/node_modules/.bin/anvil", repoRoot).pathname;
  return existsSync(installed) ? installed : "anvil";
}

/** A port that was free a moment ago (bind port 0, read it, close). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function drain(stream: ReadableStream<Uint8Array>, sink: string[]): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    sink.push(decoder.decode(chunk));
    // Keep only the tail: the log is for error messages, not for tests to read.
    if (sink.length > 200) sink.splice(0, sink.length - 200);
  }
}

async function rawRpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`anvil ${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

/**
 * Starts anvil on 127.0.0.1 with a free port and waits until it answers `eth_chainId`.
 *
 * @example
 * ```ts
 * await using anvil = await startAnvil();
 * console.log(await anvil.publicClient.getBlockNumber());
 * ```
 */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<Anvil> {
  const chainId = options.chainId ?? 31337;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = freePort();
    const args = [
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--chain-id",
      String(chainId),
      "--silent",
      ...(options.timestamp === undefined ? [] : ["--timestamp", String(options.timestamp)]),
      ...(options.args ?? []),
    ];
    const child = new Deno.Command(anvilBinary(), {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const log: string[] = [];
    const drained = Promise.all([drain(child.stdout, log), drain(child.stderr, log)]);
    let exited = false;
    const status = child.status.then((s) => {
      exited = true;
      return s;
    });
    const url = `http://127.0.0.1:${port}`;
    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      if (!exited) {
        try {
          Deno.kill(child.pid, "SIGTERM");
        } catch { /* already gone */ }
      }
      await status;
      await drained;
    };

    const deadline = Date.now() + readyTimeoutMs;
    let ready = false;
    while (!exited && Date.now() < deadline) {
      try {
        await rawRpc(url, "eth_chainId");
        ready = true;
        break;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    if (!ready) {
      await stop();
      lastError = new Error(
        `anvil did not become ready on port ${port} (attempt ${attempt + 1}): ${log.join("")}`,
      );
      continue; // most likely a port collision: try another port
    }

    const chain: Chain = { ...foundry, id: chainId };
    const transport = http(url, { retryCount: 0 });
    const publicClient = createPublicClient({
      chain,
      transport,
      pollingInterval: 50,
      cacheTime: 0,
    });
    const walletClients = ANVIL_PRIVATE_KEYS.map((key) =>
      createWalletClient({ account: privateKeyToAccount(key), chain, transport })
    );
    const rpc = <T>(method: string, params: unknown[] = []): Promise<T> =>
      rawRpc<T>(url, method, params);
    const anvil: Anvil = {
      url,
      port,
      pid: child.pid,
      chain,
      publicClient,
      walletClients,
      walletClient: walletClients[0],
      rpc,
      async deploy(artifact, deployArgs = [], from = 0) {
        const hash = await walletClients[from].deployContract({
          abi: artifact.abi as Abi,
          bytecode: artifact.bytecode as Hex,
          args: deployArgs as unknown[],
        });
        const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: 20_000 });
        if (receipt.status !== "success" || !receipt.contractAddress) {
          throw new Error(`deployment failed: ${hash}`);
        }
        return getAddress(receipt.contractAddress);
      },
      async mine(timestamp) {
        if (timestamp !== undefined) {
          await rpc("evm_setNextBlockTimestamp", [`0x${timestamp.toString(16)}`]);
        }
        await rpc("evm_mine", []);
      },
      snapshot: () => rpc<Hex>("evm_snapshot", []),
      revert: (id) => rpc<boolean>("evm_revert", [id]),
      stop,
      [Symbol.asyncDispose]: stop,
    };
    return anvil;
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/**
 * Deploys a fixture contract on `anvil`: by name from `fixtures/artifacts/<name>.json`, or from an
 * artifact object. Resolves the new contract's address.
 *
 * @example
 * ```ts
 * const store = await deployArtifact(anvil, "FixtureStore");
 * const token = await deployArtifact(anvil, "FixtureToken", ["USD Coin", "USDC", 6, false]);
 * ```
 */
export function deployArtifact(
  anvil: Anvil,
  artifact: string | DeployableArtifact,
  args: readonly unknown[] = [],
  from = 0,
): Promise<Address> {
  const loaded: DeployableArtifact = typeof artifact === "string"
    ? JSON.parse(
      Deno.readTextFileSync(new URL(`fixtures/artifacts/${artifact}.json`, repoRoot)),
    )
    : artifact;
  return anvil.deploy(loaded, args, from);
}
