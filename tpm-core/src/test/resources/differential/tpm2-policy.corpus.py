# Generates tpm2-policy.corpus (python3 tpm2-policy.corpus.py > tpm2-policy.corpus). Edit here, not in
# the corpus. The chapter 23 policy assertions on Debian's swtpm and on jswtpm: trial-session digests
# (byte for byte), their parameter errors, and policy-session checks that need no random values.
import struct, hashlib
from corpuslib import u8, u16, u32, u64, b2
def sha(*parts): return hashlib.sha256(b''.join(parts)).digest()
def cmd(cc, handles=(), params=b'', sessions=None):
    body = b''.join(u32(h) for h in handles)
    if sessions is not None:
        area = b''.join(sessions)
        body += u32(len(area)) + area
    body += params
    return u16(0x8002 if sessions is not None else 0x8001) + u32(10 + len(body)) + u32(cc) + body
PW = u32(0x40000009) + b2(b'') + u8(1) + b2(b'')
OWNER, NULL = 0x40000001, 0x40000007
SHA256, ALG_NULL = 0x0B, 0x10
Startup, SAS, GetDigest, Restart, Flush = 0x144, 0x176, 0x189, 0x180, 0x165
PolicySecret, PolicyTicket, PolicyOR, PolicyLocality, PolicyNV = 0x151, 0x172, 0x171, 0x16f, 0x149
PolicyCounterTimer, PolicyPP, PolicyCpHash, PolicyNameHash = 0x16d, 0x187, 0x16e, 0x170
PolicyDupSelect, PolicyAuthorize, PolicyNvWritten, PolicyTemplate = 0x188, 0x16a, 0x18f, 0x190
PolicyAuthorizeNV, PolicyCommandCode = 0x192, 0x16c
NV_DefineSpace, NV_Write = 0x12a, 0x137
ST_AUTH_SECRET, ST_VERIFIED = 0x8023, 0x8022
def sas(type):
    return cmd(SAS, (NULL, NULL), b2(b'\x22' * 32) + b2(b'') + u8(type) + u16(ALG_NULL) + u16(SHA256))
SAS_SKIP = 'skip-fields=16..48'
T, P = 0x03000000, 0x03000001
A, B = sha(b'a'), sha(b'b')
INDEX, EMPTY_INDEX = 0x01000020, 0x01000021
OWNER_RW = (1 << 1) | (1 << 17)
def nv_public(index, attrs, size):
    return b2(u32(index) + u16(SHA256) + u32(attrs) + b2(b'') + u16(size))
cases = []
def c(name, mode, b, comment=None):
    if comment:
        cases.append('# ' + comment)
    cases.append(f'{name} | {mode} | {b.hex()}')
def digest(name, s=T):
    c(name, 'exact', cmd(GetDigest, (s,)))
def restart(name, s=T):
    c(name, 'exact', cmd(Restart, (s,)))

