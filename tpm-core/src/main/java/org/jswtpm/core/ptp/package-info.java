/**
 * Pieces shared by the PC Client Platform TPM Profile register interfaces (the FIFO/TIS model in
 * {@code tpm-tis} and the CRB model in {@code tpm-crb}): locality arbitration and the interrupt line.
 * Pure logic, no I/O.
 */
package org.jswtpm.core.ptp;
