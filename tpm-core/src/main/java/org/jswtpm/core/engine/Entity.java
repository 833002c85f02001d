package org.jswtpm.core.engine;

/**
 * Something a handle refers to and that can be authorized: a hierarchy, a PCR, a loaded object or
 * sequence, an NV index (TCG TPM 2.0 Part 1, 14 "Entities").
 */
public interface Entity {
    /** The handle by which the command named it. */
    int handle();

    /** The authValue, compared in constant time with trailing zeros removed (Part 1, 19.6.4). */
    byte[] authValue();

    /** True if authorization failures on this entity do not count toward dictionary-attack lockout. */
    boolean daExempt();

    /**
     * The entity's Name (Part 1, 16 "Names"): for a permanent handle or a PCR the handle itself, for an
     * object or NV index nameAlg followed by the digest of its public area. HMAC sessions bind the
     * names of a command's handles into cpHash.
     */
    default byte[] name() {
        int h = handle();
        return new byte[] {(byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h};
    }

    /** The entity's authPolicy; {@link org.jswtpm.core.state.PermanentState.Policy#NONE} if it has none. */
    default org.jswtpm.core.state.PermanentState.Policy authPolicy() {
        return org.jswtpm.core.state.PermanentState.Policy.NONE;
    }

    /**
     * True if this entity's authValue may authorize command {@code cc} (the reference's
     * IsAuthValueAvailable); false makes an HMAC or password session {@code TPM_RC_AUTH_UNAVAILABLE}.
     */
    default boolean authValueAvailable(org.jswtpm.core.types.TpmCc cc) {
        return true;
    }

    /**
     * True if the authValue (a password or HMAC session) may authorize this entity in {@code role};
     * false if only a policy session may (Part 1, 19.2 and 19.7.2: an object's userWithAuth and
     * adminWithPolicy); an HMAC or password session is then {@code TPM_RC_AUTH_UNAVAILABLE}.
     * Hierarchies, PCRs, NV indices and sequences allow it in every role.
     */
    default boolean authValueAllowed(AuthRole role) {
        return true;
    }

    /** True if this entity's authPolicy may authorize {@code cc} in {@code role} (IsAuthPolicyAvailable). */
    default boolean authPolicyAvailable(org.jswtpm.core.types.TpmCc cc, AuthRole role) {
        return authPolicy().digest().length > 0;
    }

    /**
     * True if {@code role} on this entity can only be authorized by a policy session (Part 1, 19.2:
     * DUP always, ADMIN for NV indices and for objects with adminWithPolicy); another session is then
     * {@code TPM_RC_AUTH_TYPE}.
     */
    default boolean policyRequired(AuthRole role) {
        return role == AuthRole.DUP;
    }

    /** Called after this entity's authValue was checked (PIN indices count uses and failures). */
    default void authValueChecked(boolean success) {
    }
}
