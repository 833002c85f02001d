#!/bin/bash
# tpm2-tools session scenario against one TPM on the swtpm TCTI at 127.0.0.1:$1: HMAC sessions with
# parameter encryption, ECC- and RSA-salted sessions, trial and real PolicyPCR sealing (and its failure
# after a PCR extend), PolicyPassword, PolicyCommandCode + PolicyAuthValue, an audit session, a bound
# session, an HMAC session carrying an object's authValue. Run it against
# Debian's swtpm and against jswtpm (bin/swtpm socket ...) and diff the two outputs: only random values,
# keys and PCR-dependent digests differ.
export TPM2TOOLS_TCTI=swtpm:host=127.0.0.1,port=$1
d=$(mktemp -d); cd $d
tpm2_flushcontext -l >/dev/null 2>&1; tpm2_flushcontext -s >/dev/null 2>&1; tpm2_flushcontext -t >/dev/null 2>&1
step() { echo "--- $*"; "$@" 2>&1 | tail -3; echo "rc=${PIPESTATUS[0]}"; tpm2_flushcontext -t >/dev/null 2>&1; }
echo -n sealedsecret > s1; echo -n pwsecret > s2; echo -n hmacsecret > s3
step tpm2_startauthsession -S s.ctx --hmac-session
step tpm2_getrandom -S s.ctx --hex 16
step tpm2_sessionconfig s.ctx --enable-encrypt --enable-continuesession
step tpm2_getrandom -S s.ctx --hex 16
step tpm2_flushcontext s.ctx
# salted+bound needs a key: createprimary then a salted session
step tpm2_createprimary -C o -g sha256 -G ecc -c prim.ctx
step tpm2_startauthsession -S salted.ctx --hmac-session -c prim.ctx
step tpm2_sessionconfig salted.ctx --enable-encrypt --enable-decrypt
step tpm2_getrandom -S salted.ctx --hex 8
step tpm2_flushcontext salted.ctx
step tpm2_createprimary -C o -g sha256 -G rsa -c rsa.ctx
step tpm2_startauthsession -S rsalt.ctx --hmac-session -c rsa.ctx
step tpm2_sessionconfig rsalt.ctx --enable-encrypt --enable-decrypt
step tpm2_getrandom -S rsalt.ctx --hex 8
step tpm2_flushcontext rsalt.ctx
# policy: seal to pcr
step tpm2_startauthsession -S trial.ctx
step tpm2_policypcr -S trial.ctx -l sha256:0,1 -L pcr.policy
step tpm2_flushcontext trial.ctx
step tpm2_create -C prim.ctx -g sha256 -u seal.pub -r seal.priv -L pcr.policy -i s1
step tpm2_load -C prim.ctx -u seal.pub -r seal.priv -c seal.ctx
step tpm2_startauthsession --policy-session -S p.ctx
step tpm2_policypcr -S p.ctx -l sha256:0,1
step tpm2_unseal -p session:p.ctx -c seal.ctx
step tpm2_flushcontext p.ctx
step tpm2_pcrextend 0:sha256=0000000000000000000000000000000000000000000000000000000000000001
step tpm2_startauthsession --policy-session -S p2.ctx
step tpm2_policypcr -S p2.ctx -l sha256:0,1
step tpm2_unseal -p session:p2.ctx -c seal.ctx
step tpm2_flushcontext p2.ctx
# password policy
step tpm2_startauthsession -S t2.ctx
step tpm2_policypassword -S t2.ctx -L pw.policy
step tpm2_flushcontext t2.ctx
step tpm2_create -C prim.ctx -u pw.pub -r pw.priv -L pw.policy -p secretpw -i s2
step tpm2_load -C prim.ctx -u pw.pub -r pw.priv -c pw.ctx
step tpm2_startauthsession --policy-session -S p3.ctx
step tpm2_policypassword -S p3.ctx
step tpm2_unseal -p session:p3.ctx+secretpw -c pw.ctx
step tpm2_flushcontext p3.ctx
# HMAC session with auth value on unseal
step tpm2_create -C prim.ctx -u h.pub -r h.priv -p hpass -i s3
step tpm2_load -C prim.ctx -u h.pub -r h.priv -c h.ctx
step tpm2_startauthsession -S hs.ctx --hmac-session -c prim.ctx
step tpm2_sessionconfig hs.ctx --enable-encrypt
step tpm2_unseal -p session:hs.ctx+hpass -c h.ctx
step tpm2_unseal -p session:hs.ctx+wrong -c h.ctx
step tpm2_flushcontext hs.ctx
# PolicyCommandCode + PolicyAuthValue
step tpm2_startauthsession -S t3.ctx
step tpm2_policycommandcode -S t3.ctx TPM2_CC_Unseal
step tpm2_policyauthvalue -S t3.ctx -L cc.policy
step tpm2_flushcontext t3.ctx
step tpm2_create -C prim.ctx -u cc.pub -r cc.priv -L cc.policy -p ccpw -i s1
step tpm2_load -C prim.ctx -u cc.pub -r cc.priv -c cc.ctx
step tpm2_startauthsession --policy-session -S p4.ctx
step tpm2_policycommandcode -S p4.ctx TPM2_CC_Unseal
step tpm2_policyauthvalue -S p4.ctx
step tpm2_unseal -p session:p4.ctx+ccpw -c cc.ctx
step tpm2_flushcontext p4.ctx
step tpm2_startauthsession --policy-session -S p5.ctx
step tpm2_policycommandcode -S p5.ctx TPM2_CC_Unseal
step tpm2_policyauthvalue -S p5.ctx
step tpm2_unseal -p session:p5.ctx+wrongpw -c cc.ctx
step tpm2_flushcontext p5.ctx
# audit session
step tpm2_startauthsession -S a.ctx --hmac-session
step tpm2_sessionconfig a.ctx --enable-audit
step tpm2_getrandom -S a.ctx --hex 4
step tpm2_sessionconfig a.ctx
step tpm2_flushcontext a.ctx
# bound session (owner) encrypting createprimary's response
step tpm2_startauthsession -S b.ctx --hmac-session --bind-context o
step tpm2_sessionconfig b.ctx --enable-encrypt --enable-decrypt
step tpm2_createprimary -C o -P session:b.ctx -c bp.ctx -G ecc
step tpm2_flushcontext b.ctx
