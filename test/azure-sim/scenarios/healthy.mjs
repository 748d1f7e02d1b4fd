// No documented error: rg1/vm1 running with custom boot diagnostics on scdiagstore; the caller is Virtual Machine Contributor.
export default () => {};
