// ADLS Gen2 (hierarchical namespace) boot diagnostics accounts are not supported by Serial Console.
export default (w) => {
  w.account.properties.isHnsEnabled = true;
};
