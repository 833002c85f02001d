# Generates tpm2-crypto.corpus (python3 tpm2-crypto.corpus.py > tpm2-crypto.corpus). Edit here, not in
# the corpus. Signing, asymmetric, symmetric and attestation commands: keys differ between TPMs, so
# successes compare response codes; error paths (wrong scheme, wrong key type, restricted-key rules,
# unmarshalling) must give the same TPM_RC as swtpm; ECC_Parameters must be byte-identical.
import struct
from corpuslib import u8, u16, u32, u64, b2
PW = u32(0x40000009) + u16(0) + u8(0) + u16(0)
def cmd(cc, handles=(), params=b'', sessions=None):
    body = b''.join(u32(h) for h in handles)
    if sessions is not None:
        area = b''.join(sessions)
        body += u32(len(area)) + area
    body += params
    return u16(0x8002 if sessions is not None else 0x8001) + u32(10 + len(body)) + u32(cc) + body
OWNER, NULLH, ENDORSEMENT = 0x40000001, 0x40000007, 0x4000000B
RSA, KEYEDHASH, SHA256, NULL, ECC, AES, CFB = 0x1, 0x8, 0xB, 0x10, 0x23, 0x6, 0x43
RSASSA, RSAES, RSAPSS, OAEP, ECDSA, ECDH, HMAC = 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x5
FIXED_TPM, FIXED_PARENT, SDO, UWA = 1 << 1, 1 << 4, 1 << 5, 1 << 6
RESTRICTED, DECRYPT, SIGN = 1 << 16, 1 << 17, 1 << 18
SIGNING = FIXED_TPM | FIXED_PARENT | SDO | UWA | SIGN
DECRYPTING = FIXED_TPM | FIXED_PARENT | SDO | UWA | DECRYPT
Startup, CreatePrimary, Flush, GetCap = 0x144, 0x131, 0x165, 0x17A
Sign, VerifySignature, RSA_Encrypt, RSA_Decrypt = 0x15D, 0x177, 0x174, 0x159
ECDH_KeyGen, ECDH_ZGen, ECC_Parameters, EncryptDecrypt, EncryptDecrypt2, HMACc, HMAC_Start = 0x163, 0x154, 0x178, 0x164, 0x193, 0x155, 0x15B
Quote, Certify, CertifyCreation, GetTime, GetSessionAuditDigest = 0x158, 0x148, 0x14A, 0x14C, 0x14D
def scheme(s, h):
    return u16(s) + (u16(h) if s != NULL else b'')
def rsa(attrs, s=NULL, h=0):
    return b2(u16(RSA) + u16(SHA256) + u32(attrs) + u16(0) + u16(NULL) + scheme(s, h) + u16(2048) + u32(0) + u16(0))
def ecc(attrs, s=NULL, h=0):
    return b2(u16(ECC) + u16(SHA256) + u32(attrs) + u16(0) + u16(NULL) + scheme(s, h) + u16(3) + u16(NULL)
              + u16(0) + u16(0))
def primary(h, template):
    return cmd(CreatePrimary, [h], b2(b2(b'') + b2(b'')) + template + u16(0) + u32(0), [PW])
NULL_TICKET = u16(0x8024) + u32(NULLH) + u16(0)
DIGEST = bytes(range(32))
def sign(key, digest, s, h=SHA256, ticket=NULL_TICKET):
    return cmd(Sign, [key], b2(digest) + scheme(s, h) + ticket, [PW])
def verify(key, digest, sig):
    return cmd(VerifySignature, [key], b2(digest) + sig)
def decrypt_scheme(s, h):
    return u16(s) + (u16(h) if s in (OAEP, RSASSA) else b'')
def rsa_enc(key, msg, s, h=SHA256, label=b''):
    return cmd(RSA_Encrypt, [key], b2(msg) + decrypt_scheme(s, h) + b2(label))
def rsa_dec(key, ct, s, h=SHA256, label=b''):
    return cmd(RSA_Decrypt, [key], b2(ct) + decrypt_scheme(s, h) + b2(label), [PW])
cases = []
def c(name, mode, b, comment=None):
    if comment: cases.append('# ' + comment)
    cases.append(f'{name} | {mode} | {b.hex()}')
c('startup-clear', 'exact', cmd(Startup, params=u16(0)))
for cc, name in ((Sign, 'Sign'), (VerifySignature, 'VerifySignature'), (RSA_Encrypt, 'RSA_Encrypt'),
                 (RSA_Decrypt, 'RSA_Decrypt'), (ECDH_KeyGen, 'ECDH_KeyGen'), (ECDH_ZGen, 'ECDH_ZGen'),
                 (ECC_Parameters, 'ECC_Parameters'), (EncryptDecrypt, 'EncryptDecrypt'),
                 (EncryptDecrypt2, 'EncryptDecrypt2'), (HMACc, 'HMAC'), (HMAC_Start, 'HMAC_Start'),
                 (Quote, 'Quote'), (Certify, 'Certify'), (CertifyCreation, 'CertifyCreation'), (GetTime, 'GetTime'),
                 (GetSessionAuditDigest, 'GetSessionAuditDigest'), (0x184, 'NV_Certify'),
                 (0x133, 'GetCommandAuditDigest'), (0x140, 'SetCommandCodeAuditStatus')):
    # moreData (byte 10) depends on which later commands each TPM implements
    c('getcap-command-' + name, 'skip-fields=10..11', cmd(GetCap, params=u32(2) + u32(cc) + u32(1)),
      'TPMA_CC of the crypto and attestation commands.' if name == 'Sign' else None)
