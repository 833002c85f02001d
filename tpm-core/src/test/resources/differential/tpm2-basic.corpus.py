# Generates tpm2-basic.corpus (python3 tpm2-basic.corpus.py > tpm2-basic.corpus). Edit here, not in the corpus.
import struct, hashlib
def u8(v): return struct.pack('>B', v)
def u16(v): return struct.pack('>H', v)
def u32(v): return struct.pack('>I', v)
def b2(b): return u16(len(b)) + b
PW = u32(0x40000009) + u16(0) + u8(0) + u16(0)
def cmd(cc, handles=b'', params=b'', sessions=None, tag=None, size=None):
    body = b''.join(u32(h) for h in handles) if isinstance(handles, list) else handles
    if sessions is not None:
        area = b''.join(sessions)
        body += u32(len(area)) + area
    body += params
    t = tag if tag is not None else (0x8002 if sessions is not None else 0x8001)
    s = size if size is not None else 10 + len(body)
    return u16(t) + u32(s) + u32(cc) + body
def sel(*banks):
    out = u32(len(banks))
    for alg, pcrs, *n in banks:
        nb = n[0] if n else 3
        bits = bytearray(nb)
        for p in pcrs: bits[p // 8] |= 1 << (p % 8)
        out += u16(alg) + u8(nb) + bytes(bits)
    return out
SHA1, SHA256, SHA384, SHA512, NULL = 0x4, 0xb, 0xc, 0xd, 0x10
LEN = {SHA1: 20, SHA256: 32, SHA384: 48, SHA512: 64}
RH_NULL = 0x40000007
Startup, Shutdown, GetRandom, PCR_Read, PCR_Extend, PCR_Reset, PCR_Event = 0x144, 0x145, 0x17b, 0x17e, 0x182, 0x13d, 0x13c
Hash, HSS, SeqUpd, SeqComp, EvSeqComp, GetCap, ReadClock, Flush = 0x17d, 0x186, 0x15c, 0x13e, 0x185, 0x17a, 0x181, 0x165
def dv(*pairs):
    out = u32(len(pairs))
    for alg, fill in pairs: out += u16(alg) + bytes([fill]) * LEN[alg]
    return out
cases = []
def c(name, mode, b, comment=None):
    if comment: cases.append('# ' + comment)
    cases.append(f'{name} | {mode} | {b.hex()}')
c('getrandom-before-startup', 'exact', cmd(GetRandom, params=u16(16)), 'Before TPM2_Startup every command fails with TPM_RC_INITIALIZE.')
c('pcr-read-before-startup', 'exact', cmd(PCR_Read, params=sel((SHA256, [0]))))
c('startup-clear', 'exact', cmd(Startup, params=u16(0)), 'Life cycle.')
c('startup-again', 'exact', cmd(Startup, params=u16(0)))
c('startup-state-again', 'exact', cmd(Startup, params=u16(1)))
c('getrandom-16', 'skip-fields=12..28', cmd(GetRandom, params=u16(16)), 'GetRandom: the size fields must match, the random bytes are skipped.')
c('getrandom-100-capped', 'skip-fields=12..76', cmd(GetRandom, params=u16(100)), 'A request above sizeof(TPMU_HA) is capped at 64 bytes.')
c('getrandom-0', 'exact', cmd(GetRandom, params=u16(0)))
c('getcap-pcrs', 'exact', cmd(GetCap, params=u32(5) + u32(0) + u32(1)), 'GetCapability: PCR allocation, PCR attributes, fixed TPM properties.')
cases.append('# KNOWN DIFF getcap-pcr-properties: PCRs 20..22 form libtpms policy and authValue groups, so TPM_PT_PCR_POLICY and\n# TPM_PT_PCR_AUTH are 0x700000 on swtpm; jswtpm reports them empty because it implements neither\n# TPM2_PCR_SetAuthPolicy nor TPM2_PCR_SetAuthValue yet (capabilities say only what works).')
c('getcap-pcr-properties', 'rc-known-diff', cmd(GetCap, params=u32(7) + u32(0) + u32(64)))
for pt, nm in [(0x100, 'family-indicator'), (0x101, 'level'), (0x10d, 'input-buffer'), (0x112, 'pcr-count'), (0x113, 'pcr-select-min'), (0x11e, 'max-command-size'), (0x11f, 'max-response-size'), (0x120, 'max-digest')]:
    c(f'getcap-pt-{nm}', 'exact', cmd(GetCap, params=u32(6) + u32(pt) + u32(1)))
c('getcap-bad-capability', 'exact', cmd(GetCap, params=u32(0x1234) + u32(0) + u32(1)))
c('pcr-read-update-counter', 'exact', cmd(PCR_Read, params=sel((SHA256, [0]))))
c('pcr-read-sha256-0-1-2', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA256, [0, 1, 2]))), 'PCR_Read of fresh PCRs, several banks.')
c('pcr-read-sha1-16', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA1, [16]))))
c('pcr-read-sha384-23-sha512-0', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA384, [23]), (SHA512, [0]))))
c('pcr-read-sha256-all', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA256, list(range(24))))))
c('pcr-read-sha256-none', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA256, []))))
c('pcr-extend-16-sha256', 'exact', cmd(PCR_Extend, [16], dv((SHA256, 0x11)), [PW]), 'PCR_Extend with a password session, then PCR_Read.')
c('pcr-extend-23-sha1-sha256', 'exact', cmd(PCR_Extend, [23], dv((SHA1, 0x22), (SHA256, 0x23)), [PW]))
c('pcr-read-16-23-after-extend', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA1, [16, 23]), (SHA256, [16, 23]))))
c('pcr-event-16', 'exact', cmd(PCR_Event, [16], b2(b'jswtpm differential event'), [PW]), 'PCR_Event returns the digests of the event data in every allocated bank.')
c('pcr-read-16-after-event', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA256, [16]), (SHA384, [16]))))
c('pcr-reset-16', 'exact', cmd(PCR_Reset, [16], b'', [PW]), 'PCR_Reset: 16 is resettable at locality 0, 0 is not (TPM_RC_LOCALITY).')
c('pcr-reset-0', 'exact', cmd(PCR_Reset, [0], b'', [PW]))
c('pcr-read-16-after-reset', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA256, [16]))))
data = bytes(range(64)) * 2
for alg, nm in [(SHA1, 'sha1'), (SHA256, 'sha256'), (SHA384, 'sha384'), (SHA512, 'sha512')]:
    c(f'hash-{nm}-null', 'exact', cmd(Hash, params=b2(data) + u16(alg) + u32(RH_NULL)), 'Hash with TPM_RH_NULL: the digest and a NULL ticket.' if alg == SHA1 else None)
