# Generates tpm2-objects.corpus (python3 tpm2-objects.corpus.py > tpm2-objects.corpus). Edit here, not in
# the corpus. Object commands: keys differ between TPMs, so most cases compare response codes; the error
# paths (template rules, unmarshalling, handles, integrity) must give the same TPM_RC as swtpm.
import struct
from corpuslib import u8, u16, u32, u64, b2
PW = u32(0x40000009) + u16(0) + u8(0) + u16(0)
def pw(p): return u32(0x40000009) + u16(0) + u8(0) + b2(p)
def cmd(cc, handles=(), params=b'', sessions=None):
    body = b''.join(u32(h) for h in handles)
    if sessions is not None:
        area = b''.join(sessions)
        body += u32(len(area)) + area
    body += params
    return u16(0x8002 if sessions is not None else 0x8001) + u32(10 + len(body)) + u32(cc) + body
OWNER, NULLH, LOCKOUT, ENDORSEMENT, PLATFORM = 0x40000001, 0x40000007, 0x4000000A, 0x4000000B, 0x4000000C
RSA, KEYEDHASH, SHA256, NULL, ECC, SYMCIPHER, AES, CFB = 0x1, 0x8, 0xB, 0x10, 0x23, 0x25, 0x6, 0x43
RSASSA, OAEP, ECDSA, HMAC = 0x14, 0x17, 0x18, 0x5
FIXED_TPM, ST_CLEAR, FIXED_PARENT, SDO, UWA = 1 << 1, 1 << 2, 1 << 4, 1 << 5, 1 << 6
RESTRICTED, DECRYPT, SIGN = 1 << 16, 1 << 17, 1 << 18
STORAGE = FIXED_TPM | FIXED_PARENT | SDO | UWA | RESTRICTED | DECRYPT
SIGNING = FIXED_TPM | FIXED_PARENT | SDO | UWA | SIGN
SEALED = FIXED_TPM | FIXED_PARENT | UWA
Startup, CreatePrimary, Create, Load, LoadExternal, ReadPublic, Unseal = 0x144, 0x131, 0x153, 0x157, 0x167, 0x173, 0x15E
EvictControl, ContextSave, ContextLoad, Flush, TestParms, ObjectChangeAuth = 0x120, 0x162, 0x161, 0x165, 0x18A, 0x150
def sym(attrs):
    return u16(AES) + u16(128) + u16(CFB) if attrs & RESTRICTED and attrs & DECRYPT else u16(NULL)
def scheme(s, h):
    return u16(s) + (u16(h) if s != NULL else b'')
def rsa(attrs, bits=2048, s=NULL, h=0, symdef=None, nameAlg=SHA256):
    return b2(u16(RSA) + u16(nameAlg) + u32(attrs) + u16(0) + (symdef if symdef is not None else sym(attrs))
              + scheme(s, h) + u16(bits) + u32(0) + u16(0))
def ecc(attrs, curve=3, s=NULL, h=0):
    return b2(u16(ECC) + u16(SHA256) + u32(attrs) + u16(0) + sym(attrs) + scheme(s, h) + u16(curve) + u16(NULL)
              + u16(0) + u16(0))
def sealed():
    return b2(u16(KEYEDHASH) + u16(SHA256) + u32(SEALED) + u16(0) + u16(NULL) + u16(0))
def sens(auth=b'', data=b''):
    return b2(b2(auth) + b2(data))
def primary(h, template, auth=b'', data=b''):
    return cmd(CreatePrimary, [h], sens(auth, data) + template + u16(0) + u32(0), [PW])
def create(parent, template, auth=b'', data=b''):
    return cmd(Create, [parent], sens(auth, data) + template + u16(0) + u32(0), [PW])
cases = []
def c(name, mode, b, comment=None):
    if comment: cases.append('# ' + comment)
    cases.append(f'{name} | {mode} | {b.hex()}')
c('startup-clear', 'exact', cmd(Startup, params=u16(0)))
for cc, name in ((0x120, 'EvictControl'), (0x131, 'CreatePrimary'), (0x150, 'ObjectChangeAuth'), (0x153, 'Create'), (0x157, 'Load'), (0x15E, 'Unseal'), (0x161, 'ContextLoad'), (0x162, 'ContextSave'), (0x167, 'LoadExternal'), (0x173, 'ReadPublic'), (0x191, 'CreateLoaded')):
    # moreData (byte 10) depends on which later commands each TPM implements
    c('getcap-command-' + name, 'skip-fields=10..11', cmd(0x17A, params=u32(2) + u32(cc) + u32(1)), 'TPMA_CC of the object commands.' if name == 'EvictControl' else None)
