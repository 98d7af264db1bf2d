// Stand-in cuBLAS (libcublas.so.12): column-major GEMM with the real argument checks (leading dimensions,
// operand ranges inside device allocations when paired with the stand-in driver, which also checks and counts the
// handle's stream). Pointer mode is host.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>

typedef int cublasStatus_t;
enum : int { SUCCESS = 0, NOT_INITIALIZED = 1, INVALID_VALUE = 7, MAPPING_ERROR = 11, EXECUTION_FAILED = 13 };

namespace {
struct Handle { void* stream; int mathMode; };

typedef int (*CheckRange)(unsigned long long, size_t);
typedef int (*NoteStream)(void*);

// An export of the stand-in driver when that driver (from this folder) is the one loaded; null otherwise.
void* driver_symbol(const char* name) {
    Dl_info info;
    if (!dladdr(reinterpret_cast<void*>(&driver_symbol), &info) || !info.dli_fname) return nullptr;
    std::string dir(info.dli_fname);
    dir = dir.substr(0, dir.find_last_of('/') + 1);
    void* h = dlopen((dir + "libcuda.so.1").c_str(), RTLD_NOW | RTLD_NOLOAD);
    return h ? dlsym(h, name) : nullptr;
}

CheckRange range_checker() {
    static CheckRange fn = reinterpret_cast<CheckRange>(driver_symbol("cudasimCheckRange"));
    return fn;
}

// Checks the handle's stream with the stand-in driver and counts the call on it (true without that driver).
bool stream_ok(void* stream) {
    static NoteStream fn = reinterpret_cast<NoteStream>(driver_symbol("cudasimNoteStream"));
    return !fn || fn(stream) == 0;
}

bool operand_ok(const void* p, int rows, int cols, int ld, size_t elem, long long stride, int batch) {
    CheckRange check = range_checker();
    if (!check || rows == 0 || cols == 0 || batch == 0) return true;
    size_t span = ((size_t)(cols - 1) * ld + rows) * elem + (size_t)(batch - 1) * (size_t)(stride < 0 ? 0 : stride) * elem;
    return check(reinterpret_cast<unsigned long long>(p), span) == 0;
}

template <class T>
cublasStatus_t gemm(void* h, int ta, int tb, int m, int n, int k, const T* alpha, const T* A, int lda, long long sA,
                    const T* B, int ldb, long long sB, const T* beta, T* C, int ldc, long long sC, int batch) {
    if (!h) return NOT_INITIALIZED;
    if (ta < 0 || ta > 2 || tb < 0 || tb > 2 || m < 0 || n < 0 || k < 0 || batch < 0) return INVALID_VALUE;
    int rowsA = ta == 0 ? m : k, colsA = ta == 0 ? k : m;
    int rowsB = tb == 0 ? k : n, colsB = tb == 0 ? n : k;
    if (lda < (rowsA > 1 ? rowsA : 1) || ldb < (rowsB > 1 ? rowsB : 1) || ldc < (m > 1 ? m : 1)) {
        if (getenv("CUDASIM_VERBOSE"))
            fprintf(stderr, "cudasim cuBLAS: gemm m=%d n=%d k=%d lda=%d ldb=%d ldc=%d: leading dimension too small\n", m, n, k, lda, ldb, ldc);
        return INVALID_VALUE;
    }
    if (m == 0 || n == 0 || batch == 0) return SUCCESS;
    if (!stream_ok(static_cast<Handle*>(h)->stream)) {
        if (getenv("CUDASIM_VERBOSE")) fprintf(stderr, "cudasim cuBLAS: the handle's stream is not a live stream\n");
        return EXECUTION_FAILED;
    }
    if (!operand_ok(C, m, n, ldc, sizeof(T), sC, batch) || (k > 0 && (!operand_ok(A, rowsA, colsA, lda, sizeof(T), sA, batch) ||
                                                                      !operand_ok(B, rowsB, colsB, ldb, sizeof(T), sB, batch)))) {
        if (getenv("CUDASIM_VERBOSE")) fprintf(stderr, "cudasim cuBLAS: gemm operand outside its device allocation\n");
        return MAPPING_ERROR;
    }
    if (const char* e = getenv("CUDASIM_COUNT_ONLY"); e && atoi(e) != 0) return SUCCESS;  // checked, not computed (see driver.cpp)
    for (int b = 0; b < batch; b++) {
        const T* a = A + b * sA;
        const T* bb = B + b * sB;
        T* c = C + b * sC;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta == 0 ? a[i + (long long)p * lda] : a[p + (long long)i * lda];
                    double bv = tb == 0 ? bb[p + (long long)j * ldb] : bb[j + (long long)p * ldb];
                    acc += av * bv;
                }
                T& out = c[i + (long long)j * ldc];
                out = (T)(*alpha * acc + (*beta == 0 ? 0.0 : (double)*beta * out));
            }
    }
    return SUCCESS;
}
}  // namespace

