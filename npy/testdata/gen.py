"""Writes the NPY files the tests of package npy read (run: python3 gen.py).

Made with Debian's python3-numpy 1.24.2 (np.save / np.lib.format.write_array), so the
files are numpy's own output: the oracle for the reader. Every numeric file holds
v[k] = (k - 5) * 0.5 for k = 0, 1, … in C order, cast to the dtype (integers: k - 5,
unsigned: k, bool: k % 2), reshaped to the shape in the file name.
"""
import numpy as np

def vals(shape, dt):
    n = int(np.prod(shape))
    k = np.arange(n)
    kind = np.dtype(dt).kind
    if kind == 'f':
        v = (k - 5) * 0.5
    elif kind == 'i':
        v = k - 5
    elif kind == 'u':
        v = k
    else:
        v = k % 2
    return v.astype(dt).reshape(shape)

def save(name, a, version=None):
    with open(name, 'wb') as f:
        np.lib.format.write_array(f, a, version=version, allow_pickle=True)

for dt in ['<f8', '<f4', '<f2', '>f8', '>f4', '|i1', '<i2', '<i4', '<i8', '>i8', '|u1', '<u2', '<u4', '<u8', '|b1']:
    tag = dt.replace('<', 'le_').replace('>', 'be_').replace('|', '')
    save(f'{tag}_3x4.npy', vals((3, 4), dt))
save('f8_c_2x3x4.npy', vals((2, 3, 4), '<f8'))
save('f8_fortran_2x3x4.npy', np.asfortranarray(vals((2, 3, 4), '<f8')))
save('f4_fortran_5x3.npy', np.asfortranarray(vals((5, 3), '<f4')))
save('f8_1d_7.npy', vals((7,), '<f8'))
save('f8_0d.npy', np.array(2.5))
save('f8_empty_0x3.npy', np.zeros((0, 3)))
save('f8_v2_3x4.npy', vals((3, 4), '<f8'), version=(2, 0))
save('f8_v3_3x4.npy', vals((3, 4), '<f8'), version=(3, 0))
# half precision specials: max, min normal, min subnormal, -0, inf, -inf, nan, 1/3
save('f2_special.npy', np.array([65504, 2**-14, 2**-24, -0.0, np.inf, -np.inf, np.nan, 1 / 3], dtype='<f2'))
# refused: complex, unicode, structured, object (pickle)
save('bad_complex.npy', np.zeros(3, dtype=complex))
save('bad_unicode.npy', np.array(['a', 'bc']))
save('bad_structured.npy', np.zeros(2, dtype=[('x', '<f8'), ('y', '<i4')]))
save('bad_object.npy', np.array([1, 'a', None], dtype=object))