c('createprimary-rsa-storage-owner', 'rc', primary(OWNER, rsa(STORAGE)), 'Primary keys: handles 0x80000000 and 0x80000001 in both TPMs.')
c('createprimary-ecc-signing-endorsement', 'rc', primary(ENDORSEMENT, ecc(SIGNING, 3, ECDSA, SHA256)))
c('readpublic-rsa', 'rc', cmd(ReadPublic, [0x80000000]))
c('readpublic-empty-slot', 'exact', cmd(ReadPublic, [0x80000002]))
c('readpublic-absent-persistent', 'exact', cmd(ReadPublic, [0x81000123]))
c('createprimary-fixedtpm-without-fixedparent', 'exact', primary(OWNER, rsa(STORAGE & ~FIXED_PARENT)), 'Template rules (Part 1, 27; CreateChecks and PublicAttributesValidation).')
c('createprimary-fixedparent-without-fixedtpm', 'exact', primary(OWNER, rsa(STORAGE & ~FIXED_TPM)))
c('createprimary-restricted-sign-and-decrypt', 'exact', primary(OWNER, rsa(STORAGE | SIGN)))
c('createprimary-restricted-neither', 'exact', primary(OWNER, rsa(STORAGE & ~DECRYPT)))
c('createprimary-rsa-without-sdo', 'exact', primary(OWNER, rsa(STORAGE & ~SDO)))
c('createprimary-restricted-signer-null-scheme', 'exact', primary(OWNER, rsa(SIGNING | RESTRICTED)))
c('createprimary-signer-with-oaep', 'exact', primary(OWNER, rsa(SIGNING, 2048, OAEP, SHA256)))
c('createprimary-signer-with-symmetric', 'exact', primary(OWNER, rsa(SIGNING, symdef=u16(AES) + u16(128) + u16(CFB))))
c('createprimary-storage-null-symmetric', 'exact', primary(OWNER, rsa(STORAGE, symdef=u16(NULL))))
c('createprimary-storage-with-scheme', 'exact', primary(OWNER, rsa(STORAGE, 2048, OAEP, SHA256)))
c('createprimary-signer-scheme-null-hash', 'exact', primary(OWNER, rsa(SIGNING, 2048, RSASSA, NULL)))
c('createprimary-sealed-tpm-generated', 'exact', primary(OWNER, b2(u16(KEYEDHASH) + u16(SHA256) + u32(SEALED | SDO) + u16(0) + u16(NULL) + u16(0))))
c('createprimary-sealed-no-data', 'exact', primary(OWNER, sealed()))
ADMIN_WITH_POLICY, NO_DA, ENC_DUP = 1 << 7, 1 << 10, 1 << 11
ECDH, ECSCHNORR, RSAES, XOR, KDF108 = 0x19, 0x1C, 0x15, 0xA, 0x22
def rsa_e(attrs, e):
    return b2(u16(RSA) + u16(SHA256) + u32(attrs) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(e) + u16(0))
def keyedhash(attrs, scheme_bytes):
    return b2(u16(KEYEDHASH) + u16(SHA256) + u32(attrs) + u16(0) + scheme_bytes + u16(0))
def symcipher(attrs, bits=128, mode=CFB):
    return b2(u16(SYMCIPHER) + u16(SHA256) + u32(attrs) + u16(0) + u16(AES) + u16(bits) + u16(mode) + u16(0))