c('ecc-parameters-p256', 'exact', cmd(ECC_Parameters, params=u16(3)), 'Curve parameters are public data.')
c('ecc-parameters-p384', 'exact', cmd(ECC_Parameters, params=u16(4)))
c('ecc-parameters-bad-curve', 'exact', cmd(ECC_Parameters, params=u16(0x99)))
c('createprimary-rsa-signer', 'rc', primary(OWNER, rsa(SIGNING)), 'Keys: 0x80000000 RSA signer without scheme, 0x80000001 restricted ECDSA signer, 0x80000002 RSA decryption key.')
c('createprimary-ecc-restricted-signer', 'rc', primary(ENDORSEMENT, ecc(SIGNING | RESTRICTED, ECDSA, SHA256)))
c('createprimary-rsa-decrypt', 'rc', primary(OWNER, rsa(DECRYPTING)))
K_RSA, K_ECC, K_DEC = 0x80000000, 0x80000001, 0x80000002
c('sign-first-authorization', 'rc-known-diff', sign(K_RSA, DIGEST, RSASSA), 'TPM2_Sign. libtpms answers TPM_RC_RETRY to the first authorization of a DA-protected entity after startup (see compatibility.md).')
c('sign-rsassa', 'rc', sign(K_RSA, DIGEST, RSASSA))
c('sign-rsapss', 'rc', sign(K_RSA, DIGEST, RSAPSS))
c('sign-no-scheme', 'exact', sign(K_RSA, DIGEST, NULL))
c('sign-ecdsa-with-rsa', 'exact', sign(K_RSA, DIGEST, ECDSA))
c('sign-hmac-with-rsa', 'exact', sign(K_RSA, DIGEST, HMAC))
c('sign-digest-size', 'exact', sign(K_RSA, DIGEST[:20], RSASSA))
c('sign-bad-scheme-selector', 'exact', sign(K_RSA, DIGEST, OAEP))
c('sign-bad-hash', 'exact', sign(K_RSA, DIGEST, RSASSA, 0x99))
c('sign-decrypt-key', 'exact', sign(K_DEC, DIGEST, RSASSA))
c('sign-restricted-null-ticket', 'exact', sign(K_ECC, DIGEST, NULL))
c('sign-restricted-forged-ticket', 'exact', sign(K_ECC, DIGEST, NULL, ticket=u16(0x8024) + u32(OWNER) + b2(bytes(64))))
c('sign-restricted-other-scheme', 'exact', sign(K_ECC, DIGEST, ECDSA, 0xC))
c('sign-ticket-bad-tag', 'exact', sign(K_RSA, DIGEST, RSASSA, ticket=u16(0x8021) + u32(NULLH) + u16(0)))
c('sign-ticket-bad-hierarchy', 'exact', sign(K_RSA, DIGEST, RSASSA, ticket=u16(0x8024) + u32(0x40000002) + u16(0)))
c('sign-unrestricted-forged-ticket', 'exact', sign(K_RSA, DIGEST, RSASSA, ticket=u16(0x8024) + u32(OWNER) + b2(bytes(64))))
c('verify-null-signature', 'exact', verify(K_RSA, DIGEST, u16(NULL)), 'TPM2_VerifySignature.')
c('verify-wrong-rsassa', 'exact', verify(K_RSA, DIGEST, u16(RSASSA) + u16(SHA256) + b2(bytes(256))))
c('verify-short-rsassa', 'exact', verify(K_RSA, DIGEST, u16(RSASSA) + u16(SHA256) + b2(bytes(255))))
c('verify-ecdsa-with-rsa', 'exact', verify(K_RSA, DIGEST, u16(ECDSA) + u16(SHA256) + b2(bytes(32)) + b2(bytes(32))))
c('verify-wrong-ecdsa', 'exact', verify(K_ECC, DIGEST, u16(ECDSA) + u16(SHA256) + b2(bytes([1]) * 32) + b2(bytes([1]) * 32)))
c('verify-decrypt-key', 'exact', verify(K_DEC, DIGEST, u16(RSASSA) + u16(SHA256) + b2(bytes(256))))
c('verify-bad-sigalg', 'exact', verify(K_RSA, DIGEST, u16(OAEP) + u16(SHA256) + b2(bytes(256))))
c('rsa-encrypt-oaep', 'rc', rsa_enc(K_DEC, b'secret', OAEP, label=b'label\0'), 'RSA_Encrypt / RSA_Decrypt.')
c('rsa-encrypt-rsaes', 'rc', rsa_enc(K_DEC, b'secret', RSAES))
c('rsa-encrypt-raw', 'rc', rsa_enc(K_DEC, b'secret', NULL))
c('rsa-encrypt-signing-key', 'exact', rsa_enc(K_RSA, b'secret', OAEP))
c('rsa-encrypt-ecc-key', 'exact', rsa_enc(K_ECC, b'secret', OAEP))
c('rsa-encrypt-label-unterminated', 'exact', rsa_enc(K_DEC, b'secret', OAEP, label=b'label'))
c('rsa-encrypt-signing-scheme', 'exact', rsa_enc(K_DEC, b'secret', RSASSA) + b'')
c('rsa-decrypt-wrong-size', 'exact', rsa_dec(K_DEC, bytes(255), OAEP))
c('rsa-decrypt-garbage-oaep', 'rc-known-diff', rsa_dec(K_DEC, bytes([0]) + bytes([1]) * 255, OAEP), 'libtpms 0.9 answers TPM_RC_FAILURE to a bad OAEP or PKCS#1 padding; the specification (and jswtpm) TPM_RC_VALUE.')
c('rsa-decrypt-garbage-rsaes', 'rc-known-diff', rsa_dec(K_DEC, bytes([0]) + bytes([1]) * 255, RSAES))
c('rsa-decrypt-signing-key', 'exact', rsa_dec(K_RSA, bytes(256), OAEP))
c('rsa-decrypt-label-unterminated', 'exact', rsa_dec(K_DEC, bytes(256), OAEP, label=b'x'))
c('ecdh-keygen-rsa', 'exact', cmd(ECDH_KeyGen, [K_RSA]), 'ECDH.')
c('ecdh-keygen-ecc', 'rc', cmd(ECDH_KeyGen, [K_ECC]))
c('ecdh-zgen-signing-key', 'exact', cmd(ECDH_ZGen, [K_ECC], b2(b2(bytes(32)) + b2(bytes(32))), [PW]))
c('ecdh-zgen-rsa', 'exact', cmd(ECDH_ZGen, [K_RSA], b2(b2(bytes(32)) + b2(bytes(32))), [PW]))
c('encryptdecrypt-rsa', 'exact', cmd(EncryptDecrypt2, [K_RSA], b2(bytes(16)) + u8(0) + u16(CFB) + b2(bytes(16)), [PW]), 'Symmetric commands with the wrong key type.')
c('encryptdecrypt-bad-mode', 'exact', cmd(EncryptDecrypt2, [K_RSA], b2(bytes(16)) + u8(0) + u16(0x99) + b2(bytes(16)), [PW]))
c('hmac-rsa', 'exact', cmd(HMACc, [K_RSA], b2(b'data') + u16(SHA256), [PW]))
c('hmac-start-rsa', 'exact', cmd(HMAC_Start, [K_RSA], b2(b'') + u16(SHA256), [PW]))
SEL = u32(1) + u16(SHA256) + u8(3) + bytes([1, 0, 0])
c('quote-rsa-no-scheme', 'exact', cmd(Quote, [K_RSA], b2(b'nonce') + u16(NULL) + SEL, [PW]), 'Attestation rules.')
c('quote-decrypt-key', 'exact', cmd(Quote, [K_DEC], b2(b'nonce') + u16(NULL) + SEL, [PW]))
c('quote-ecc', 'rc', cmd(Quote, [K_ECC], b2(b'nonce') + u16(NULL) + SEL, [PW]))
c('quote-ecc-other-hash', 'exact', cmd(Quote, [K_ECC], b2(b'nonce') + u16(ECDSA) + u16(0xC) + SEL, [PW]))
c('certify-decrypt-signer', 'exact', cmd(Certify, [K_RSA, K_DEC], b2(b'') + u16(NULL), [PW, PW]))
c('certify-null-signer', 'rc', cmd(Certify, [K_RSA, NULLH], b2(b'') + u16(NULL), [PW, PW]))
c('gettime-owner', 'exact', cmd(GetTime, [OWNER, NULLH], b2(b'') + u16(NULL), [PW, PW]))
c('gettime-null-signer', 'rc', cmd(GetTime, [ENDORSEMENT, NULLH], b2(b'') + u16(NULL), [PW, PW]))
c('gettime-signer-no-scheme', 'exact', cmd(GetTime, [ENDORSEMENT, K_RSA], b2(b'') + u16(NULL), [PW, PW]))
c('certifycreation-bad-ticket', 'exact', cmd(CertifyCreation, [K_ECC, K_RSA], b2(b'') + b2(bytes(32)) + u16(NULL) + u16(0x8021) + u32(OWNER) + b2(bytes(64)), [PW]))
NV_DefineSpace, NV_Write, NV_Certify, NVI = 0x12A, 0x137, 0x184, 0x01000010
OWNER_RW = (1 << 1) | (1 << 17)
def nv_certify(signer, size, offset, s=NULL, h=0):
    return cmd(NV_Certify, [signer, OWNER, NVI], b2(b'') + scheme(s, h) + u16(size) + u16(offset), [PW, PW])
