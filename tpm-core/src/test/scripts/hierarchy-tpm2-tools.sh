#!/bin/bash
# tpm2-tools hierarchy and dictionary-attack scenario against one fresh TPM on the swtpm TCTI at
# 127.0.0.1:$1: owner auth change (owner is DA-exempt), DA parameters, lockoutAuth failure and its
# recovery after lockoutRecovery seconds, DA lockout on an NV index and on a key after maxTries wrong
# passwords (not on a noDA key) and DictionaryAttackLockReset, ClearControl and Clear (owner auth, NV
# indices and Hash tickets reset), HierarchyControl, ChangePPS, ChangeEPS, SetPrimaryPolicy. Run it
# against Debian's swtpm and against jswtpm (bin/swtpm socket ...) and diff the two outputs: they agree
# line for line.
export TPM2TOOLS_TCTI=swtpm:host=127.0.0.1,port=$1
d=$(mktemp -d); cd $d
# Each step's output without ESYS chatter and key values (the seeds differ); transient objects
# a failed tool left loaded are flushed after every step.
step() {
    echo "--- $*"; "$@" 2>&1 | grep -v '^WARNING:esys\|^ERROR:esys\|^x: \|^y: \|^symcipher: ' | tail -3; echo "rc=${PIPESTATUS[0]}"
    tpm2_flushcontext -t >/dev/null 2>&1
}
props() { tpm2_getcap properties-variable | grep -E "$1"; }
echo -n data > data
step tpm2_changeauth -c o ownerpw
step tpm2_setclock -c o 100000000
step tpm2_setclock -c o -p ownerpw 100000000
props 'ownerAuthSet|LOCKOUT_COUNTER'
step tpm2_changeauth -c l lockpw
step tpm2_dictionarylockout -s -n 3 -t 1000 -l 3 -p lockpw
props 'MAX_AUTH_FAIL|LOCKOUT_INTERVAL|LOCKOUT_RECOVERY'
step tpm2_dictionarylockout -c -p wrong
step tpm2_dictionarylockout -c -p lockpw
sleep 4
step tpm2_dictionarylockout -c -p lockpw
# an NV index authorized by its authValue is DA-protected
step tpm2_nvdefine 0x1500016 -C o -P ownerpw -s 8 -a "authread|authwrite" -p nvpw
step tpm2_nvwrite 0x1500016 -C 0x1500016 -P nvpw -i data
for i in 1 2 3; do step tpm2_nvread 0x1500016 -C 0x1500016 -P bad -s 4; done
step tpm2_nvread 0x1500016 -C 0x1500016 -P nvpw -s 4
props 'inLockout|LOCKOUT_COUNTER'
step tpm2_dictionarylockout -c -p lockpw
step tpm2_nvread 0x1500016 -C 0x1500016 -P nvpw -s 4
props 'inLockout|LOCKOUT_COUNTER'
# a key with an authValue is DA-protected too; a noda key is not
step tpm2_createprimary -C o -P ownerpw -G ecc -p keypw -c key.ctx
step tpm2_createprimary -C o -P ownerpw -G ecc -p keypw -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|decrypt|noda" -c noda.ctx
for i in 1 2 3; do step tpm2_create -C key.ctx -P bad -G aes -u k.pub -r k.priv; done
step tpm2_create -C key.ctx -P keypw -G aes -u k.pub -r k.priv
step tpm2_create -C noda.ctx -P bad -G aes -u k.pub -r k.priv
step tpm2_create -C noda.ctx -P keypw -G aes -u k.pub -r k.priv
step tpm2_dictionarylockout -c -p lockpw
step tpm2_create -C key.ctx -P keypw -G aes -u k.pub -r k.priv
# Clear and ClearControl
step tpm2_hash -C o -g sha256 -t t1 -o h1 data
step tpm2_clearcontrol -C l -P lockpw s
props disableClear
step tpm2_clear -c l lockpw
step tpm2_clearcontrol -C p c
step tpm2_clear -c l lockpw
props 'AuthSet|disableClear|LOCKOUT|MAX_AUTH_FAIL'
step tpm2_hash -C o -g sha256 -t t2 -o h2 data
cmp -s t1 t2 && echo "same owner ticket" || echo "new owner ticket"
step tpm2_nvread 0x1500016 -C 0x1500016 -P nvpw -s 4
step tpm2_setclock -c o 100000000
# HierarchyControl
step tpm2_hierarchycontrol -C o shEnable clear
props 'shEnable'
step tpm2_setclock -c o 200000000
step tpm2_hierarchycontrol -C p shEnable set
step tpm2_hierarchycontrol -C p phEnableNV clear
props 'Enable'
step tpm2_hierarchycontrol -C p phEnableNV set
# ChangePPS, ChangeEPS, SetPrimaryPolicy
step tpm2_hash -C p -g sha256 -t p1 -o h3 data
step tpm2_changepps
step tpm2_hash -C p -g sha256 -t p2 -o h4 data
cmp -s p1 p2 && echo "same platform ticket" || echo "new platform ticket"
step tpm2_changeauth -c e endorsepw
step tpm2_changeeps
props endorsementAuthSet
head -c 32 /dev/zero > pol32; head -c 20 /dev/zero > pol20
step tpm2_setprimarypolicy -C o -L pol32 -g sha256
step tpm2_setprimarypolicy -C o -L pol20 -g sha256
step tpm2_setprimarypolicy -C l -L pol32 -g sha256
rm -rf $d
