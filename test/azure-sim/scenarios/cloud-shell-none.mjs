// No documented error: the caller never set up Cloud Shell (the settings GET answers 404).
export default (w) => {
  w.cloudShell = null;
};
