# Generates tpm2-crypto.corpus (python3 tpm2-crypto.corpus.py > tpm2-crypto.corpus). Edit here, not in
# the corpus. Signing, asymmetric, symmetric and attestation commands: keys differ between TPMs, so
# successes compare response codes; error paths (wrong scheme, wrong key type, restricted-key rules,
# unmarshalling) must give the same TPM_RC as swtpm; ECC_Parameters must be byte-identical.
import struct
def u8(v): return struct.pack('>B', v)
def u16(v): return struct.pack('>H', v)
def u32(v): return struct.pack('>I', v)
def b2(b): return u16(len(b)) + b
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
def rsa_enc(key, msg, s, h=SHA256, label=b''):
    return cmd(RSA_Encrypt, [key], b2(msg) + scheme(s, h if s == OAEP else 0) + b2(label))
def rsa_dec(key, ct, s, h=SHA256, label=b''):
    return cmd(RSA_Decrypt, [key], b2(ct) + scheme(s, h if s == OAEP else 0) + b2(label), [PW])
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
c('rsa-decrypt-garbage-oaep', 'rc-known-diff', rsa_dec(K_DEC, bytes([0]) + bytes([1]) * 255, OAEP), 'libtpms 0.9 answers TPM_RC_FAILURE to a bad OAEP padding; the specification (and jswtpm) TPM_RC_VALUE.')
c('rsa-decrypt-garbage-rsaes', 'exact', rsa_dec(K_DEC, bytes([0]) + bytes([1]) * 255, RSAES))
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
print('\n'.join(cases))
