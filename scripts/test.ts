/**
 * `deno task test`: installs what the tests need, checks formatting, lint and types, runs every test
 * and prints one closing line `tests: N passed, N failed, N skipped` (ignored tests are counted as
 * skipped, never as passed).
 */
import { fromFileUrl, join } from "./_paths.ts";

const root = fromFileUrl(new URL("..", import.meta.url));
const deno = Deno.execPath();

async function step(label: string, args: string[]): Promise<number> {
  console.log(`\n== ${label}: deno ${args.join(" ")}`);
  const { code } = await new Deno.Command(deno, {
    args,
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return code;
}

type Counts = { passed: number; failed: number; skipped: number; steps: number };

function countJunit(xml: string): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, steps: 0 };
  // Each <testcase> is a test or a step; steps are named "test > step". Tests are counted, steps
  // are reported beside them; a failed step fails its test too.
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = match[1].match(/\bname="([^"]*)"/)?.[1] ?? "";
    const body = match[3] ?? "";
    if (name.includes("&gt;")) {
      counts.steps++;
      continue;
    }
    if (/<failure\b|<error\b/.test(body)) counts.failed++;
    else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

if (import.meta.main) {
  const extra = Deno.args;
  let code = await step("setup", ["run", "-A", "scripts/setup.ts"]);
  if (code !== 0) Deno.exit(code);
  for (
    const [label, args] of [
      ["format", ["fmt", "--check"]],
      ["lint", ["lint"]],
      ["types", ["check", "mod.ts", "src/", "tests/", "bench/", "scripts/"]],
      ["publish", ["publish", "--dry-run", "--allow-dirty", "--quiet"]],
    ] as const
  ) {
    code = await step(label, [...args]);
    if (code !== 0) {
      console.log(`\n${label} check failed\ntests: 0 passed, 1 failed`);
      Deno.exit(code);
    }
  }
  Deno.mkdirSync(join(root, "out"), { recursive: true });
  const junit = join(root, "out", "junit.xml");
  code = await step("tests", ["test", "-A", `--junit-path=${junit}`, ...extra]);
  let counts: Counts = { passed: 0, failed: code === 0 ? 0 : 1, skipped: 0, steps: 0 };
  try {
    counts = countJunit(Deno.readTextFileSync(junit));
  } catch { /* no report: the runner failed before writing it */ }
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  console.log(`\n${counts.steps} steps inside the tests; ignored tests count as skipped`);
  console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  Deno.exit(code);
}
