// Package npy reads and writes NumPy's .npy files (numpy.lib.format, versions 1.0,
// 2.0 and 3.0) with the standard library only.
//
// A file is the magic "\x93NUMPY", two version bytes, the header length (a
// little-endian uint16 for version 1.0, uint32 for 2.0 and 3.0), then the header: a
// Python dict literal such as
//
//	{'descr': '<f8', 'fortran_order': False, 'shape': (16, 12), }
//
// padded with spaces and ending in '\n' (ASCII for 1.0 and 2.0, UTF-8 for 3.0), then
// the values in C (row-major) order, or column-major when fortran_order is True.
//
// [Read] accepts the dtypes f8, f4, f2 (IEEE half precision), the signed and unsigned
// integers of 1, 2, 4 and 8 bytes and booleans, in either byte order, and converts every
// value to float64 in C order; the [Array] keeps the shape (any number of dimensions)
// and the dtype it was read from. Object arrays (pickles), strings, complex numbers,
// structured and datetime dtypes are refused with an error. [Limits] bound the header
// and the number of elements, and a truncated file fails with an error saying how many
// values were read, before allocating what its header promises.
//
// [Write] writes float64 ('<f8') and [WriteFloat32] float32 ('<f4') arrays in C
// order, as version 1.0 (2.0 when the header does not fit), padded so that the data
// start at a multiple of 64 bytes as numpy does; np.load reads them.
package npy
