/**
 * The Command Response Buffer register model of the PC Client Platform TPM Profile: locality state and
 * control, the control area with start and cancel, and the command and response buffers, exposed as
 * MMIO-style register reads and writes over an in-process {@code Tpm}. The model itself arrives with its
 * own issue; this package holds its place in the build.
 */
package org.jswtpm.crb;