c('createprimary-encdup-fixedtpm', 'exact', primary(OWNER, rsa(STORAGE | ENC_DUP)), 'More template rules.')
c('createprimary-exponent-not-prime', 'exact', primary(OWNER, rsa_e(SIGNING, 65535)))
c('createprimary-exponent-even', 'exact', primary(OWNER, rsa_e(SIGNING, 65536)))
c('createprimary-ecc-signer-with-ecdh', 'exact', primary(OWNER, ecc(SIGNING, 3, ECDH, SHA256)))
c('createprimary-ecc-decrypt-with-ecdsa', 'exact', primary(OWNER, ecc(FIXED_TPM | FIXED_PARENT | SDO | UWA | DECRYPT, 3, ECDSA, SHA256)))
c('createprimary-ecc-kdf', 'exact', primary(OWNER, b2(u16(ECC) + u16(SHA256) + u32(SIGNING) + u16(0) + u16(NULL) + u16(ECDSA) + u16(SHA256) + u16(3) + u16(0x20) + u16(SHA256) + u16(0) + u16(0))))
c('createprimary-hmac-key-with-xor', 'exact', primary(OWNER, keyedhash(SIGNING, u16(XOR) + u16(SHA256) + u16(KDF108))))
c('createprimary-keyedhash-decrypt-with-hmac', 'exact', primary(OWNER, keyedhash(FIXED_TPM | FIXED_PARENT | SDO | UWA | DECRYPT, u16(HMAC) + u16(SHA256))))
c('createprimary-sealed-with-scheme', 'exact', primary(OWNER, keyedhash(SEALED, u16(HMAC) + u16(SHA256)), data=b'x'))
c('createprimary-symcipher-sign', 'rc', primary(OWNER, symcipher(SIGNING)))
c('flush-symcipher-sign', 'rc', cmd(Flush, params=u32(0x80000002)))
c('createprimary-symcipher-null-mode', 'rc', primary(OWNER, symcipher(FIXED_TPM | FIXED_PARENT | SDO | UWA | DECRYPT, 128, NULL)))
c('flush-symcipher', 'rc', cmd(Flush, params=u32(0x80000002)))
c('createprimary-symcipher-data-wrong-size', 'exact', primary(OWNER, symcipher(FIXED_TPM | FIXED_PARENT | UWA | DECRYPT), data=b'short'))
c('createprimary-authpolicy-wrong-size', 'exact', primary(OWNER, b2(u16(ECC) + u16(SHA256) + u32(STORAGE) + b2(b'\0' * 20) + u16(AES) + u16(128) + u16(CFB) + u16(NULL) + u16(3) + u16(NULL) + u16(0) + u16(0))))
c('createprimary-restricted-decrypt-ecc-with-ecdh', 'exact', primary(OWNER, ecc(STORAGE, 3, ECDH, SHA256)))
c('createprimary-rsa-decrypt-with-rsaes', 'rc', primary(OWNER, b2(u16(RSA) + u16(SHA256) + u32(FIXED_TPM | FIXED_PARENT | SDO | UWA | DECRYPT) + u16(0) + u16(NULL) + u16(RSAES) + u16(1024) + u32(0) + u16(0))))
c('flush-rsaes', 'rc', cmd(Flush, params=u32(0x80000002)))
c('createprimary-rsa-1000', 'exact', primary(OWNER, rsa(STORAGE, 1000)), 'Unmarshalling (parameter 2).')
c('createprimary-bad-curve', 'exact', primary(OWNER, ecc(STORAGE, 0x99)))
c('createprimary-bad-type', 'exact', primary(OWNER, b2(u16(0x13) + u16(SHA256) + u32(STORAGE) + u16(0))))
c('createprimary-reserved-bit', 'exact', primary(OWNER, rsa(STORAGE | 1)))
c('createprimary-bad-namealg', 'exact', primary(OWNER, rsa(STORAGE, nameAlg=0x99)))
c('createprimary-null-namealg', 'exact', primary(OWNER, rsa(STORAGE, nameAlg=NULL)))
c('createprimary-bad-sym-keybits', 'exact', primary(OWNER, rsa(STORAGE, symdef=u16(AES) + u16(100) + u16(CFB))))
c('createprimary-bad-sym-mode', 'exact', primary(OWNER, rsa(STORAGE, symdef=u16(AES) + u16(128) + u16(0x99))))
c('createprimary-bad-rsa-scheme', 'exact', primary(OWNER, rsa(SIGNING, 2048, 0x99, SHA256)))
c('createprimary-bad-ecc-scheme', 'exact', primary(OWNER, ecc(SIGNING, 3, 0x99, SHA256)))
c('createprimary-template-size-too-big', 'exact', primary(OWNER, u16(len(rsa(STORAGE))) + rsa(STORAGE)[2:] + b'\0\0'))
c('createprimary-long-auth', 'exact', primary(OWNER, ecc(STORAGE), auth=b'\1' * 33))
c('createprimary-lockout', 'exact', primary(LOCKOUT, ecc(STORAGE)))
c('createprimary-wrong-password', 'exact', cmd(CreatePrimary, [OWNER], sens() + ecc(STORAGE) + u16(0) + u32(0), [pw(b'x')]))
c('create-under-signer-first', 'rc-known-diff', create(0x80000001, sealed(), data=b'abc'), 'KNOWN DIFF: the first Create under the ECC key made by CreatePrimary is TPM_RC_RETRY on swtpm 0.7.1 (libtpms), TPM_RC_TYPE on handle 1 on the retry; jswtpm answers TPM_RC_TYPE at once.')
c('create-under-signer', 'exact', create(0x80000001, sealed(), data=b'abc'), 'Create, Load, Unseal under the RSA storage key.')
c('create-sealed', 'rc', create(0x80000000, sealed(), data=b'abc'))
c('create-child-other-symmetric', 'exact', create(0x80000000, rsa(STORAGE, symdef=u16(AES) + u16(256) + u16(CFB))))
c('create-sealed-too-big', 'exact', create(0x80000000, sealed(), data=b'\1' * 129))
c('load-garbage-private', 'exact', cmd(Load, [0x80000000], b2(b2(b'\0' * 32) + b2(b'\0' * 16) + b'\0' * 40) + sealed(), [PW]))
GARBAGE_PRIVATE = b2(b2(b'\0' * 32) + b2(b'\0' * 16) + b'\0' * 40)
c('load-bad-template-garbage-private', 'exact', cmd(Load, [0x80000000], GARBAGE_PRIVATE + rsa(STORAGE & ~FIXED_PARENT), [PW]))
c('load-bad-scheme-garbage-private', 'exact', cmd(Load, [0x80000000], GARBAGE_PRIVATE + rsa(SIGNING | RESTRICTED), [PW]))
c('load-bad-exponent-garbage-private', 'exact', cmd(Load, [0x80000000], GARBAGE_PRIVATE + rsa_e(SIGNING, 4), [PW]))
c('load-short-integrity', 'exact', cmd(Load, [0x80000000], b2(b2(b'\0' * 20) + b'\0' * 40) + sealed(), [PW]))
c('load-private-too-short', 'exact', cmd(Load, [0x80000000], b2(b'\0\x01') + sealed(), [PW]))
c('load-empty-private', 'exact', cmd(Load, [0x80000000], u16(0) + sealed(), [PW]))
c('load-under-signer', 'exact', cmd(Load, [0x80000001], b2(b2(b'\0' * 32) + b2(b'\0' * 16) + b'\0' * 40) + sealed(), [PW]))
c('unseal-storage-key', 'exact', cmd(Unseal, [0x80000000], sessions=[PW]))
c('unseal-signing-key', 'exact', cmd(Unseal, [0x80000001], sessions=[PW]))
c('objectchangeauth-primary', 'exact', cmd(ObjectChangeAuth, [0x80000000, 0x80000000], b2(b'x'), [PW]))
c('loadexternal-point-off-curve', 'exact', cmd(LoadExternal, params=u16(0) + b2(u16(ECC) + u16(SHA256) + u32(UWA | SIGN) + u16(0) + u16(NULL) + u16(NULL) + u16(3) + u16(NULL) + b2(b'\1' * 32) + b2(b'\2' * 32)) + u32(OWNER)), 'LoadExternal.')
c('loadexternal-bad-hierarchy', 'exact', cmd(LoadExternal, params=u16(0) + rsa(UWA | SIGN) + u32(0x40000009)))
c('evictcontrol-not-persistent', 'exact', cmd(EvictControl, [OWNER, 0x80000000], u32(0x80000001), [PW]), 'EvictControl.')
c('evictcontrol-platform-range-by-owner', 'exact', cmd(EvictControl, [OWNER, 0x80000000], u32(0x81800001), [PW]))
c('evictcontrol-owner-range-by-platform', 'exact', cmd(EvictControl, [PLATFORM, 0x80000000], u32(0x81000001), [PW]))
c('evictcontrol-owner', 'exact', cmd(EvictControl, [OWNER, 0x80000000], u32(0x81000001), [PW]))
c('evictcontrol-again', 'exact', cmd(EvictControl, [OWNER, 0x80000000], u32(0x81000001), [PW]))
c('readpublic-persistent', 'rc', cmd(ReadPublic, [0x81000001]))
GetCap = 0x17A
c('getcap-handles-persistent', 'exact', cmd(GetCap, params=u32(1) + u32(0x81000000) + u32(20)))
c('getcap-handles-transient', 'exact', cmd(GetCap, params=u32(1) + u32(0x80000000) + u32(20)))
c('getcap-handles-persistent-from-second', 'exact', cmd(GetCap, params=u32(1) + u32(0x81000002) + u32(20)))
c('evictcontrol-remove-wrong-handle', 'exact', cmd(EvictControl, [OWNER, 0x81000001], u32(0x81000002), [PW]))
c('evictcontrol-remove', 'exact', cmd(EvictControl, [OWNER, 0x81000001], u32(0x81000001), [PW]))
c('contextsave-rsa', 'rc', cmd(ContextSave, [0x80000000]), 'Contexts.')
c('contextsave-empty-slot', 'exact', cmd(ContextSave, [0x80000002]))
c('contextload-garbage', 'exact', cmd(ContextLoad, params=u64 if False else struct.pack('>Q', 5) + u32(0x80000000) + u32(OWNER) + b2(b2(b'\0' * 64) + b'\0' * 80)))
c('contextload-disabled-hierarchy-value', 'exact', cmd(ContextLoad, params=struct.pack('>Q', 5) + u32(0x80000000) + u32(0x40000002) + b2(b2(b'\0' * 64) + b'\0' * 80)))
def ctx_load(handle, hierarchy, blob):
    return cmd(ContextLoad, params=struct.pack('>Q', 5) + u32(handle) + u32(hierarchy) + b2(blob))
