//go:build amd64 && !goexperiment.simd && !purego

#include "textflag.h"

// countVecs counts vecs vectors (eight words each) of a ^ b ^ d ^ e into c: blocks of
// sixteen through the Harley–Seal tree, the rest by ripple-carry addition.

// W loads the vector at off of the four sources into x (t scratch): a ^ b ^ d ^ e.
#define W(off, x, t) \
	VMOVDQU64  off(SI), x \
	VMOVDQU64  off(R8), t \
	VPTERNLOGQ $0x96, off(R9), t, x \
	VPXORQ     off(R10), x, x

// CSA is the carry-save adder of vcsa: h = majority(a, b, c), a = a ^ b ^ c.
#define CSA(a, b, c, h) \
	VMOVDQA64  a, h \
	VPTERNLOGQ $0xE8, c, b, h \
	VPTERNLOGQ $0x96, c, b, a

// Z0 … Z3 the planes ones, twos, fours, eights (laneCount at 0, 64, 128, 192); the
// ripple counter hi at 256.

// RIPPLE adds Z12 (weight 16) into the ripple counter hi (Z13, Z14 scratch).
#define RIPPLE(loop, done) \
	LEAQ 256(DI), DX \
	MOVQ $40, BX \
loop: \
	VPTESTMQ Z12, Z12, K1 \
	KORTESTW K1, K1 \
	JZ   done \
	VMOVDQU64 (DX), Z13 \
	VPXORQ Z12, Z13, Z14 \
	VMOVDQU64 Z14, (DX) \
	VPANDQ Z12, Z13, Z12 \
	ADDQ $64, DX \
	DECQ BX \
	JNZ  loop \
done:

// func countVecs(c *laneCount, a, b, d, e *uint64, sb, sd, se, vecs int)
TEXT ·countVecs(SB), NOSPLIT, $0-72
	MOVQ c+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R8
	MOVQ d+24(FP), R9
	MOVQ e+32(FP), R10
	MOVQ sb+40(FP), R11
	MOVQ sd+48(FP), R12
	MOVQ se+56(FP), R13
	MOVQ vecs+64(FP), AX
	MOVQ AX, CX
	SHRQ $4, CX                         // blocks of sixteen vectors
	ANDQ $15, AX                        // vectors after them
	VMOVDQU64 0(DI), Z0
	VMOVDQU64 64(DI), Z1
	VMOVDQU64 128(DI), Z2
	VMOVDQU64 192(DI), Z3
	TESTQ CX, CX
	JZ   tail

block:
	W(0, Z4, Z14)
	W(64, Z5, Z14)
	CSA(Z0, Z4, Z5, Z6)                 // twosA, ones
	W(128, Z4, Z14)
	W(192, Z5, Z14)
	CSA(Z0, Z4, Z5, Z7)                 // twosB, ones
	CSA(Z1, Z6, Z7, Z8)                 // foursA, twos
	W(256, Z4, Z14)
	W(320, Z5, Z14)
	CSA(Z0, Z4, Z5, Z6)
	W(384, Z4, Z14)
	W(448, Z5, Z14)
	CSA(Z0, Z4, Z5, Z7)
	CSA(Z1, Z6, Z7, Z9)                 // foursB, twos
	CSA(Z2, Z8, Z9, Z10)                // eightsA, fours
	W(512, Z4, Z14)
	W(576, Z5, Z14)
	CSA(Z0, Z4, Z5, Z6)
	W(640, Z4, Z14)
	W(704, Z5, Z14)
	CSA(Z0, Z4, Z5, Z7)
	CSA(Z1, Z6, Z7, Z8)
	W(768, Z4, Z14)
	W(832, Z5, Z14)
	CSA(Z0, Z4, Z5, Z6)
	W(896, Z4, Z14)
	W(960, Z5, Z14)
	CSA(Z0, Z4, Z5, Z7)
	CSA(Z1, Z6, Z7, Z9)
	CSA(Z2, Z8, Z9, Z11)                // eightsB, fours
	CSA(Z3, Z10, Z11, Z12)              // sixteens, eights

	// the ripple counter of weight 16, all phases at once
	RIPPLE(ripple, next)
	ADDQ $1024, SI
	ADDQ R11, R8
	ADDQ R12, R9
	ADDQ R13, R10
	DECQ CX
	JNZ  block

tail:
	// the remaining vectors one at a time, by ripple-carry addition (strides per vector)
	TESTQ AX, AX
	JZ   done
	SHRQ $4, R11
	SHRQ $4, R12
	SHRQ $4, R13

vec:
	W(0, Z4, Z14)
	VPANDQ Z4, Z0, Z5
	VPXORQ Z4, Z0, Z0
	VPANDQ Z5, Z1, Z6
	VPXORQ Z5, Z1, Z1
	VPANDQ Z6, Z2, Z5
	VPXORQ Z6, Z2, Z2
	VPANDQ Z5, Z3, Z12
	VPXORQ Z5, Z3, Z3
	RIPPLE(ripple1, next1)
	ADDQ $64, SI
	ADDQ R11, R8
	ADDQ R12, R9
	ADDQ R13, R10
	DECQ AX
	JNZ  vec

done:
	VMOVDQU64 Z0, 0(DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)
	VZEROUPPER
	RET
