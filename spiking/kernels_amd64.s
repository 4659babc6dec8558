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

// func addRowsAVX(y *float32, n int, w *float32, stride int, idx *int32, a *float32, count int)
// y[e] += a[k]·w[idx[k]·stride + e] for k = 0, 1, …, count−1 in that order
// and e < n, n a multiple of 8: the axpys of count weight rows, done 64
// elements of y at a time with y held in registers across all the rows
// (one load and one store of y per chunk, not per row). Each element
// sees the same multiplies and adds in the same order as count calls of
// axpy256.
TEXT ·addRowsAVX(SB), NOSPLIT, $0-56
	MOVQ y+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ w+16(FP), SI
	MOVQ stride+24(FP), R8
	SHLQ $2, R8             // row stride in bytes
	MOVQ idx+32(FP), R9
	MOVQ a+40(FP), R10
	MOVQ count+48(FP), R11
	XORQ AX, AX             // first element of the chunk

chunk64:
	MOVQ    CX, BX
	SUBQ    AX, BX
	CMPQ    BX, $64
	JL      chunk8
	VMOVUPS (DI)(AX*4), Y0
	VMOVUPS 32(DI)(AX*4), Y1
	VMOVUPS 64(DI)(AX*4), Y2
	VMOVUPS 96(DI)(AX*4), Y3
	VMOVUPS 128(DI)(AX*4), Y4
	VMOVUPS 160(DI)(AX*4), Y5
	VMOVUPS 192(DI)(AX*4), Y6
	VMOVUPS 224(DI)(AX*4), Y7
	LEAQ    (SI)(AX*4), R12 // element AX of row 0
	XORQ    DX, DX          // k

rows64:
	CMPQ         DX, R11
	JGE          store64
	MOVLQSX      (R9)(DX*4), R13
	IMULQ        R8, R13
	ADDQ         R12, R13   // element AX of row idx[k]
	VBROADCASTSS (R10)(DX*4), Y8
	VMULPS       (R13), Y8, Y9
	VMULPS       32(R13), Y8, Y10
	VMULPS       64(R13), Y8, Y11
	VMULPS       96(R13), Y8, Y12
	VADDPS       Y9, Y0, Y0
	VADDPS       Y10, Y1, Y1
	VADDPS       Y11, Y2, Y2
	VADDPS       Y12, Y3, Y3
	VMULPS       128(R13), Y8, Y13
	VMULPS       160(R13), Y8, Y14
	VMULPS       192(R13), Y8, Y15
	VMULPS       224(R13), Y8, Y9
	VADDPS       Y13, Y4, Y4
	VADDPS       Y14, Y5, Y5
	VADDPS       Y15, Y6, Y6
	VADDPS       Y9, Y7, Y7
	INCQ         DX
	JMP          rows64

store64:
	VMOVUPS Y0, (DI)(AX*4)
	VMOVUPS Y1, 32(DI)(AX*4)
	VMOVUPS Y2, 64(DI)(AX*4)
	VMOVUPS Y3, 96(DI)(AX*4)
	VMOVUPS Y4, 128(DI)(AX*4)
	VMOVUPS Y5, 160(DI)(AX*4)
	VMOVUPS Y6, 192(DI)(AX*4)
	VMOVUPS Y7, 224(DI)(AX*4)
	ADDQ    $64, AX
	JMP     chunk64

chunk8:
	MOVQ    CX, BX
	SUBQ    AX, BX
	CMPQ    BX, $8
	JL      rowsdone
	VMOVUPS (DI)(AX*4), Y0
	LEAQ    (SI)(AX*4), R12
	XORQ    DX, DX

rows8:
	CMPQ         DX, R11
	JGE          store8
	MOVLQSX      (R9)(DX*4), R13
	IMULQ        R8, R13
	ADDQ         R12, R13
	VBROADCASTSS (R10)(DX*4), Y8
	VMULPS       (R13), Y8, Y9
	VADDPS       Y9, Y0, Y0
	INCQ         DX
	JMP          rows8

