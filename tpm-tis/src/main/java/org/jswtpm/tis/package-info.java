/**
 * The TPM Interface Specification FIFO register model of the PC Client Platform TPM Profile: localities,
 * TPM_ACCESS, TPM_STS with burst count, the data FIFO and interrupts, exposed as MMIO-style register
 * reads and writes over an in-process {@code Tpm}. The model itself arrives with its own issue; this
 * package holds its place in the build.
 */
package org.jswtpm.tis;
