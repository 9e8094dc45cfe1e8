//go:build amd64 && !purego

#include "textflag.h"

// checkerPass: see checker.go and checker_amd64.go. Go operand order throughout
// (sources first, destination last); VPTERNLOGQ $imm, C, B, A computes bit
// imm[4A+2B+C] into A: 0x96 = A^B^C, 0xE8 = majority, 0xF8 = A|(B&C), 0x90 = A&^(B^C),
// and 0x01 … 0x08 pick one of the four combinations of B, C with A = 0.

// offsets in checkerArgs
#define A_ROW 0
#define A_UP 8
#define A_DN 16
#define A_FW 24
#define A_BK 32
#define A_JX 40
#define A_JY 48
#define A_JYU 56
#define A_JZ 64
#define A_JZB 72
#define A_BLOCKS 80
#define A_DIM 88
#define A_PARITY 96
#define A_OFF 104
#define A_GEN 112
#define A_CNT 120
#define A_VPOPCNT 128
#define A_WIDE 136

// the words 0, 2, …, 14 / 1, 3, …, 15 of two vectors, and the interleave of two
// vectors' first / last four words
DATA checkerIdx<>+0(SB)/8, $0
DATA checkerIdx<>+8(SB)/8, $2
DATA checkerIdx<>+16(SB)/8, $4
DATA checkerIdx<>+24(SB)/8, $6
DATA checkerIdx<>+32(SB)/8, $8
DATA checkerIdx<>+40(SB)/8, $10
DATA checkerIdx<>+48(SB)/8, $12
DATA checkerIdx<>+56(SB)/8, $14
DATA checkerIdx<>+64(SB)/8, $1
DATA checkerIdx<>+72(SB)/8, $3
DATA checkerIdx<>+80(SB)/8, $5
DATA checkerIdx<>+88(SB)/8, $7
DATA checkerIdx<>+96(SB)/8, $9
DATA checkerIdx<>+104(SB)/8, $11
DATA checkerIdx<>+112(SB)/8, $13
DATA checkerIdx<>+120(SB)/8, $15
DATA checkerIdx<>+128(SB)/8, $0
DATA checkerIdx<>+136(SB)/8, $8
DATA checkerIdx<>+144(SB)/8, $1
DATA checkerIdx<>+152(SB)/8, $9
DATA checkerIdx<>+160(SB)/8, $2
DATA checkerIdx<>+168(SB)/8, $10
DATA checkerIdx<>+176(SB)/8, $3
DATA checkerIdx<>+184(SB)/8, $11
DATA checkerIdx<>+192(SB)/8, $4
DATA checkerIdx<>+200(SB)/8, $12
DATA checkerIdx<>+208(SB)/8, $5
DATA checkerIdx<>+216(SB)/8, $13
DATA checkerIdx<>+224(SB)/8, $6
DATA checkerIdx<>+232(SB)/8, $14
DATA checkerIdx<>+240(SB)/8, $7
DATA checkerIdx<>+248(SB)/8, $15
GLOBL checkerIdx<>(SB), RODATA|NOPTR, $256

// PERM sets dst to the words idx picks from lo (0 … 7) and hi (8 … 15).
#define PERM(idx, lo, hi, dst) \
	VMOVDQA64 idx, dst \
	VPERMI2Q  hi, lo, dst

// LOAD2 loads the 16 words of the block from the row whose first word is at field.
#define LOAD2(field, lo, hi) \
	MOVQ      field(AX), SI \
	VMOVDQU64 (SI)(BX*1), lo \
	VMOVDQU64 64(SI)(BX*1), hi

// XOR3 sets dst to a ^ b ^ c.
#define XOR3(a, b, c, dst) \
	VMOVDQA64  a, dst \
	VPTERNLOGQ $0x96, c, b, dst

// BOND sets e to the unsatisfied-bond word of the pass's columns (Z24, parity index
// Z11) with the row at sfield through the couplings at jfield (Z13, Z14, Z16, Z17
// scratch).
#define BOND(sfield, jfield, e) \
	LOAD2(sfield, Z16, Z17) \
	PERM(Z11, Z16, Z17, Z13) \
	LOAD2(jfield, Z16, Z17) \
	PERM(Z11, Z16, Z17, Z14) \
	XOR3(Z24, Z13, Z14, e)