store8:
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     chunk8

rowsdone:
	VZEROUPPER
	RET

// func groupAddAVX(gW *float32, m *float32, stride int, n int, js *int32, off *int32, steps *int32, nact int)
// For a = 0, 1, …, nact−1 and e < n (n a multiple of 8), row js[a] of gW
// gains the sum of the rows steps[off[a]:off[a+1]] of m (rows of stride
// floats): the sum starts from zero and adds the rows in order, except
// that a single row is added to gW directly, as groupAddGo does. The
// columns go 64 at a time over all inputs, so that the rows of m stay in
// L1 across the inputs, which they share.
TEXT ·groupAddAVX(SB), NOSPLIT, $0-64
	MOVQ gW+0(FP), DI
	MOVQ m+8(FP), SI
	MOVQ stride+16(FP), R8
	SHLQ $2, R8             // row stride in bytes
	MOVQ js+32(FP), R9
	MOVQ off+40(FP), R10
	MOVQ steps+48(FP), R11
	XORQ AX, AX             // first column of the chunk

gchunk64:
	MOVQ n+24(FP), CX
	SUBQ AX, CX
	CMPQ CX, $64
	JL   gchunk8
	XORQ BX, BX             // a

ginput64:
	CMPQ    BX, nact+56(FP)
	JGE     gnext64
	MOVLQSX (R10)(BX*4), DX  // lo
	MOVLQSX 4(R10)(BX*4), R13 // hi
	MOVQ    R13, CX
	SUBQ    DX, CX
	CMPQ    CX, $1
	JNE     gmulti64
	MOVLQSX (R11)(DX*4), CX
	IMULQ   R8, CX
	ADDQ    SI, CX
	LEAQ    (CX)(AX*4), CX  // column AX of row steps[lo] of m
	VMOVUPS (CX), Y0
	VMOVUPS 32(CX), Y1
	VMOVUPS 64(CX), Y2
	VMOVUPS 96(CX), Y3
	VMOVUPS 128(CX), Y4
	VMOVUPS 160(CX), Y5
	VMOVUPS 192(CX), Y6
	VMOVUPS 224(CX), Y7
	JMP     gadd64

gmulti64:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

gstep64:
	CMPQ    DX, R13
	JGE     gadd64
	MOVLQSX (R11)(DX*4), CX
	IMULQ   R8, CX
	ADDQ    SI, CX
	LEAQ    (CX)(AX*4), CX
	VADDPS  (CX), Y0, Y0
	VADDPS  32(CX), Y1, Y1
	VADDPS  64(CX), Y2, Y2
	VADDPS  96(CX), Y3, Y3
	VADDPS  128(CX), Y4, Y4
	VADDPS  160(CX), Y5, Y5
	VADDPS  192(CX), Y6, Y6
	VADDPS  224(CX), Y7, Y7
	INCQ    DX
	JMP     gstep64

gadd64:
	MOVLQSX (R9)(BX*4), CX
	IMULQ   R8, CX
	ADDQ    DI, CX
	LEAQ    (CX)(AX*4), CX  // column AX of row js[a] of gW
	VADDPS  (CX), Y0, Y0
	VADDPS  32(CX), Y1, Y1
	VADDPS  64(CX), Y2, Y2
	VADDPS  96(CX), Y3, Y3
	VADDPS  128(CX), Y4, Y4
	VADDPS  160(CX), Y5, Y5
	VADDPS  192(CX), Y6, Y6
	VADDPS  224(CX), Y7, Y7
	VMOVUPS Y0, (CX)
	VMOVUPS Y1, 32(CX)
	VMOVUPS Y2, 64(CX)
	VMOVUPS Y3, 96(CX)
	VMOVUPS Y4, 128(CX)
	VMOVUPS Y5, 160(CX)
	VMOVUPS Y6, 192(CX)
	VMOVUPS Y7, 224(CX)
	INCQ    BX
	JMP     ginput64

