# Generates tpm2-sessions.corpus (python3 tpm2-sessions.corpus.py > tpm2-sessions.corpus). Edit here, not
# in the corpus. Sessions without a key (unbound, unsalted, empty HMACs) so that every command is fixed
# bytes; the random nonceTPM in responses is skipped.
import struct
from corpuslib import u8, u16, u32, u64, b2
def cmd(cc, handles=(), params=b'', sessions=None):
    body = b''.join(u32(h) for h in handles)
    if sessions is not None:
        area = b''.join(sessions)
        body += u32(len(area)) + area
    body += params
    return u16(0x8002 if sessions is not None else 0x8001) + u32(10 + len(body)) + u32(cc) + body
def sess(handle, nonce=b'\x11' * 16, attrs=1, hmac=b''):
    return u32(handle) + b2(nonce) + u8(attrs) + b2(hmac)
PW = sess(0x40000009, b'', 1, b'')
OWNER, NULL, RS_PW, LOCKOUT = 0x40000001, 0x40000007, 0x40000009, 0x4000000A
SHA256, ALG_NULL, XOR, AES, CFB, ECB = 0x0B, 0x10, 0x0A, 0x06, 0x43, 0x44
Startup, GetRandom, GetCap, PCR_Extend, Flush, ClockSet = 0x144, 0x17b, 0x17a, 0x182, 0x165, 0x128
SAS, PolicyRestart, PolicyGetDigest, PolicyAuthValue = 0x176, 0x180, 0x189, 0x16b
PolicyPassword, PolicyCommandCode, PolicyPCR = 0x18c, 0x16c, 0x17f
NULL_SYM = u16(ALG_NULL)
def sas(key=NULL, bind=NULL, nonce=b'\x22' * 16, salt=b'', type=0, sym=NULL_SYM, hash=SHA256):
    return cmd(SAS, (key, bind), b2(nonce) + b2(salt) + u8(type) + sym + u16(hash))
# StartAuthSession answers handle (10..14) and nonceTPM (size 14..16, 16 random bytes).
SAS_SKIP = 'skip-fields=16..32'
# A response with sessions and no parameters: parameterSize 10..14, nonce size 14..16, nonce 16..32.
AUTH_SKIP = 'skip-fields=16..32'
# GetRandom(0) with sessions: parameterSize 10..14, randomBytes size 14..16, nonce 18..34.
RANDOM_SKIP = 'skip-fields=18..34'
EXTEND12 = lambda s: cmd(PCR_Extend, (12,), u32(0), s)
PCRS_12_13 = u32(1) + u16(SHA256) + u8(3) + bytes([0, 0x30, 0])
cases = []
def c(name, mode, b, comment=None):
    if comment:
        cases.append('# ' + comment)
    cases.append(f'{name} | {mode} | {b.hex()}')

c('startup-clear', 'exact', cmd(Startup, params=u16(0)))
c('sas-hmac', SAS_SKIP, sas(), 'An unbound, unsalted HMAC session: 0x02000000.')
c('hmac-extend-empty-hmac', AUTH_SKIP, EXTEND12([sess(0x02000000)]),
  'No key and an empty HMAC: authorized, and the response HMAC is empty too.')
c('hmac-extend-wrong-hmac', 'exact', EXTEND12([sess(0x02000000, hmac=b'\x01' * 32)]),
  'A wrong HMAC on a PCR (not DA-protected): TPM_RC_BAD_AUTH on session 1.')
