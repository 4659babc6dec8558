//go:build amd64 && !purego

#include "textflag.h"

// func axpy256(a float32, x, y *float32, n int)
// y[i] += a·x[i] for i < n, with AVX: a multiply then an add per element
// (no fused multiply-add), so that the results equal the scalar loop's and
// gonum's SSE kernel's bit for bit.
TEXT ·axpy256(SB), NOSPLIT, $0-32
	VBROADCASTSS a+0(FP), Y0
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         n+24(FP), CX
	XORQ         AX, AX
	MOVQ         CX, BX
	SHRQ         $5, BX
	JZ           tail8

loop32:
	VMULPS  (SI)(AX*4), Y0, Y1
	VMULPS  32(SI)(AX*4), Y0, Y2
	VMULPS  64(SI)(AX*4), Y0, Y3
	VMULPS  96(SI)(AX*4), Y0, Y4
	VADDPS  (DI)(AX*4), Y1, Y1
	VADDPS  32(DI)(AX*4), Y2, Y2
	VADDPS  64(DI)(AX*4), Y3, Y3
	VADDPS  96(DI)(AX*4), Y4, Y4
	VMOVUPS Y1, (DI)(AX*4)
	VMOVUPS Y2, 32(DI)(AX*4)
	VMOVUPS Y3, 64(DI)(AX*4)
	VMOVUPS Y4, 96(DI)(AX*4)
	ADDQ    $32, AX
	DECQ    BX
	JNZ     loop32

tail8:
	MOVQ CX, BX
	SUBQ AX, BX
	SHRQ $3, BX
	JZ   tail1

loop8:
	VMULPS  (SI)(AX*4), Y0, Y1
	VADDPS  (DI)(AX*4), Y1, Y1
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ    $8, AX
	DECQ    BX
	JNZ     loop8

tail1:
	CMPQ AX, CX
	JGE  done

loop1:
	VMULSS (SI)(AX*4), X0, X1
	VADDSS (DI)(AX*4), X1, X1
	VMOVSS X1, (DI)(AX*4)
	INCQ   AX
	CMPQ   AX, CX
	JL     loop1

done:
	VZEROUPPER
	RET

// func dot4(acc *[4][8]float32, w0, w1, w2, w3, x *float32, blocks int)
// For each row r of w0…w3 and the first 16·blocks elements, the two
// four-lane partial sums of gonum's SSE DotUnitary (internal/asm/f32) in
// one eight-lane register: per block of 16, lanes 0–3 (its SUM) add the
// products of elements 0–3 then 8–11, lanes 4–7 (its P_SUM) those of 4–7
// then 12–15, a multiply then an add each, in that order. Four rows give
// four independent chains, where one dot product waits on its own.
TEXT ·dot4(SB), NOSPLIT, $0-56
	MOVQ   acc+0(FP), R8
	MOVQ   w0+8(FP), R9
	MOVQ   w1+16(FP), R10
	MOVQ   w2+24(FP), R11
	MOVQ   w3+32(FP), R12
	MOVQ   x+40(FP), SI
	MOVQ   blocks+48(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ   AX, AX
	TESTQ  CX, CX
	JZ     dot4done

dot4loop:
	VMOVUPS (SI)(AX*4), Y4
	VMOVUPS 32(SI)(AX*4), Y5
	VMULPS  (R9)(AX*4), Y4, Y6
	VMULPS  (R10)(AX*4), Y4, Y7
	VMULPS  (R11)(AX*4), Y4, Y8
	VMULPS  (R12)(AX*4), Y4, Y9
	VADDPS  Y6, Y0, Y0
	VADDPS  Y7, Y1, Y1
	VADDPS  Y8, Y2, Y2
	VADDPS  Y9, Y3, Y3
	VMULPS  32(R9)(AX*4), Y5, Y6
	VMULPS  32(R10)(AX*4), Y5, Y7
	VMULPS  32(R11)(AX*4), Y5, Y8
	VMULPS  32(R12)(AX*4), Y5, Y9
	VADDPS  Y6, Y0, Y0
	VADDPS  Y7, Y1, Y1
	VADDPS  Y8, Y2, Y2
	VADDPS  Y9, Y3, Y3
	ADDQ    $16, AX
	DECQ    CX
	JNZ     dot4loop

dot4done:
	VMOVUPS Y0, (R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	VZEROUPPER
	RET
