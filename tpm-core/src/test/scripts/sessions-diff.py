"""Differential check of sessions: the same commands to Debian's swtpm and to jswtpm, compared.

Start swtpm on loopback first:
  swtpm socket --tpm2 --server type=tcp,port=25321,bindaddr=127.0.0.1 \
    --ctrl type=tcp,port=25322,bindaddr=127.0.0.1 --tpmstate dir=/tmp/s --flags not-need-init,startup-clear
then, after `mvn -o -q -pl tpm-core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt`:
  python3 tpm-core/src/test/scripts/sessions-diff.py /tmp/cp.txt
Every line should start with SAME. Needs python3-cryptography.
"""
import socket, struct, hmac, hashlib, subprocess, sys, os
import warnings
warnings.filterwarnings("ignore")
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

class SwTpm:
    def __init__(s):
        s.sock = socket.create_connection(("127.0.0.1", 25321))
    def run(s, cmd):
        s.sock.sendall(cmd)
        hdr = b''
        while len(hdr) < 10: hdr += s.sock.recv(10 - len(hdr))
        size = struct.unpack(">I", hdr[2:6])[0]
        body = b''
        while len(body) < size - 10: body += s.sock.recv(size - 10 - len(body))
        return hdr + body

class JsTpm:
    def __init__(s):
        top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
        cp = os.path.join(top, "target", "classes") + ":" + os.path.join(top, "target", "test-classes") + ":" \
            + open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cp.txt").read().strip()
        s.p = subprocess.Popen(["java", "-cp", cp, "org.jswtpm.core.testing.StdioTpm"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    def run(s, cmd):
        s.p.stdin.write(cmd.hex() + "\n"); s.p.stdin.flush()
        return bytes.fromhex(s.p.stdout.readline().strip())

def u16(v): return struct.pack(">H", v)
def u32(v): return struct.pack(">I", v)
def b2(x): return u16(len(x)) + x
def rc(r): return struct.unpack(">I", r[6:10])[0]

def kdfa(key, label, u, v, bits):
    out = b''; i = 1
    while len(out) * 8 < bits:
        out += hmac.new(key, u32(i) + label + b'\0' + u + v + u32(bits), hashlib.sha256).digest(); i += 1
    return out[:(bits + 7)//8]

def cmd(cc, handles=b'', auths=None, params=b''):
    body = handles
    tag = 0x8001
    if auths is not None:
        tag = 0x8002
        body += u32(len(auths)) + auths
    body += params
    return u16(tag) + u32(10 + len(body)) + u32(cc) + body

def sess(handle, nonce, attrs, h): return u32(handle) + b2(nonce) + bytes([attrs]) + b2(h)

OWNER=0x40000001; NULL=0x40000007; PW=0x40000009
class Sess:
    def __init__(s, tpm, bind=NULL, bindauth=b'', sym=b'\x00\x10', stype=0):
        s.nc = b'\x5a'*32
        r = tpm.run(cmd(0x176, u32(NULL)+u32(bind), None, b2(s.nc)+b2(b'')+bytes([stype])+sym+u16(0x0B)))
        assert rc(r) == 0, hex(rc(r))
        s.h = struct.unpack(">I", r[10:14])[0]
        n = struct.unpack(">H", r[14:16])[0]; s.nt = r[16:16+n]
        s.key = kdfa(bindauth, b'ATH', s.nt, s.nc, 256) if bind != NULL else b''
        s.sym = sym; s.i = 0
    def next(s):
        s.i += 1; s.nc = bytes([s.i]) + s.nc[1:]; return s.nc
    def xcrypt(s, data, newer, older, enc, auth=b''):
        k = s.key + auth
        if s.sym[:2] == b'\x00\x0a':
            m = kdfa(k, b'XOR', newer, older, len(data)*8); return bytes(a ^ b for a, b in zip(data, m))
        bits = struct.unpack(">H", s.sym[2:4])[0]
        m = kdfa(k, b'CFB', newer, older, bits + 128)
        c = Cipher(algorithms.AES(m[:bits//8]), modes.CFB(m[bits//8:bits//8+16]))
        o = c.encryptor() if enc else c.decryptor()
        return o.update(data) + o.finalize()

def scenario(tpm, name):
    out = []
    for h in list(range(0x02000000, 0x02000040)) + list(range(0x03000000, 0x03000040)):
        tpm.run(cmd(0x165, b'', None, u32(h)))  # leftovers of an earlier run
    # 1. HMAC session authorizes PCR_Extend, check response HMAC
    s = Sess(tpm)
    dig = hashlib.sha256(b'x').digest()
    params = u32(1) + u16(0x0B) + dig
    s.next()
    cp = hashlib.sha256(u32(0x182) + u32(10) + params).digest()
    h = hmac.new(b'', cp + s.nc + s.nt + b'\x01', hashlib.sha256).digest()
    r = tpm.run(cmd(0x182, u32(10), sess(s.h, s.nc, 1, h), params))
    out.append(("hmac extend", hex(rc(r))))
    if rc(r) == 0:
        ps = struct.unpack(">I", r[10:14])[0]; p = r[14:14+ps]; a = r[14+ps:]
        n = struct.unpack(">H", a[:2])[0]; nt = a[2:2+n]; attrs = a[2+n]; rh = a[5+n:]
        rp = hashlib.sha256(u32(0) + u32(0x182) + p).digest()
        exp = hmac.new(b'', rp + nt + s.nc + bytes([attrs]), hashlib.sha256).digest()
        out.append(("resp hmac ok", exp == rh, attrs)); s.nt = nt
    # replay
    r = tpm.run(cmd(0x182, u32(10), sess(s.h, s.nc, 1, h), params)); out.append(("replay", hex(rc(r))))
    # 2. Hash with decrypt+encrypt, XOR and AES
    for sym in (u16(0x0A) + u16(0x0B), u16(0x06) + u16(128) + u16(0x43), u16(0x06) + u16(256) + u16(0x43)):
        e = Sess(tpm, OWNER, b'', sym)
        data = b'secret data to hash'
        e.next()
        enc = e.xcrypt(data, e.nc, e.nt, True)
        params = b2(enc) + u16(0x0B) + u32(NULL)
        cp = hashlib.sha256(u32(0x17D) + params).digest()
        h = hmac.new(e.key, cp + e.nc + e.nt + b'\x61', hashlib.sha256).digest()
        r = tpm.run(cmd(0x17D, b'', sess(e.h, e.nc, 0x61, h), params))
        ok = None
        if rc(r) == 0:
            ps = struct.unpack(">I", r[10:14])[0]; p = r[14:14+ps]; a = r[14+ps:]
            n = struct.unpack(">H", a[:2])[0]; nt = a[2:2+n]
            dl = struct.unpack(">H", p[:2])[0]
            ok = e.xcrypt(p[2:2+dl], nt, e.nc, False) == hashlib.sha256(data).digest()
        out.append(("hash enc", sym.hex(), hex(rc(r)), ok))
        tpm.run(cmd(0x165, b'', None, u32(e.h)))
    # 3. trial policy digests
    t = Sess(tpm, stype=3)
    tpm.run(cmd(0x16C, u32(t.h), None, u32(0x128)))
    tpm.run(cmd(0x16B, u32(t.h), None, b''))
    r = tpm.run(cmd(0x17F, u32(t.h), None, b2(b'') + u32(1) + u16(0x0B) + b'\x03\x00\x30\x00'))
    out.append(("policypcr", hex(rc(r))))
    r = tpm.run(cmd(0x189, u32(t.h), None, b''))
    out.append(("policy digest", r[10:].hex()))
    tpm.run(cmd(0x18C, u32(t.h), None, b''))
    r = tpm.run(cmd(0x189, u32(t.h), None, b''))
    out.append(("policy digest pw", r[10:].hex()))
    # trial session used for auth
    r = tpm.run(cmd(0x182, u32(10), sess(t.h, b'\x01'*32, 1, b''), u32(0))); out.append(("trial auth", hex(rc(r))))
    # policy session on owner without policy; on PCR
    p = Sess(tpm, stype=1)
    r = tpm.run(cmd(0x128, u32(OWNER), sess(p.h, b'\x01'*32, 1, b''), struct.pack(">Q", 1<<40))); out.append(("policy no authPolicy", hex(rc(r))))
    r = tpm.run(cmd(0x182, u32(10), sess(p.h, b'\x01'*32, 1, b''), u32(0))); out.append(("policy on pcr", hex(rc(r))))
    # malformed areas
    r = tpm.run(cmd(0x182, u32(10), sess(0x02000040, b'', 1, b''), u32(0))); out.append(("bad handle", hex(rc(r))))
    r = tpm.run(cmd(0x182, u32(10), sess(PW, b'', 0x09, b''), u32(0))); out.append(("reserved bits", hex(rc(r))))
    r = tpm.run(cmd(0x182, u32(10), sess(0x02000033, b'\x01'*16, 1, b''), u32(0))); out.append(("unloaded", hex(rc(r))))
    r = tpm.run(cmd(0x182, u32(10), sess(s.h, b'\x01'*16, 1, b'') + sess(s.h, b'\x01'*16, 1, b''), u32(0))); out.append(("dup", hex(rc(r))))
    r = tpm.run(cmd(0x182, u32(10), sess(PW, b'', 1, b'') * 4, u32(0))); out.append(("4 sessions", hex(rc(r))))
    r = tpm.run(cmd(0x17B, b'', sess(s.h, b'\x01'*16, 0x21, b''), u16(8))); out.append(("decrypt on getrandom", hex(rc(r))))
    r = tpm.run(cmd(0x17B, b'', sess(s.h, b'\x01'*16, 0x41, b''), u16(8))); out.append(("encrypt null sym", hex(rc(r))))
    r = tpm.run(cmd(0x182, u32(10), sess(PW, b'', 1, b'') + sess(s.h, b'\x01'*16, 1, b''), u32(0))); out.append(("extra no attrs", hex(rc(r))))
    r = tpm.run(cmd(0x182, u32(10), sess(PW, b'', 1, b'') + sess(PW, b'', 1, b''), u32(0))); out.append(("extra pw", hex(rc(r))))
    r = tpm.run(cmd(0x182, u32(10), sess(s.h, b'\x01'*8, 1, b''), u32(0))); out.append(("short nonce", hex(rc(r))))
    # StartAuthSession errors
    def sas(h1, h2, nc, salt, t, sym, hh):
        return hex(rc(tpm.run(cmd(0x176, u32(h1)+u32(h2), None, b2(nc)+b2(salt)+bytes([t])+sym+u16(hh)))))
    out.append(("sas short nonce", sas(NULL, NULL, b'\x01'*15, b'', 0, u16(0x10), 0x0B)))
    out.append(("sas long nonce", sas(NULL, NULL, b'\x01'*33, b'', 0, u16(0x10), 0x0B)))
    out.append(("sas salt w/o key", sas(NULL, NULL, b'\x01'*16, b'\x01', 0, u16(0x10), 0x0B)))
    out.append(("sas type 2", sas(NULL, NULL, b'\x01'*16, b'', 2, u16(0x10), 0x0B)))
    out.append(("sas ecb", sas(NULL, NULL, b'\x01'*16, b'', 0, u16(6)+u16(128)+u16(0x44), 0x0B)))
    out.append(("sas bad mode", sas(NULL, NULL, b'\x01'*16, b'', 0, u16(6)+u16(128)+u16(0x99), 0x0B)))
    out.append(("sas aes 100", sas(NULL, NULL, b'\x01'*16, b'', 0, u16(6)+u16(100)+u16(0x43), 0x0B)))
    out.append(("sas sym bad", sas(NULL, NULL, b'\x01'*16, b'', 0, u16(0x99), 0x0B)))
    out.append(("sas hash null", sas(NULL, NULL, b'\x01'*16, b'', 0, u16(0x10), 0x10)))
    out.append(("sas bind pw", sas(NULL, PW, b'\x01'*16, b'', 0, u16(0x10), 0x0B)))
    out.append(("sas key is pcr", sas(3, NULL, b'\x01'*16, b'', 0, u16(0x10), 0x0B)))
    out.append(("sas bind pcr 30", sas(NULL, 30, b'\x01'*16, b'', 0, u16(0x10), 0x0B)))
    # policy commands on hmac session / unloaded
    out.append(("policyrestart hmac", hex(rc(tpm.run(cmd(0x180, u32(s.h), None, b''))))))
    out.append(("policyrestart unloaded", hex(rc(tpm.run(cmd(0x180, u32(0x03000030), None, b''))))))
    out.append(("policycc unknown", hex(rc(tpm.run(cmd(0x16C, u32(p.h), None, u32(0x15A)))))))
    tpm.run(cmd(0x16C, u32(p.h), None, u32(0x128)))
    out.append(("policycc other", hex(rc(tpm.run(cmd(0x16C, u32(p.h), None, u32(0x130)))))))
    out.append(("policypcr wrong digest", hex(rc(tpm.run(cmd(0x17F, u32(p.h), None, b2(b'\x01'*32) + u32(1) + u16(0x0B) + b'\x03\x00\x30\x00'))))))
    out.append(("flush unknown session", hex(rc(tpm.run(cmd(0x165, b'', None, u32(0x02000030)))))))
    # audit: response attributes and the HMAC over them
    tpm.run(cmd(0x165, b'', None, u32(t.h)))
    au = Sess(tpm)
    for attrs in (0x81, 0x83, None, 0x83, 0x81, 0x85):
        if attrs is None:
            tpm.run(cmd(0x17B, b'', None, u16(1))); continue
        au.next()
        params = u16(4)
        cp = hashlib.sha256(u32(0x17B) + params).digest()
        h = hmac.new(b'', cp + au.nc + au.nt + bytes([attrs]), hashlib.sha256).digest()
        r = tpm.run(cmd(0x17B, b'', sess(au.h, au.nc, attrs, h), params))
        if rc(r) != 0:
            out.append(("audit", attrs, hex(rc(r)))); continue
        ps = struct.unpack(">I", r[10:14])[0]; p = r[14:14+ps]; a = r[14+ps:]
        n = struct.unpack(">H", a[:2])[0]; nt = a[2:2+n]; ra = a[2+n]; rh = a[5+n:]
        rp = hashlib.sha256(u32(0) + u32(0x17B) + p).digest()
        ok = hmac.new(b'', rp + nt + au.nc + bytes([ra]), hashlib.sha256).digest() == rh
        au.nt = nt
        out.append(("audit", attrs, hex(ra), ok))
    # capability handles: loaded (0x02) and saved (0x03) sessions
    for first in (0x02000000, 0x02000001, 0x03000000):
        r = tpm.run(cmd(0x17A, b'', None, u32(1) + u32(first) + u32(64)))
        out.append(("cap handles", hex(first), r[10:].hex()))
    # slots
    hs = []
    codes = []
    for i in range(5):
        r = tpm.run(cmd(0x176, u32(NULL)+u32(NULL), None, b2(b'\x01'*16)+b2(b'')+b'\x00'+u16(0x10)+u16(0x0B)))
        codes.append(hex(rc(r)))
    out.append(("slots", codes))
    return out

a = scenario(SwTpm(), "swtpm")
b = scenario(JsTpm(), "jswtpm")
for x, y in zip(a, b):
    print(("SAME " if x == y else "DIFF ") + str(x) + ("" if x == y else "   jswtpm: " + str(y)))
