// Preloaded with `node -r` into every process bench/doctor.mjs times (the bare `node -e 0` too): on exit, print the
// process's own CPU time (user + system) on stderr. On a busy shared machine the wall time mostly measures the
// queue for a core; the CPU a process spent is the steadier figure for comparing two builds.
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\n__sc_doctor_cpu_ms=${((user + system) / 1000).toFixed(1)}\n`);
});
