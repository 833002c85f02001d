package org.jswtpm.core.command;

import java.security.MessageDigest;
import org.jswtpm.core.crypto.HashAlg;
import org.jswtpm.core.engine.LoadedObject;

/**
 * A hash or event sequence object (TCG TPM 2.0 Part 3, 17.3 TPM2_HashSequenceStart): one running
 * digest, or for an event sequence one per PCR-bank hash. Sequence objects are exempt from
 * dictionary-attack protection (their noDA attribute is set). It remembers whether its data began
 * with at least four bytes other than TPM_GENERATED_VALUE; otherwise its ticket is the NULL ticket.
 */
final class HashSequence extends LoadedObject {
    /** TPM_GENERATED_VALUE, the magic that starts TPM-generated structures. */
    static final int TPM_GENERATED = 0xFF544347;

    private final HashAlg hash;
    private final HashAlg[] algs;
    private final MessageDigest[] digests;
    private boolean firstBlock = true;
    private boolean ticketSafe;
    /** For an HMAC sequence (TPM2_HMAC_Start) the key XOR opad; null for a hash sequence. */
    private byte[] hmacOuter;
    /** True for a CMAC sequence (TPM2_MAC_Start with a symmetric-cipher key). */
    private boolean cmac;

    /** A sequence over {@code hash}, or an event sequence if {@code hash} is null. */
    HashSequence(byte[] auth, HashAlg hash) {
        super(auth);
        this.hash = hash;
        this.algs = hash == null ? PcrCommands.BANK_HASHES : new HashAlg[] {hash};
        this.digests = new MessageDigest[algs.length];
        for (int i = 0; i < algs.length; i++) {
            digests[i] = algs[i].newDigest();
        }
    }

    /**
     * An HMAC sequence (Part 3, 15.5 TPM2_HMAC_Start): the running digest starts with the key XOR ipad,
     * and {@link #finish} hashes the key XOR opad with the inner digest (RFC 2104).
     */
    static HashSequence hmac(byte[] auth, HashAlg hash, byte[] key) {
        HashSequence s = new HashSequence(auth, hash);
        byte[] k = key.length > hash.blockSize() ? hash.digest(key) : key;
        byte[] ipad = new byte[hash.blockSize()];
        byte[] opad = new byte[hash.blockSize()];
        for (int i = 0; i < ipad.length; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5C);
        }
        s.digests[0].update(ipad);
        s.hmacOuter = opad;
        return s;
    }

    /** A CMAC sequence: one running CMAC with the block cipher {@code cipher}; its ticket is the NULL ticket. */
    static HashSequence cmac(byte[] auth, int cipher, byte[] key) {
        HashSequence s = new HashSequence(auth, HashAlg.SHA256);
        s.digests[0] = new org.jswtpm.core.crypto.CmacDigest(cipher, key);
        s.cmac = true;
        return s;
    }

    boolean isHmac() {
        return hmacOuter != null;
    }

    @Override
    public boolean isSequence() {
        return true;
    }

    @Override
    public boolean daExempt() {
        return true;
    }

    /** A sequence has no nameAlg, so its Name is the Empty Buffer (Part 1, 16; Part 3, 17.3). */
    @Override
    public byte[] name() {
        return new byte[0];
    }

    boolean isEvent() {
        return hash == null;
    }

    HashAlg hash() {
        return hash;
    }

    HashAlg[] algs() {
        return algs;
    }

    /** True if the sequence's first block was safe to ticket (see {@link #isTicketSafe}). */
    boolean ticketSafe() {
        return ticketSafe && hmacOuter == null && !cmac;
    }

    void update(byte[] data) {
        if (firstBlock) {
            ticketSafe = isTicketSafe(data);
            firstBlock = false;
        }
        for (MessageDigest d : digests) {
            d.update(data);
        }
    }

    /**
     * An independent copy with the same running state, for TPM2_ContextSave; null if a digest's
     * provider cannot clone its state.
     */
    HashSequence copy() {
        HashSequence c = new HashSequence(authValue(), hash);
        try {
            for (int i = 0; i < digests.length; i++) {
                c.digests[i] = (MessageDigest) digests[i].clone();
            }
        } catch (CloneNotSupportedException e) {
            return null;
        }
        c.firstBlock = firstBlock;
        c.ticketSafe = ticketSafe;
        c.hmacOuter = hmacOuter;
        c.cmac = cmac;
        return c;
    }

    byte[][] finish() {
        byte[][] out = new byte[digests.length][];
        for (int i = 0; i < digests.length; i++) {
            out[i] = digests[i].digest();
        }
        if (hmacOuter != null) {
            MessageDigest outer = hash.newDigest();
            outer.update(hmacOuter);
            out[0] = outer.digest(out[0]);
        }
        return out;
    }

    /**
     * True if the TPM may issue a ticket for data that starts with {@code data}: at least four bytes,
     * not starting with TPM_GENERATED_VALUE (Part 1, 10.5 "Ticket"; the reference TicketIsSafe).
     */
    static boolean isTicketSafe(byte[] data) {
        return data.length >= 4 && ((data[0] & 0xFF) << 24 | (data[1] & 0xFF) << 16
                | (data[2] & 0xFF) << 8 | (data[3] & 0xFF)) != TPM_GENERATED;
    }
}
