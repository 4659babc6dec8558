//go:build amd64 && !purego

#include "textflag.h"

// The indices 0…15 of the sixteen lanes.
DATA lanes<>+0(SB)/4, $0
DATA lanes<>+4(SB)/4, $1
DATA lanes<>+8(SB)/4, $2
DATA lanes<>+12(SB)/4, $3
DATA lanes<>+16(SB)/4, $4
DATA lanes<>+20(SB)/4, $5
DATA lanes<>+24(SB)/4, $6
DATA lanes<>+28(SB)/4, $7
DATA lanes<>+32(SB)/4, $8
DATA lanes<>+36(SB)/4, $9
DATA lanes<>+40(SB)/4, $10
DATA lanes<>+44(SB)/4, $11
DATA lanes<>+48(SB)/4, $12
DATA lanes<>+52(SB)/4, $13
DATA lanes<>+56(SB)/4, $14
DATA lanes<>+60(SB)/4, $15
GLOBL lanes<>(SB), RODATA|NOPTR, $64

// func lifStep512(v, i *float32, s *bool, sp *int32, n int, alpha, theta float32) int
// For each neuron k < n (n a multiple of 16), sixteen at a time:
//	v[k] = (α·v[k] + i[k]) − θ·s[k]   (leak, input, reset of the last spike; N2)
//	s[k] = v[k] ≥ θ                   (threshold; N3)
// and the indices of the neurons that fire are appended to sp.
TEXT ·lifStep512(SB), NOSPLIT, $0-56
	MOVQ         v+0(FP), SI
	MOVQ         i+8(FP), DI
	MOVQ         s+16(FP), DX
	MOVQ         sp+24(FP), R8
	MOVQ         n+32(FP), CX
	VBROADCASTSS alpha+40(FP), Z0
	VBROADCASTSS theta+44(FP), Z1
	VMOVDQU32    lanes<>(SB), Z2  // indices of the current block
	MOVL         $16, BX
	VPBROADCASTD BX, Z3           // 16 in every lane
	MOVL         $1, BX
	VPBROADCASTD BX, Z4           // 1 in every lane
	XORQ         AX, AX           // k
	XORQ         R9, R9           // spikes so far
	TESTQ        CX, CX
	JZ           done

loop:
	VMULPS      (SI)(AX*4), Z0, Z5 // α·v
	VADDPS      (DI)(AX*4), Z5, Z5 // + i
	VPMOVZXBD   (DX)(AX*1), Z6     // s as 0/1
	VCVTDQ2PS   Z6, Z6
	VMULPS      Z1, Z6, Z6         // θ·s
	VSUBPS      Z6, Z5, Z5         // − θ·s
	VMOVUPS     Z5, (SI)(AX*4)
	VCMPPS      $13, Z1, Z5, K1    // v ≥ θ (false for NaN, as the Go comparison)
	VMOVDQA32.Z Z4, K1, Z7
	VPMOVDB     Z7, (DX)(AX*1)     // s = 0/1
	VPCOMPRESSD Z2, K1, Z8         // the firing indices, packed low
	VMOVDQU32   Z8, (R8)(R9*4)     // all 16 lanes: the spare ones are overwritten later or unused
	KMOVW       K1, BX
	POPCNTL     BX, BX
	ADDQ        BX, R9
	VPADDD      Z3, Z2, Z2
	ADDQ        $16, AX
	CMPQ        AX, CX
	JL          loop

done:
	VZEROUPPER
	MOVQ R9, ret+48(FP)
	RET

// func triangle512(psi, v *float32, n int, theta, inv float32)
// psi[k] = max(0, 1 − |(v[k] − θ)·inv|) for k < n (n a multiple of 16),
// operation by operation as Triangle.Psi's portable loop: a NaN potential
// gives a NaN factor in both.
TEXT ·triangle512(SB), NOSPLIT, $0-32
	MOVQ         psi+0(FP), DI
	MOVQ         v+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSS theta+24(FP), Z0
	VBROADCASTSS inv+28(FP), Z1
	MOVL         $0x7fffffff, BX
	VPBROADCASTD BX, Z2           // clears the sign bit
	MOVL         $0x3f800000, BX
	VPBROADCASTD BX, Z3           // 1.0
	VPXORD       Z4, Z4, Z4       // 0.0
	XORQ         AX, AX
	TESTQ        CX, CX
	JZ           tdone

tloop:
	VMOVUPS (SI)(AX*4), Z5
	VSUBPS  Z0, Z5, Z5      // v − θ
	VMULPS  Z1, Z5, Z5      // ·inv
	VPANDD  Z2, Z5, Z5      // |·|
	VSUBPS  Z5, Z3, Z5      // 1 − |·|
	VMAXPS  Z5, Z4, Z5      // 0 if 0 > r, else r (NaN stays NaN)
	VMOVUPS Z5, (DI)(AX*4)
	ADDQ    $16, AX
	CMPQ    AX, CX
	JL      tloop

tdone:
	VZEROUPPER
	RET
