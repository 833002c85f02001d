/**
 * The public in-process API of jswtpm: {@link org.jswtpm.core.Tpm}, built with {@link
 * org.jswtpm.core.Tpm2#builder()}, and the platform services a TPM is given ({@link
 * org.jswtpm.core.TimeSource}, {@link org.jswtpm.core.StateSink}). Everything under this package is
 * pure computation: no files, sockets or threads.
 */
package org.jswtpm.core;