c('contextload-empty-blob', 'exact', ctx_load(0x80000000, OWNER, b''))
c('contextload-short-blob', 'exact', ctx_load(0x80000000, OWNER, b'\0\x40' + b'\0' * 10))
c('contextload-big-integrity', 'exact', ctx_load(0x80000000, OWNER, b'\0\x50' + b'\0' * 100))
c('contextload-short-integrity', 'exact', ctx_load(0x80000000, OWNER, b'\0\x20' + b'\0' * 100))
c('contextload-sequence-garbage', 'exact', ctx_load(0x80000001, NULLH, b'\0\x40' + b'\0' * 100))
c('contextload-stclear-garbage', 'exact', ctx_load(0x80000002, OWNER, b'\0\x40' + b'\0' * 100))
c('contextload-session-handle-garbage', 'exact', ctx_load(0x02000000, OWNER, b'\0\x40' + b'\0' * 100))
c('contextload-bad-saved-handle', 'exact', ctx_load(0x81000000, OWNER, b'\0\x40' + b'\0' * 100))
c('testparms-rsa-2048', 'exact', cmd(TestParms, params=u16(RSA) + u16(NULL) + u16(NULL) + u16(2048) + u32(0)), 'TestParms.')
c('testparms-rsa-1000', 'exact', cmd(TestParms, params=u16(RSA) + u16(NULL) + u16(NULL) + u16(1000) + u32(0)))
c('testparms-ecc-p384', 'exact', cmd(TestParms, params=u16(ECC) + u16(NULL) + u16(NULL) + u16(4) + u16(NULL)))
c('testparms-aes-256-cfb', 'exact', cmd(TestParms, params=u16(SYMCIPHER) + u16(AES) + u16(256) + u16(CFB)))
c('testparms-hmac', 'exact', cmd(TestParms, params=u16(KEYEDHASH) + u16(HMAC) + u16(SHA256)))
c('testparms-bad-type', 'exact', cmd(TestParms, params=u16(0x13)))
c('flush-0', 'exact', cmd(Flush, params=u32(0x80000000)), 'Clean up.')
c('flush-1', 'exact', cmd(Flush, params=u32(0x80000001)))
# LoadExternal of key material given in the clear: everything is determined by the inputs, so the
# responses (handles, Names, public areas, unsealed data) must be identical.
import hashlib
RSA_N = bytes.fromhex('0xba1969ca252aa5f47bed0eeff25b073d684e0ce7d505f48935609ae708fa95fcd184f9644724f1b7d8dd7543107e74c9467880cc2473b1b9e1e0f5126ba6d9d81feebb14a1294498bcaab167a99472d64073b01a576b3ff2ba265e222422bd9d1bc2537c93a63c98613839691d368d27102116986ec61bb350dbf46c2707a2a881b5979660a92ecd9fa24099ae2a6e1b274f4278933d60b084bcda0f35b3ab1325981535b387cf4164d8a1f78a9de1f7cd2c81410d396bb1dcafaa25653f5940daea4fdf77bf0f5373d1a6c6c03fca8af8ac898af563486202a2a60a92d3fd1d7a83864aa9bc71ada620b1da30873b98bb56b501b945c9bf7090029c9b86736b'[2:].rjust(512, '0'))
RSA_P = bytes.fromhex('0xe5c1b471fd88ff90cfdea7e18e731a0fb1aad6a434275a117188f69b9456c43f008bdcbbebfd9e9c80468fac61f6cc6fa8257432e6541373a6b610025169f92b58cd5642b1fcf09610cbfc442d2dcf66560834ebfc100f32fab8a8d6825fd6566e5745853d229372c914394c8eb54b7044643ec8937423fe7202782a1398b1af'[2:].rjust(256, '0'))
P256_GX = bytes.fromhex('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296')
P256_GY = bytes.fromhex('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5')
def rsa_public(attrs, n=RSA_N):
    return b2(u16(RSA) + u16(SHA256) + u32(attrs) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(0) + b2(n))
