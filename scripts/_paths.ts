/** Path helpers from `node:path`/`node:url`, since `jsr:@std/path` is out of reach. */
export { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** File path of a `file:` URL. */
export function fromFileUrl(url: URL | string): string {
  return fileURLToPath(url);
}
