/** `deno task quote`: not built yet; a later issue fills it. */
if (import.meta.main) {
  console.error("vraindex: `deno task quote` is not yet available in this version.");
  Deno.exit(2);
}