c('hash-empty-sha256', 'exact', cmd(Hash, params=b2(b'') + u16(SHA256) + u32(RH_NULL)))
c('hash-bad-alg', 'exact', cmd(Hash, params=b2(b'abc') + u16(0x99) + u32(RH_NULL)))
c('hash-owner-ticket', 'skip-fields=52..116', cmd(Hash, params=b2(b'abc') + u16(SHA256) + u32(0x40000001)), 'Hash in the owner hierarchy: the ticket HMAC (64 bytes: both use SHA-512 for it) is keyed by a per-TPM proof, skipped.')
c('hss-sha256', 'exact', cmd(HSS, params=b2(b'') + u16(SHA256)), 'Hash sequence: the first transient handle is 0x80000000 on both.')
c('seq-update', 'exact', cmd(SeqUpd, [0x80000000], b2(data), [PW]))
c('seq-complete', 'exact', cmd(SeqComp, [0x80000000], b2(b'tail') + u32(RH_NULL), [PW]))
c('seq-update-after-complete', 'exact', cmd(SeqUpd, [0x80000000], b2(b'x'), [PW]))
c('hss-event', 'exact', cmd(HSS, params=b2(b'') + u16(NULL)), 'Event sequence completed into PCR 16.')
c('event-seq-update', 'exact', cmd(SeqUpd, [0x80000000], b2(data), [PW]))
c('event-seq-complete-16', 'exact', cmd(EvSeqComp, [16, 0x80000000], b2(b'end'), [PW, PW]))
c('pcr-read-16-after-event-seq', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA1, [16]), (SHA256, [16]))))
c('flush-not-loaded-handle', 'exact', cmd(Flush, params=u32(0x80000001)), 'FlushContext of handles that are not loaded.')
c('flush-handle-beyond-slots', 'exact', cmd(Flush, params=u32(0x80000005)))
c('read-clock', 'skip-fields=10..26', cmd(ReadClock), 'ReadClock: time and clock differ by design; resetCount, restartCount and safe must agree.')

