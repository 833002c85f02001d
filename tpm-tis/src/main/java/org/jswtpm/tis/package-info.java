/**
 * The FIFO (TIS) register interface of the TCG PC Client Platform TPM Profile (PTP) specification for
 * TPM 2.0 as an in-process device model: {@link org.jswtpm.tis.TisInterface} turns MMIO reads and writes of
 * the five locality pages into commands for an {@link org.jswtpm.core.Tpm}.
 *
 * <p>Where each piece of the PTP lives:
 * <ul>
 *   <li>{@link org.jswtpm.tis.TisRegisters}: the register space and every register's bits, named as in the
 *       PTP's register tables (TPM_ACCESS_x is {@code ACCESS}, its activeLocality bit
 *       {@code Access.ACTIVE_LOCALITY});</li>
 *   <li>{@link org.jswtpm.core.ptp.LocalityArbiter} (shared with CRB): requestUse, pending requests,
 *       relinquish and seize;</li>
 *   <li>{@code FifoStateMachine}: the Idle, Ready, Reception, Execution and Completion states
 *       ({@link org.jswtpm.tis.TisState}), Expect, burstCount, the FIFOs, and the abort paths;</li>
 *   <li>{@link org.jswtpm.tis.TisInterface}: address decoding, access sizes, the interrupt registers and
 *       the {@link org.jswtpm.core.ptp.InterruptLine}, and locality 4's TPM_HASH_START / _DATA / _END.</li>
 * </ul>
 *
 * <p>References: PTP for TPM 2.0 (revisions 1.03 to 1.05), chapter "TPM Interfaces", FIFO interface
 * register tables and state-transition table. Public implementations read to confirm facts (none copied):
 * QEMU {@code hw/tpm/tpm_tis_common.c}, Linux {@code drivers/char/tpm/tpm_tis_core.c}, EDK2
 * {@code Tpm2Ptp.c}, SeaBIOS {@code src/hw/tpm_drivers.c}.
 */
package org.jswtpm.tis;
