/**
 * The process libvirt and QEMU launch as {@code swtpm}: swtpm's command line, its control channel and
 * data channel over TCP, and {@code swtpm_ioctl}.
 */
package org.jswtpm.swtpm;
