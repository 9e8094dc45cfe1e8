"""Writes testdata/model.safetensors for the safetensors tests (run: python3 gen_safetensors.py).

An independent writer of the format (github.com/huggingface/safetensors, docs: an
8-byte little-endian header length, a JSON header mapping names to dtype, shape and
data_offsets into the buffer, "__metadata__" strings, header padded with spaces to a
multiple of 8), using numpy (Debian python3-numpy 1.24.2) for the encodings. Tensor
"t_<DTYPE>" holds v[k] = (k - 5) / 4 for k = 0 .. 11 in shape (3, 4) (integers: k - 5,
unsigned: k, bool: k % 2); "conv" is a (4, 3, 2, 2) F32 kernel with v[k] = k / 8.
"""
import json, struct
import numpy as np

k = np.arange(12)
f = ((k - 5) / 4).reshape(3, 4)
tensors = [
    ("t_F64", "F64", f.astype("<f8").tobytes()),
    ("t_F32", "F32", f.astype("<f4").tobytes()),
    ("t_F16", "F16", f.astype("<f2").tobytes()),
    # bfloat16: the top 16 bits of float32 (exact for these values)
    ("t_BF16", "BF16", (f.astype("<f4").view("<u4") >> 16).astype("<u2").tobytes()),
    ("t_I32", "I32", (k - 5).reshape(3, 4).astype("<i4").tobytes()),
    ("t_U8", "U8", k.reshape(3, 4).astype("u1").tobytes()),
    ("t_BOOL", "BOOL", (k % 2).reshape(3, 4).astype("?").tobytes()),
]
shapes = {name: [3, 4] for name, _, _ in tensors}
conv = (np.arange(48) / 8).reshape(4, 3, 2, 2).astype("<f4")
tensors.append(("conv", "F32", conv.tobytes()))
shapes["conv"] = [4, 3, 2, 2]
header, off = {"__metadata__": {"format": "pt", "source": "gen_safetensors.py"}}, 0
for name, dt, b in tensors:
    header[name] = {"dtype": dt, "shape": shapes[name], "data_offsets": [off, off + len(b)]}
    off += len(b)
h = json.dumps(header).encode()
h += b" " * (-len(h) % 8)
with open("model.safetensors", "wb") as out:
    out.write(struct.pack("<Q", len(h)) + h + b"".join(b for _, _, b in tensors))
