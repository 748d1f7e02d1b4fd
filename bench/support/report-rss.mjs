// Preloaded with `node --import` into the CLI under benchmark: on exit, print its peak RSS on stderr.
process.on("exit", () => {
  process.stderr.write(`\n__sc_doctor_max_rss_kb=${process.resourceUsage().maxRSS}\n`);
});