c('nv-define', 'exact', cmd(NV_DefineSpace, [OWNER], b2(b'') + b2(u32(NVI) + u16(SHA256) + u32(OWNER_RW) + u16(0) + u16(16)), [PW]), 'NV_Certify.')
c('nv-certify-unwritten', 'exact', nv_certify(NULLH, 4, 0))
c('nv-write', 'exact', cmd(NV_Write, [OWNER, NVI], b2(b'sixteen bytes!!!') + u16(0), [PW]))
c('nv-certify-null-signer', 'rc', nv_certify(NULLH, 4, 0))
c('nv-certify-range', 'exact', nv_certify(NULLH, 10, 8))
c('nv-certify-decrypt-signer', 'exact', nv_certify(K_DEC, 4, 0))
c('nv-certify-no-scheme', 'exact', nv_certify(K_RSA, 4, 0))
c('nv-certify-rsa', 'rc', nv_certify(K_RSA, 4, 0, RSASSA, SHA256))
SetAudit, GetAuditDigest = 0x140, 0x133
def set_audit(alg, sets, clears):
    return cmd(SetAudit, [OWNER], u16(alg) + u32(len(sets)) + b''.join(u32(x) for x in sets)
               + u32(len(clears)) + b''.join(u32(x) for x in clears), [PW])
c('getcap-audit-commands', 'exact', cmd(GetCap, params=u32(4) + u32(0) + u32(64)), 'Command audit.')
c('set-audit-getrandom', 'exact', set_audit(NULL, [0x17B, 0x145, 0x1FF], []))
c('getcap-audit-commands-after-set', 'exact', cmd(GetCap, params=u32(4) + u32(0) + u32(64)))
c('set-audit-new-hash-with-list', 'exact', set_audit(SHA256, [0x17B], []))
c('set-audit-bad-hash', 'exact', set_audit(0x99, [], []))
c('set-audit-endorsement', 'exact', cmd(SetAudit, [ENDORSEMENT], u16(NULL) + u32(0) + u32(0), [PW]))
c('get-audit-digest-null-signer', 'rc', cmd(GetAuditDigest, [ENDORSEMENT, NULLH], b2(b'') + u16(NULL), [PW, PW]))
c('get-audit-digest-decrypt-key', 'exact', cmd(GetAuditDigest, [ENDORSEMENT, K_DEC], b2(b'') + u16(NULL), [PW, PW]))
c('set-audit-clear', 'exact', set_audit(NULL, [], [0x17B, 0x140]))
c('getcap-audit-commands-after-clear', 'exact', cmd(GetCap, params=u32(4) + u32(0) + u32(64)))
LoadExternal = 0x167
MOD = bytes([0xC3]) + bytes(range(1, 255)) + bytes([0x01])
ext = b2(u16(RSA) + u16(SHA256) + u32(UWA | SIGN) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(0) + b2(MOD))
c('flush-decrypt-key', 'exact', cmd(Flush, params=u32(K_DEC)), 'A public-only key.')
c('loadexternal-public-signer', 'rc', cmd(LoadExternal, [], u16(0) + ext + u32(OWNER)))
c('sign-public-only', 'exact', sign(K_DEC, DIGEST, RSASSA))
c('verify-public-only-wrong', 'exact', verify(K_DEC, DIGEST, u16(RSASSA) + u16(SHA256) + b2(bytes([1]) * 256)))
c('certify-public-only-signer', 'exact', cmd(Certify, [K_RSA, K_DEC], b2(b'') + u16(RSASSA) + u16(SHA256), [PW, PW]))
c('rsa-encrypt-public-only-no-decrypt', 'exact', rsa_enc(K_DEC, b'secret', OAEP))
c('rsa-decrypt-public-only', 'exact', rsa_dec(K_DEC, bytes(256), OAEP))
c('ecdh-zgen-2phase-public-only', 'exact', cmd(0x18D, [K_DEC], b2(b2(bytes(32)) + b2(bytes(32))) + b2(b2(bytes(32)) + b2(bytes(32))) + u16(ECDH) + u16(0), [PW]))
import hashlib
SYMCIPHER, CTR, OFB, CBC, ECB = 0x25, 0x40, 0x41, 0x42, 0x44
SEED = bytes(range(32))
AESKEY = bytes(range(100, 116))
HKEY = b'an hmac key, 32 bytes long......'
def sensitive(t, key):
    return b2(u16(t) + b2(b'') + b2(SEED) + b2(key))
def external(sens, pub):
    return cmd(LoadExternal, [], sens + pub + u32(NULLH))
aes_pub = b2(u16(SYMCIPHER) + u16(SHA256) + u32(UWA | DECRYPT | SIGN) + u16(0) + u16(AES) + u16(128) + u16(NULL)
             + b2(hashlib.sha256(SEED + AESKEY).digest()))
hmac_pub = b2(u16(KEYEDHASH) + u16(SHA256) + u32(UWA | SIGN) + u16(0) + u16(HMAC) + u16(SHA256)
              + b2(hashlib.sha256(SEED + HKEY).digest()))
c('flush-rsa-signer', 'exact', cmd(Flush, params=u32(K_RSA)), 'Known key material (LoadExternal): outputs must be byte-identical.')
c('flush-public-only', 'exact', cmd(Flush, params=u32(K_DEC)))
c('flush-ecc-signer', 'exact', cmd(Flush, params=u32(K_ECC)))
c('loadexternal-aes', 'exact', external(sensitive(SYMCIPHER, AESKEY), aes_pub))
c('loadexternal-hmac', 'exact', external(sensitive(KEYEDHASH, HKEY), hmac_pub))
K_AES, K_HMAC = 0x80000000, 0x80000001
DATA = bytes(range(48)) + b'tail'
IV = bytes(range(200, 216))
for mode, name in ((CFB, 'cfb'), (OFB, 'ofb'), (CTR, 'ctr'), (CBC, 'cbc'), (ECB, 'ecb')):
    data = DATA[:48] if mode in (CBC, ECB) else DATA
    iv = b'' if mode == ECB else IV
    c('encrypt-' + name, 'exact', cmd(EncryptDecrypt2, [K_AES], b2(data) + u8(0) + u16(mode) + b2(iv), [PW]))
    c('decrypt-' + name, 'exact', cmd(EncryptDecrypt2, [K_AES], b2(data) + u8(1) + u16(mode) + b2(iv), [PW]))
    c('encrypt1-' + name, 'exact', cmd(EncryptDecrypt, [K_AES], u8(0) + u16(mode) + b2(iv) + b2(data), [PW]))
