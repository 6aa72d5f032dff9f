/**
 * The ingest loop of `ingest.bench.ts` (100k synthetic logs, decode + `writeIngestChunk`, 10k-log
 * chunks, a fresh file each run) on this checkout and on a baseline revision, side by side: the
 * runs alternate (baseline, this, baseline, this, …), each in a process of its own, so a slow spell
 * of the machine hits both alike. Prints every run, the medians and their ratio. The baseline is
 * checked out with `git worktree` into a temporary folder and removed afterwards.
 *
 * `deno run -A bench/ingest_compare.ts [--base <git ref>] [--runs <n>] [--memory | --worker]`
 * (defaults: `--base HEAD`, 5 runs each, a DuckDB file opened in process).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { git } from "../scripts/rain_code.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    base: { type: "string", default: "HEAD" },
    runs: { type: "string", default: "5" },
    memory: { type: "boolean", default: false },
    worker: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
const here = new URL("..", import.meta.url).pathname;
const runner = new URL("./_ingest_run.ts", import.meta.url).pathname;
const target = values.memory ? "memory" : values.worker ? "worker" : "file";
const into = { memory: "memory", worker: "a file in a worker", file: "a file" }[target];

async function run(root: string): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      `${root}/deno.json`,
      runner,
      root,
      target,
    ],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`the ingest run in ${root} failed`);
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return (JSON.parse(lines[lines.length - 1]) as { eventsPerSecond: number }).eventsPerSecond;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const gitDir = `${here}.git`;
const commit = (await git(gitDir, ["rev-parse", "--short", values.base])).trim();
const baseDir = await Deno.makeTempDir({ prefix: "vraindex-ingest-base-" });
await git(gitDir, ["worktree", "add", "--detach", "--force", baseDir, commit]);
try {
  const base: number[] = [];
  const head: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(await run(baseDir));
    head.push(await run(here));
    console.log(`run ${i + 1}: baseline ${base[i]}, this checkout ${head[i]} events/s`);
  }
  const [b, h] = [median(base), median(head)];
  console.log(
    `ingest into ${into}, median of ${runs}: baseline ` +
      `${commit} ${Math.round(b).toLocaleString("en")}, this checkout ` +
      `${Math.round(h).toLocaleString("en")} events/s: ${(h / b).toFixed(2)}×`,
  );
} finally {
  await git(gitDir, ["worktree", "remove", "--force", baseDir]);
}