def ecc_public(attrs, x=P256_GX, y=P256_GY):
    return b2(u16(ECC) + u16(SHA256) + u32(attrs) + u16(0) + u16(NULL) + u16(NULL) + u16(3) + u16(NULL) + b2(x) + b2(y))
def sensitive(t, secret, auth=b'', seed=b''):
    return b2(u16(t) + b2(auth) + b2(seed) + b2(secret))
SEAL_SEED = b'\x11' * 32
SEAL_DATA = b'hello, sealed world'
def sealed_public():
    return b2(u16(KEYEDHASH) + u16(SHA256) + u32(UWA) + u16(0) + u16(NULL) + b2(hashlib.sha256(SEAL_SEED + SEAL_DATA).digest()))
c('loadexternal-rsa-public', 'exact', cmd(LoadExternal, params=u16(0) + rsa_public(UWA | SIGN) + u32(OWNER)), 'LoadExternal of given key material: identical responses.')
c('readpublic-external-rsa', 'exact', cmd(ReadPublic, [0x80000000]))
c('flush-external-rsa', 'exact', cmd(Flush, params=u32(0x80000000)))
c('loadexternal-rsa-public-null-namealg', 'exact', cmd(LoadExternal, params=u16(0) + b2(u16(RSA) + u16(NULL) + u32(UWA | SIGN) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(0) + b2(RSA_N)) + u32(OWNER)))
c('readpublic-null-namealg', 'exact', cmd(ReadPublic, [0x80000000]))
c('flush-null-namealg', 'exact', cmd(Flush, params=u32(0x80000000)))
c('loadexternal-rsa-keypair-null-namealg', 'exact', cmd(LoadExternal, params=sensitive(RSA, RSA_P) + b2(u16(RSA) + u16(NULL) + u32(UWA | SIGN) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(0) + b2(RSA_N)) + u32(NULLH)))
c('loadexternal-rsa-short-modulus', 'exact', cmd(LoadExternal, params=u16(0) + b2(u16(RSA) + u16(SHA256) + u32(UWA | SIGN) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(0) + b2(RSA_N[:128])) + u32(OWNER)))
c('loadexternal-rsa-bad-exponent', 'exact', cmd(LoadExternal, params=u16(0) + b2(u16(RSA) + u16(SHA256) + u32(UWA | SIGN) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(4) + b2(RSA_N)) + u32(OWNER)))
c('flush-bad-exponent', 'rc', cmd(Flush, params=u32(0x80000000)))
c('loadexternal-rsa-keypair', 'exact', cmd(LoadExternal, params=sensitive(RSA, RSA_P) + rsa_public(UWA | SIGN) + u32(NULLH)))
c('loadexternal-rsa-wrong-prime', 'exact', cmd(LoadExternal, params=sensitive(RSA, RSA_P[:-1] + bytes([RSA_P[-1] ^ 2])) + rsa_public(UWA | SIGN) + u32(NULLH)))
c('flush-external-keypair', 'exact', cmd(Flush, params=u32(0x80000000)))
c('loadexternal-ecc-public-generator', 'exact', cmd(LoadExternal, params=u16(0) + ecc_public(UWA | SIGN) + u32(ENDORSEMENT)))
c('loadexternal-ecc-keypair', 'exact', cmd(LoadExternal, params=sensitive(ECC, b'\0' * 31 + b'\1') + ecc_public(UWA | SIGN) + u32(NULLH)))
c('loadexternal-ecc-wrong-scalar', 'exact', cmd(LoadExternal, params=sensitive(ECC, b'\0' * 31 + b'\2') + ecc_public(UWA | SIGN) + u32(NULLH)))
c('flush-external-ecc-0', 'exact', cmd(Flush, params=u32(0x80000000)))
c('flush-external-ecc-1', 'exact', cmd(Flush, params=u32(0x80000001)))
c('loadexternal-sealed', 'exact', cmd(LoadExternal, params=sensitive(KEYEDHASH, SEAL_DATA, b'pw', SEAL_SEED) + sealed_public() + u32(NULLH)))
c('unseal-external', 'exact', cmd(Unseal, [0x80000000], sessions=[pw(b'pw')]))
c('readpublic-external-sealed', 'exact', cmd(ReadPublic, [0x80000000]))
c('loadexternal-sealed-wrong-unique', 'exact', cmd(LoadExternal, params=sensitive(KEYEDHASH, SEAL_DATA + b'!', b'pw', SEAL_SEED) + sealed_public() + u32(NULLH)))
c('loadexternal-sealed-fixedtpm', 'exact', cmd(LoadExternal, params=sensitive(KEYEDHASH, SEAL_DATA, b'pw', SEAL_SEED) + b2(u16(KEYEDHASH) + u16(SHA256) + u32(SEALED) + u16(0) + u16(NULL) + b2(hashlib.sha256(SEAL_SEED + SEAL_DATA).digest())) + u32(NULLH)))
c('contextsave-external-sealed', 'rc', cmd(ContextSave, [0x80000000]))
c('flush-external-sealed', 'exact', cmd(Flush, params=u32(0x80000000)))
CreateLoaded = 0x191
def policy_sealed_public(attrs):
    return b2(u16(KEYEDHASH) + u16(SHA256) + u32(attrs) + u16(0) + u16(NULL) + b2(hashlib.sha256(SEAL_SEED + SEAL_DATA).digest()))
