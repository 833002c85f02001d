/**
 * Host integration with libvirt and clouds: the domain XML {@code <tpm>} element, libvirt secrets of
 * usage {@code vtpm}, resolving a vTPM request from flavor extra specs and image properties, and moving
 * persistent TPM state between hosts. It arrives with its own issue; this package holds its place in
 * the build.
 */
package org.jswtpm.libvirt;
