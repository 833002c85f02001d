#!/bin/bash
# tpm2-tools policy scenario against one TPM on the swtpm TCTI at 127.0.0.1:$1 (Part 3, 23): PolicyOR
# over two PCR states, PolicySecret with the owner hierarchy, PolicySigned with an openssl signature
# (and its ticket), PolicyAuthorize of a signed PCR policy through tpm2_verifysignature's ticket,
# PolicyNV, PolicyLocality, PolicyCounterTimer, PolicyNameHash, PolicyNvWritten, PolicyAuthorizeNV and
# PolicyDuplicationSelect. Every policy
# digest is printed. Run it against Debian's swtpm and against jswtpm (bin/swtpm socket ...) with the
# same openssl key ($2, a PEM RSA private key) and diff the outputs: only random values and key-dependent
# values differ (both TPMs: 115 steps succeed, the same ones fail). Start the two TPMs as:
#   swtpm socket --tpm2 --server type=tcp,port=31321,bindaddr=127.0.0.1 \
#     --ctrl type=tcp,port=31322,bindaddr=127.0.0.1 --tpmstate dir=/tmp/po --flags not-need-init,startup-clear
#   bin/swtpm socket ... (same options, other ports and directory)
export TPM2TOOLS_TCTI=swtpm:host=127.0.0.1,port=$1
key=$(readlink -f "$2")
d=$(mktemp -d); cd $d
tpm2_flushcontext -l >/dev/null 2>&1; tpm2_flushcontext -s >/dev/null 2>&1; tpm2_flushcontext -t >/dev/null 2>&1
step() { echo "--- $*"; "$@" 2>&1 | tail -3; echo "rc=${PIPESTATUS[0]}"; tpm2_flushcontext -t >/dev/null 2>&1; }
show() { echo "--- digest $1"; xxd -p -c 64 "$1"; }
echo -n orsecret > s1; echo -n secretsecret > s2; echo -n signedsecret > s3; echo -n authsecret > s4
openssl rsa -in "$key" -pubout -out key.pub.pem 2>/dev/null
step tpm2_createprimary -C o -g sha256 -G ecc -c prim.ctx
# PolicyOR over two PCR 23 states
step tpm2_pcrreset 23
step tpm2_startauthsession -S t.ctx
step tpm2_policypcr -S t.ctx -l sha256:23 -L a.policy
step tpm2_flushcontext t.ctx
step tpm2_pcrextend 23:sha256=0000000000000000000000000000000000000000000000000000000000000001
step tpm2_startauthsession -S t.ctx
step tpm2_policypcr -S t.ctx -l sha256:23 -L b.policy
step tpm2_policyor -S t.ctx -L or.policy -l sha256:a.policy,b.policy
step tpm2_flushcontext t.ctx
show a.policy; show b.policy; show or.policy
step tpm2_create -C prim.ctx -u or.pub -r or.priv -L or.policy -i s1
step tpm2_load -C prim.ctx -u or.pub -r or.priv -c or.ctx
for state in b a; do
  step tpm2_startauthsession --policy-session -S p.ctx
  step tpm2_policypcr -S p.ctx -l sha256:23
  step tpm2_policyor -S p.ctx -l sha256:a.policy,b.policy
  step tpm2_unseal -p session:p.ctx -c or.ctx
  step tpm2_flushcontext p.ctx
  step tpm2_pcrreset 23
