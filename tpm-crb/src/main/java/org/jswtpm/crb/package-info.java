/**
 * The Command Response Buffer (CRB) register interface of the TCG PC Client Platform TPM Profile (PTP)
 * specification for TPM 2.0 as an in-process device model: {@link org.jswtpm.crb.CrbInterface} turns MMIO
 * reads and writes of the five locality pages into commands for an {@link org.jswtpm.core.Tpm}.
 *
 * <p>Where each piece of the PTP lives:
 * <ul>
 *   <li>{@link org.jswtpm.crb.CrbRegisters}: the register space and every register's bits, named as in
 *       the PTP's CRB register tables;</li>
 *   <li>{@link org.jswtpm.core.ptp.LocalityArbiter} (shared with TIS): requestAccess, pending
 *       requests, relinquish and seize;</li>
 *   <li>{@code CrbControlArea}: the Idle / Ready states ({@link org.jswtpm.crb.CrbState}), cmdReady and
 *       goIdle, Start and its completion, Cancel, and the data buffer;</li>
 *   <li>{@link org.jswtpm.crb.CrbInterface}: address decoding, access sizes, locality registers,
 *       interface id, buffer address registers, interrupts and the {@link org.jswtpm.core.ptp.InterruptLine}.</li>
 * </ul>
 *
 * <p>References: PTP for TPM 2.0 (revisions 1.03 to 1.05), chapter "TPM Interfaces", CRB interface
 * register tables and CRB state transitions. Public implementations read to confirm facts (none copied):
 * QEMU {@code hw/tpm/tpm_crb.c}, Linux {@code drivers/char/tpm/tpm_crb.c}, EDK2 {@code Tpm2Ptp.c},
 * SeaBIOS {@code src/hw/tpm_drivers.c}.
 */
package org.jswtpm.crb;