c('startup-clear', 'exact', cmd(Startup, params=u16(0)))
c('sas-trial', SAS_SKIP, sas(3), 'A trial session, 0x03000000.')
c('or', 'exact', cmd(PolicyOR, (T,), u32(2) + b2(A) + b2(B)), 'PolicyOR: H(zeros || cc || digests).')
digest('or-digest')
c('or-one-digest', 'exact', cmd(PolicyOR, (T,), u32(1) + b2(A)))
c('or-nine-digests', 'exact', cmd(PolicyOR, (T,), u32(9) + b2(A) * 9))
restart('restart-1')
c('locality', 'exact', cmd(PolicyLocality, (T,), u8(0x18)), 'PolicyLocality: bitmaps intersect.')
c('locality-narrower', 'exact', cmd(PolicyLocality, (T,), u8(0x0C)))
digest('locality-digest')
c('locality-disjoint', 'exact', cmd(PolicyLocality, (T,), u8(0x01)))
c('locality-extended-after-bitmap', 'exact', cmd(PolicyLocality, (T,), u8(0x40)))
c('locality-zero', 'exact', cmd(PolicyLocality, (T,), u8(0)))
restart('restart-2')
c('locality-extended', 'exact', cmd(PolicyLocality, (T,), u8(0x80)))
digest('locality-extended-digest')
c('locality-other-extended', 'exact', cmd(PolicyLocality, (T,), u8(0x81)))
restart('restart-3')
c('physical-presence', 'exact', cmd(PolicyPP, (T,)), 'PolicyPhysicalPresence.')
digest('physical-presence-digest')
restart('restart-4')
c('cphash', 'exact', cmd(PolicyCpHash, (T,), b2(A)), 'PolicyCpHash, PolicyNameHash, PolicyTemplate share one slot.')
c('cphash-same', 'exact', cmd(PolicyCpHash, (T,), b2(A)))
digest('cphash-digest')
c('cphash-other', 'exact', cmd(PolicyCpHash, (T,), b2(B)))
c('namehash-after-cphash', 'exact', cmd(PolicyNameHash, (T,), b2(A)))
c('template-after-cphash', 'exact', cmd(PolicyTemplate, (T,), b2(A)))
c('cphash-short', 'exact', cmd(PolicyCpHash, (T,), b2(b'\x01' * 20)))
restart('restart-5')
c('namehash', 'exact', cmd(PolicyNameHash, (T,), b2(B)))
digest('namehash-digest')
c('namehash-short', 'exact', cmd(PolicyNameHash, (T,), b2(b'')))
restart('restart-6')
c('template', 'exact', cmd(PolicyTemplate, (T,), b2(A)))
c('template-same', 'exact', cmd(PolicyTemplate, (T,), b2(A)))
digest('template-digest')
c('template-short', 'exact', cmd(PolicyTemplate, (T,), b2(b'\x01')))
restart('restart-7')
OBJ, PARENT = u16(SHA256) + A, u16(SHA256) + B
c('dup-select-include', 'exact', cmd(PolicyDupSelect, (T,), b2(OBJ) + b2(PARENT) + u8(1)), 'PolicyDuplicationSelect.')
digest('dup-select-include-digest')
restart('restart-8')
c('dup-select-exclude', 'exact', cmd(PolicyDupSelect, (T,), b2(OBJ) + b2(PARENT) + u8(0)))
digest('dup-select-exclude-digest')
c('dup-select-again', 'exact', cmd(PolicyDupSelect, (T,), b2(OBJ) + b2(PARENT) + u8(0)))
restart('restart-9')
c('command-code-then-dup-select', 'exact', cmd(PolicyCommandCode, (T,), u32(0x15e)))
c('dup-select-after-command-code', 'exact', cmd(PolicyDupSelect, (T,), b2(OBJ) + b2(PARENT) + u8(0)))
restart('restart-10')
c('nv-written-yes', 'exact', cmd(PolicyNvWritten, (T,), u8(1)), 'PolicyNvWritten.')
c('nv-written-yes-again', 'exact', cmd(PolicyNvWritten, (T,), u8(1)))
digest('nv-written-digest')
c('nv-written-contradiction', 'exact', cmd(PolicyNvWritten, (T,), u8(0)))
c('nv-written-2', 'exact', cmd(PolicyNvWritten, (T,), u8(2)))
restart('restart-11')
OPERAND = u64(0x1000)
c('counter-timer', 'exact', cmd(PolicyCounterTimer, (T,), b2(OPERAND) + u16(8) + u16(3)), 'PolicyCounterTimer.')
digest('counter-timer-digest')
c('counter-timer-offset', 'exact', cmd(PolicyCounterTimer, (T,), b2(OPERAND) + u16(26) + u16(3)))
c('counter-timer-range', 'exact', cmd(PolicyCounterTimer, (T,), b2(OPERAND) + u16(20) + u16(3)))
c('counter-timer-operation', 'exact', cmd(PolicyCounterTimer, (T,), b2(OPERAND) + u16(0) + u16(12)))
restart('restart-12')
c('nv-define', 'exact', cmd(NV_DefineSpace, (OWNER,), b2(b'') + nv_public(INDEX, OWNER_RW, 34), [PW]),
  'PolicyNV and PolicyAuthorizeNV over an owner-read index holding a TPMT_HA.')