done
step tpm2_pcrextend 23:sha256=0000000000000000000000000000000000000000000000000000000000000002
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policypcr -S p.ctx -l sha256:23
step tpm2_policyor -S p.ctx -l sha256:a.policy,b.policy
step tpm2_flushcontext p.ctx
step tpm2_pcrreset 23
# PolicySecret with the owner hierarchy
step tpm2_startauthsession -S t.ctx
step tpm2_policysecret -S t.ctx -c o -L secret.policy
step tpm2_flushcontext t.ctx
show secret.policy
step tpm2_create -C prim.ctx -u sec.pub -r sec.priv -L secret.policy -i s2
step tpm2_load -C prim.ctx -u sec.pub -r sec.priv -c sec.ctx
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policysecret -S p.ctx -c o
step tpm2_unseal -p session:p.ctx -c sec.ctx
step tpm2_flushcontext p.ctx
step tpm2_changeauth -c o ownerpw
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policysecret -S p.ctx -c o wrongpw
step tpm2_policysecret -S p.ctx -c o ownerpw
step tpm2_unseal -p session:p.ctx -c sec.ctx
step tpm2_flushcontext p.ctx
step tpm2_changeauth -c o -p ownerpw
# PolicySigned with an openssl signature, and its ticket
step tpm2_loadexternal -C o -G rsa -u key.pub.pem -c sk.ctx -n sk.name
step tpm2_startauthsession -S t.ctx
openssl dgst -sha256 -sign "$key" -out sig0.bin /dev/null
step tpm2_policysigned -S t.ctx -g sha256 -c sk.ctx -s sig0.bin -f rsassa -L signed.policy
step tpm2_flushcontext t.ctx
step tpm2_create -C prim.ctx -u sg.pub -r sg.priv -L signed.policy -i s3
step tpm2_load -C prim.ctx -u sg.pub -r sg.priv -c sg.ctx
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policysigned -S p.ctx -g sha256 -c sk.ctx -x -t -100 --raw-data to_sign.bin
openssl dgst -sha256 -sign "$key" -out sig.bin to_sign.bin
step tpm2_policysigned -S p.ctx -g sha256 -c sk.ctx -x -t -100 -s sig.bin -f rsassa --ticket signed.tkt --timeout signed.timeout
step tpm2_unseal -p session:p.ctx -c sg.ctx
step tpm2_flushcontext p.ctx
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policyticket -S p.ctx -n sk.name --ticket signed.tkt --timeout signed.timeout
step tpm2_unseal -p session:p.ctx -c sg.ctx
step tpm2_flushcontext p.ctx
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policysigned -S p.ctx -g sha256 -c sk.ctx -s sig.bin -f rsassa
step tpm2_flushcontext p.ctx
# PolicyAuthorize: a secret sealed to whatever PCR policy the key signs
step tpm2_startauthsession -S t.ctx
step tpm2_policyauthorize -S t.ctx -L authorize.policy -n sk.name
step tpm2_flushcontext t.ctx
show authorize.policy
step tpm2_create -C prim.ctx -u au.pub -r au.priv -L authorize.policy -i s4
step tpm2_load -C prim.ctx -u au.pub -r au.priv -c au.ctx
step tpm2_startauthsession -S t.ctx
step tpm2_policypcr -S t.ctx -l sha256:23 -L pcr.policy
step tpm2_flushcontext t.ctx
openssl dgst -sha256 -sign "$key" -out pcr.sig pcr.policy
step tpm2_verifysignature -c sk.ctx -g sha256 -m pcr.policy -s pcr.sig -f rsassa -t verified.tkt
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policypcr -S p.ctx -l sha256:23
step tpm2_policyauthorize -S p.ctx -i pcr.policy -n sk.name -t verified.tkt
step tpm2_unseal -p session:p.ctx -c au.ctx
step tpm2_flushcontext p.ctx
step tpm2_pcrextend 23:sha256=0000000000000000000000000000000000000000000000000000000000000003
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policypcr -S p.ctx -l sha256:23
step tpm2_policyauthorize -S p.ctx -i pcr.policy -n sk.name -t verified.tkt
step tpm2_flushcontext p.ctx
step tpm2_pcrreset 23
# PolicyNV, PolicyAuthorizeNV, PolicyNvWritten
step tpm2_nvdefine 0x01500016 -C o -s 34 -a "ownerread|ownerwrite"
echo -n 0102 | xxd -r -p > nv.in
step tpm2_nvwrite 0x01500016 -C o -i nv.in
step tpm2_startauthsession -S t.ctx
step tpm2_policynv -S t.ctx -C o -i nv.in 0x01500016 eq -L nv.policy
step tpm2_flushcontext t.ctx
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policynv -S p.ctx -C o -i nv.in 0x01500016 eq
step tpm2_policynv -S p.ctx -C o -i nv.in 0x01500016 neq
step tpm2_policynv -S p.ctx -C o -i nv.in 0x01500016 ule -L pnv.policy
step tpm2_flushcontext p.ctx
step tpm2_startauthsession -S t.ctx
step tpm2_policycommandcode -S t.ctx TPM2_CC_Unseal -L cc.policy
step tpm2_flushcontext t.ctx
(printf '\x00\x0b'; cat cc.policy) > ha.bin
step tpm2_nvwrite 0x01500016 -C o -i ha.bin
step tpm2_startauthsession -S t.ctx
step tpm2_policyauthorizenv -S t.ctx -C o 0x01500016 -L anv.policy
step tpm2_flushcontext t.ctx
step tpm2_startauthsession -S t.ctx
step tpm2_policynvwritten -S t.ctx -L written.policy s
step tpm2_flushcontext t.ctx
show nv.policy; show pnv.policy; show anv.policy; show written.policy
# PolicyLocality, PolicyCounterTimer, PolicyCpHash, PolicyNameHash, PolicyTemplate,
# PolicyDuplicationSelect: trial digests
step tpm2_startauthsession -S t.ctx
step tpm2_policylocality -S t.ctx -L loc.policy three
step tpm2_flushcontext t.ctx
step tpm2_startauthsession -S t.ctx
step tpm2_policycountertimer -S t.ctx -L ct.policy --ult 60000
step tpm2_flushcontext t.ctx
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policycountertimer -S p.ctx --ult 1
step tpm2_policycountertimer -S p.ctx safe
step tpm2_flushcontext p.ctx
step tpm2_startauthsession -S t.ctx
step tpm2_policyduplicationselect -S t.ctx -n sk.name -N sk.name -L dup.policy
step tpm2_flushcontext t.ctx
step tpm2_startauthsession -S t.ctx
openssl dgst -sha256 -binary sk.name > nh.bin
step tpm2_policynamehash -S t.ctx -n nh.bin -L nh.policy
step tpm2_flushcontext t.ctx
show loc.policy; show ct.policy; show dup.policy; show nh.policy
step tpm2_nvundefine 0x01500016 -C o
