/**
 * Where TPM state blobs live. This module will hold the {@code StateStore} service interface and its
 * backends: a directory using swtpm's file names ({@code tpm2-00.permall}, {@code
 * tpm2-00.volatilestate}, {@code tpm2-00.savestate}), a single file, and memory; with atomic durable
 * writes, lock files and encryption at rest. It treats every blob as opaque and versioned and knows
 * nothing of TPM semantics. Until it lands, the swtpm module keeps permanent state with a simple
 * write-through (see {@code docs/state-format.md}).
 */
package org.jswtpm.store;