gnext64:
	ADDQ $64, AX
	JMP  gchunk64

gchunk8:
	MOVQ n+24(FP), CX
	SUBQ AX, CX
	CMPQ CX, $8
	JL   gdone
	XORQ BX, BX

ginput8:
	CMPQ    BX, nact+56(FP)
	JGE     gnext8
	MOVLQSX (R10)(BX*4), DX
	MOVLQSX 4(R10)(BX*4), R13
	MOVQ    R13, CX
	SUBQ    DX, CX
	CMPQ    CX, $1
	JNE     gmulti8
	MOVLQSX (R11)(DX*4), CX
	IMULQ   R8, CX
	ADDQ    SI, CX
	VMOVUPS (CX)(AX*4), Y0
	JMP     gadd8

gmulti8:
	VXORPS Y0, Y0, Y0

gstep8:
	CMPQ    DX, R13
	JGE     gadd8
	MOVLQSX (R11)(DX*4), CX
	IMULQ   R8, CX
	ADDQ    SI, CX
	VADDPS  (CX)(AX*4), Y0, Y0
	INCQ    DX
	JMP     gstep8

gadd8:
	MOVLQSX (R9)(BX*4), CX
	IMULQ   R8, CX
	ADDQ    DI, CX
	VADDPS  (CX)(AX*4), Y0, Y0
	VMOVUPS Y0, (CX)(AX*4)
	INCQ    BX
	JMP     ginput8

gnext8:
	ADDQ $8, AX
	JMP  gchunk8

gdone:
	VZEROUPPER
	RET

// func spikeVector(dst *float32, s *bool, n int)
// dst[j] = 1 where s[j], else 0, for j < n (n a multiple of 8).
TEXT ·spikeVector(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ s+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	TESTQ CX, CX
	JZ   svdone

svloop:
	VPMOVZXBD (SI)(AX*1), Y0 // the eight bools as 0/1 integers
	VCVTDQ2PS Y0, Y0
	VMOVUPS   Y0, (DI)(AX*4)
	ADDQ      $8, AX
	CMPQ      AX, CX
	JL        svloop

svdone:
	VZEROUPPER
	RET

// func rateReg512(m, count, psi *float32, spiked *bool, n int, lambda, inv, rho float32)
// For i < n (n a multiple of 16): count[i] += 1 where spiked[i], then
// m[i] += lambda·(count[i]·inv − rho)·psi[i], each operation rounded as
// the scalar loop of worker.regularize does it (no fused multiply-add),
// sixteen neurons at a time.
TEXT ·rateReg512(SB), NOSPLIT, $0-52
	MOVQ         m+0(FP), DI
	MOVQ         count+8(FP), SI
	MOVQ         psi+16(FP), DX
	MOVQ         spiked+24(FP), R8
	MOVQ         n+32(FP), CX
	VBROADCASTSS lambda+40(FP), Z1
	VBROADCASTSS inv+44(FP), Z2
	VBROADCASTSS rho+48(FP), Z3
	XORQ         AX, AX

rr512loop:
	CMPQ      AX, CX
	JGE       rr512done
	VPMOVZXBD (R8)(AX*1), Z0       // spiked[i:i+16] as 0 or 1
	VCVTDQ2PS Z0, Z0
	VADDPS    (SI)(AX*4), Z0, Z0   // count[i] + s_i
	VMOVUPS   Z0, (SI)(AX*4)
	VMULPS    Z2, Z0, Z0           // · inv
	VSUBPS    Z3, Z0, Z0           // − rho
	VMULPS    Z1, Z0, Z0           // λ ·
	VMULPS    (DX)(AX*4), Z0, Z0   // · psi[i]
	VADDPS    (DI)(AX*4), Z0, Z0   // m[i] +
	VMOVUPS   Z0, (DI)(AX*4)
	ADDQ      $16, AX
	JMP       rr512loop

rr512done:
	VZEROUPPER
	RET