extern "C" {
cublasStatus_t cublasCreate_v2(void** h) { *h = new Handle{nullptr, 0}; return SUCCESS; }
cublasStatus_t cublasDestroy_v2(void* h) { delete static_cast<Handle*>(h); return SUCCESS; }
cublasStatus_t cublasGetVersion_v2(void*, int* v) { *v = 120000; return SUCCESS; }
cublasStatus_t cublasSetStream_v2(void* h, void* s) { static_cast<Handle*>(h)->stream = s; return SUCCESS; }
// The math mode is recorded (and read back by cublasGetMathMode) but not modelled: GEMMs are computed with double
// accumulators whatever the mode, so CUBLAS_TF32_TENSOR_OP_MATH (3) gives the same results as CUBLAS_DEFAULT_MATH (0)
// here and the tolerance-based tests keep their fp32 tolerances. Modes other than 0..4 and the 16 flag are refused.
cublasStatus_t cublasSetMathMode(void* h, int mode) {
    if (!h) return NOT_INITIALIZED;
    if ((mode & ~16) < 0 || (mode & ~16) > 4) return INVALID_VALUE;
    static_cast<Handle*>(h)->mathMode = mode;
    return SUCCESS;
}
cublasStatus_t cublasGetMathMode(void* h, int* mode) {
    if (!h || !mode) return NOT_INITIALIZED;
    *mode = static_cast<Handle*>(h)->mathMode;
    return SUCCESS;
}
cublasStatus_t cublasSetPointerMode_v2(void*, int mode) { return mode == 0 ? SUCCESS : INVALID_VALUE; }
const char* cublasGetStatusName(cublasStatus_t s) {
    switch (s) {
        case SUCCESS: return "CUBLAS_STATUS_SUCCESS";
        case NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
        case INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
        case MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
        case EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
        default: return "CUBLAS_STATUS_UNKNOWN";
    }
}
const char* cublasGetStatusString(cublasStatus_t s) {
    switch (s) {
        case SUCCESS: return "success";
        case NOT_INITIALIZED: return "the library was not initialized";
        case INVALID_VALUE: return "an invalid numeric value was used as an argument";
        case MAPPING_ERROR: return "an access to GPU memory space failed";
        case EXECUTION_FAILED: return "the GPU program failed to execute";
        default: return "unknown error";
    }
}
cublasStatus_t cublasSgemm_v2(void* h, int ta, int tb, int m, int n, int k, const float* al, const float* A, int lda, const float* B,
                              int ldb, const float* be, float* C, int ldc) {
    return gemm<float>(h, ta, tb, m, n, k, al, A, lda, 0, B, ldb, 0, be, C, ldc, 0, 1);
}
cublasStatus_t cublasDgemm_v2(void* h, int ta, int tb, int m, int n, int k, const double* al, const double* A, int lda, const double* B,
                              int ldb, const double* be, double* C, int ldc) {
    return gemm<double>(h, ta, tb, m, n, k, al, A, lda, 0, B, ldb, 0, be, C, ldc, 0, 1);
}
cublasStatus_t cublasSgemmStridedBatched(void* h, int ta, int tb, int m, int n, int k, const float* al, const float* A, int lda,
                                         long long sA, const float* B, int ldb, long long sB, const float* be, float* C, int ldc,
                                         long long sC, int batch) {
    return gemm<float>(h, ta, tb, m, n, k, al, A, lda, sA, B, ldb, sB, be, C, ldc, sC, batch);
}
cublasStatus_t cublasDgemmStridedBatched(void* h, int ta, int tb, int m, int n, int k, const double* al, const double* A, int lda,
                                         long long sA, const double* B, int ldb, long long sB, const double* be, double* C, int ldc,
                                         long long sC, int batch) {
    return gemm<double>(h, ta, tb, m, n, k, al, A, lda, sA, B, ldb, sB, be, C, ldc, sC, batch);
}
}
