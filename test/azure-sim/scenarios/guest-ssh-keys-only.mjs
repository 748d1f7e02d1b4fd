// guest-no-login: a Linux VM created with SSH keys only (disablePasswordAuthentication: true) — nobody can sign in at the console.
export default (w) => {
  const profile = w.vm.model.properties.osProfile;
  w.vm.model.properties.osProfile = {
    ...profile,
    linuxConfiguration: { ...profile.linuxConfiguration, disablePasswordAuthentication: true },
  };
};
