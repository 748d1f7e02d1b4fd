// "The storage account '' used for boot diagnostics on this VM could not be found." — the account was deleted.
export default (w) => {
  w.storageAccounts = w.storageAccounts.filter((a) => a !== w.account);
};
