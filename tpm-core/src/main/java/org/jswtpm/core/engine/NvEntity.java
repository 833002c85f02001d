package org.jswtpm.core.engine;

import org.jswtpm.core.state.NvIndex;
import org.jswtpm.core.state.PermanentState;
import org.jswtpm.core.types.TpmCc;
import org.jswtpm.core.types.TpmaNv;

/**
 * An NV index as an authorizable entity (TCG TPM 2.0 Part 1, 37.2; Part 3, 31): its authValue and
 * authPolicy, DA exemption from TPMA_NV_NO_DA, and its Name from the public area. Which of authValue
 * and authPolicy may be used depends on the command: a write needs TPMA_NV_AUTHWRITE or POLICYWRITE,
 * anything else AUTHREAD or POLICYREAD, and a PIN index's authValue is usable only once written and
 * while pinCount is below pinLimit.
 */
public record NvEntity(NvIndex index, TpmEngine tpm) implements Entity {
    /** The commands that change index data or write state (the reference's "write operations"). */
    static boolean isWrite(TpmCc cc) {
        switch (cc) {
            case NV_Write:
            case NV_Increment:
            case NV_SetBits:
            case NV_Extend:
            case NV_WriteLock:
                return true;
            default:
                return false;
        }
    }

    @Override
    public int handle() {
        return index.handle();
    }

    @Override
    public byte[] authValue() {
        return index.authValue();
    }

    @Override
    public boolean daExempt() {
        return index.has(TpmaNv.NO_DA);
    }

    @Override
    public byte[] name() {
        return index.pub().name();
    }

    @Override
    public PermanentState.Policy authPolicy() {
        byte[] digest = index.pub().authPolicy();
        return digest.length == 0 ? PermanentState.Policy.NONE
                : new PermanentState.Policy(index.nameAlg().id(), digest);
    }

    @Override
    public boolean authValueAvailable(TpmCc cc) {
        if (isWrite(cc)) {
            return index.has(TpmaNv.AUTHWRITE);
        }
        if (TpmaNv.isPin(index.attributes())) {
            return index.has(TpmaNv.WRITTEN) && Integer.compareUnsigned(pinCount(), pinLimit()) < 0;
        }
        return index.has(TpmaNv.AUTHREAD);
    }

    @Override
    public boolean authPolicyAvailable(TpmCc cc, AuthRole role) {
        if (index.pub().authPolicy().length == 0) {
            return false;
        }
        if (policyRequired(role)) {
            return true;
        }
        return index.has(isWrite(cc) ? TpmaNv.POLICYWRITE : TpmaNv.POLICYREAD);
    }

    @Override
    public boolean policyRequired(AuthRole role) {
        return role == AuthRole.ADMIN || role == AuthRole.DUP;
    }

    /**
     * After the authValue of a written PIN index was checked: a PIN Fail index counts a failure and
     * resets its count on success, a PIN Pass index counts a success (Part 1, 37.2.6).
     */
    @Override
    public void authValueChecked(boolean success) {
        if (!index.has(TpmaNv.WRITTEN)) {
            return;
        }
        int type = index.type();
        if (type == TpmaNv.NT_PIN_FAIL) {
            setPinCount(success ? 0 : pinCount() + 1);
        } else if (type == TpmaNv.NT_PIN_PASS && success) {
            setPinCount(pinCount() + 1);
        }
    }

    private int pinCount() {
        return (int) (index.uint64() >>> 32);
    }

    private int pinLimit() {
        return (int) index.uint64();
    }

    private void setPinCount(int count) {
        index.setUint64(((long) count << 32) | (pinLimit() & 0xFFFFFFFFL));
        NvAccess.changed(tpm, index);
    }
}
