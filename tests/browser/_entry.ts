/** Browser entry: runs the shared scenario and writes its JSON (or the error) into `#result`. */
import { runScenario } from "./scenario.ts";

const out = document.getElementById("result")!;
try {
  out.textContent = JSON.stringify(await runScenario());
} catch (error) {
  out.textContent = `ERROR: ${(error as Error)?.stack ?? error}`;
}