SelfTest, IncSelfTest, GetTestResult, StirRandom, ClockSet, ClockRateAdjust = 0x143, 0x142, 0x17c, 0x146, 0x128, 0x130
RH_OWNER, RH_PLATFORM = 0x40000001, 0x4000000c
c('selftest-full', 'exact', cmd(SelfTest, params=u8(1)), 'Testing, StirRandom, clock commands.')
c('selftest-partial', 'exact', cmd(SelfTest, params=u8(0)))
c('stir-random', 'exact', cmd(StirRandom, params=b2(b'differential entropy')))
c('stir-random-too-long', 'exact', cmd(StirRandom, params=b2(bytes(129))))
c('getrandom-after-stir', 'skip-fields=12..44', cmd(GetRandom, params=u16(32)))
c('clock-rate-adjust-owner', 'exact', cmd(ClockRateAdjust, [RH_OWNER], u8(0), [PW]))
c('clock-rate-adjust-bad-hierarchy', 'exact', cmd(ClockRateAdjust, [RH_NULL], u8(0), [PW]))
c('clock-set-backwards', 'exact', cmd(ClockSet, [RH_OWNER], u32(0) + u32(0), [PW]))
c('getcap-handles-transient', 'exact', cmd(GetCap, params=u32(1) + u32(0x80000000) + u32(8)), 'No transient objects are left after the sequences.')
c('getcap-tpm-properties-count-0', 'exact', cmd(GetCap, params=u32(6) + u32(0x112) + u32(0)))
c('hash-too-long', 'exact', cmd(Hash, params=b2(bytes(1025)) + u16(SHA256) + u32(RH_NULL)), 'Size limits and locality of PCR commands.')
c('hash-1024', 'exact', cmd(Hash, params=b2(bytes(range(256)) * 4) + u16(SHA512) + u32(RH_NULL)))
c('pcr-event-too-long', 'exact', cmd(PCR_Event, [16], b2(bytes(1025)), [PW]))
c('pcr-extend-17-locality-0', 'exact', cmd(PCR_Extend, [17], dv((SHA256, 1)), [PW]))
c('pcr-reset-20-locality-0', 'exact', cmd(PCR_Reset, [20], b'', [PW]))
c('pcr-extend-0-sha512', 'exact', cmd(PCR_Extend, [0], dv((SHA512, 0x33)), [PW]))
c('pcr-read-0-after-extend', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA1, [0]), (SHA512, [0]))))
c('pcr-extend-empty-digest-list', 'exact', cmd(PCR_Extend, [16], u32(0), [PW]))
c('pcr-extend-null-pcr', 'exact', cmd(PCR_Extend, [RH_NULL], dv((SHA256, 1)), [PW]))
c('hss-sha384-with-auth', 'exact', cmd(HSS, params=b2(b'seqpass') + u16(SHA384)), 'A sequence with an authValue: the wrong password fails, the right one works; completion in the owner hierarchy.')
c('seq-update-wrong-password', 'exact', cmd(SeqUpd, [0x80000000], b2(b'x'), [u32(0x40000009) + u16(0) + u8(0) + b2(b'wrong')]))
c('seq-update-right-password', 'exact', cmd(SeqUpd, [0x80000000], b2(b'abc'), [u32(0x40000009) + u16(0) + u8(0) + b2(b'seqpass')]))
c('seq-complete-owner-short-first-block', 'exact', cmd(SeqComp, [0x80000000], b2(b'') + u32(RH_OWNER), [u32(0x40000009) + u16(0) + u8(0) + b2(b'seqpass')]))
seq_owner = lambda first: [cmd(HSS, params=b2(b'') + u16(SHA256)), cmd(SeqUpd, [0x80000000], b2(first), [PW]), cmd(SeqComp, [0x80000000], b2(b'') + u32(RH_OWNER), [PW])]
a, b, d = seq_owner(b'abcdefgh')
c('hss-sha256-safe', 'exact', a, 'A first block of 4 bytes or more that is not TPM_GENERATED_VALUE: an owner ticket (HMAC skipped).')
c('seq-update-safe', 'exact', b)
c('seq-complete-owner-ticket', 'skip-fields=56..120', d)
a, b, d = seq_owner(bytes.fromhex('ff544347') + b'fake attestation')
c('hss-sha256-generated', 'exact', a, 'A first block starting with TPM_GENERATED_VALUE: no ticket.')
c('seq-update-generated', 'exact', b)
c('seq-complete-generated-null-ticket', 'exact', d)
c('hss-event-2', 'exact', cmd(HSS, params=b2(b'') + u16(NULL)))
c('event-seq-complete-null-pcr', 'exact', cmd(EvSeqComp, [RH_NULL, 0x80000000], b2(b'measure me'), [PW, PW]))
c('hss-bad-alg', 'exact', cmd(HSS, params=b2(b'') + u16(0x99)))
c('seq-complete-not-a-sequence', 'exact', cmd(SeqComp, [0x80000000], b2(b'') + u32(RH_NULL), [PW]))
# malformed
c('bad-tag', 'exact', cmd(Startup, params=u16(0), tag=0x8003), 'Malformed commands. An undefined TPM_ST is TPM_RC_VALUE (TPM_ST unmarshalling), a defined non-command tag TPM_RC_BAD_TAG.')
c('bad-tag-rsp-command', 'exact', cmd(GetRandom, params=u16(8), tag=0x00c4))
c('size-too-big', 'exact', cmd(GetRandom, params=u16(8), size=20))
c('size-too-small', 'exact', cmd(GetRandom, params=u16(8), size=10))
c('size-above-max', 'exact', cmd(GetRandom, params=u16(8), size=0x2000))
c('header-only', 'exact', cmd(GetRandom))
c('unknown-command-code', 'exact', cmd(0x1ff, params=u16(8)))
c('vendor-command-code', 'exact', cmd(0x20000000, params=u16(8)))
c('truncated-parameter', 'exact', cmd(GetRandom, params=u8(8)))
c('trailing-bytes', 'exact', cmd(GetRandom, params=u16(8) + b'\x00\x00'))
c('pcr-read-bad-hash-alg', 'exact', cmd(PCR_Read, params=sel((0x99, [0]))))
c('pcr-read-sizeofselect-4', 'exact', cmd(PCR_Read, params=sel((SHA256, [0], 4))))
c('pcr-read-sizeofselect-2', 'exact', cmd(PCR_Read, params=sel((SHA256, [0], 2))))
c('pcr-read-sizeofselect-0', 'exact', cmd(PCR_Read, params=sel((SHA256, [], 0))))
c('pcr-read-truncated-selection', 'exact', cmd(PCR_Read, params=u32(1) + u16(SHA256) + u8(3) + b'\x01'))
c('pcr-read-count-too-large', 'exact', cmd(PCR_Read, params=u32(17) + sel((SHA256, [0]))[4:]))
c('pcr-extend-no-sessions', 'exact', cmd(PCR_Extend, [16], params=dv((SHA256, 1))), 'Authorization area errors.')
c('getrandom-with-sessions-tag', 'exact', cmd(GetRandom, params=u16(8), sessions=[PW]))
c('pcr-extend-bad-pcr-handle', 'exact', cmd(PCR_Extend, [24], dv((SHA256, 1)), [PW]))
c('pcr-extend-wrong-password', 'exact', cmd(PCR_Extend, [16], dv((SHA256, 1)), [u32(0x40000009) + u16(0) + u8(0) + b2(b'nope')]))
c('pcr-extend-authsize-too-big', 'exact', cmd(PCR_Extend, [16], b'', [PW + b'\x00' * 200]))
c('pcr-extend-digest-bad-alg', 'exact', cmd(PCR_Extend, [16], u32(1) + u16(0x99) + b'\x00' * 32, [PW]))
c('shutdown-clear', 'exact', cmd(Shutdown, params=u16(0)), 'Shutdown; commands still run until power is removed.')
c('pcr-read-after-shutdown', 'skip-fields=10..14', cmd(PCR_Read, params=sel((SHA256, [16, 23]))))
print('\n'.join(cases))
