package org.jswtpm.swtpm;

/**
 * One TPM command read from the data channel.
 *
 * @param command the TPM command bytes
 * @param prefixed it came in the prefixed form ({@code u32 8, u8 locality, u32 size}); the response
 *     must then be sent as {@code u32 size, response, u32 0}
 * @param locality the locality from the prefix, or -1 for the raw form
 */
public record DataFrame(byte[] command, boolean prefixed, int locality) {
}