c('loadexternal-policy-only-sealed', 'exact', cmd(LoadExternal, params=sensitive(KEYEDHASH, SEAL_DATA, b'', SEAL_SEED) + policy_sealed_public(0) + u32(NULLH)), 'userWithAuth clear: a password cannot unseal (TPM_RC_AUTH_UNAVAILABLE).')
c('unseal-policy-only-with-password', 'exact', cmd(Unseal, [0x80000000], sessions=[PW]))
c('flush-policy-only', 'exact', cmd(Flush, params=u32(0x80000000)))
c('loadexternal-sealed-owner', 'exact', cmd(LoadExternal, params=sensitive(KEYEDHASH, SEAL_DATA, b'pw', SEAL_SEED) + sealed_public() + u32(OWNER)), 'A private part loads only into the null hierarchy; external objects are never persistent; sealed data the caller gave unseals the same.')
c('loadexternal-public-owner', 'exact', cmd(LoadExternal, params=u16(0) + rsa_public(UWA | SIGN) + u32(OWNER)))
c('evictcontrol-external', 'exact', cmd(EvictControl, [OWNER, 0x80000000], u32(0x81000005), [PW]))
c('createprimary-sealed-data', 'rc', primary(OWNER, sealed(), auth=b'', data=b'primary secret'))
c('unseal-primary-sealed-data', 'exact', cmd(Unseal, [0x80000001], sessions=[PW]))
c('createprimary-ecc-storage', 'rc', primary(OWNER, ecc(STORAGE)))
c('createloaded-slots-full', 'exact', cmd(CreateLoaded, [0x80000002], sens(b'a', b'loaded secret') + sealed(), [PW]))
c('flush-external-sealed-owner', 'exact', cmd(Flush, params=u32(0x80000000)))
c('createloaded-sealed', 'rc', cmd(CreateLoaded, [0x80000002], sens(b'a', b'loaded secret') + sealed(), [PW]))
c('unseal-createloaded', 'exact', cmd(Unseal, [0x80000000], sessions=[pw(b'a')]))
c('createloaded-under-hierarchy-slots-full', 'exact', cmd(CreateLoaded, [OWNER], sens() + ecc(STORAGE), [PW]))
c('create-slots-full', 'exact', create(0x80000002, sealed(), data=b'abc'), 'With every slot taken, Create needs a slot too; and the slot check comes before the template checks.')
c('create-slots-full-bad-template', 'exact', create(0x80000002, sealed()))
c('createprimary-slots-full-bad-template', 'exact', primary(OWNER, rsa(STORAGE & ~FIXED_PARENT)))
c('createloaded-slots-full-bad-template', 'exact', cmd(CreateLoaded, [0x80000002], sens() + sealed(), [PW]))
c('load-slots-full-garbage', 'exact', cmd(Load, [0x80000002], b2(b2(b'\0' * 32) + b2(b'\0' * 16) + b'\0' * 40) + sealed(), [PW]))
c('load-slots-full-empty-private', 'exact', cmd(Load, [0x80000002], u16(0) + sealed(), [PW]))
c('load-slots-full-bad-template', 'exact', cmd(Load, [0x80000002], b2(b2(b'\0' * 32) + b2(b'\0' * 16) + b'\0' * 40) + rsa(STORAGE & ~FIXED_PARENT), [PW]))
c('load-slots-full-non-parent', 'exact', cmd(Load, [0x80000001], b2(b2(b'\0' * 32) + b2(b'\0' * 16) + b'\0' * 40) + sealed(), [PW]))
c('loadexternal-slots-full-off-curve', 'exact', cmd(LoadExternal, params=u16(0) + ecc_public(UWA | SIGN, b'\1' * 32, b'\2' * 32) + u32(OWNER)))
c('loadexternal-slots-full-private-owner', 'exact', cmd(LoadExternal, params=sensitive(KEYEDHASH, SEAL_DATA, b'pw', SEAL_SEED) + sealed_public() + u32(OWNER)))
c('contextload-slots-full-garbage', 'exact', cmd(ContextLoad, params=struct.pack('>Q', 5) + u32(0x80000000) + u32(OWNER) + b2(b2(b'\0' * 64) + b'\0' * 80)))
c('createloaded-signer-parent-slots-full', 'exact', cmd(CreateLoaded, [0x80000001], sens(b'', b'x') + sealed(), [PW]))
for h in (0x80000000, 0x80000001, 0x80000002):
    c('flush-end-%x' % h, 'exact', cmd(Flush, params=u32(h)))
