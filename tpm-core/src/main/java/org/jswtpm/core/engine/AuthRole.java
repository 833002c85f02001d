package org.jswtpm.core.engine;

/**
 * The authorization role a command's handle needs (TCG TPM 2.0 Part 1, 19.2 "authorization roles";
 * Part 3, the "@" handles and their "Auth Role" annotation).
 */
public enum AuthRole {
    /** The handle needs no authorization. */
    NONE,
    /** USER role: the entity's authValue, or its authPolicy. */
    USER,
    /** ADMIN role: for objects, a policy session when adminWithPolicy is set. */
    ADMIN,
    /** DUP role: always a policy session. */
    DUP
}