c('auth-bad-handle', 'exact', EXTEND12([sess(0x02000040)]), 'Malformed authorization areas.')
c('auth-reserved-bits', 'exact', EXTEND12([sess(RS_PW, b'', 0x09)]))
c('auth-unloaded', 'exact', EXTEND12([sess(0x02000033)]))
c('auth-second-unloaded', 'exact', EXTEND12([PW, sess(0x02000005, attrs=0x21)]))
c('auth-same-session-twice', 'exact', EXTEND12([sess(0x02000000), sess(0x02000000)]))
c('auth-four-sessions', 'exact', EXTEND12([PW] * 4))
c('auth-pw-with-nonce', 'exact', EXTEND12([sess(RS_PW, b'\x01', 1)]))
c('auth-pw-encrypt', 'exact', EXTEND12([sess(RS_PW, b'', 0x41)]))
c('auth-nonce-too-long', 'exact', EXTEND12([sess(0x02000000, b'\x01' * 65)]))
c('decrypt-not-allowed', 'exact', cmd(GetRandom, params=u16(8), sessions=[sess(0x02000000, attrs=0x21)]))
c('encrypt-null-symmetric', 'exact', cmd(GetRandom, params=u16(8), sessions=[sess(0x02000000, attrs=0x41)]))
c('extra-session-without-purpose', 'exact', EXTEND12([PW, sess(0x02000000)]))
c('extra-password-session', 'exact', EXTEND12([PW, PW]))
c('sas-nonce-short', 'exact', sas(nonce=b'\x01' * 15), 'StartAuthSession parameter and handle errors.')
c('sas-nonce-long', 'exact', sas(nonce=b'\x01' * 33))
c('sas-salt-without-key', 'exact', sas(salt=b'\x01'))
c('sas-type-2', 'exact', sas(type=2))
c('sas-aes-ecb', 'exact', sas(sym=u16(AES) + u16(128) + u16(ECB)))
c('sas-aes-bad-mode', 'exact', sas(sym=u16(AES) + u16(128) + u16(0x99)))
c('sas-aes-100', 'exact', sas(sym=u16(AES) + u16(100) + u16(CFB)))
c('sas-bad-symmetric', 'exact', sas(sym=u16(0x99)))
c('sas-xor-null-hash', 'exact', sas(sym=u16(XOR) + u16(ALG_NULL)))
c('sas-hash-null', 'exact', sas(hash=ALG_NULL))
c('sas-bind-password', 'exact', sas(bind=RS_PW))
c('sas-key-pcr', 'exact', sas(key=3))
c('sas-key-not-loaded', 'exact', sas(key=0x80000001))
c('sas-bind-pcr-30', 'exact', sas(bind=30))
c('sas-trial', SAS_SKIP, sas(type=3), 'A trial session, 0x03000001: digests follow Part 1, 19.7.2.')
c('trial-digest-initial', 'exact', cmd(PolicyGetDigest, (0x03000001,)))
c('trial-command-code', 'exact', cmd(PolicyCommandCode, (0x03000001,), u32(ClockSet)))
c('trial-command-code-again', 'exact', cmd(PolicyCommandCode, (0x03000001,), u32(ClockSet)))
c('trial-command-code-other', 'exact', cmd(PolicyCommandCode, (0x03000001,), u32(0x130)))
c('trial-command-code-unknown', 'exact', cmd(PolicyCommandCode, (0x03000001,), u32(0x15A)))
c('trial-auth-value', 'exact', cmd(PolicyAuthValue, (0x03000001,)))
c('trial-pcr', 'exact', cmd(PolicyPCR, (0x03000001,), b2(b'') + PCRS_12_13))
c('trial-pcr-given-digest', 'exact', cmd(PolicyPCR, (0x03000001,), b2(b'\x33' * 32) + PCRS_12_13))
c('trial-digest', 'exact', cmd(PolicyGetDigest, (0x03000001,)))
c('trial-restart', 'exact', cmd(PolicyRestart, (0x03000001,)))
c('trial-password', 'exact', cmd(PolicyPassword, (0x03000001,)))
c('trial-digest-password', 'exact', cmd(PolicyGetDigest, (0x03000001,)))
c('trial-cannot-authorize', 'exact', EXTEND12([sess(0x03000001)]))
c('sas-policy', SAS_SKIP, sas(type=1), 'A policy session, 0x03000002.')
c('policy-no-authpolicy', 'exact', cmd(ClockSet, (OWNER,), struct.pack('>Q', 1 << 40), [sess(0x03000002)]))
c('policy-on-pcr', 'exact', EXTEND12([sess(0x03000002)]))
c('policy-pcr-wrong-digest', 'exact', cmd(PolicyPCR, (0x03000002,), b2(b'\x01' * 32) + PCRS_12_13))
c('policy-pcr', 'exact', cmd(PolicyPCR, (0x03000002,), b2(b'') + PCRS_12_13))
c('policy-restart-hmac-handle', 'exact', cmd(PolicyRestart, (0x02000000,)))
c('policy-restart-not-loaded', 'exact', cmd(PolicyRestart, (0x03000030,)))
c('policy-restart-hmac-index', 'exact', cmd(PolicyRestart, (0x03000000,)),
  'Index 0 holds an HMAC session: as a policy handle, or in the authorization area, the wrong type.')
c('auth-policy-handle-hmac-index', 'exact', EXTEND12([sess(0x03000000)]))
c('sas-fourth', 'exact', sas(), 'Three loaded sessions: the fourth is TPM_RC_SESSION_MEMORY.')
c('cap-loaded-sessions', 'exact', cmd(GetCap, params=u32(1) + u32(0x02000000) + u32(64)),
  'TPM_HT_LOADED_SESSION lists HMAC and policy sessions; TPM_HT_SAVED_SESSION none.')
c('cap-loaded-from-1', 'exact', cmd(GetCap, params=u32(1) + u32(0x02000001) + u32(64)))
c('cap-saved-sessions', 'exact', cmd(GetCap, params=u32(1) + u32(0x03000000) + u32(64)))
for pt in (0x110, 0x111, 0x203, 0x204, 0x205, 0x206):
    c(f'cap-property-{pt:x}', 'exact', cmd(GetCap, params=u32(6) + u32(pt) + u32(1)))
