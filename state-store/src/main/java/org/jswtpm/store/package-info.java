/**
 * Where TPM state blobs live: the {@link org.jswtpm.store.StateStore} service interface and its
 * backends — a directory with swtpm's file names ({@link org.jswtpm.store.DirectoryStateStore}), a
 * single linear file ({@link org.jswtpm.store.LinearFileStateStore}) and memory ({@link
 * org.jswtpm.store.MemoryStateStore}) — with atomic durable writes and swtpm-compatible locking;
 * swtpm's blob envelope ({@link org.jswtpm.store.BlobEnvelope}, {@link
 * org.jswtpm.store.MigrationBlobCodec}) with encryption at rest ({@link
 * org.jswtpm.store.EncryptedStateStore}); and the {@code --tpmstate}, {@code --key} and {@code
 * --migration-key} option values ({@link org.jswtpm.store.StateStores}, {@link
 * org.jswtpm.store.KeyOption}, {@link org.jswtpm.store.KeyLoader}). Blobs are opaque: this module
 * knows nothing of TPM semantics. The formats are described in {@code docs/state-format.md}.
 */
package org.jswtpm.store;
