/**
 * Host integration with libvirt and clouds: resolving a vTPM request from flavor extra specs and image
 * properties with OpenStack Nova's rules ({@link org.jswtpm.libvirt.VtpmRequest}), the traits a host
 * offers ({@link org.jswtpm.libvirt.HostTpmTraits}), the domain XML {@code <tpm>} element
 * ({@link org.jswtpm.libvirt.VtpmDevice}), libvirt secrets of usage {@code vtpm}
 * ({@link org.jswtpm.libvirt.VtpmSecretDefinition}, {@link org.jswtpm.libvirt.VtpmSecrets}), and moving
 * persistent state between hosts ({@link org.jswtpm.libvirt.VtpmStateBundle}). docs/libvirt-bridge.md
 * describes it.
 */
package org.jswtpm.libvirt;
