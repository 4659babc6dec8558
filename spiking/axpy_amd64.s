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
