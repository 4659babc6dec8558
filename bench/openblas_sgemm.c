/*
 * OpenBLAS peer for `drtp bench --only gemm`: times cblas_sgemm on the
 * products drtp's layers compute, in the same row-major layouts, the way
 * benchmark.MatMul times drtp's kernels (random normal operands, one
 * warm-up call, then the mean over calls for at least the given seconds,
 * 2·m·n·k floating-point operations per call).
 *
 *   ABT  dst[m×n] = a[m×k] · b[n×k]ᵀ   forward pass
 *   AB   dst[m×n] = a[m×k] · b[k×n]    backward pass
 *   ATB  dst[m×n] = a[k×m]ᵀ · b[k×n]   weight gradient
 *
 * Prints one JSON line per shape: {"name", "gflops", "threads"}, the name
 * as drtp's without the kernel suffix ("gemm AB 60x784x1000").
 *
 * Build: cc -O2 -o openblas_sgemm openblas_sgemm.c -lopenblas -lm
 * Usage: openblas_sgemm THREADS SECONDS OP:MxNxK...
 */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void openblas_set_num_threads(int);

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* fill sets x[0..n) to normal deviates (Box–Muller on a 64-bit LCG). */
static void fill(float *x, long n, unsigned long long *s) {
	for (long i = 0; i < n; i++) {
		*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
		double u = ((*s >> 11) + 0.5) / 9007199254740992.0;
		*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
		double v = ((*s >> 11) + 0.5) / 9007199254740992.0;
		x[i] = (float)(sqrt(-2 * log(u)) * cos(6.283185307179586 * v));
	}
}

static void product(const char *op, int m, int n, int k, const float *a, const float *b, float *c) {
	if (strcmp(op, "ABT") == 0)
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1, a, k, b, k, 0, c, n);
	else if (strcmp(op, "AB") == 0)
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
	else
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, n, k, 1, a, m, b, n, 0, c, n);
}

int main(int argc, char **argv) {
	if (argc < 4) {
		fprintf(stderr, "usage: %s THREADS SECONDS OP:MxNxK...\n", argv[0]);
		return 2;
	}
	int threads = atoi(argv[1]);
	double secs = atof(argv[2]);
	if (threads < 1 || secs <= 0) {
		fprintf(stderr, "%s: THREADS must be at least 1 and SECONDS positive, got %s and %s\n", argv[0], argv[1], argv[2]);
		return 2;
	}
	openblas_set_num_threads(threads);
	unsigned long long seed = 2;
	for (int i = 3; i < argc; i++) {
		char op[8];
		int m, n, k;
		if (sscanf(argv[i], "%7[A-Z]:%dx%dx%d", op, &m, &n, &k) != 4 || m < 1 || n < 1 || k < 1 ||
		    (strcmp(op, "ABT") != 0 && strcmp(op, "AB") != 0 && strcmp(op, "ATB") != 0)) {
			fprintf(stderr, "%s: shape \"%s\": expected OP:MxNxK with OP one of ABT, AB, ATB\n", argv[0], argv[i]);
			return 2;
		}
		float *a = malloc(sizeof(float) * (size_t)m * k);
		float *b = malloc(sizeof(float) * (size_t)k * n);
		float *c = malloc(sizeof(float) * (size_t)m * n);
		if (!a || !b || !c) {
			fprintf(stderr, "%s: out of memory for %s\n", argv[0], argv[i]);
			return 1;
		}
		fill(a, (long)m * k, &seed);
		fill(b, (long)k * n, &seed);
		product(op, m, n, k, a, b, c);
		long reps = 0;
		double t0 = now(), el;
		do {
			product(op, m, n, k, a, b, c);
			reps++;
			el = now() - t0;
		} while (el < secs || reps < 3);
		printf("{\"name\": \"gemm %s %dx%dx%d\", \"gflops\": %.2f, \"threads\": %d}\n", op, m, n, k,
		       2.0 * m * n * k * reps / el / 1e9, threads);
		free(a);
		free(b);
		free(c);
	}
	return 0;
}
