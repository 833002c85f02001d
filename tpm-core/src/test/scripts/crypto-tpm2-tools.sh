#!/bin/bash
# tpm2-tools scenario of the crypto and attestation commands against one fresh TPM on the swtpm TCTI at
# 127.0.0.1:$1: sign / verifysignature with RSASSA, RSAPSS and ECDSA, each signature also verified by
# openssl against the PEM from tpm2_readpublic and a tampered message rejected; rsaencrypt / rsadecrypt
# with OAEP and a ciphertext made by openssl; encryptdecrypt against openssl enc; hmac against openssl;
# ecdhkeygen / ecdhzgen; quote + checkquote (and a wrong nonce rejected); certify and
# certifycreation; gettime; nvcertify; setcommandauditstatus + getcommandauditdigest; the restricted-key
# ticket rule. Run it against Debian's swtpm and against
# jswtpm (bin/swtpm socket ...) and diff the two outputs: they agree line for line.
export TPM2TOOLS_TCTI=swtpm:host=127.0.0.1,port=$1
d=$(mktemp -d); cd $d
step() {
    echo "--- $*"; "$@" 2>&1 | grep -v '^WARNING:esys\|^ERROR:esys\|^x: \|^y: \|^symcipher: \|^name: \|^qualified name: \|^rsa: \|^  value: \|^sig: \|^ *[0-9a-f]\{32,\}$' | tail -3; echo "rc=${PIPESTATUS[0]}"
    tpm2_flushcontext -t >/dev/null 2>&1; tpm2_flushcontext -s >/dev/null 2>&1
}
ossl() { echo "--- openssl $*"; openssl "$@" 2>&1 | tail -1 | sed 's/^[0-9A-F]*:error:/error:/'; echo "rc=${PIPESTATUS[0]}"; }
echo -n "the message to sign" > msg
echo -n "the massage to sign" > tampered
step tpm2_startup -c
step tpm2_createprimary -C o -g sha256 -G ecc -c primary.ctx
# signing keys under the primary
for alg in rsa2048:rsassa-sha256:null rsa2048:rsapss-sha256:null ecc256:ecdsa-sha256:null; do
    name=$(echo $alg | cut -d: -f1-2 | tr : -)
    step tpm2_create -C primary.ctx -G $alg -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign" -u $name.pub -r $name.priv
    step tpm2_load -C primary.ctx -u $name.pub -r $name.priv -c $name.ctx
    step tpm2_readpublic -c $name.ctx -f pem -o $name.pem
    scheme=$(echo $alg | cut -d: -f2 | cut -d- -f1)
    step tpm2_sign -c $name.ctx -g sha256 -s $scheme -f plain -o $name.sig msg
    case $alg in
        *rsapss*) ossl dgst -sha256 -verify $name.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1 -signature $name.sig msg
                  ossl dgst -sha256 -verify $name.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1 -signature $name.sig tampered ;;
        *) ossl dgst -sha256 -verify $name.pem -signature $name.sig msg
           ossl dgst -sha256 -verify $name.pem -signature $name.sig tampered ;;
    esac
    step tpm2_sign -c $name.ctx -g sha256 -s $scheme -o $name.tss msg
    step tpm2_verifysignature -c $name.ctx -g sha256 -m msg -s $name.tss -t $name.tk
    step tpm2_verifysignature -c $name.ctx -g sha256 -m tampered -s $name.tss
    tpm2_flushcontext $name.ctx >/dev/null 2>&1