c('nv-define-empty', 'exact', cmd(NV_DefineSpace, (OWNER,), b2(b'') + nv_public(EMPTY_INDEX, OWNER_RW, 8), [PW]))
c('nv-write', 'exact', cmd(NV_Write, (OWNER, INDEX), b2(u16(SHA256) + A) + u16(0), [PW]))
c('policy-nv-trial', 'exact', cmd(PolicyNV, (OWNER, INDEX, T), b2(b'\x01\x02') + u16(4) + u16(0), [PW]))
digest('policy-nv-trial-digest')
c('authorize-nv-trial', 'exact', cmd(PolicyAuthorizeNV, (OWNER, INDEX, T), b'', [PW]))
digest('authorize-nv-trial-digest')
restart('restart-13')
c('secret-trial', 'exact', cmd(PolicySecret, (OWNER, T), b2(b'') + b2(b'') + b2(b'\x09\x08') + u32(-60), [PW]),
  'PolicySecret in a trial session: no timeout, a NULL ticket.')
digest('secret-trial-digest')
c('secret-trial-cphash-unchecked', 'exact', cmd(PolicySecret, (OWNER, T), b2(b'') + b2(b'\x01') + b2(b'') + u32(0), [PW]))
c('secret-bad-password', 'exact', cmd(PolicySecret, (OWNER, T), b2(b'') + b2(b'') + b2(b'') + u32(0),
  [u32(0x40000009) + b2(b'') + u8(1) + b2(b'x')]))
restart('restart-14')
KEYSIGN = u16(SHA256) + A
c('authorize-trial', 'exact', cmd(PolicyAuthorize, (T,), b2(B) + b2(b'\x07') + b2(KEYSIGN) + u16(ST_VERIFIED)
  + u32(NULL) + u16(0)), 'PolicyAuthorize in a trial session checks no ticket.')
digest('authorize-trial-digest')
c('authorize-keysign-short', 'exact', cmd(PolicyAuthorize, (T,), b2(B) + b2(b'') + b2(u16(SHA256))
  + u16(ST_VERIFIED) + u32(NULL) + u16(0)))
c('authorize-keysign-hash', 'exact', cmd(PolicyAuthorize, (T,), b2(B) + b2(b'') + b2(u16(0x99) + A)
  + u16(ST_VERIFIED) + u32(NULL) + u16(0)))
c('authorize-wrong-tag', 'exact', cmd(PolicyAuthorize, (T,), b2(B) + b2(b'') + b2(KEYSIGN)
  + u16(ST_AUTH_SECRET) + u32(NULL) + u16(0)))
c('ticket-in-trial', 'exact', cmd(PolicyTicket, (T,), b2(u64(0)) + b2(b'') + b2(b'') + b2(u32(OWNER))
  + u16(ST_AUTH_SECRET) + u32(OWNER) + b2(b'')))
c('ticket-in-trial-short-timeout', 'exact', cmd(PolicyTicket, (T,), b2(u32(0)) + b2(b'') + b2(b'') + b2(u32(OWNER))
  + u16(ST_AUTH_SECRET) + u32(OWNER) + b2(b'')))
c('ticket-bad-tag', 'exact', cmd(PolicyTicket, (T,), b2(u64(0)) + b2(b'') + b2(b'') + b2(u32(OWNER))
  + u16(ST_VERIFIED) + u32(OWNER) + b2(b'')))