c('encrypt-iv-size', 'exact', cmd(EncryptDecrypt2, [K_AES], b2(DATA) + u8(0) + u16(CFB) + b2(IV[:8]), [PW]))
c('encrypt-ecb-with-iv', 'exact', cmd(EncryptDecrypt2, [K_AES], b2(DATA[:16]) + u8(0) + u16(ECB) + b2(IV), [PW]))
c('encrypt-cbc-partial', 'exact', cmd(EncryptDecrypt2, [K_AES], b2(DATA) + u8(0) + u16(CBC) + b2(IV), [PW]))
c('encrypt-null-mode', 'exact', cmd(EncryptDecrypt2, [K_AES], b2(DATA) + u8(0) + u16(NULL) + b2(IV), [PW]))
c('hmac', 'exact', cmd(HMACc, [K_HMAC], b2(DATA) + u16(SHA256), [PW]))
c('hmac-null-hash', 'exact', cmd(HMACc, [K_HMAC], b2(DATA) + u16(NULL), [PW]))
c('hmac-other-hash', 'exact', cmd(HMACc, [K_HMAC], b2(DATA) + u16(0xC), [PW]))
c('sign-hmac', 'exact', sign(K_HMAC, DIGEST, NULL))
import hmac as _hmac
hmac_sig = _hmac.new(HKEY, DIGEST, hashlib.sha256).digest()
c('verify-hmac', 'exact', verify(K_HMAC, DIGEST, u16(HMAC) + u16(SHA256) + hmac_sig))
c('verify-hmac-wrong', 'exact', verify(K_HMAC, DIGEST, u16(HMAC) + u16(SHA256) + bytes(32)))
c('hmac-start', 'exact', cmd(HMAC_Start, [K_HMAC], b2(b'') + u16(NULL), [PW]))
c('sequence-update', 'exact', cmd(0x15C, [0x80000002], b2(DATA), [PW]))
c('sequence-complete', 'exact', cmd(0x13E, [0x80000002], b2(b'more') + u32(OWNER), [PW]))
c('encrypt-with-hmac-key', 'exact', cmd(EncryptDecrypt2, [K_HMAC], b2(DATA) + u8(0) + u16(CFB) + b2(IV), [PW]))
c('mac-with-aes-key-and-hash', 'exact', cmd(HMACc, [K_AES], b2(DATA) + u16(SHA256), [PW]), 'TPM2_MAC (libtpms implements MAC at the HMAC command code): CMAC with a symmetric key.')
c('cmac', 'exact', cmd(HMACc, [K_AES], b2(DATA) + u16(0x3F), [PW]))
c('cmac-block', 'exact', cmd(HMACc, [K_AES], b2(DATA[:32]) + u16(0x3F), [PW]))
c('cmac-empty', 'exact', cmd(HMACc, [K_AES], b2(b'') + u16(0x3F), [PW]))
c('cmac-null-scheme', 'exact', cmd(HMACc, [K_AES], b2(DATA) + u16(NULL), [PW]))
c('cmac-with-hmac-key', 'exact', cmd(HMACc, [K_HMAC], b2(DATA) + u16(0x3F), [PW]))
c('mac-bad-scheme', 'exact', cmd(HMACc, [K_HMAC], b2(DATA) + u16(0x43), [PW]))
c('mac-start-cmac', 'exact', cmd(HMAC_Start, [K_AES], b2(b'') + u16(0x3F), [PW]))
c('cmac-sequence-update', 'exact', cmd(0x15C, [0x80000002], b2(DATA), [PW]))
c('cmac-sequence-update-2', 'exact', cmd(0x15C, [0x80000002], b2(DATA[:7]), [PW]))
c('cmac-sequence-complete', 'exact', cmd(0x13E, [0x80000002], b2(b'more') + u32(OWNER), [PW]))
# Known asymmetric keys (generated once with openssl): deterministic operations must be byte-identical.
RSA_N = 0xdec1445beb20865931ef8cba74b6ecce09305b2ae7d9b673489af386e2d61f45504074428e54a5276aee57b0f319493567c3ed1a48b7a1fbded9881bb61a0061e8f92cceaae15bec7326b69cbd5524749491663d50a1099713f0c7d28856ebb523fb1c018da5b352c6da940986ca3d16d513bcd818d72d8f85db33573107f5014c2de5cced34790f7eedc4330c345eb32b09d6e76c5c64d161f86472475c7adb55e5cf40dcf07636664bf007b7b765f5f34379860f6c73dfadac2604f62cd6dcca0ef721994c9e145f3c6e832d34815cffc05a0343ce07cecad0b48055eda1105861acd3d8382a5ce23beef87b1fb3d900ecdf60079a3c1f733d5ad549489139
RSA_P = 0xf6d475b2b3cd624dc53283c77f971edb3868cf73cc4451d4d2fa38d79b2df8dd62d1faf95fda916acf125d040ed418103e0fa2053eab1c77623bbc145cadb72a784efde9d3a7d30a02b818082cba0a94e4b2f0f44053c33078ed8f4a4959d0e170732f3dbc1ee25294be025ec6bc88a53ab13f3907b349f93a6dfa8528932fa9
RSA_D = 0x1b0e4a2f6873104265f170cc46682001e40594b334cb41b105b6f560932d7b099c166210a1f147c88e8141d32f29c975b4436cc97a1edcccc70bf0af5dfa5144d32b6dbcf1ee32b038e9d1391f3987d6a5a375f1b958fffd52c99679bcbfe2fc02d1699cca2fbfc4cc7ca8c9b1ee9f46264e120c44d320f86b639d1c286b4d1f97ce8f4ae7980311a5cea877dd65e9f1e16fbe401ca09b627969d2aff8afa2771f3f90b9abeda597909492a3e0ea551999cb860ce5fafecb5b08ec5b24b905041b034141cf400a3b2a8ad0ae774f297c085f45e1404895ad8386babbec4d59e5effeb2a77add2aac0df6a5fa3387f9560ae45fcc8e0fb13e83508715bfd97651
EC_D = 0x1d4c2710714ad98ae025c5b6f0914d162c2ae155210b044ecce0e4fd770d59ed
EC_X = 0x2348d2c310ba89e5d2ce492a57f1adecb8d952ac25b7d153b25103603f2e7e9b
EC_Y = 0x4527e8be96b1adb64fa575e4f988ba25849c09ec21d3e31f30665b0227567093
def be(v, n): return v.to_bytes(n, 'big')
rsa_pub = b2(u16(RSA) + u16(SHA256) + u32(UWA | SIGN | DECRYPT) + u16(0) + u16(NULL) + u16(NULL) + u16(2048) + u32(0)
             + b2(be(RSA_N, 256)))