// WBOND sets e to the unsatisfied-bond word of a wide site (Z24, byte offset BX) with
// the same site of the row at sfield through the coupling broadcast from jfield at
// byte offset R9 (Z13, Z14 scratch).
#define WBOND(sfield, jfield, e) \
	MOVQ         sfield(AX), SI \
	VMOVDQU64    (SI)(BX*1), Z13 \
	MOVQ         jfield(AX), SI \
	VPBROADCASTQ (SI)(R9*1), Z14 \
	XOR3(Z24, Z13, Z14, e)

// STEP advances the eight xoshiro256++ generators (Z0 … Z3 = s0 … s3) by one output,
// into r (t is scratch): the vector twin of xoStep.
#define STEP(r, t) \
	VPADDQ     Z3, Z0, r \
	VPROLQ     $23, r, r \
	VPADDQ     Z0, r, r \
	VPSLLQ     $17, Z1, t \
	VPXORQ     Z1, Z3, Z3 \
	VPTERNLOGQ $0x96, Z0, Z2, Z1 \
	VPTERNLOGQ $0x96, t, Z0, Z2 \
	VPXORQ     Z3, Z0, Z0 \
	VPROLQ     $45, Z3, Z3

// FIRST is one of the first four comparisons, at bit j, which also decide the ties
// (Z17): p = tie | sel[code[j]]; flip (Z26) |= und & p &^ r; und (Z27) &^= p ^ r.
#define FIRST(j) \
	STEP(Z28, Z29) \
	MOVL       (4*j)(DX), DI \
	VPORQ      (SP)(DI*1), Z17, Z13 \
	VPANDNQ    Z13, Z28, Z29 \
	VPTERNLOGQ $0xF8, Z29, Z27, Z26 \
	VPTERNLOGQ $0x90, Z28, Z13, Z27

// Registers: AX args, BX byte offset of the block in its rows, CX blocks left,
// DX code offsets, R10 parity, R11 dim, R12 flips counted without VPOPCNTQ, R13 (wide)
// the byte offset of the row's last site. Z0 … Z3 generators, Z4 flip counts, Z5 … Z8
// index vectors (even, odd, interleave low, high), Z9 / Z10 the spins / x couplings
// left of the block (even pass), Z11 the index of the pass's parity, Z12 zero.
// The class unions sel[0 … 7] are at 0(SP) … 448(SP), the flip words to count
// without VPOPCNTQ at 512(SP).

