// Serial Console is not supported when "Allow storage account key access" is disabled (allowSharedKeyAccess: false).
export default (w) => {
  w.account.properties.allowSharedKeyAccess = false;
};
