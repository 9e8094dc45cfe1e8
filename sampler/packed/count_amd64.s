//go:build amd64 && !purego

#include "textflag.h"

// countVecs counts vecs vectors (eight words each) of a ^ b ^ d ^ e into c: blocks of
// sixteen through the Harley–Seal tree, the rest by ripple-carry addition. With bcast
// set, d holds one word per vector (a site of a wide chain), broadcast to its eight.

// W loads vector v of the four sources into x (t scratch): a ^ b ^ d ^ e, with d's
// vector at byte offset v<<sh read by op (VPTERNLOGQ with sh = 6, or VPTERNLOGQ.BCST
// with sh = 3: one word per vector).
#define W(op, sh, v, x, t) \
	VMOVDQU64  (64*(v))(SI), x \
	VMOVDQU64  (64*(v))(R8), t \
	op $0x96, ((v)<<(sh))(R9), t, x \
	VPXORQ     (64*(v))(R10), x, x

// CSA is the carry-save adder of vcsa: h = majority(a, b, c), a = a ^ b ^ c.
#define CSA(a, b, c, h) \
	VMOVDQA64  a, h \
	VPTERNLOGQ $0xE8, c, b, h \
	VPTERNLOGQ $0x96, c, b, a

// Z0 … Z3 the planes ones, twos, fours, eights (laneCount at 0, 64, 128, 192); the
// ripple counter hi at 256.

// TREE adds sixteen vectors through fifteen carry-save adders into the planes, leaving
// the carries of weight 16 in Z12.
#define TREE(op, sh) \
	W(op, sh, 0, Z4, Z14) \
	W(op, sh, 1, Z5, Z14) \
	CSA(Z0, Z4, Z5, Z6) \
	W(op, sh, 2, Z4, Z14) \
	W(op, sh, 3, Z5, Z14) \
	CSA(Z0, Z4, Z5, Z7) \
	CSA(Z1, Z6, Z7, Z8) \
	W(op, sh, 4, Z4, Z14) \
	W(op, sh, 5, Z5, Z14) \
	CSA(Z0, Z4, Z5, Z6) \
	W(op, sh, 6, Z4, Z14) \
	W(op, sh, 7, Z5, Z14) \
	CSA(Z0, Z4, Z5, Z7) \
	CSA(Z1, Z6, Z7, Z9) \
	CSA(Z2, Z8, Z9, Z10) \
	W(op, sh, 8, Z4, Z14) \
	W(op, sh, 9, Z5, Z14) \
	CSA(Z0, Z4, Z5, Z6) \
	W(op, sh, 10, Z4, Z14) \
	W(op, sh, 11, Z5, Z14) \
	CSA(Z0, Z4, Z5, Z7) \
	CSA(Z1, Z6, Z7, Z8) \
	W(op, sh, 12, Z4, Z14) \
	W(op, sh, 13, Z5, Z14) \
	CSA(Z0, Z4, Z5, Z6) \
	W(op, sh, 14, Z4, Z14) \
	W(op, sh, 15, Z5, Z14) \
	CSA(Z0, Z4, Z5, Z7) \
	CSA(Z1, Z6, Z7, Z9) \
	CSA(Z2, Z8, Z9, Z11) \
	CSA(Z3, Z10, Z11, Z12)

// ADD1 adds one vector by ripple-carry addition, leaving the carry of weight 16 in Z12.
#define ADD1(op, sh) \
	W(op, sh, 0, Z4, Z14) \
	VPANDQ Z4, Z0, Z5 \
	VPXORQ Z4, Z0, Z0 \
	VPANDQ Z5, Z1, Z6 \
	VPXORQ Z5, Z1, Z1 \
	VPANDQ Z6, Z2, Z5 \
	VPXORQ Z6, Z2, Z2 \
	VPANDQ Z5, Z3, Z12 \
	VPXORQ Z5, Z3, Z3

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

// NEXT advances the sources by n vectors (strides R11, R12, R13 per n vectors).
#define NEXT(n) \
	ADDQ $(64*(n)), SI \
	ADDQ R11, R8 \
	ADDQ R12, R9 \
	ADDQ R13, R10

// func countVecs(c *laneCount, a, b, d, e *uint64, sb, sd, se, vecs, bcast int)
TEXT ·countVecs(SB), NOSPLIT, $0-80
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
	CMPQ bcast+72(FP), $0
	JNE  bblocks
	TESTQ CX, CX
	JZ   tail

block:
	TREE(VPTERNLOGQ, 6)
	RIPPLE(ripple, next)
	NEXT(16)
	DECQ CX
	JNZ  block

tail:
	// the remaining vectors one at a time (strides per vector)
	TESTQ AX, AX
	JZ   done
	SHRQ $4, R11
	SHRQ $4, R12
	SHRQ $4, R13

vec:
	ADD1(VPTERNLOGQ, 6)
	RIPPLE(ripple1, next1)
	NEXT(1)
	DECQ AX
	JNZ  vec
	JMP  done

bblocks:
	TESTQ CX, CX
	JZ   btail

bblock:
	TREE(VPTERNLOGQ.BCST, 3)
	RIPPLE(ripple2, next2)
	NEXT(16)
	DECQ CX
	JNZ  bblock

btail:
	TESTQ AX, AX
	JZ   done
	SHRQ $4, R11
	SHRQ $4, R12
	SHRQ $4, R13

bvec:
	ADD1(VPTERNLOGQ.BCST, 3)
	RIPPLE(ripple3, next3)
	NEXT(1)
	DECQ AX
	JNZ  bvec

done:
	VMOVDQU64 Z0, 0(DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)
	VZEROUPPER
	RET
