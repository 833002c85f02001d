/**
 * Authorization sessions (TCG TPM 2.0 Part 1, 19 and 21; Part 3, 11): the state of HMAC, policy and
 * trial sessions ({@link org.jswtpm.core.engine.session.AuthSession}), their slots and handles
 * ({@link org.jswtpm.core.engine.session.SessionSlots}), how StartAuthSession derives a session
 * ({@link org.jswtpm.core.engine.session.SessionFactory}, {@link org.jswtpm.core.engine.session.Salts}),
 * the HMACs and cpHash ({@link org.jswtpm.core.engine.session.SessionHmac},
 * {@link org.jswtpm.core.engine.session.CpHash}), parameter encryption
 * ({@link org.jswtpm.core.engine.session.ParameterCipher}) and saved contexts
 * ({@link org.jswtpm.core.engine.session.SessionContexts}). The pipeline that applies them to a command is
 * {@code org.jswtpm.core.engine.Authorization}; the session and policy commands are in
 * {@code org.jswtpm.core.command.SessionCommands} and {@code PolicyCommands}.
 */
package org.jswtpm.core.engine.session;