c('sas-policy', SAS_SKIP, sas(1), 'A policy session, 0x03000001: conditions checked now.')
c('policy-nv-eq', 'exact', cmd(PolicyNV, (OWNER, INDEX, P), b2(u16(SHA256)) + u16(0) + u16(0), [PW]))
c('policy-nv-neq-fails', 'exact', cmd(PolicyNV, (OWNER, INDEX, P), b2(u16(SHA256)) + u16(0) + u16(1), [PW]))
c('policy-nv-signed-lt', 'exact', cmd(PolicyNV, (OWNER, INDEX, P), b2(b'\x7f') + u16(2) + u16(4), [PW]))
c('policy-nv-unsigned-gt', 'exact', cmd(PolicyNV, (OWNER, INDEX, P), b2(b'\x7f') + u16(2) + u16(3), [PW]))
c('policy-nv-bitset', 'exact', cmd(PolicyNV, (OWNER, INDEX, P), b2(A[:1]) + u16(2) + u16(10), [PW]))
c('policy-nv-bitclear', 'exact', cmd(PolicyNV, (OWNER, INDEX, P), b2(A[:1]) + u16(2) + u16(11), [PW]))
c('policy-nv-offset', 'exact', cmd(PolicyNV, (OWNER, INDEX, P), b2(b'\x00') + u16(35) + u16(0), [PW]))
c('policy-nv-size', 'exact', cmd(PolicyNV, (OWNER, INDEX, P), b2(b'\x00\x00') + u16(33) + u16(0), [PW]))
c('policy-nv-unwritten', 'exact', cmd(PolicyNV, (OWNER, EMPTY_INDEX, P), b2(b'\x00') + u16(0) + u16(0), [PW]))
digest('policy-nv-digest', P)
c('policy-or-no-match', 'exact', cmd(PolicyOR, (P,), u32(2) + b2(A) + b2(B)))
c('policy-authorize-not-approved', 'exact', cmd(PolicyAuthorize, (P,), b2(B) + b2(b'') + b2(KEYSIGN)
  + u16(ST_VERIFIED) + u32(NULL) + u16(0)))
c('policy-authorize-nv-mismatch', 'exact', cmd(PolicyAuthorizeNV, (OWNER, INDEX, P), b'', [PW]))
c('policy-counter-timer-ge', 'exact', cmd(PolicyCounterTimer, (P,), b2(u32(0)) + u16(20) + u16(7)))
c('policy-counter-timer-fails', 'exact', cmd(PolicyCounterTimer, (P,), b2(u64(1 << 62)) + u16(0) + u16(3)))
c('policy-secret-wrong-nonce', 'exact', cmd(PolicySecret, (OWNER, P), b2(b'\x01' * 32) + b2(b'') + b2(b'')
  + u32(0), [PW]))
c('policy-secret', 'exact', cmd(PolicySecret, (OWNER, P), b2(b'') + b2(b'') + b2(b'') + u32(0), [PW]))
digest('policy-secret-digest', P)
c('policy-ticket-forged', 'exact', cmd(PolicyTicket, (P,), b2(u64(0)) + b2(b'') + b2(b'') + b2(u32(OWNER))
  + u16(ST_AUTH_SECRET) + u32(OWNER) + b2(b'\x01' * 64)))
c('policy-ticket-timeout-size', 'exact', cmd(PolicyTicket, (P,), b2(u32(0)) + b2(b'') + b2(b'') + b2(u32(OWNER))
  + u16(ST_AUTH_SECRET) + u32(OWNER) + b2(b'\x01' * 64)))
LoadExternal, PolicySigned = 0x167, 0x160
MODULUS = b''.join(sha(b'modulus', u8(i)) for i in range(8))
MODULUS = bytes([MODULUS[0] | 0x80]) + MODULUS[1:-1] + bytes([MODULUS[-1] | 1])
RSA_SIGN_PUBLIC = b2(u16(0x0001) + u16(SHA256) + u32((1 << 6) | (1 << 18)) + b2(b'') + u16(ALG_NULL)
  + u16(ALG_NULL) + u16(2048) + u32(0) + b2(MODULUS))