// func checkerPass(a *checkerArgs)
TEXT ·checkerPass(SB), NOSPLIT, $576-8
	MOVQ a+0(FP), AX
	MOVQ A_GEN(AX), SI
	VMOVDQU64 0(SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQU64 128(SI), Z2
	VMOVDQU64 192(SI), Z3
	MOVQ A_CNT(AX), SI
	VMOVDQU64 (SI), Z4
	MOVQ $checkerIdx<>(SB), SI
	VMOVDQU64 0(SI), Z5
	VMOVDQU64 64(SI), Z6
	VMOVDQU64 128(SI), Z7
	VMOVDQU64 192(SI), Z8
	VPXORQ Z12, Z12, Z12
	VMOVDQU64 Z12, 0(SP)
	MOVQ A_OFF(AX), DX
	MOVQ A_PARITY(AX), R10
	MOVQ A_DIM(AX), R11
	MOVQ A_BLOCKS(AX), CX
	XORQ BX, BX
	XORQ R12, R12
	CMPQ A_WIDE(AX), $0
	JEQ  checker
	// wide: CX sites of eight words, R13 the byte offset of the last
	LEAQ -1(CX), R13
	SHLQ $6, R13
	JMP  wsite

checker:
	VMOVDQA64 Z5, Z11
	TESTQ R10, R10
	JZ   carry
	VMOVDQA64 Z6, Z11
	JMP  block

carry:
	// the last column's spins and x couplings, left of column 0
	MOVQ CX, R9
	SHLQ $7, R9
	MOVQ A_ROW(AX), SI
	VPBROADCASTQ -8(SI)(R9*1), Z9
	MOVQ A_JX(AX), SI
	VPBROADCASTQ -8(SI)(R9*1), Z10

block:
	LOAD2(A_ROW, Z16, Z17)
	PERM(Z5, Z16, Z17, Z18)             // E: spins of the even columns
	PERM(Z6, Z16, Z17, Z19)             // O: odd columns
	LOAD2(A_JX, Z16, Z17)
	PERM(Z5, Z16, Z17, Z20)             // JE: x bonds right of the even columns
	PERM(Z6, Z16, Z17, Z21)             // JO
	TESTQ R10, R10
	JNZ  oddx

	// even columns: right O with JE, left (carry, O0 … O6) with (carry, JO0 … JO6)
	VMOVDQA64 Z18, Z24
	XOR3(Z18, Z19, Z20, Z22)
	VALIGNQ $7, Z9, Z19, Z13
	VALIGNQ $7, Z10, Z21, Z14
	XOR3(Z18, Z13, Z14, Z23)
	VMOVDQA64 Z19, Z9
	VMOVDQA64 Z21, Z10
	JMP  vert

oddx:
	// odd columns: right (E1 … E7, first even column of the next block) with JO,
	// left E with JE
	VMOVDQA64 Z19, Z24
	MOVQ A_ROW(AX), SI
	LEAQ 128(SI)(BX*1), DI
	CMPQ CX, $1
	CMOVQEQ SI, DI
	VPBROADCASTQ (DI), Z13
	VALIGNQ $1, Z18, Z13, Z13
	XOR3(Z19, Z13, Z21, Z22)
	XOR3(Z19, Z18, Z20, Z23)

	JMP  vert

wsite:
	// wide: site x of the row (BX = 64x) in typewriter order, its eight words one vector,
	// the couplings broadcast (R9 = 8x, R8 = 8 (x−1) or 8 (L−1))
	MOVQ BX, R9
	SHRQ $3, R9
	MOVQ A_ROW(AX), SI
	VMOVDQU64 (SI)(BX*1), Z24
	LEAQ 64(BX), DI                     // right: x+1, or 0 at the row's end
	XORQ R8, R8
	CMPQ CX, $1
	CMOVQEQ R8, DI
	VMOVDQU64 (SI)(DI*1), Z13
	MOVQ A_JX(AX), DI
	VPBROADCASTQ (DI)(R9*1), Z14
	XOR3(Z24, Z13, Z14, Z22)            // e0: the bond to x+1
	LEAQ -64(BX), R8                    // left: x−1, or L−1 at the row's start
	TESTQ BX, BX
	CMOVQEQ R13, R8
	VMOVDQU64 (SI)(R8*1), Z13
	SHRQ $3, R8
	VPBROADCASTQ (DI)(R8*1), Z14
	XOR3(Z24, Z13, Z14, Z23)            // e1: the bond to x−1
	WBOND(A_DN, A_JY, Z25)
	WBOND(A_UP, A_JYU, Z26)
	CMPQ R11, $2
	JEQ  square
	WBOND(A_FW, A_JZ, Z27)
	WBOND(A_BK, A_JZB, Z28)
	JMP  cubic

vert:
	BOND(A_DN, A_JY, Z25)               // e2: the bond to y+1
	BOND(A_UP, A_JYU, Z26)              // e3: the bond to y−1
	CMPQ R11, $2
	JEQ  square

	BOND(A_FW, A_JZ, Z27)               // e4: the bond to z+1
	BOND(A_BK, A_JZB, Z28)              // e5: the bond to z−1

cubic:
	// u = b0 + 2 t0 + 4 t1 unsatisfied bonds of six
	XOR3(Z22, Z23, Z25, Z29)            // sa
	VMOVDQA64 Z22, Z30
	VPTERNLOGQ $0xE8, Z25, Z23, Z30     // ca
	XOR3(Z26, Z27, Z28, Z31)            // sb
	VMOVDQA64 Z26, Z13
	VPTERNLOGQ $0xE8, Z28, Z27, Z13     // cb
	VPXORQ Z31, Z29, Z14                // b0
	VPANDQ Z31, Z29, Z29                // c0
	XOR3(Z30, Z13, Z29, Z25)            // t0
	VPTERNLOGQ $0xE8, Z29, Z13, Z30     // t1
	// classes from (A = t1, B = t0, C = b0): u ≥ 4 flips, u = 3 tie, u = 2, 1, 0
	VMOVDQA64 Z30, Z16                  // always
	VMOVDQA64 Z30, Z17
	VPTERNLOGQ $0x08, Z14, Z25, Z17     // tie
	VMOVDQA64 Z30, Z20
	VPTERNLOGQ $0x04, Z14, Z25, Z20     // k1
	VMOVDQA64 Z30, Z21
	VPTERNLOGQ $0x02, Z14, Z25, Z21     // k2
	VMOVDQA64 Z30, Z22
	VPTERNLOGQ $0x01, Z14, Z25, Z22     // k3
	JMP  classes

square:
	// u = b0 + 2 t0 + 4 t1 unsatisfied bonds of four
	XOR3(Z22, Z23, Z25, Z29)            // sa
	VMOVDQA64 Z22, Z30
	VPTERNLOGQ $0xE8, Z25, Z23, Z30     // ca
	VPXORQ Z26, Z29, Z14                // b0
	VPANDQ Z26, Z29, Z29                // c0
	VPXORQ Z29, Z30, Z25                // t0
	VPANDQ Z29, Z30, Z30                // t1
	// classes: u ≥ 3 flips, u = 2 tie, u = 1, 0
	VMOVDQA64 Z30, Z16
	VPTERNLOGQ $0xF8, Z14, Z25, Z16     // always
	VMOVDQA64 Z30, Z17
	VPTERNLOGQ $0x04, Z14, Z25, Z17     // tie
	VMOVDQA64 Z30, Z20
	VPTERNLOGQ $0x02, Z14, Z25, Z20     // k1
	VMOVDQA64 Z30, Z21
	VPTERNLOGQ $0x01, Z14, Z25, Z21     // k2
	VPXORQ Z22, Z22, Z22                // k3

classes:
	// sel[c] = union of the classes in c
	VMOVDQU64 Z20, 64(SP)
	VMOVDQU64 Z21, 128(SP)
	VPORQ Z21, Z20, Z13
	VMOVDQU64 Z13, 192(SP)
	VMOVDQU64 Z22, 256(SP)
	VPORQ Z22, Z20, Z14
	VMOVDQU64 Z14, 320(SP)
	VPORQ Z22, Z21, Z14
	VMOVDQU64 Z14, 384(SP)
	VPORQ Z22, Z13, Z14
	VMOVDQU64 Z14, 448(SP)
	// decideWide: flip Z26, undecided Z27
	VMOVDQA64 Z16, Z26
	VPORQ Z14, Z17, Z27
	FIRST(0)
	FIRST(1)
	FIRST(2)
	FIRST(3)
	VPANDNQ Z27, Z17, Z27               // ties left are U ≥ 15/16: not flipped
	MOVQ $4, R8

bit:
	VPTESTMQ Z27, Z27, K1
	KORTESTW K1, K1
	JZ   decided
	STEP(Z28, Z29)
	MOVL (DX)(R8*4), DI
	VMOVDQU64 (SP)(DI*1), Z13
	VPANDNQ Z13, Z28, Z29
	VPTERNLOGQ $0xF8, Z29, Z27, Z26
	VPTERNLOGQ $0x90, Z28, Z13, Z27
	INCQ R8
	CMPQ R8, $64
	JLT  bit

decided:
	CMPQ A_VPOPCNT(AX), $0
	JEQ  scalarcount
	VPOPCNTQ Z26, Z13
	VPADDQ Z13, Z4, Z4
	JMP  counted

scalarcount:
	// no VPOPCNTQ: the eight flip words one at a time, into R12
	VMOVDQU64 Z26, 512(SP)
	MOVQ $0, R9

popword:
	POPCNTQ 512(SP)(R9*8), R8
	ADDQ R8, R12
	INCQ R9
	CMPQ R9, $8
	JLT  popword

counted:
	CMPQ A_WIDE(AX), $0
	JEQ  checkerstore
	VPXORQ Z26, Z24, Z24
	MOVQ A_ROW(AX), SI
	VMOVDQU64 Z24, (SI)(BX*1)
	ADDQ $64, BX
	DECQ CX
	JNZ  wsite
	JMP  finish

checkerstore:
	TESTQ R10, R10
	JNZ  oddflip
	VPXORQ Z26, Z18, Z18
	JMP  store

oddflip:
	VPXORQ Z26, Z19, Z19

store:
	PERM(Z7, Z18, Z19, Z13)
	PERM(Z8, Z18, Z19, Z14)
	MOVQ A_ROW(AX), SI
	VMOVDQU64 Z13, (SI)(BX*1)
	VMOVDQU64 Z14, 64(SI)(BX*1)
	ADDQ $128, BX
	DECQ CX
	JNZ  block

finish:
	MOVQ A_GEN(AX), SI
	VMOVDQU64 Z0, 0(SI)
	VMOVDQU64 Z1, 64(SI)
	VMOVDQU64 Z2, 128(SI)
	VMOVDQU64 Z3, 192(SI)
	MOVQ A_CNT(AX), SI
	VMOVDQU64 Z4, (SI)
	ADDQ R12, (SI)
	VZEROUPPER
	RET
