# Generates tpm2-da-nv.corpus (python3 tpm2-da-nv.corpus.py > tpm2-da-nv.corpus). Edit here, not in the corpus.
# Dictionary-attack lockout on NV indices: an index authorized by its authValue is DA-protected unless it has
# TPMA_NV_NO_DA; TPM2_NV_Read of the unwritten index answers TPM_RC_NV_UNINITIALIZED once authorization passed.
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
OWNER, LOCKOUT, SHA256 = 0x40000001, 0x4000000A, 0xb
Startup, Shutdown, GetCap, DALockReset, DAParameters, NV_DefineSpace, NV_Read = 0x144, 0x145, 0x17a, 0x139, 0x13a, 0x12a, 0x14e
AUTH_RW, NO_DA = (1 << 2) | (1 << 18), 1 << 25
PROTECTED, EXEMPT = 0x01000003, 0x01000004
cases = []
def c(name, mode, b, comment=None):
    if comment: cases.append('# ' + comment)
    cases.append(f'{name} | {mode} | {b.hex()}')
def define(index, attributes):
    public = u32(index) + u16(SHA256) + u32(attributes) + b2(b'') + u16(8)
    return cmd(NV_DefineSpace, [OWNER], b2(b'k') + b2(public), [pw()])
def read(index, secret): return cmd(NV_Read, [index, index], u16(8) + u16(0), [pw(secret)])
def da_properties(): return cmd(GetCap, params=u32(6) + u32(0x20e) + u32(4))
def permanent(): return cmd(GetCap, params=u32(6) + u32(0x200) + u32(1))
c('startup-clear', 'exact', cmd(Startup, params=u16(0)))
c('da-parameters', 'exact', cmd(DAParameters, [LOCKOUT], u32(3) + u32(1000) + u32(1000), [pw()]))
c('define-protected', 'exact', define(PROTECTED, AUTH_RW))
c('define-no-da', 'exact', define(EXEMPT, AUTH_RW | NO_DA))
c('first-da-use', 'rc-known-diff', read(PROTECTED, b'k'), 'KNOWN DIFF: the first DA-protected authorization after Startup. libtpms 0.9 (Debian swtpm 0.7.1)\n# answers TPM_RC_RETRY (0x922) while it records that DA was used; libtpms since May 2025 (commit 5da07386) and\n# jswtpm store that synchronously and go on (here to TPM_RC_NV_UNINITIALIZED, 0x14a).')
for i in range(3):
    c(f'wrong-auth-{i + 1}', 'exact', read(PROTECTED, b'x'), 'maxTries failures, then lockout.' if i == 0 else None)
c('right-auth-in-lockout', 'exact', read(PROTECTED, b'k'))
c('da-properties-in-lockout', 'exact', da_properties())
c('permanent-in-lockout', 'exact', permanent())
c('no-da-index-right-auth-in-lockout', 'exact', read(EXEMPT, b'k'), 'TPMA_NV_NO_DA: usable in lockout, failures are BAD_AUTH and not counted.')
c('no-da-index-wrong-auth', 'exact', read(EXEMPT, b'x'))
c('da-properties-after-no-da-failure', 'exact', da_properties())
c('lock-reset', 'exact', cmd(DALockReset, [LOCKOUT], sessions=[pw()]))
c('right-auth-after-reset', 'exact', read(PROTECTED, b'k'))
c('wrong-auth-after-reset', 'exact', read(PROTECTED, b'x'))
c('da-properties-one-failure', 'exact', da_properties())
print('\n'.join(cases))