done
# a restricted signing key signs a digest only with a ticket from TPM2_Hash
step tpm2_createprimary -C e -g sha256 -G rsa2048:rsassa-sha256:null -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign" -c ak.ctx
step tpm2_readpublic -c ak.ctx -f pem -o ak.pem
sha256sum msg | cut -c1-64 | xxd -r -p > msg.digest
step tpm2_sign -c ak.ctx -g sha256 -d -f plain -o ak.sig msg.digest
step tpm2_hash -C e -g sha256 -o hash.digest -t hash.ticket msg
step tpm2_sign -c ak.ctx -g sha256 -d -f plain -t hash.ticket -o ak.sig hash.digest
ossl dgst -sha256 -verify ak.pem -signature ak.sig msg
# quote and certify with the restricted key
step tpm2_pcrextend 16:sha256=0000000000000000000000000000000000000000000000000000000000000001
step tpm2_quote -c ak.ctx -l sha256:0,16 -q 1234abcd -m quote.msg -s quote.sig -o quote.pcrs -g sha256
step tpm2_checkquote -u ak.pem -m quote.msg -s quote.sig -f quote.pcrs -g sha256 -q 1234abcd
step tpm2_checkquote -u ak.pem -m quote.msg -s quote.sig -f quote.pcrs -g sha256 -q 1234abce
step tpm2_print -t TPMS_ATTEST quote.msg
tpm2_print -t TPMS_ATTEST quote.msg 2>/dev/null | grep -E 'type|magic|pcrDigest' 
step tpm2_certify -C ak.ctx -c primary.ctx -g sha256 -o certify.msg -s certify.sig -f plain
ossl dgst -sha256 -verify ak.pem -signature certify.sig certify.msg
step tpm2_gettime -c ak.ctx -o time.sig --attestation time.msg -f plain
ossl dgst -sha256 -verify ak.pem -signature time.sig time.msg
# certifycreation of a key made with creation data, nvcertify, command audit
step tpm2_createprimary -C o -g sha256 -G ecc -c cc.ctx -d cc.hash -t cc.ticket
step tpm2_certifycreation -C ak.ctx -c cc.ctx -d cc.hash -t cc.ticket -g sha256 -o cc.sig --attestation cc.msg -f plain
ossl dgst -sha256 -verify ak.pem -signature cc.sig cc.msg
step tpm2_nvdefine 0x1500020 -C o -s 16 -a "ownerread|ownerwrite"
echo -n "sixteen bytes!!!" > nv.data
step tpm2_nvwrite 0x1500020 -C o -i nv.data
step tpm2_nvcertify -C ak.ctx -c o -g sha256 -f plain -o nv.sig --attestation nv.msg --size 8 --offset 4 0x1500020
ossl dgst -sha256 -verify ak.pem -signature nv.sig nv.msg
step tpm2_setcommandauditstatus -C o TPM2_CC_GetRandom
step tpm2_getrandom -o random.bin 4
step tpm2_getcommandauditdigest -c ak.ctx -g sha256 -m audit.msg -s audit.sig -f plain
ossl dgst -sha256 -verify ak.pem -signature audit.sig audit.msg
tpm2_print -t TPMS_ATTEST audit.msg 2>/dev/null | grep -E 'type|digestAlg|auditCounter'
step tpm2_setcommandauditstatus -C o -c TPM2_CC_GetRandom
tpm2_flushcontext ak.ctx >/dev/null 2>&1
# RSA encryption
step tpm2_create -C primary.ctx -G rsa2048:null -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|decrypt" -u rsa.pub -r rsa.priv
step tpm2_load -C primary.ctx -u rsa.pub -r rsa.priv -c rsa.ctx
step tpm2_readpublic -c rsa.ctx -f pem -o rsa.pem
echo -n "a secret" > secret
step tpm2_rsaencrypt -c rsa.ctx -s oaep -o tpm.oaep secret
step tpm2_rsadecrypt -c rsa.ctx -s oaep -o tpm.plain tpm.oaep
cmp tpm.plain secret && echo "tpm oaep round trip"
ossl pkeyutl -encrypt -pubin -inkey rsa.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 -in secret -out ossl.oaep
step tpm2_rsadecrypt -c rsa.ctx -s oaep -o ossl.plain ossl.oaep
cmp ossl.plain secret && echo "openssl oaep decrypted by the TPM"
ossl pkeyutl -encrypt -pubin -inkey rsa.pem -pkeyopt rsa_padding_mode:pkcs1 -in secret -out ossl.pkcs1
step tpm2_rsadecrypt -c rsa.ctx -s rsaes -o pkcs1.plain ossl.pkcs1
cmp pkcs1.plain secret && echo "openssl pkcs1 decrypted by the TPM"
tpm2_flushcontext rsa.ctx >/dev/null 2>&1
# symmetric encryption and HMAC with imported key material
head -c 16 /dev/zero | tr '\0' 'k' > aes.key
head -c 16 /dev/zero | tr '\0' 'i' > iv
step tpm2_loadexternal -C n -G aes128cfb -r aes.key -c aes.ctx
echo -n "plaintext for the cipher, not block aligned" > plain
step tpm2_encryptdecrypt -c aes.ctx -t iv -o tpm.enc plain
openssl enc -aes-128-cfb -K $(xxd -p aes.key) -iv $(xxd -p iv) -in plain -out ossl.enc
cmp tpm.enc ossl.enc && echo "encryptdecrypt matches openssl enc"
step tpm2_encryptdecrypt -d -c aes.ctx -t iv -o tpm.dec tpm.enc
cmp tpm.dec plain && echo "decrypted"
tpm2_flushcontext aes.ctx >/dev/null 2>&1
echo -n "an hmac key" > hmac.key
step tpm2_loadexternal -C n -G hmac -a "userwithauth|sign" -r hmac.key -c hmac.ctx
step tpm2_hmac -c hmac.ctx -o tpm.hmac msg
openssl dgst -sha256 -mac HMAC -macopt key:"an hmac key" -binary -out ossl.hmac msg
cmp tpm.hmac ossl.hmac && echo "hmac matches openssl"
tpm2_flushcontext hmac.ctx >/dev/null 2>&1
# ECDH
step tpm2_create -C primary.ctx -G ecc256:ecdh -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|decrypt" -u ecdh.pub -r ecdh.priv
step tpm2_load -C primary.ctx -u ecdh.pub -r ecdh.priv -c ecdh.ctx
step tpm2_ecdhkeygen -c ecdh.ctx -u eph.pub -o z1
step tpm2_ecdhzgen -c ecdh.ctx -u eph.pub -o z2
cmp z1 z2 && echo "ecdh keygen and zgen agree"
step tpm2_geteccparameters ecc256 -o params
sha256sum params | cut -c1-64