c('flush-trial', 'exact', cmd(Flush, params=u32(0x03000001)), 'FlushContext of sessions.')
c('flush-trial-again', 'exact', cmd(Flush, params=u32(0x03000001)))
c('flush-by-index', 'exact', cmd(Flush, params=u32(0x02000002)),
  'FlushContext finds sessions by index, whatever the type in the handle.')
c('flush-out-of-range', 'exact', cmd(Flush, params=u32(0x02000040)))
c('flush-policy-gone', 'exact', cmd(Flush, params=u32(0x03000002)))
c('audit-first', RANDOM_SKIP, cmd(GetRandom, params=u16(0), sessions=[sess(0x02000000, attrs=0x81)]),
  'Session audit: the response reports auditExclusive; any other command ends exclusivity.')
c('audit-exclusive', RANDOM_SKIP, cmd(GetRandom, params=u16(0), sessions=[sess(0x02000000, attrs=0x83)]))
c('no-session-command', 'exact', cmd(GetRandom, params=u16(0)))
c('audit-exclusive-lost', 'exact', cmd(GetRandom, params=u16(0), sessions=[sess(0x02000000, attrs=0x83)]))
c('audit-not-exclusive', RANDOM_SKIP, cmd(GetRandom, params=u16(0), sessions=[sess(0x02000000, attrs=0x81)]))
c('audit-reset', RANDOM_SKIP, cmd(GetRandom, params=u16(0), sessions=[sess(0x02000000, attrs=0x85)]))
c('audit-two-sessions', 'exact', cmd(GetRandom, params=u16(0), sessions=[sess(0x02000000, attrs=0x81), PW]))
c('continue-clear', AUTH_SKIP, EXTEND12([sess(0x02000000, attrs=0)]), 'continueSession clear ends the session.')
c('ended', 'exact', EXTEND12([sess(0x02000000)]))
c('sas-lockout-bound', SAS_SKIP, sas(bind=LOCKOUT), 'A session bound to lockoutAuth: a failure disables lockoutAuth.')
c('lockout-bound-failure', 'exact', EXTEND12([sess(0x02000000, hmac=b'\x01' * 32)]))
c('lockout-bound-locked', 'exact', EXTEND12([sess(0x02000000, hmac=b'\x01' * 32)]))
NV_DefineSpace, NV_UndefineSpace, NV_Write, NV_Read = 0x12a, 0x122, 0x137, 0x14e
def nv_public(index, attrs, size=8):
    body = u32(index) + u16(SHA256) + u32(attrs) + b2(b'') + u16(size)
    return b2(body)
AUTHRW_NODA = (1 << 2) | (1 << 18) | (1 << 25)
PIN_FAIL = (1 << 1) | (1 << 17) | (1 << 18) | (1 << 25) | (0x8 << 4)
c('flush-lockout-bound', 'exact', cmd(Flush, params=u32(0x02000000)), 'NV indices as bind entities and through sessions.')
c('nv-define-pin-fail', 'exact', cmd(NV_DefineSpace, (OWNER,), b2(b'pin') + nv_public(0x01000021, PIN_FAIL), [PW]))
c('sas-bind-pin-index', 'exact', sas(bind=0x01000021))
c('nv-define-auth', 'exact', cmd(NV_DefineSpace, (OWNER,), b2(b'') + nv_public(0x01000022, AUTHRW_NODA), [PW]))
c('sas-bind-nv-index', SAS_SKIP, sas(bind=0x01000022))
c('flush-nv-bound', 'exact', cmd(Flush, params=u32(0x02000000)))
c('sas-hmac-for-nv', SAS_SKIP, sas())
c('nv-write-hmac-empty', AUTH_SKIP, cmd(NV_Write, (0x01000022, 0x01000022), b2(b'\x01\x02') + u16(0), [sess(0x02000000)]))
c('nv-read-hmac-empty', 'skip-fields=20..36', cmd(NV_Read, (0x01000022, 0x01000022), u16(2) + u16(0),
  [sess(0x02000000)]))
c('nv-write-hmac-wrong', 'exact', cmd(NV_Write, (0x01000022, 0x01000022), b2(b'\x01') + u16(0),
  [sess(0x02000000, hmac=b'\x01' * 32)]))
c('nv-undefine-auth', 'exact', cmd(NV_UndefineSpace, (OWNER, 0x01000022), b'', [PW]))
c('nv-undefine-pin', 'exact', cmd(NV_UndefineSpace, (OWNER, 0x01000021), b'', [PW]))
print('\n'.join(cases))