HSS, SeqUpd = 0x186, 0x15C
c('objects-ecc-storage', 'rc', primary(OWNER, ecc(STORAGE)), 'ObjectChangeAuth, wrong passwords, persistent parents, sequences as objects.')
c('objects-createloaded-sealed', 'rc', cmd(CreateLoaded, [0x80000000], sens(b'old', b'change me') + sealed(), [PW]))
c('objects-createloaded-admin-policy', 'rc', cmd(CreateLoaded, [0x80000000], sens(b'', b'admin') + b2(u16(KEYEDHASH) + u16(SHA256) + u32(SEALED | ADMIN_WITH_POLICY) + u16(0) + u16(NULL) + u16(0)), [PW]))
c('objectchangeauth-admin-with-policy-password', 'exact', cmd(ObjectChangeAuth, [0x80000002, 0x80000000], b2(b'new'), [PW]))
c('unseal-admin-with-policy-password', 'exact', cmd(Unseal, [0x80000002], sessions=[PW]))
c('flush-admin-policy', 'exact', cmd(Flush, params=u32(0x80000002)))
c('objectchangeauth-wrong-parent', 'exact', cmd(ObjectChangeAuth, [0x80000001, 0x80000001], b2(b'new'), [pw(b'old')]))
c('objectchangeauth-long-auth', 'exact', cmd(ObjectChangeAuth, [0x80000001, 0x80000000], b2(b'\1' * 33), [pw(b'old')]))
c('objectchangeauth', 'rc', cmd(ObjectChangeAuth, [0x80000001, 0x80000000], b2(b'new'), [pw(b'old')]))
c('objectchangeauth-wrong-password', 'exact', cmd(ObjectChangeAuth, [0x80000001, 0x80000000], b2(b'new'), [pw(b'bad')]))
c('unseal-wrong-password', 'exact', cmd(Unseal, [0x80000001], sessions=[pw(b'bad')]))
c('unseal-old-password', 'exact', cmd(Unseal, [0x80000001], sessions=[pw(b'old')]))
c('evictcontrol-ecc-storage', 'exact', cmd(EvictControl, [OWNER, 0x80000000], u32(0x81000010), [PW]))
c('create-under-persistent-slots-short', 'exact', create(0x81000010, sealed(), data=b'abc'), 'A persistent object takes a slot while a command uses it.')
c('flush-changed-sealed', 'exact', cmd(Flush, params=u32(0x80000001)))
c('create-under-persistent', 'rc', create(0x81000010, sealed(), data=b'abc'))
c('createloaded-under-persistent', 'rc', cmd(CreateLoaded, [0x81000010], sens(b'', b'persistent child') + sealed(), [PW]))
c('unseal-child-of-persistent', 'exact', cmd(Unseal, [0x80000002], sessions=[PW]), 'The child went to slot 2: the persistent parent held slot 1 during CreateLoaded.')
c('hashsequence-start', 'exact', cmd(HSS, params=b2(b'') + u16(SHA256)))
c('readpublic-persistent-no-slot', 'exact', cmd(ReadPublic, [0x81000010]))
c('readpublic-sequence', 'exact', cmd(ReadPublic, [0x80000001]))
c('unseal-sequence', 'exact', cmd(Unseal, [0x80000001], sessions=[PW]))
c('contextsave-sequence', 'rc', cmd(ContextSave, [0x80000001]))
c('evictcontrol-sequence', 'exact', cmd(EvictControl, [OWNER, 0x80000001], u32(0x81000011), [PW]))
c('flush-sequence', 'exact', cmd(Flush, params=u32(0x80000001)))
c('flush-child-of-persistent', 'exact', cmd(Flush, params=u32(0x80000002)))
c('evictcontrol-remove-ecc-storage', 'exact', cmd(EvictControl, [OWNER, 0x81000010], u32(0x81000010), [PW]))
c('readpublic-removed-persistent', 'exact', cmd(ReadPublic, [0x81000010]))
c('flush-last', 'exact', cmd(Flush, params=u32(0x80000000)))
# CreatePrimary ECC P-256 with PCRs and outsideInfo: the key, the ticket and the Name differ between
# TPMs, the creation data (PCR digest, locality, parent, outsideInfo) and its hash must not.
PCR_Extend = 0x182
c('pcr-extend-16', 'exact', cmd(PCR_Extend, [16], u32(1) + u16(SHA256) + b'\x42' * 32, [PW]), 'Creation data and hash agree byte for byte.')
def creation_case(name, hierarchy, outside, pcrsel):
    template = ecc(STORAGE)
    command = cmd(CreatePrimary, [hierarchy], sens() + template + b2(outside) + pcrsel, [PW])
    pub_len = len(template) - 2 + 64  # the unique field gets two 32-byte coordinates
    off = 10 + 4 + 4 + 2
    x = off + (pub_len - 68) + 2
    skips = [(x, x + 32), (x + 34, x + 66)]
    cd_len = len(pcrsel) + 34 + 1 + 2 + 6 + 6 + 2 + len(outside)
    ticket = off + pub_len + 2 + cd_len + 34 + 2 + 4 + 2
    skips.append((ticket, ticket + 64))
    skips.append((ticket + 64 + 2 + 2, ticket + 64 + 2 + 34))
    c(name, 'skip-fields=' + ','.join('%d..%d' % r for r in skips), command)
    c('flush-' + name, 'exact', cmd(Flush, params=u32(0x80000000)))
