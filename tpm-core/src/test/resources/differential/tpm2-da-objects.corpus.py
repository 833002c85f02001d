# Generates tpm2-da-objects.corpus (python3 tpm2-da-objects.corpus.py > tpm2-da-objects.corpus). Edit here, not in
# the corpus. Dictionary-attack lockout on a DA-protected object: a primary ECC storage key with userAuth "k",
# authorized for TPM2_Create (which, once authorization passed, fails on its missing parameters). Needs
# TPM2_CreatePrimary: DifferentialHierarchyTest skips this corpus while the engine does not implement it.
import struct
from corpuslib import u8, u16, u32, u64, b2
def pw(secret=b''): return u32(0x40000009) + u16(0) + u8(0) + b2(secret)
def cmd(cc, handles=(), params=b'', sessions=None):
    body = b''.join(u32(h) for h in handles)
    if sessions is not None:
        area = b''.join(sessions)
        body += u32(len(area)) + area
    body += params
    return u16(0x8002 if sessions is not None else 0x8001) + u32(10 + len(body)) + u32(cc) + body
OWNER, LOCKOUT, KEY = 0x40000001, 0x4000000A, 0x80000000
Startup, GetCap, ClockSet, CreatePrimary, Create, DALockReset, DAParameters = 0x144, 0x17a, 0x128, 0x131, 0x153, 0x139, 0x13a
# TPMT_PUBLIC: ECC, SHA-256, fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|restricted|decrypt,
# AES-128-CFB, no scheme, NIST P-256, no KDF, empty unique.
template = (u16(0x23) + u16(0xb) + u32(0x00030072) + b2(b'') + u16(6) + u16(128) + u16(0x43) + u16(0x10)
            + u16(3) + u16(0x10) + b2(b'') + b2(b''))
sensitive = b2(b2(b'k') + b2(b''))
cases = []
def c(name, mode, b, comment=None):
    if comment: cases.append('# ' + comment)
    cases.append(f'{name} | {mode} | {b.hex()}')
def use(secret): return cmd(Create, [KEY], b'', [pw(secret)])
def params(max_tries, recovery, lockout_recovery):
    return cmd(DAParameters, [LOCKOUT], u32(max_tries) + u32(recovery) + u32(lockout_recovery), [pw()])
def da_properties(): return cmd(GetCap, params=u32(6) + u32(0x20e) + u32(4))
def permanent(): return cmd(GetCap, params=u32(6) + u32(0x200) + u32(1))
c('startup-clear', 'exact', cmd(Startup, params=u16(0)))
c('da-parameters', 'exact', params(3, 1000, 1000))
c('create-primary', 'rc', cmd(CreatePrimary, [OWNER], sensitive + b2(template) + b2(b'') + u32(0), [pw()]))
c('first-da-use', 'rc-known-diff', use(b'k'), 'KNOWN DIFF: the first DA-protected authorization after Startup. libtpms 0.9 (Debian swtpm 0.7.1)\n# answers TPM_RC_RETRY (0x922) while it records that DA was used; libtpms since May 2025 (commit 5da07386) and\n# jswtpm store that synchronously and go on (here to TPM2_Create\'s parameter error, 0x1da).')
for i in range(3):
    c(f'wrong-auth-{i + 1}', 'exact', use(b'x'), 'maxTries failures, then lockout even for the right authValue.' if i == 0 else None)
c('right-auth-in-lockout', 'exact', use(b'k'))
c('wrong-auth-in-lockout', 'exact', use(b'x'))
c('da-properties-in-lockout', 'exact', da_properties())
c('permanent-in-lockout', 'exact', permanent())
c('owner-exempt-in-lockout', 'exact', cmd(ClockSet, [OWNER], u64(0x40000000), [pw()]))
c('lock-reset', 'exact', cmd(DALockReset, [LOCKOUT], sessions=[pw()]))
c('right-auth-after-reset', 'exact', use(b'k'))
c('max-tries-0', 'exact', params(0, 1000, 1000), 'maxTries 0: always in lockout.')
c('right-auth-max-tries-0', 'exact', use(b'k'))
c('permanent-max-tries-0', 'exact', permanent())
c('recovery-time-0', 'exact', params(3, 0, 1000), 'recoveryTime 0: failures are not counted.')
c('wrong-auth-recovery-time-0', 'exact', use(b'x'))
c('da-properties-recovery-time-0', 'exact', da_properties())
c('max-tries-2', 'exact', params(2, 1000, 1000))
c('wrong-auth-counted', 'exact', use(b'x'))
c('da-properties-one-failure', 'exact', da_properties())
c('right-auth-below-max', 'exact', use(b'k'))
print('\n'.join(cases))
