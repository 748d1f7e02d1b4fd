// Preloaded with `node --import` into the CLI under benchmark: on exit, print its peak RSS and CPU time on stderr.
process.on("exit", () => {
  const usage = process.resourceUsage();
  process.stderr.write(
    `\n__sc_doctor_max_rss_kb=${usage.maxRSS}\n__sc_doctor_cpu_ms=${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`,
  );
});
