/**
 * A jswtpm extension: the Microsoft/IBM TPM 2.0 simulator ("mssim") TCP protocol, so that the TSSs
 * that speak it (tpm2-tss {@code mssim:} TCTI, IBM TSS, TSS.MSR, go-tpm) reach the jswtpm engine. A
 * command port carries {@code TPM_SEND_COMMAND} frames; the platform port next to it carries the
 * simulator's platform signals (power, NV, cancel, reset, {@code _TPM_Hash_*}).
 */
package org.jswtpm.swtpm.mssim;