KEY = 0x80000000
c('load-external-key', 'exact', cmd(LoadExternal, params=b2(b'') + RSA_SIGN_PUBLIC + u32(OWNER)),
  'PolicySigned with an external RSA public key (owner hierarchy).')
restart('restart-15')
NULL_SIG = u16(ALG_NULL)
ZERO_SIG = u16(0x14) + u16(SHA256) + b2(b'\x00' * 256)
def signed(s, nonce=b'', cphash=b'', ref=b'', expiration=0, sig=ZERO_SIG):
    return cmd(PolicySigned, (KEY, s), b2(nonce) + b2(cphash) + b2(ref) + u32(expiration) + sig)
c('signed-trial', 'exact', signed(T, ref=b'\x05', expiration=-10), 'A trial session checks no signature.')
digest('signed-trial-digest')
c('signed-trial-null-signature', 'exact', signed(T, sig=NULL_SIG))
c('signed-null-signature', 'exact', signed(P, sig=NULL_SIG))
c('signed-bad-signature', 'exact', signed(P))
c('signed-wrong-nonce', 'exact', signed(P, nonce=b'\x01' * 32))
c('signed-cphash-short', 'exact', signed(P, cphash=b'\x01' * 31))
c('signed-hmac-signature-on-rsa', 'exact', signed(P, sig=u16(0x05) + u16(SHA256) + A))
c('flush-key', 'exact', cmd(Flush, params=u32(KEY)))
# Enforcement at authorization time, on swtpm and jswtpm: a write-once index (PolicyNvWritten(NO) +
# PolicyCommandCode(NV_Write)) and an index whose policy fixes the written data (PolicyCpHash).
Q = 0x03000002
POLICYWRITE, AUTHREAD, NO_DA = 1 << 3, 1 << 18, 1 << 25
def nv_public_policy(index, attrs, policy, size):
    return u32(index) + u16(SHA256) + u32(attrs) + b2(policy) + u16(size)
def policy_session_auth(handle):
    return u32(handle) + b2(b'\x11' * 32) + u8(1) + b2(b'')
AUTH_SKIP = 'skip-fields=16..48'
ONCE, FIXED = 0x01000030, 0x01000031
once_policy = sha(sha(bytes(32), u32(PolicyNvWritten), u8(0)), u32(PolicyCommandCode), u32(NV_Write))
c('sas-policy-q', SAS_SKIP, sas(1), 'Enforcement at authorization time: a third session, 0x03000002.')
c('nv-define-once', 'exact', cmd(NV_DefineSpace, (OWNER,), b2(b'') + b2(nv_public_policy(ONCE,
  POLICYWRITE | AUTHREAD | NO_DA, once_policy, 4)), [PW]))
for i in range(2):
    c(f'once-written-{i}', 'exact', cmd(PolicyNvWritten, (Q,), u8(0)))
    c(f'once-command-code-{i}', 'exact', cmd(PolicyCommandCode, (Q,), u32(NV_Write)))
    c(f'once-write-{i}', AUTH_SKIP if i == 0 else 'exact',
      cmd(NV_Write, (ONCE, ONCE), b2(b'\x01\x02\x03\x04') + u16(0), [policy_session_auth(Q)]))
restart('once-restart', Q)
# the owner's authPolicy fixes NV_Write's parameters through PolicyCpHash (TPM2_SetPrimaryPolicy)
SetPrimaryPolicy = 0x12e
OWNERWRITE = 1 << 1
fixed_public = nv_public_policy(FIXED, OWNERWRITE | AUTHREAD | NO_DA, b'', 4)
fixed_name = u16(SHA256) + sha(fixed_public)
fixed_params = b2(b'\x0a\x0b') + u16(0)
fixed_cp = sha(u32(NV_Write), u32(OWNER), fixed_name, fixed_params)
owner_policy = sha(bytes(32), u32(PolicyCpHash), fixed_cp)
c('nv-define-fixed', 'exact', cmd(NV_DefineSpace, (OWNER,), b2(b'') + b2(fixed_public), [PW]))
c('owner-policy-cphash', 'exact', cmd(SetPrimaryPolicy, (OWNER,), b2(owner_policy) + u16(SHA256), [PW]))
c('fixed-cphash', 'exact', cmd(PolicyCpHash, (Q,), b2(fixed_cp)))
c('fixed-cphash-again-other', 'exact', cmd(PolicyCpHash, (Q,), b2(sha(b'other'))))
c('fixed-write-other-data', 'exact', cmd(NV_Write, (OWNER, FIXED), b2(b'\x0a\x0c') + u16(0),
  [policy_session_auth(Q)]))
