package org.jswtpm.core.engine.session;

import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.Entity;

/**
 * cpHash := H(commandCode || Name1 || Name2 || ... || parameters) of one command (TCG TPM 2.0 Part 1,
 * 18.7 and 19.6.5), over the parameters as they were sent (before any decryption); computed at most
 * once per session hash.
 */
public final class CpHash {
    private final int cc;
    private final Entity[] entities;
    private final int[] handles;
    private final byte[] command;
    private final int offset;
    private final int length;
    private final Map<HashAlg, byte[]> digests = new EnumMap<>(HashAlg.class);

    /**
     * @param entities the entity of each handle (null where the Name is the handle itself)
     * @param command the command bytes; its parameters are {@code length} bytes at {@code offset}
     */
    public CpHash(int cc, Entity[] entities, int[] handles, byte[] command, int offset, int length) {
        this.cc = cc;
        this.entities = entities;
        this.handles = handles;
        this.command = command;
        this.offset = offset;
        this.length = length;
    }

    public byte[] digest(HashAlg hash) {
        return digests.computeIfAbsent(hash, this::compute);
    }

    /** nameHash := H(Name1 || Name2 || ...) for PolicyNameHash (Part 3, 23.13). */
    public byte[] nameHash(HashAlg hash) {
        MessageDigest md = hash.newDigest();
        for (int i = 0; i < handles.length; i++) {
            md.update(entities[i] != null ? entities[i].name() : SessionHmac.u32(handles[i]));
        }
        return md.digest();
    }

    /**
     * templateHash := H(the TPMT_PUBLIC of the second parameter, a TPM2B_PUBLIC after the
     * TPM2B_SENSITIVE_CREATE) for PolicyTemplate (Part 3, 23.21); null if the parameters are too short.
     */
    public byte[] templateHash(HashAlg hash) {
        int at = offset;
        int end = offset + length;
        if (end - at < 2) {
            return null;
        }
        at += 2 + (((command[at] & 0xFF) << 8) | (command[at + 1] & 0xFF));
        if (end - at < 2) {
            return null;
        }
        int size = ((command[at] & 0xFF) << 8) | (command[at + 1] & 0xFF);
        if (end - at - 2 < size) {
            return null;
        }
        MessageDigest md = hash.newDigest();
        md.update(command, at + 2, size);
        return md.digest();
    }

    private byte[] compute(HashAlg hash) {
        MessageDigest md = hash.newDigest();
        md.update(SessionHmac.u32(cc));
        for (int i = 0; i < handles.length; i++) {
            md.update(entities[i] != null ? entities[i].name() : SessionHmac.u32(handles[i]));
        }
        md.update(command, offset, length);
        return md.digest();
    }
}
