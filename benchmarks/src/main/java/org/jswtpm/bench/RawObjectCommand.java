package org.jswtpm.bench;

import java.io.ByteArrayOutputStream;

/**
 * Raw object-command bytes for {@link ObjectBenchmark}: CreatePrimary with tpm2-tools' default RSA and
 * ECC storage templates (an optional unique value makes each template, and so each key, new), Create,
 * Load, ContextSave/ContextLoad and FlushContext. Independent of the engine's code.
 */
final class RawObjectCommand {
    static final int OWNER = 0x40000001;

    private RawObjectCommand() {
    }

    /** CreatePrimary in the owner hierarchy; {@code unique} goes into the template's unique field. */
    static byte[] createPrimaryRsa2048(byte[] unique) {
        byte[] template = cat(u16(0x0001), u16(0x000B), u32(0x00030072), u16(0), u16(0x0006), u16(128), u16(0x0043),
                u16(0x0010), u16(2048), u32(0), b2(unique));
        return createPrimary(template);
    }

    /** CreatePrimary of an unrestricted RSA-2048 RSASSA-SHA256 signing key in the owner hierarchy. */
    static byte[] createPrimaryRsaSigner() {
        return createPrimary(cat(u16(0x0001), u16(0x000B), u32(0x00040072), u16(0), u16(0x0010), u16(0x0014),
                u16(0x000B), u16(2048), u32(0), b2(new byte[0])));
    }

    /** CreatePrimary of an unrestricted ECC NIST P-256 ECDSA-SHA256 signing key in the owner hierarchy. */
    static byte[] createPrimaryEccSigner() {
        return createPrimary(cat(u16(0x0023), u16(0x000B), u32(0x00040072), u16(0), u16(0x0010), u16(0x0018),
                u16(0x000B), u16(0x0003), u16(0x0010), b2(new byte[0]), u16(0)));
    }

    /** TPM2_Sign of a SHA-256 digest with the key's own scheme and a NULL hash-check ticket. */
    static byte[] sign(int key, byte[] digest) {
        return RawCommand.build(0x15D, new int[] {key}, true, cat(b2(digest), u16(0x0010), u16(0x8024), u32(0x40000007), u16(0)));
    }

    static byte[] createPrimaryEccP256(byte[] unique) {
        byte[] template = cat(u16(0x0023), u16(0x000B), u32(0x00030072), u16(0), u16(0x0006), u16(128), u16(0x0043),
                u16(0x0010), u16(0x0003), u16(0x0010), b2(unique), u16(0));
        return createPrimary(template);
    }

    private static byte[] createPrimary(byte[] template) {
        return RawCommand.build(0x131, new int[] {OWNER}, true, cat(b2(cat(u16(0), u16(0))), b2(template), u16(0), u32(0)));
    }

    /** Create of a sealed data object under {@code parent}. */
    static byte[] createSealed(int parent, byte[] data) {
        byte[] template = cat(u16(0x0008), u16(0x000B), u32(0x00000052), u16(0), u16(0x0010), u16(0));
        return RawCommand.build(0x153, new int[] {parent}, true, cat(b2(cat(u16(0), b2(data))), b2(template), u16(0), u32(0)));
    }

    /** Load of the outPrivate and outPublic of a Create response. */
    static byte[] loadFromCreateResponse(int parent, byte[] createResponse) {
        int at = 10 + 4;
        int privSize = u16at(createResponse, at);
        int pubSize = u16at(createResponse, at + 2 + privSize);
        byte[] blobs = java.util.Arrays.copyOfRange(createResponse, at, at + 2 + privSize + 2 + pubSize);
        return RawCommand.build(0x157, new int[] {parent}, true, blobs);
    }

    static byte[] contextSave(int handle) {
        return RawCommand.build(0x162, new int[] {handle}, false, new byte[0]);
    }

    /** ContextLoad of the TPMS_CONTEXT in a ContextSave response. */
    static byte[] contextLoadFromSaveResponse(byte[] saveResponse) {
        return RawCommand.build(0x161, new int[0], false, java.util.Arrays.copyOfRange(saveResponse, 10, saveResponse.length));
    }

    static byte[] flush(int handle) {
        return RawCommand.build(0x165, new int[0], false, u32(handle));
    }

    /** The handle in a response's handle area. */
    static int responseHandle(byte[] response) {
        return RawCommand.readU32(response, 10);
    }

    private static int u16at(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static byte[] u16(int v) {
        return RawCommand.u16(v);
    }

    static byte[] u32(int v) {
        return RawCommand.u32(v);
    }

    private static byte[] b2(byte[] b) {
        return cat(u16(b.length), b);
    }

    private static byte[] cat(byte[]... parts) {
        return RawCommand.concat(parts);
    }
}