c('fixed-write', AUTH_SKIP, cmd(NV_Write, (OWNER, FIXED), fixed_params, [policy_session_auth(Q)]))
c('owner-policy-cleared', 'exact', cmd(SetPrimaryPolicy, (OWNER,), b2(b'') + u16(ALG_NULL), [PW]))
c('flush-q', 'exact', cmd(Flush, params=u32(Q)))
# Trial digests in SHA-1 and SHA-384 sessions (session hash = digest hash)
def sas_hash(type, h, n):
    return cmd(SAS, (NULL, NULL), b2(b'\x22' * n) + b2(b'') + u8(type) + u16(ALG_NULL) + u16(h))
for hname, hid, n in (('sha1', 0x04, 20), ('sha384', 0x0C, 48)):
    c(f'sas-trial-{hname}', f'skip-fields=16..{16 + n}', sas_hash(3, hid, n), f'A {hname} trial session.')
    D1, D2 = b'\x01' * n, b'\x02' * n
    c(f'{hname}-or', 'exact', cmd(PolicyOR, (Q,), u32(2) + b2(D1) + b2(D2)))
    c(f'{hname}-secret', 'exact', cmd(PolicySecret, (OWNER, Q), b2(b'') + b2(b'') + b2(b'\x01') + u32(0), [PW]))
    c(f'{hname}-nv', 'exact', cmd(PolicyNV, (OWNER, INDEX, Q), b2(b'\x01\x02') + u16(4) + u16(0), [PW]))
    c(f'{hname}-counter-timer', 'exact', cmd(PolicyCounterTimer, (Q,), b2(OPERAND) + u16(8) + u16(3)))
    c(f'{hname}-cphash', 'exact', cmd(PolicyCpHash, (Q,), b2(D1)))
    c(f'{hname}-cphash-sha256-size', 'exact', cmd(PolicyCpHash, (Q,), b2(A)))
    c(f'{hname}-locality', 'exact', cmd(PolicyLocality, (Q,), u8(1)))
    c(f'{hname}-authorize', 'exact', cmd(PolicyAuthorize, (Q,), b2(D1) + b2(b'') + b2(KEYSIGN) + u16(ST_VERIFIED)
      + u32(NULL) + u16(0)))
    c(f'{hname}-authorize-nv', 'exact', cmd(PolicyAuthorizeNV, (OWNER, INDEX, Q), b'', [PW]))
    digest(f'{hname}-digest', Q)
    c(f'flush-{hname}', 'exact', cmd(Flush, params=u32(Q)))
GetCap = 0x17a
for code in (PolicySigned, PolicySecret, PolicyTicket, PolicyOR, PolicyLocality, PolicyNV, PolicyCounterTimer,
             PolicyPP, PolicyCpHash, PolicyNameHash, PolicyDupSelect, PolicyAuthorize, PolicyNvWritten,
             PolicyTemplate, PolicyAuthorizeNV):
    c(f'tpma-cc-{code:x}', 'exact', cmd(GetCap, params=u32(2) + u32(code) + u32(1)),
      'TPMA_CC of the command as TPM_CAP_COMMANDS reports it.' if code == PolicySigned else None)
c('flush-trial', 'exact', cmd(Flush, params=u32(T)))
c('flush-policy', 'exact', cmd(Flush, params=u32(P)))
print('\n'.join(cases))
