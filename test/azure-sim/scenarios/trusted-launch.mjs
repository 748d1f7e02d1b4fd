// Trusted Launch + Secure Boot (Gen2): the console may show no output after a live migration until the guest reboots.
export default (w) => {
  w.vm.model.properties.securityProfile = { uefiSettings: { secureBootEnabled: true, vTpmEnabled: true }, securityType: "TrustedLaunch" };
};
