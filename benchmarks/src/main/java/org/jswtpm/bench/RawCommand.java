package org.jswtpm.bench;

import java.io.ByteArrayOutputStream;

/**
 * Raw TPM 2.0 command bytes for the benchmarks, built once in {@code @Setup}: a header, handles, an
 * optional empty-password (TPM_RS_PW) authorization area, parameters. Independent of the engine's code.
 */
final class RawCommand {
    static final int TPM_CC_STARTUP = 0x144;
    static final int TPM_CC_GET_RANDOM = 0x17B;
    static final int TPM_CC_PCR_EXTEND = 0x182;
    static final int TPM_CC_HASH = 0x17D;
    static final int TPM_ALG_SHA256 = 0x000B;
    static final int TPM_RH_NULL = 0x40000007;
    private static final int TPM_RS_PW = 0x40000009;

    private RawCommand() {
    }

    static byte[] startupClear() {
        return build(TPM_CC_STARTUP, new int[0], false, u16(0));
    }

    static byte[] getRandom(int bytes) {
        return build(TPM_CC_GET_RANDOM, new int[0], false, u16(bytes));
    }

    /** PCR_Extend of one SHA-256 digest into {@code pcr}, authorized by an empty password. */
    static byte[] pcrExtendSha256(int pcr, byte fill) {
        byte[] digest = new byte[32];
        java.util.Arrays.fill(digest, fill);
        return build(TPM_CC_PCR_EXTEND, new int[] {pcr}, true, concat(u32(1), u16(TPM_ALG_SHA256), digest));
    }

    /** TPM2_Hash of {@code data} with SHA-256 and no ticket (TPM_RH_NULL). */
    static byte[] hashSha256(byte[] data) {
        return build(TPM_CC_HASH, new int[0], false, concat(u16(data.length), data, u16(TPM_ALG_SHA256), u32(TPM_RH_NULL)));
    }

    /** The response code of a response; throws if it is not a complete response. */
    static int responseCode(byte[] response) {
        if (response.length < 10 || readU32(response, 2) != response.length) {
            throw new IllegalStateException("malformed response of " + response.length + " bytes");
        }
        return readU32(response, 6);
    }

    /** Throws unless {@code response} is a success response. */
    static byte[] requireSuccess(String what, byte[] response) {
        int rc = responseCode(response);
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: TPM_RC 0x" + Integer.toHexString(rc));
        }
        return response;
    }

    static int readU32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /** A command with an empty password session when {@code passwordSession}, its size filled in. */
    static byte[] build(int cc, int[] handles, boolean passwordSession, byte[] params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(u16(passwordSession ? 0x8002 : 0x8001));
        out.writeBytes(u32(0));
        out.writeBytes(u32(cc));
        for (int h : handles) {
            out.writeBytes(u32(h));
        }
        if (passwordSession) {
            byte[] session = concat(u32(TPM_RS_PW), u16(0), new byte[] {0}, u16(0));
            out.writeBytes(u32(session.length));
            out.writeBytes(session);
        }
        out.writeBytes(params);
        byte[] command = out.toByteArray();
        System.arraycopy(u32(command.length), 0, command, 2, 4);
        return command;
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