creation_case('createprimary-creation-data-owner', OWNER, b'outside info', u32(1) + u16(SHA256) + u8(3) + bytes([0, 0, 1]))
creation_case('createprimary-creation-data-endorsement-2-banks', ENDORSEMENT, b'', u32(2) + u16(SHA256) + u8(3) + bytes([3, 0, 1]) + u16(0x4) + u8(3) + bytes([0, 0, 1]))
creation_case('createprimary-creation-data-null', NULLH, b'x' * 64, u32(0))
DERIVATION_PARENT = b2(u16(KEYEDHASH) + u16(SHA256) + u32(STORAGE) + u16(0) + u16(XOR) + u16(SHA256) + u16(KDF108) + u16(0))
def derived_ecc(attrs, label=b'', context=b''):
    return b2(u16(ECC) + u16(SHA256) + u32(attrs) + u16(0) + u16(NULL) + u16(ECDSA) + u16(SHA256) + u16(3) + u16(NULL) + b2(label) + b2(context))
DERIVED_SIGNER = FIXED_TPM | FIXED_PARENT | UWA | SIGN
c('createprimary-derivation-parent', 'rc', primary(OWNER, DERIVATION_PARENT), 'Derived objects (CreateLoaded under a derivation parent).')
c('createloaded-derived-ecc', 'rc', cmd(CreateLoaded, [0x80000000], sens() + derived_ecc(DERIVED_SIGNER, b'label', b'context'), [PW]))
c('flush-derived-ecc', 'exact', cmd(Flush, params=u32(0x80000001)))
c('createloaded-derived-sdo', 'exact', cmd(CreateLoaded, [0x80000000], sens() + derived_ecc(DERIVED_SIGNER | SDO), [PW]))
c('createloaded-derived-not-fixedparent', 'exact', cmd(CreateLoaded, [0x80000000], sens() + derived_ecc(UWA | SIGN), [PW]))
c('createloaded-derived-rsa', 'exact', cmd(CreateLoaded, [0x80000000], sens() + b2(u16(RSA) + u16(SHA256) + u32(DERIVED_SIGNER) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(0) + u16(0) + u16(0)), [PW]))
c('createloaded-derived-bad-derive-data', 'exact', cmd(CreateLoaded, [0x80000000], sens(b'', b'\0\x05ab') + derived_ecc(DERIVED_SIGNER), [PW]))
c('createloaded-derived-long-label', 'exact', cmd(CreateLoaded, [0x80000000], sens() + derived_ecc(DERIVED_SIGNER, b'l' * 33), [PW]))
c('create-under-derivation-parent', 'exact', create(0x80000000, sealed(), data=b'abc'))
c('flush-derivation-parent', 'exact', cmd(Flush, params=u32(0x80000000)))
EK_POLICY = bytes.fromhex('837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa')
EK_ECC = b2(u16(ECC) + u16(SHA256) + u32(0x000300B2) + b2(EK_POLICY) + u16(AES) + u16(128) + u16(CFB) + u16(NULL) + u16(3) + u16(NULL) + b2(b'\0' * 32) + b2(b'\0' * 32))
c('createprimary-ek-ecc', 'rc', primary(ENDORSEMENT, EK_ECC), 'The TCG EK template (policy-only) and persistent handles in the context commands.')
c('create-under-ek-with-password', 'exact', create(0x80000000, sealed(), data=b'abc'))
c('evictcontrol-ek', 'exact', cmd(EvictControl, [OWNER, 0x80000000], u32(0x81010002), [PW]))
c('contextsave-persistent', 'exact', cmd(ContextSave, [0x81010002]))
c('flushcontext-persistent', 'exact', cmd(Flush, params=u32(0x81010002)))
c('evictcontrol-ek-by-platform', 'exact', cmd(EvictControl, [PLATFORM, 0x81010002], u32(0x81010002), [PW]))
c('evictcontrol-remove-ek', 'exact', cmd(EvictControl, [OWNER, 0x81010002], u32(0x81010002), [PW]))
c('flush-ek', 'exact', cmd(Flush, params=u32(0x80000000)))
for line in cases:
    print(line)