ecc_pub = b2(u16(ECC) + u16(SHA256) + u32(UWA | SIGN | DECRYPT) + u16(0) + u16(NULL) + u16(NULL) + u16(3) + u16(NULL)
             + b2(be(EC_X, 32)) + b2(be(EC_Y, 32)))
c('flush-aes', 'exact', cmd(Flush, params=u32(K_AES)), 'LoadExternal of known RSA and ECC private keys.')
c('flush-hmac', 'exact', cmd(Flush, params=u32(K_HMAC)))
c('loadexternal-rsa-private', 'exact', external(b2(u16(RSA) + b2(b'') + b2(b'') + b2(be(RSA_P, 128))), rsa_pub))
c('loadexternal-ecc-private', 'exact', external(b2(u16(ECC) + b2(b'') + b2(b'') + b2(be(EC_D, 32))), ecc_pub))
X_RSA, X_ECC = 0x80000000, 0x80000001
PREFIX = {SHA256: bytes.fromhex('3031300d060960864801650304020105000420'),
          0xC: bytes.fromhex('3041300d060960864801650304020205000430'),
          0xD: bytes.fromhex('3051300d060960864801650304020305000440'),
          0x4: bytes.fromhex('3021300906052b0e03021a05000414')}
HASHES = {SHA256: hashlib.sha256, 0xC: hashlib.sha384, 0xD: hashlib.sha512, 0x4: hashlib.sha1}
for h, f in HASHES.items():
    dg = f(b'known message').digest()
    c('sign-rsassa-known-%x' % h, 'exact', sign(X_RSA, dg, RSASSA, h))
    t = PREFIX[h] + dg
    em = b'\x00\x01' + b'\xff' * (256 - len(t) - 3) + b'\x00' + t
    sig = be(pow(int.from_bytes(em, 'big'), RSA_D, RSA_N), 256)
    c('verify-rsassa-known-%x' % h, 'exact', verify(X_RSA, dg, u16(RSASSA) + u16(h) + b2(sig)))
