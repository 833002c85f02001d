package org.jswtpm.core.engine;

/**
 * Something a handle refers to and that can be authorized: a hierarchy, a PCR, a loaded object or
 * sequence, and later NV indices (TCG TPM 2.0 Part 1, 14 "Entities").
 */
public interface Entity {
    /** The handle by which the command named it. */
    int handle();

    /** The authValue, compared in constant time with trailing zeros removed (Part 1, 19.6.4). */
    byte[] authValue();

    /** True if authorization failures on this entity do not count toward dictionary-attack lockout. */
    boolean daExempt();
}
