# Shared by the *.corpus.py generators in this folder: big-endian marshalling of TPM 2.0 fields.
import struct
def u8(v): return struct.pack('>B', v)
def u16(v): return struct.pack('>H', v)
def u32(v): return struct.pack('>I', v & 0xFFFFFFFF)
def u64(v): return struct.pack('>Q', v)
def b2(b): return u16(len(b)) + b