c('sign-rsapss-known', 'rc', sign(X_RSA, DIGEST, RSAPSS))
c('rsa-encrypt-raw-known', 'exact', rsa_enc(X_RSA, b'raw message', NULL))
ct = be(pow(int.from_bytes(b'raw message', 'big'), 65537, RSA_N), 256)
c('rsa-decrypt-raw-known', 'exact', rsa_dec(X_RSA, ct, NULL))
def mgf1(seed, n):
    out = b''
    for i in range((n + 31) // 32):
        out += hashlib.sha256(seed + u32(i)).digest()
    return out[:n]
def oaep(msg, label):
    lh = hashlib.sha256(label).digest()
    db = lh + bytes(256 - len(msg) - 2 * 32 - 2) + b'\x01' + msg
    seed = bytes(range(32))
    mdb = bytes(a ^ b for a, b in zip(db, mgf1(seed, len(db))))
    ms = bytes(a ^ b for a, b in zip(seed, mgf1(mdb, 32)))
    return be(pow(int.from_bytes(b'\x00' + ms + mdb, 'big'), 65537, RSA_N), 256)
c('rsa-decrypt-oaep-known', 'exact', rsa_dec(X_RSA, oaep(b'oaep secret', b'label\0'), OAEP, label=b'label\0'))
c('rsa-decrypt-oaep-known-empty-label', 'exact', rsa_dec(X_RSA, oaep(b'oaep secret', b''), OAEP))
pkcs = b'\x00\x02' + b'\x5a' * (256 - 3 - 13) + b'\x00' + b'pkcs1 secret!'
c('rsa-decrypt-pkcs1-known', 'exact', rsa_dec(X_RSA, be(pow(int.from_bytes(pkcs, 'big'), 65537, RSA_N), 256), RSAES))
c('ecdh-zgen-known', 'exact', cmd(ECDH_ZGen, [X_ECC], b2(b2(be(EC_X, 32)) + b2(be(EC_Y, 32))), [PW]))
c('sign-ecdsa-known', 'rc', sign(X_ECC, DIGEST, ECDSA))
c('sign-ecschnorr-known', 'rc', sign(X_ECC, DIGEST, 0x1C))
c('verify-ecdsa-known-wrong', 'exact', verify(X_ECC, DIGEST, u16(ECDSA) + u16(SHA256) + b2(be(5, 32)) + b2(be(7, 32))))
# TDES (0x0003) and Camellia (0x0026), as libtpms 0.9 builds them: TDES 128/192, Camellia 128/256.
import warnings
warnings.filterwarnings('ignore')
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.hazmat.decrepit.ciphers.algorithms import Camellia, TripleDES
TDES, CAMELLIA = 0x3, 0x26
c('getcap-algs-tdes', 'exact', cmd(GetCap, params=u32(0) + u32(TDES) + u32(1)), 'TPM_CAP_ALGS entries of TDES and Camellia.')
c('getcap-algs-rsa-tdes-sha1', 'exact', cmd(GetCap, params=u32(0) + u32(RSA) + u32(3)))
c('getcap-algs-symcipher-camellia', 'exact', cmd(GetCap, params=u32(0) + u32(SYMCIPHER) + u32(2)))
c('flush-known-rsa', 'exact', cmd(Flush, params=u32(X_RSA)))
c('flush-known-ecc', 'exact', cmd(Flush, params=u32(X_ECC)))
SYMKEYS = [('camellia128', CAMELLIA, 128, bytes(range(16, 32))), ('camellia256', CAMELLIA, 256, bytes(range(32, 64))),
           ('tdes128', TDES, 128, bytes(range(64, 80))), ('tdes192', TDES, 192, bytes(range(80, 104)))]
def sym_pub(alg, bits, key, mode=NULL, attrs=UWA | DECRYPT | SIGN, seed=SEED):
    return b2(u16(SYMCIPHER) + u16(SHA256) + u32(attrs) + u16(0) + u16(alg) + u16(bits) + u16(mode)
              + b2(hashlib.sha256(seed + key).digest()))
for i, (name, alg, bits, key) in enumerate(SYMKEYS):
    c('loadexternal-' + name, 'exact', external(sensitive(SYMCIPHER, key), sym_pub(alg, bits, key)),
      'Known Camellia and TDES keys (mode NULL), one at a time: EncryptDecrypt(2) in every mode and CMAC must be byte-identical.' if i == 0 else None)
    h, bs = 0x80000000, (8 if alg == TDES else 16)
    for mode, mname in ((CFB, 'cfb'), (OFB, 'ofb'), (CTR, 'ctr'), (CBC, 'cbc'), (ECB, 'ecb')):
        data = DATA[:48] if mode in (CBC, ECB) else DATA
        iv = b'' if mode == ECB else IV[:bs]
        c(f'{name}-encrypt-{mname}', 'exact', cmd(EncryptDecrypt2, [h], b2(data) + u8(0) + u16(mode) + b2(iv), [PW]))
        c(f'{name}-decrypt-{mname}', 'exact', cmd(EncryptDecrypt2, [h], b2(data) + u8(1) + u16(mode) + b2(iv), [PW]))
        c(f'{name}-encrypt1-{mname}', 'exact', cmd(EncryptDecrypt, [h], u8(0) + u16(mode) + b2(iv) + b2(data), [PW]))
    c(f'{name}-encrypt-cfb-short', 'exact', cmd(EncryptDecrypt2, [h], b2(DATA[:5]) + u8(0) + u16(CFB) + b2(IV[:bs]), [PW]))
    c(f'{name}-encrypt-empty', 'exact', cmd(EncryptDecrypt2, [h], b2(b'') + u8(0) + u16(CFB) + b2(IV[:bs]), [PW]))
    c(f'{name}-iv-other-size', 'exact', cmd(EncryptDecrypt2, [h], b2(DATA) + u8(0) + u16(CFB) + b2(IV[:24 - bs]), [PW]))
    c(f'{name}-cbc-partial', 'exact', cmd(EncryptDecrypt2, [h], b2(DATA[:44]) + u8(0) + u16(CBC) + b2(IV[:bs]), [PW]))
    c(f'{name}-ecb-with-iv', 'exact', cmd(EncryptDecrypt2, [h], b2(DATA[:48]) + u8(0) + u16(ECB) + b2(IV[:bs]), [PW]))
    for n in (len(DATA), 32, 16, 8, 0):
        c(f'{name}-cmac-{n}', 'exact', cmd(HMACc, [h], b2(DATA[:n]) + u16(0x3F), [PW]))
    c(f'{name}-mac-start', 'exact', cmd(HMAC_Start, [h], b2(b'') + u16(0x3F), [PW]))
    c(f'{name}-mac-sequence-update', 'exact', cmd(0x15C, [0x80000001], b2(DATA[:13]), [PW]))
    c(f'{name}-mac-sequence-complete', 'exact', cmd(0x13E, [0x80000001], b2(b'more') + u32(OWNER), [PW]))
    c(f'flush-{name}', 'exact', cmd(Flush, params=u32(h)))
def sym_template(alg, bits, mode=NULL, attrs=UWA | DECRYPT | SIGN | SDO | FIXED_TPM | FIXED_PARENT):
    return b2(u16(SYMCIPHER) + u16(SHA256) + u32(attrs) + u16(0) + u16(alg) + u16(bits) + u16(mode) + u16(0))
def primary_data(template, data):
    return cmd(CreatePrimary, [OWNER], b2(b2(b'') + b2(data)) + template + u16(0) + u32(0), [PW])
c('createprimary-camellia-192', 'exact', primary(OWNER, sym_template(CAMELLIA, 192)), 'Key sizes and modes: libtpms 0.9 builds AES and Camellia 128 and 256, TDES 128 and 192.')
c('createprimary-camellia-64', 'exact', primary(OWNER, sym_template(CAMELLIA, 64)))
c('createprimary-tdes-256', 'exact', primary(OWNER, sym_template(TDES, 256)))
c('createprimary-tdes-64', 'exact', primary(OWNER, sym_template(TDES, 64)))
c('createprimary-aes-192', 'exact', primary(OWNER, sym_template(AES, 192)))
c('createprimary-camellia-bad-mode', 'exact', primary(OWNER, sym_template(CAMELLIA, 128, 0x99)))
c('createprimary-tdes-bad-mode', 'exact', primary(OWNER, sym_template(TDES, 128, AES)))
WEAK = bytes([1] * 8) + bytes(range(72, 80))
for name, tmpl in (('camellia128', sym_template(CAMELLIA, 128, CFB)), ('camellia256', sym_template(CAMELLIA, 256, CTR)),
                   ('tdes128', sym_template(TDES, 128, CBC)), ('tdes192', sym_template(TDES, 192, ECB))):
    c('createprimary-' + name, 'rc', primary(OWNER, tmpl))
    c('flush-primary-' + name, 'exact', cmd(Flush, params=u32(0x80000000)))
nosdo = UWA | DECRYPT | SIGN | FIXED_TPM | FIXED_PARENT
c('createprimary-tdes-data', 'rc', primary_data(sym_template(TDES, 128, NULL, nosdo), bytes(range(64, 80))), 'TDES keys given by the caller: weak DES keys, K1 = K2 (after parity) and K2 = K3 are TPM_RC_KEY.')
c('flush-primary-tdes-data', 'exact', cmd(Flush, params=u32(0x80000000)))
c('createprimary-tdes-weak', 'exact', primary_data(sym_template(TDES, 128, NULL, nosdo), WEAK))
c('createprimary-tdes-k1-k2', 'exact', primary_data(sym_template(TDES, 128, NULL, nosdo), bytes(range(64, 72)) * 2))
c('createprimary-tdes-k2-k3-parity', 'exact', primary_data(sym_template(TDES, 192, NULL, nosdo), bytes(range(64, 72)) + bytes([0x50] * 8) + bytes([0x51] * 8)))
c('createprimary-tdes-data-size', 'exact', primary_data(sym_template(TDES, 192, NULL, nosdo), bytes(range(64, 80))))
c('loadexternal-tdes-weak', 'exact', external(sensitive(SYMCIPHER, WEAK), sym_pub(TDES, 128, WEAK)))
c('loadexternal-tdes-k1-k2', 'exact', external(sensitive(SYMCIPHER, bytes(range(64, 72)) * 2), sym_pub(TDES, 128, bytes(range(64, 72)) * 2)))
c('loadexternal-tdes-size', 'exact', external(sensitive(SYMCIPHER, bytes(range(64, 88))), sym_pub(TDES, 128, bytes(range(64, 88)))))
c('loadexternal-camellia-size', 'exact', external(sensitive(SYMCIPHER, bytes(16)), sym_pub(CAMELLIA, 256, bytes(16))))
def ecc_storage(alg, bits):
    return b2(u16(ECC) + u16(SHA256) + u32(FIXED_TPM | FIXED_PARENT | SDO | UWA | RESTRICTED | DECRYPT) + u16(0)
              + u16(alg) + u16(bits) + u16(CFB) + u16(NULL) + u16(3) + u16(NULL) + u16(0) + u16(0))
SEALED = b'sealed secret'
def sealed_template():
    return b2(u16(KEYEDHASH) + u16(SHA256) + u32(FIXED_TPM | FIXED_PARENT | UWA) + u16(0) + u16(NULL) + u16(0))
CreateLoaded, Unseal, Import = 0x191, 0x15E, 0x156
def crypt_cfb(alg, key, data):
    algo = Camellia(key) if alg == CAMELLIA else TripleDES(key + key[:8] if len(key) == 16 else key)
    e = Cipher(algo, modes.CFB(bytes(algo.block_size // 8))).encryptor()
    return e.update(data) + e.finalize()
dup_seed = bytes(range(7, 39))
dup_pub = (u16(KEYEDHASH) + u16(SHA256) + u32(UWA) + u16(0) + u16(NULL) + b2(hashlib.sha256(dup_seed + SEALED).digest()))
dup_name = u16(SHA256) + hashlib.sha256(dup_pub).digest()
dup_sens = b2(u16(KEYEDHASH) + b2(b'') + b2(dup_seed) + b2(SEALED))
def duplicate(alg, key):
    return crypt_cfb(alg, key, b2(hashlib.sha256(dup_sens + dup_name).digest()) + dup_sens)
for i, (name, alg, bits) in enumerate((('camellia128', CAMELLIA, 128), ('camellia256', CAMELLIA, 256),
                                        ('tdes128', TDES, 128), ('tdes192', TDES, 192))):
    c('createprimary-ecc-storage-' + name, 'rc', primary(OWNER, ecc_storage(alg, bits)),
      'Storage parents whose children are protected with Camellia-CFB or TDES-CFB; inner wrappers of Import in both ciphers.' if i == 0 else None)
    c('createloaded-sealed-' + name, 'rc', cmd(CreateLoaded, [0x80000000], b2(b2(b'') + b2(SEALED)) + sealed_template(), [PW]))
    c('unseal-' + name, 'exact', cmd(Unseal, [0x80000001], b'', [PW]))
    c('flush-sealed-' + name, 'exact', cmd(Flush, params=u32(0x80000001)))
    ikey = bytes(range(120, 120 + bits // 8))
    symdef = u16(alg) + u16(bits) + u16(CFB)
    c('import-inner-' + name, 'rc', cmd(Import, [0x80000000], b2(ikey) + b2(dup_pub) + b2(duplicate(alg, ikey)) + b2(b'') + symdef, [PW]))
    c('import-inner-wrong-key-' + name, 'exact', cmd(Import, [0x80000000], b2(bytes(len(ikey))) + b2(dup_pub) + b2(duplicate(alg, ikey)) + b2(b'') + symdef, [PW]))
    c('flush-storage-' + name, 'exact', cmd(Flush, params=u32(0x80000000)))
c('createprimary-ecc-storage-camellia192', 'exact', primary(OWNER, ecc_storage(CAMELLIA, 192)))
StartAuthSession = 0x176
def start(symdef):
    return cmd(StartAuthSession, [NULLH, NULLH], b2(bytes(range(16))) + b2(b'') + u8(0) + symdef + u16(SHA256))
for name, alg, bits in (('camellia128', CAMELLIA, 128), ('camellia256', CAMELLIA, 256), ('tdes128', TDES, 128),
                        ('tdes192', TDES, 192)):
    c('startauthsession-' + name + '-cfb', 'rc', start(u16(alg) + u16(bits) + u16(CFB)),
      'Sessions may encrypt parameters with Camellia-CFB or TDES-CFB.' if alg == CAMELLIA and bits == 128 else None)
    c('flush-session-' + name, 'exact', cmd(Flush, params=u32(0x02000000)))
c('startauthsession-camellia-cbc', 'exact', start(u16(CAMELLIA) + u16(128) + u16(CBC)))
c('startauthsession-camellia-192', 'exact', start(u16(CAMELLIA) + u16(192) + u16(CFB)))
c('startauthsession-tdes-256', 'exact', start(u16(TDES) + u16(256) + u16(CFB)))
c('startauthsession-tdes-null-mode', 'exact', start(u16(TDES) + u16(128) + u16(NULL)))
SM2, SM2_P256, SHA384, SM3 = 0x1B, 0x20, 0xC, 0x12
SM2_N = bytes.fromhex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123')
def ecc_on(curve, attrs, s=NULL, h=0):
    return b2(u16(ECC) + u16(SHA256) + u32(attrs) + u16(0) + u16(NULL) + scheme(s, h) + u16(curve) + u16(NULL)
              + u16(0) + u16(0))
def sm2_sig(r, s, h=SHA256):
    return u16(SM2) + u16(h) + b2(r) + b2(s)
c('getcap-algorithm-sm2', 'exact', cmd(GetCap, params=u32(0) + u32(SM2) + u32(1)), 'SM2 (libtpms 0.9.2 builds SM2 and the SM2 P-256 curve, not SM3 or SM4). Signatures are random, so signing successes compare response codes; DifferentialSm2Test verifies them across the two TPMs.')
c('getcap-algorithm-sm3', 'exact', cmd(GetCap, params=u32(0) + u32(SM3) + u32(1)))
c('ecc-parameters-sm2-p256', 'exact', cmd(ECC_Parameters, params=u16(SM2_P256)))
c('createprimary-sm2-signer', 'rc', primary(OWNER, ecc_on(SM2_P256, SIGNING, SM2, SHA256)))
c('createprimary-sm2-curve-no-scheme', 'rc', primary(OWNER, ecc_on(SM2_P256, SIGNING)))
c('createprimary-p256-sm2-scheme', 'rc', primary(OWNER, ecc_on(3, SIGNING, SM2, SHA256)))
c('createprimary-sm2-scheme-no-hash', 'exact', primary(OWNER, ecc_on(SM2_P256, SIGNING, SM2, NULL)))
c('createprimary-sm2-scheme-sm3', 'exact', primary(OWNER, ecc_on(SM2_P256, SIGNING, SM2, SM3)))
c('createprimary-sm2-restricted-decrypt-scheme', 'exact', primary(OWNER, ecc_on(SM2_P256, DECRYPTING | RESTRICTED, SM2, SHA256)))
K_SM2, K_SM2_NULL, K_P256_SM2 = 0x80000000, 0x80000001, 0x80000002
c('sign-sm2', 'rc', sign(K_SM2, DIGEST, SM2))
c('sign-sm2-key-default', 'rc', sign(K_SM2, DIGEST, NULL))
c('sign-sm2-other-hash', 'exact', sign(K_SM2, DIGEST, SM2, SHA384))
c('sign-ecdsa-with-sm2-key', 'exact', sign(K_SM2, DIGEST, ECDSA))
c('sign-sm2-scheme-null-key', 'rc', sign(K_SM2_NULL, DIGEST, SM2))
c('sign-ecdsa-on-sm2-curve', 'rc', sign(K_SM2_NULL, DIGEST, ECDSA))
c('sign-sm2-sha384', 'rc', sign(K_SM2_NULL, bytes(range(48)), SM2, SHA384))
c('sign-sm2-no-scheme', 'exact', sign(K_SM2_NULL, DIGEST, NULL))
c('sign-sm2-digest-size', 'exact', sign(K_SM2_NULL, DIGEST[:20], SM2))
c('sign-sm2-nist-p256', 'rc', sign(K_P256_SM2, DIGEST, NULL))
c('verify-sm2-zero', 'exact', verify(K_SM2, DIGEST, sm2_sig(bytes(32), bytes(32))))
c('verify-sm2-wrong', 'exact', verify(K_SM2, DIGEST, sm2_sig(bytes([1]) * 32, bytes([1]) * 32)))
c('verify-sm2-r-order', 'exact', verify(K_SM2, DIGEST, sm2_sig(SM2_N, bytes([1]) * 32)))
c('verify-sm2-s-order', 'exact', verify(K_SM2, DIGEST, sm2_sig(bytes([1]) * 32, SM2_N)))
c('verify-sm2-t-zero', 'exact', verify(K_SM2, DIGEST, sm2_sig(bytes(31) + b'\x01', SM2_N[:31] + b'\x22')))
c('verify-sm2-sm3', 'exact', verify(K_SM2, DIGEST, sm2_sig(bytes([1]) * 32, bytes([1]) * 32, SM3)))
c('verify-sm2-p256-wrong', 'exact', verify(K_P256_SM2, DIGEST, sm2_sig(bytes([1]) * 32, bytes([1]) * 32)))
for h in (K_SM2, K_SM2_NULL, K_P256_SM2):
    c('flush-sm2-%x' % h, 'exact', cmd(Flush, params=u32(h)))
# NIST P-192, NIST P-224 and BN P-638 (libtpms 0.9.2 builds all eight curves): parameters, the capability,
# and known keys (LoadExternal): ECDSA signatures made here verify, ZGen of a known point is byte-identical.
CURVES = {  # id: (p, a, b, gx, gy, n, coordinate bytes)
    0x01: (2**192 - 2**64 - 1, -3, 0x64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1,
           0x188DA80EB03090F67CBF20EB43A18800F4FF0AFD82FF1012, 0x07192B95FFC8DA78631011ED6B24CDD573F977A11E794811,
           0xFFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831, 24),
    0x02: (2**224 - 2**96 + 1, -3, 0xB4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4,
           0xB70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21,
           0xBD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34,
           0xFFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D, 28),
}
_u = 2**158 - 2**128 - 2**68 + 1  # BN P-638's parameter u (TCG Algorithm Registry / ISO/IEC 15946-5)
_p = 36 * _u**4 + 36 * _u**3 + 24 * _u**2 + 6 * _u + 1
CURVES[0x11] = (_p, 0, 0x101, _p - 1, 0x10, 36 * _u**4 + 36 * _u**3 + 18 * _u**2 + 6 * _u + 1, 80)
def ec_add(cv, P, Q):
    p, a = cv[0], cv[1]
    if P is None: return Q
    if Q is None: return P
    if P[0] == Q[0] and (P[1] + Q[1]) % p == 0: return None
    if P == Q: l = (3 * P[0] * P[0] + a) * pow(2 * P[1], -1, p) % p
    else: l = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
    x = (l * l - P[0] - Q[0]) % p
    return (x, (l * (P[0] - x) - P[1]) % p)
def ec_mul(cv, k, P):
    R = None
    for bit in bin(k)[2:]:
        R = ec_add(cv, R, R)
        if bit == '1': R = ec_add(cv, R, P)
    return R
def ecdsa(cv, d, k, digest):
    n = cv[5]
    e = int.from_bytes(digest, 'big') >> max(0, len(digest) * 8 - n.bit_length())
    r = ec_mul(cv, k, (cv[3], cv[4]))[0] % n
    return r, pow(k, -1, n) * (e + r * d) % n
for cid, cv in CURVES.items():
    assert (cv[4] ** 2 - cv[3] ** 3 - cv[1] * cv[3] - cv[2]) % cv[0] == 0 and ec_mul(cv, cv[5], (cv[3], cv[4])) is None
from cryptography.hazmat.primitives.asymmetric import ec as _ec, utils as _ecu
from cryptography.hazmat.primitives import hashes as _hashes
c('getcap-ecc-curves', 'exact', cmd(GetCap, params=u32(8) + u32(0) + u32(100)), 'TPM_CAP_ECC_CURVES: 0x0001-0x0005, 0x0010, 0x0011, 0x0020.')
c('getcap-loaded-curves', 'exact', cmd(GetCap, params=u32(6) + u32(0x20D) + u32(1)))
c('ecc-parameters-bn-p256', 'exact', cmd(ECC_Parameters, params=u16(0x10)))
for cid, name in ((0x01, 'p192'), (0x02, 'p224'), (0x11, 'bn-p638')):
    cv = CURVES[cid]
    size = cv[6]
    d = int.from_bytes(hashlib.sha512(b'key ' + name.encode()).digest(), 'big') % cv[5]
    Q = ec_mul(cv, d, (cv[3], cv[4]))
    r, s = ecdsa(cv, d, int.from_bytes(hashlib.sha512(b'nonce ' + name.encode()).digest(), 'big') % cv[5], DIGEST)
    if cid in (0x01, 0x02):  # cross-check with an independent implementation
        key = _ec.EllipticCurvePublicNumbers(Q[0], Q[1], _ec.SECP192R1() if cid == 1 else _ec.SECP224R1()).public_key()
        key.verify(_ecu.encode_dss_signature(r, s), DIGEST, _ec.ECDSA(_ecu.Prehashed(_hashes.SHA256())))
    pub = b2(u16(ECC) + u16(SHA256) + u32(UWA | SIGN | DECRYPT) + u16(0) + u16(NULL) + u16(NULL) + u16(cid) + u16(NULL)
             + b2(be(Q[0], size)) + b2(be(Q[1], size)))
    ecdsa_sig = lambda r, s: u16(ECDSA) + u16(SHA256) + b2(be(r, size)) + b2(be(s, size))
    c('ecc-parameters-' + name, 'exact', cmd(ECC_Parameters, params=u16(cid)))
    c('loadexternal-' + name, 'exact', external(b2(u16(ECC) + b2(b'') + b2(b'') + b2(be(d, size))), pub))
    c('verify-ecdsa-' + name, 'exact', verify(0x80000000, DIGEST, ecdsa_sig(r, s)))
    c('verify-ecdsa-' + name + '-wrong', 'exact', verify(0x80000000, DIGEST, ecdsa_sig(r, (s + 1) % cv[5])))
    c('verify-ecdsa-' + name + '-r-order', 'exact', verify(0x80000000, DIGEST, ecdsa_sig(cv[5], s)))
    K = ec_mul(cv, 0xC0FFEE, (cv[3], cv[4]))
    c('ecdh-zgen-' + name, 'exact', cmd(ECDH_ZGen, [0x80000000], b2(b2(be(K[0], size)) + b2(be(K[1], size))), [PW]))
    c('ecdh-zgen-' + name + '-off-curve', 'exact', cmd(ECDH_ZGen, [0x80000000], b2(b2(be(K[0], size)) + b2(be(3, size))), [PW]))
    c('sign-ecdsa-' + name, 'rc', sign(0x80000000, DIGEST, ECDSA))
    c('sign-schnorr-' + name, 'rc', sign(0x80000000, DIGEST, 0x1C))
    c('sign-sm2-' + name, 'rc', sign(0x80000000, DIGEST, SM2))
    c('flush-' + name, 'exact', cmd(Flush, params=u32(0x80000000)))
    c('createprimary-ecdsa-' + name, 'rc', primary(OWNER, ecc_on(cid, SIGNING, ECDSA, SHA256)))
    c('flush-primary-' + name, 'exact', cmd(Flush, params=u32(0x80000000)))
print('\n'.join(cases))
