// Stand-in libcuda.so.1: the driver-API subset GanAudio binds, backed by host memory and the fiber simulator.
// Memory is bounds-checked (every allocation ends at a guard page, copies must stay inside one allocation);
// streams and events are synchronous (work runs when issued) but their handles are checked, work is counted per
// stream (the legacy default stream is stream 0), and an asynchronous host-to-device copy must come from pinned
// memory (cuMemHostAlloc; a real driver would silently copy pageable memory synchronously). On request an event
// reports "not ready" until something synchronises it, so callers' cuEventQuery paths run. Modules take the real
// NVRTC output (CUBIN or PTX) and bind their entry names to the simulated kernels; each launch's argument buffer is
// checked against the kernel's signature.
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "runtime.h"

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
enum : int {
    OK = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3, NO_DEVICE = 100, INVALID_DEVICE = 101,
    INVALID_IMAGE = 200, INVALID_CONTEXT = 201, INVALID_HANDLE = 400, NOT_FOUND = 500, LAUNCH_OUT_OF_RESOURCES = 701,
    NOT_READY = 600, LAUNCH_FAILED = 719, NOT_SUPPORTED = 801, UNKNOWN = 999
};

namespace {
struct Ctx { int device; };
struct Module { std::vector<std::string> entries; };
struct Func { const cudasim::Kernel* kernel; std::string name; int maxDynamicShared; };
struct Event { std::chrono::steady_clock::time_point t; void* stream; bool pending; };
struct Stream { unsigned flags; };
struct Alloc { size_t size; char* map; size_t mapSize; };

std::mutex mu;
std::map<uintptr_t, Alloc> allocs;      // device memory
std::map<uintptr_t, Alloc> hostAllocs;  // pinned host memory (cuMemHostAlloc)
std::set<void*> streams;                // live streams (cuStreamCreate)
std::set<void*> events;                 // live events (cuEventCreate)
std::map<void*, long long> streamOps;   // work issued per stream; nullptr = the legacy default stream
thread_local bool holdEvents = false;   // events recorded by this thread stay "not ready" until synchronised
size_t usedBytes = 0;
bool initialised = false;
Ctx primary{0};
thread_local Ctx* current = nullptr;
thread_local std::string lastMessage;
thread_local int orderOverride = -1;
thread_local int deviceCountOverride = -1;
thread_local int ccOverride = -1;
unsigned long long launchCounter = 0;

size_t env_size(const char* name, size_t def) {
    const char* v = getenv(name);
    return v && *v ? strtoull(v, nullptr, 10) : def;
}
size_t total_memory() { return env_size("CUDASIM_MEMORY_MB", 8192) << 20; }
int device_count() { return deviceCountOverride >= 0 ? deviceCountOverride : (int)env_size("CUDASIM_DEVICES", 1); }
int compute_capability() { return ccOverride >= 0 ? ccOverride : (int)env_size("CUDASIM_CC", 80); }

CUresult fail(CUresult r, const std::string& msg) {
    lastMessage = msg;
    if (getenv("CUDASIM_VERBOSE")) fprintf(stderr, "cudasim: %s\n", msg.c_str());
    return r;
}

// The allocation of `in` containing [p, p + n), or null.
const Alloc* find_range(uintptr_t p, size_t n, const std::map<uintptr_t, Alloc>& in = allocs) {
    auto it = in.upper_bound(p);
    if (it == in.begin()) return nullptr;
    --it;
    if (p < it->first || p + n > it->first + it->second.size || p + n < p) return nullptr;
    return &it->second;
}

CUresult check_range(CUdeviceptr p, size_t n, const char* what) {
    std::lock_guard<std::mutex> g(mu);
    if (n == 0) return OK;
    if (!find_range(p, n)) {
        char buf[200];
        snprintf(buf, sizeof buf, "%s: [0x%llx, +%zu bytes) is not inside one device allocation", what, p, n);
        return fail(INVALID_VALUE, buf);
    }
    return OK;
}

// Checks a stream handle: 0 (and CU_STREAM_LEGACY / CU_STREAM_PER_THREAD, 1 and 2) is the default stream, anything
// else must be a live stream of cuStreamCreate. With `work`, counts one operation issued on it.
CUresult use_stream(void* s, const char* what, bool work = true) {
    std::lock_guard<std::mutex> g(mu);
    bool legacy = s == nullptr || s == reinterpret_cast<void*>(1) || s == reinterpret_cast<void*>(2);
    if (!legacy && !streams.count(s)) {
        char buf[200];
        snprintf(buf, sizeof buf, "%s: stream %p is not a live stream (cuStreamCreate)", what, s);
        return fail(INVALID_HANDLE, buf);
    }
    if (work) streamOps[legacy ? nullptr : s]++;
    return OK;
}

CUresult check_event(void* e, const char* what) {
    std::lock_guard<std::mutex> g(mu);
    if (!events.count(e)) return fail(INVALID_HANDLE, std::string(what) + ": not a live event (cuEventCreate)");
    return OK;
}

// Completes the held events recorded on `s` (all of them when `all`).
void complete_events(void* s, bool all) {
    std::lock_guard<std::mutex> g(mu);
    for (void* e : events) {
        Event* ev = static_cast<Event*>(e);
        if (all || ev->stream == s) ev->pending = false;
    }
}

#define NEED_CTX()                                                                                                   \
    do {                                                                                                             \
        if (!initialised) return fail(NOT_INITIALIZED, "cuInit was not called");                                     \
        if (!current) return fail(INVALID_CONTEXT, "no context is current on this thread (cuCtxSetCurrent)");         \
    } while (0)

// Entry names of a CUBIN (ELF64 global FUNC symbols) or of PTX text (".entry name(").
bool image_entries(const void* image, std::vector<std::string>& out) {
    const unsigned char* b = static_cast<const unsigned char*>(image);
    if (memcmp(b, "\x7f" "ELF", 4) == 0) {
        if (b[4] != 2) return false;
        uint64_t shoff; uint16_t shentsize, shnum;
        memcpy(&shoff, b + 0x28, 8); memcpy(&shentsize, b + 0x3A, 2); memcpy(&shnum, b + 0x3C, 2);
        for (int i = 0; i < shnum; i++) {
            const unsigned char* sh = b + shoff + (size_t)i * shentsize;
            uint32_t type, link; uint64_t off, size, entsize;
            memcpy(&type, sh + 4, 4); memcpy(&off, sh + 0x18, 8); memcpy(&size, sh + 0x20, 8);
            memcpy(&link, sh + 0x28, 4); memcpy(&entsize, sh + 0x38, 8);
            if (type != 2 || entsize == 0) continue;  // SHT_SYMTAB
            uint64_t stroff;
            memcpy(&stroff, b + shoff + (size_t)link * shentsize + 0x18, 8);
            for (uint64_t s = 0; s < size / entsize; s++) {
                const unsigned char* sym = b + off + s * entsize;
                uint32_t nameOff; memcpy(&nameOff, sym, 4);
                unsigned char info = sym[4];
                if ((info & 0xF) == 2 && (info >> 4) == 1) out.emplace_back(reinterpret_cast<const char*>(b + stroff + nameOff));
            }
        }
        return true;
    }
    const char* text = static_cast<const char*>(image);
    for (const char* p = strstr(text, ".entry "); p; p = strstr(p + 1, ".entry ")) {
        const char* s = p + 7;
        while (*s == ' ') s++;
        const char* e = s;
        while (*e && *e != '(' && *e != ' ' && *e != '\n') e++;
        out.emplace_back(s, e);
    }
    return !out.empty() || strstr(text, ".version") != nullptr;
}

const char* error_name(CUresult r) {
    switch (r) {
        case OK: return "CUDA_SUCCESS";
        case INVALID_VALUE: return "CUDA_ERROR_INVALID_VALUE";
        case OUT_OF_MEMORY: return "CUDA_ERROR_OUT_OF_MEMORY";
        case NOT_INITIALIZED: return "CUDA_ERROR_NOT_INITIALIZED";
        case NO_DEVICE: return "CUDA_ERROR_NO_DEVICE";
        case INVALID_DEVICE: return "CUDA_ERROR_INVALID_DEVICE";
        case INVALID_IMAGE: return "CUDA_ERROR_INVALID_IMAGE";
        case INVALID_CONTEXT: return "CUDA_ERROR_INVALID_CONTEXT";
        case INVALID_HANDLE: return "CUDA_ERROR_INVALID_HANDLE";
        case NOT_FOUND: return "CUDA_ERROR_NOT_FOUND";
        case NOT_READY: return "CUDA_ERROR_NOT_READY";
        case LAUNCH_OUT_OF_RESOURCES: return "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES";
        case LAUNCH_FAILED: return "CUDA_ERROR_LAUNCH_FAILED";
        case NOT_SUPPORTED: return "CUDA_ERROR_NOT_SUPPORTED";
        default: return nullptr;
    }
}
const char* error_text(CUresult r) {
    switch (r) {
        case OK: return "no error";
        case INVALID_VALUE: return "invalid argument";
        case OUT_OF_MEMORY: return "out of memory";
        case NOT_INITIALIZED: return "initialization error";
        case NO_DEVICE: return "no CUDA-capable device is detected";
        case INVALID_DEVICE: return "invalid device ordinal";
        case INVALID_IMAGE: return "device kernel image is invalid";
        case INVALID_CONTEXT: return "invalid device context";
        case INVALID_HANDLE: return "invalid resource handle";
        case NOT_FOUND: return "named symbol not found";
        case NOT_READY: return "device not ready";
        case LAUNCH_OUT_OF_RESOURCES: return "too many resources requested for launch";
        case LAUNCH_FAILED: return "unspecified launch failure";
        case NOT_SUPPORTED: return "operation not supported";
        default: return nullptr;
    }
}
}  // namespace

extern "C" {
// ---- simulator controls (not part of the CUDA API) ----
const char* cudasimGetLastMessage() { return lastMessage.c_str(); }
void cudasimSetThreadOrder(int order) { orderOverride = order; }      // this OS thread; -1 = CUDASIM_ORDER
void cudasimSetDeviceCount(int count) { deviceCountOverride = count; }  // this OS thread; -1 = CUDASIM_DEVICES
void cudasimSetComputeCapability(int cc) { ccOverride = cc; }  // this OS thread (e.g. 75); -1 = CUDASIM_CC (default 80)
int cudasimCheckRange(CUdeviceptr p, size_t n) { return check_range(p, n, "cuBLAS operand"); }
long long cudasimLiveBytes() { std::lock_guard<std::mutex> g(mu); return (long long)usedBytes; }
// Operations (launches, copies, memsets, cuBLAS calls) issued so far on a stream; 0 = the legacy default stream.
long long cudasimStreamOps(void* s) {
    std::lock_guard<std::mutex> g(mu);
    auto it = streamOps.find(s);
    return it == streamOps.end() ? 0 : it->second;
}
// The flags a live stream was created with, or -1.
int cudasimStreamFlags(void* s) {
    std::lock_guard<std::mutex> g(mu);
    return streams.count(s) ? (int)static_cast<Stream*>(s)->flags : -1;
}
// This OS thread: events it records report CUDA_ERROR_NOT_READY until synchronised (1), or complete at once (0).
void cudasimHoldEvents(int on) { holdEvents = on != 0; }
// For the stand-in cuBLAS: checks and counts one call on its handle's stream.
int cudasimNoteStream(void* s) { return use_stream(s, "cuBLAS call"); }

// ---- errors, init, device ----
CUresult cuGetErrorName(CUresult r, const char** s) { *s = error_name(r); return *s ? OK : INVALID_VALUE; }
CUresult cuGetErrorString(CUresult r, const char** s) { *s = error_text(r); return *s ? OK : INVALID_VALUE; }
CUresult cuInit(unsigned int flags) {
    if (flags != 0) return fail(INVALID_VALUE, "cuInit flags must be 0");
    if (device_count() == 0) return fail(NO_DEVICE, "the simulated machine has no device");
    initialised = true;
    return OK;
}
CUresult cuDriverGetVersion(int* v) { *v = 12020; return OK; }
CUresult cuDeviceGetCount(int* n) {
    if (!initialised) return NOT_INITIALIZED;
    *n = device_count();
    return OK;
}
CUresult cuDeviceGet(CUdevice* d, int ordinal) {
    if (!initialised) return NOT_INITIALIZED;
    if (ordinal < 0 || ordinal >= device_count()) return fail(INVALID_DEVICE, "device ordinal out of range");
    *d = ordinal;
    return OK;
}
CUresult cuDeviceGetName(char* name, int len, CUdevice d) {
    if (d < 0 || d >= device_count()) return INVALID_DEVICE;
    snprintf(name, (size_t)len, "GanAudio CUDA simulator (sm_%d)", compute_capability());
    return OK;
}
CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice d) {
    if (d < 0 || d >= device_count()) return INVALID_DEVICE;
    *bytes = total_memory();
    return OK;
}
CUresult cuDeviceGetAttribute(int* v, int attr, CUdevice d) {
    if (d < 0 || d >= device_count()) return INVALID_DEVICE;
    switch (attr) {
        case 1: case 2: case 3: *v = 1024; return OK;    // max threads per block, block dims x/y
        case 4: *v = 64; return OK;                      // block dim z
        case 5: *v = 2147483647; return OK;              // grid x
        case 6: case 7: *v = 65535; return OK;           // grid y/z
        case 8: *v = 48 * 1024; return OK;               // shared per block
        case 9: *v = 64 * 1024; return OK;               // constant memory
        case 10: *v = 32; return OK;                     // warp size
        case 12: *v = 65536; return OK;                  // registers per block
        case 13: *v = 1000000; return OK;                // clock kHz
        case 16: *v = 4; return OK;                      // multiprocessors (small: the simulator is slow)
        case 36: *v = 1000000; return OK;                // memory clock kHz (made up: the simulator has no peak)
        case 37: *v = 64; return OK;                     // memory bus width, bits (made up likewise)
        case 39: *v = 2048; return OK;                   // threads per multiprocessor
        case 75: *v = compute_capability() / 10; return OK;
        case 76: *v = compute_capability() % 10; return OK;
        case 97: *v = 227 * 1024; return OK;             // opt-in shared per block
        default: *v = 0; return OK;
    }
}

// ---- context ----
CUresult cuDevicePrimaryCtxRetain(void** ctx, CUdevice d) {
    if (!initialised) return NOT_INITIALIZED;
    if (d < 0 || d >= device_count()) return INVALID_DEVICE;
    *ctx = &primary;
    return OK;
}
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice) { return OK; }
CUresult cuCtxSetCurrent(void* ctx) { current = static_cast<Ctx*>(ctx); return OK; }
CUresult cuCtxGetCurrent(void** ctx) { *ctx = current; return OK; }
CUresult cuCtxGetDevice(CUdevice* d) { NEED_CTX(); *d = current->device; return OK; }
CUresult cuCtxSynchronize() { NEED_CTX(); complete_events(nullptr, true); return OK; }

// ---- memory ----
CUresult cuMemGetInfo_v2(size_t* freeBytes, size_t* total) {
    NEED_CTX();
    std::lock_guard<std::mutex> g(mu);
    *total = total_memory();
    *freeBytes = *total - usedBytes;
    return OK;
}
CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    NEED_CTX();
    if (bytes == 0) return fail(INVALID_VALUE, "cuMemAlloc of 0 bytes");
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t padded = (bytes + 255) / 256 * 256;
    {
        std::lock_guard<std::mutex> g(mu);
        if (usedBytes + padded > total_memory())
            return fail(OUT_OF_MEMORY, "cuMemAlloc of " + std::to_string(bytes) + " bytes: " + std::to_string(usedBytes) +
                                           " of " + std::to_string(total_memory()) + " bytes in use");
        usedBytes += padded;
    }
    size_t mapSize = (padded + page - 1) / page * page + page;
    char* m = static_cast<char*>(mmap(nullptr, mapSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    if (m == MAP_FAILED) {
        std::lock_guard<std::mutex> g(mu);
        usedBytes -= padded;
        return fail(OUT_OF_MEMORY, "host mmap failed");
    }
    char* guard = m + mapSize - page;
    mprotect(guard, page, PROT_NONE);  // reads or writes past the end fault
    char* ptr = guard - padded;
    memset(ptr, 0xFF, padded);         // NaN everywhere: uninitialised reads show
    std::lock_guard<std::mutex> g(mu);
    allocs[reinterpret_cast<uintptr_t>(ptr)] = Alloc{bytes, m, mapSize};
    *p = reinterpret_cast<CUdeviceptr>(ptr);
    return OK;
}
CUresult cuMemFree_v2(CUdeviceptr p) {
    NEED_CTX();
    Alloc a;
    {
        std::lock_guard<std::mutex> g(mu);
        auto it = allocs.find(p);
        if (it == allocs.end()) return fail(INVALID_VALUE, "cuMemFree of a pointer that is not an allocation start");
        a = it->second;
        allocs.erase(it);
        usedBytes -= (a.size + 255) / 256 * 256;
    }
    munmap(a.map, a.mapSize);
    return OK;
}
static CUresult copy_htod(CUdeviceptr dst, const void* src, size_t n, const char* what) {
    NEED_CTX();
    if (CUresult r = check_range(dst, n, what)) return r;
    if (n) memcpy(reinterpret_cast<void*>(dst), src, n);
    return OK;
}
static CUresult copy_dtoh(void* dst, CUdeviceptr src, size_t n, const char* what) {
    NEED_CTX();
    if (CUresult r = check_range(src, n, what)) return r;
    if (n) memcpy(dst, reinterpret_cast<void*>(src), n);
    return OK;
}
static CUresult copy_dtod(CUdeviceptr dst, CUdeviceptr src, size_t n) {
    NEED_CTX();
    if (CUresult r = check_range(src, n, "cuMemcpyDtoD source")) return r;
    if (CUresult r = check_range(dst, n, "cuMemcpyDtoD destination")) return r;
    if (n) memmove(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), n);
    return OK;
}
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t n) {
    if (CUresult r = use_stream(nullptr, "cuMemcpyHtoD")) return r;
    return copy_htod(dst, src, n, "cuMemcpyHtoD destination");
}
CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t n) {
    if (CUresult r = use_stream(nullptr, "cuMemcpyDtoH")) return r;
    return copy_dtoh(dst, src, n, "cuMemcpyDtoH source");
}
CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t n) {
    if (CUresult r = use_stream(nullptr, "cuMemcpyDtoD")) return r;
    return copy_dtod(dst, src, n);
}
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void* s, size_t n, void* stream) {
    NEED_CTX();
    if (n) {
        std::lock_guard<std::mutex> g(mu);
        if (!find_range(reinterpret_cast<uintptr_t>(s), n, hostAllocs)) {
            char buf[300];
            snprintf(buf, sizeof buf, "cuMemcpyHtoDAsync source: [%p, +%zu bytes) is not inside one pinned host allocation "
                                      "(cuMemHostAlloc); a real driver would copy this pageable memory synchronously", s, n);
            return fail(INVALID_VALUE, buf);
        }
    }
    if (CUresult r = use_stream(stream, "cuMemcpyHtoDAsync")) return r;
    return copy_htod(d, s, n, "cuMemcpyHtoDAsync destination");
}
CUresult cuMemcpyDtoHAsync_v2(void* d, CUdeviceptr s, size_t n, void* stream) {
    if (CUresult r = use_stream(stream, "cuMemcpyDtoHAsync")) return r;
    return copy_dtoh(d, s, n, "cuMemcpyDtoHAsync source");
}
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, void* stream) {
    if (CUresult r = use_stream(stream, "cuMemcpyDtoDAsync")) return r;
    return copy_dtod(d, s, n);
}

// ---- pinned host memory: host pages ending at a guard page, like device memory ----
CUresult cuMemHostAlloc(void** p, size_t bytes, unsigned int flags) {
    NEED_CTX();
    if (bytes == 0) return fail(INVALID_VALUE, "cuMemHostAlloc of 0 bytes");
    if (flags & ~7u) return fail(INVALID_VALUE, "cuMemHostAlloc: unknown flags (PORTABLE 1, DEVICEMAP 2, WRITECOMBINED 4)");
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t mapSize = (bytes + page - 1) / page * page + page;
    char* m = static_cast<char*>(mmap(nullptr, mapSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    if (m == MAP_FAILED) return fail(OUT_OF_MEMORY, "cuMemHostAlloc: host mmap failed");
    char* guard = m + mapSize - page;
    mprotect(guard, page, PROT_NONE);
    char* ptr = guard - (bytes + 15) / 16 * 16;  // 16-byte aligned, at most 15 bytes of slack before the guard
    std::lock_guard<std::mutex> g(mu);
    hostAllocs[reinterpret_cast<uintptr_t>(ptr)] = Alloc{bytes, m, mapSize};
    *p = ptr;
    return OK;
}
CUresult cuMemFreeHost(void* p) {
    NEED_CTX();
    Alloc a;
    {
        std::lock_guard<std::mutex> g(mu);
        auto it = hostAllocs.find(reinterpret_cast<uintptr_t>(p));
        if (it == hostAllocs.end()) return fail(INVALID_VALUE, "cuMemFreeHost of a pointer that is not a cuMemHostAlloc start");
        a = it->second;
        hostAllocs.erase(it);
    }
    munmap(a.map, a.mapSize);
    return OK;
}
static CUresult memset8(CUdeviceptr d, unsigned char v, size_t n) {
    NEED_CTX();
    if (CUresult r = check_range(d, n, "cuMemsetD8")) return r;
    memset(reinterpret_cast<void*>(d), v, n);
    return OK;
}
static CUresult memset32(CUdeviceptr d, unsigned int v, size_t n) {
    NEED_CTX();
    if (d % 4) return fail(INVALID_VALUE, "cuMemsetD32: pointer not 4-byte aligned");
    if (CUresult r = check_range(d, n * 4, "cuMemsetD32")) return r;
    unsigned int* p = reinterpret_cast<unsigned int*>(d);
    for (size_t i = 0; i < n; i++) p[i] = v;
    return OK;
}
CUresult cuMemsetD8_v2(CUdeviceptr d, unsigned char v, size_t n) {
    if (CUresult r = use_stream(nullptr, "cuMemsetD8")) return r;
    return memset8(d, v, n);
}
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned int v, size_t n) {
    if (CUresult r = use_stream(nullptr, "cuMemsetD32")) return r;
    return memset32(d, v, n);
}
CUresult cuMemsetD8Async(CUdeviceptr d, unsigned char v, size_t n, void* s) {
    if (CUresult r = use_stream(s, "cuMemsetD8Async")) return r;
    return memset8(d, v, n);
}
CUresult cuMemsetD32Async(CUdeviceptr d, unsigned int v, size_t n, void* s) {
    if (CUresult r = use_stream(s, "cuMemsetD32Async")) return r;
    return memset32(d, v, n);
}

// ---- streams and events: work runs when issued; held events (cudasimHoldEvents) complete when synchronised ----
CUresult cuStreamCreate(void** s, unsigned int flags) {
    NEED_CTX();
    if (flags > 1) return fail(INVALID_VALUE, "cuStreamCreate flags: CU_STREAM_DEFAULT 0 or CU_STREAM_NON_BLOCKING 1");
    Stream* st = new Stream{flags};
    std::lock_guard<std::mutex> g(mu);
    streams.insert(st);
    *s = st;
    return OK;
}
CUresult cuStreamDestroy_v2(void* s) {
    std::lock_guard<std::mutex> g(mu);
    if (!streams.erase(s)) return fail(INVALID_HANDLE, "cuStreamDestroy: not a live stream");
    delete static_cast<Stream*>(s);
    return OK;
}
CUresult cuStreamSynchronize(void* s) {
    NEED_CTX();
    if (CUresult r = use_stream(s, "cuStreamSynchronize", false)) return r;
    complete_events(s, false);
    return OK;
}
CUresult cuStreamWaitEvent(void* s, void* e, unsigned int flags) {
    NEED_CTX();
    if (flags != 0) return fail(INVALID_VALUE, "cuStreamWaitEvent flags must be 0");
    if (CUresult r = use_stream(s, "cuStreamWaitEvent", false)) return r;
    return check_event(e, "cuStreamWaitEvent");
}
CUresult cuEventCreate(void** e, unsigned int flags) {
    NEED_CTX();
    if (flags & ~7u) return fail(INVALID_VALUE, "cuEventCreate: unknown flags (BLOCKING_SYNC 1, DISABLE_TIMING 2, INTERPROCESS 4)");
    Event* ev = new Event{std::chrono::steady_clock::now(), nullptr, false};
    std::lock_guard<std::mutex> g(mu);
    events.insert(ev);
    *e = ev;
    return OK;
}
CUresult cuEventRecord(void* e, void* s) {
    if (CUresult r = check_event(e, "cuEventRecord")) return r;
    if (CUresult r = use_stream(s, "cuEventRecord", false)) return r;
    std::lock_guard<std::mutex> g(mu);
    Event* ev = static_cast<Event*>(e);
    ev->t = std::chrono::steady_clock::now();
    ev->stream = s;
    ev->pending = holdEvents;
    return OK;
}
CUresult cuEventQuery(void* e) {
    if (CUresult r = check_event(e, "cuEventQuery")) return r;
    std::lock_guard<std::mutex> g(mu);
    return static_cast<Event*>(e)->pending ? NOT_READY : OK;
}
CUresult cuEventSynchronize(void* e) {
    if (CUresult r = check_event(e, "cuEventSynchronize")) return r;
    std::lock_guard<std::mutex> g(mu);
    static_cast<Event*>(e)->pending = false;
    return OK;
}
CUresult cuEventElapsedTime(float* ms, void* a, void* b) {
    if (CUresult r = check_event(a, "cuEventElapsedTime")) return r;
    if (CUresult r = check_event(b, "cuEventElapsedTime")) return r;
    *ms = std::chrono::duration<float, std::milli>(static_cast<Event*>(b)->t - static_cast<Event*>(a)->t).count();
    return OK;
}
CUresult cuEventDestroy_v2(void* e) {
    std::lock_guard<std::mutex> g(mu);
    if (!events.erase(e)) return fail(INVALID_HANDLE, "cuEventDestroy: not a live event");
    delete static_cast<Event*>(e);
    return OK;
}

// ---- modules and functions ----
CUresult cuModuleLoadData(void** m, const void* image) {
    NEED_CTX();
    if (!image) return fail(INVALID_VALUE, "cuModuleLoadData: null image");
    Module* mod = new Module();
    if (!image_entries(image, mod->entries)) {
        delete mod;
        return fail(INVALID_IMAGE, "cuModuleLoadData: neither an ELF64 CUBIN nor PTX");
    }
    *m = mod;
    return OK;
}
CUresult cuModuleLoadDataEx(void** m, const void* image, unsigned int, void*, void*) { return cuModuleLoadData(m, image); }
CUresult cuModuleUnload(void* m) { delete static_cast<Module*>(m); return OK; }
CUresult cuModuleGetFunction(void** f, void* m, const char* name) {
    NEED_CTX();
    Module* mod = static_cast<Module*>(m);
    bool inModule = false;
    for (auto& e : mod->entries) inModule |= e == name;
    if (!inModule) return fail(NOT_FOUND, std::string("kernel ") + name + " is not in the module");
    const cudasim::Kernel* k = cudasim::find_kernel(name);
    if (!k) return fail(NOT_FOUND, std::string("kernel ") + name + " is in the module but not in the simulator build (rebuild tests/CudaSim)");
    *f = new Func{k, name, 48 * 1024};
    return OK;
}
CUresult cuFuncGetAttribute(int* v, int attr, void* f) {
    Func* fn = static_cast<Func*>(f);
    switch (attr) {
        case 0: *v = 1024; return OK;                  // max threads per block
        case 4: *v = 32; return OK;                    // registers
        case 5: case 6: *v = compute_capability(); return OK;
        case 8: *v = fn->maxDynamicShared; return OK;  // max dynamic shared
        default: *v = 0; return OK;
    }
}
CUresult cuFuncSetAttribute(void* f, int attr, int value) {
    if (attr == 8) {
        if (value < 0 || value > 227 * 1024) return fail(INVALID_VALUE, "dynamic shared memory above 227 KB");
        static_cast<Func*>(f)->maxDynamicShared = value;
    }
    return OK;
}

CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void* stream, void** params, void** extra) {
    NEED_CTX();
    Func* fn = static_cast<Func*>(f);
    const cudasim::Kernel& k = *fn->kernel;
    std::string where = "cuLaunchKernel(" + k.name + "): ";
    if (CUresult r = use_stream(stream, "cuLaunchKernel")) return r;
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0) return fail(INVALID_VALUE, where + "a zero grid or block dimension");
    if (bx * by * bz > 1024 || bz > 64 || gy > 65535 || gz > 65535) return fail(INVALID_VALUE, where + "block above 1024 threads or grid too large");
    if ((int)shared > fn->maxDynamicShared)
        return fail(INVALID_VALUE, where + std::to_string(shared) + " bytes of dynamic shared memory; above " +
                                       std::to_string(fn->maxDynamicShared) + " needs cuFuncSetAttribute");
    std::vector<void*> args(k.params.size());
    std::string sig;
    size_t off = 0;
    for (size_t i = 0; i < k.params.size(); i++) {
        off = (off + k.params[i].align - 1) / k.params[i].align * k.params[i].align;
        sig += (i ? ", " : "") + k.params[i].type;
        args[i] = reinterpret_cast<void*>(off);
        off += k.params[i].size;
    }
    if (extra) {
        void* buffer = nullptr;
        size_t size = (size_t)-1;
        for (int i = 0; extra[i] != nullptr; i += 2) {
            if (extra[i] == reinterpret_cast<void*>(1)) buffer = extra[i + 1];
            else if (extra[i] == reinterpret_cast<void*>(2)) size = *static_cast<size_t*>(extra[i + 1]);
            else return fail(INVALID_VALUE, where + "unknown key in extra");
        }
        if (!buffer || size != off)
            return fail(INVALID_VALUE, where + "argument buffer of " + std::to_string(size) + " bytes, but the kernel's parameters (" + sig +
                                           ") take " + std::to_string(off));
        for (auto& a : args) a = static_cast<char*>(buffer) + reinterpret_cast<uintptr_t>(a);
    } else if (params) {
        for (size_t i = 0; i < args.size(); i++) args[i] = params[i];
    } else if (!args.empty()) {
        return fail(INVALID_VALUE, where + "no arguments for (" + sig + ")");
    }
    for (size_t i = 0; i < args.size(); i++) {
        if (!k.params[i].pointer) continue;
        uintptr_t p;
        memcpy(&p, args[i], sizeof p);
        std::lock_guard<std::mutex> g(mu);
        if (p != 0 && !find_range(p, 1))
            return fail(INVALID_VALUE, where + "parameter " + std::to_string(i) + " is a pointer, but " + std::to_string(p) +
                                           " is not inside a device allocation");
    }
    int order = orderOverride;
    if (order < 0) {
        const char* e = getenv("CUDASIM_ORDER");
        order = !e ? 0 : strcmp(e, "reverse") == 0 ? 1 : strcmp(e, "shuffle") == 0 ? 2 : 0;
    }
    unsigned long long seed = __atomic_add_fetch(&launchCounter, 1, __ATOMIC_RELAXED) * 0x9E3779B97F4A7C15ull;
    // CUDASIM_COUNT_ONLY=1: every check above runs, the kernel does not (for counting the launches of models too large
    // to simulate; the data are then meaningless)
    if (env_size("CUDASIM_COUNT_ONLY", 0) != 0) return OK;
    std::string err;
    if (!cudasim::launch(k, dim3{gx, gy, gz}, dim3{bx, by, bz}, shared, args.data(), static_cast<cudasim::Order>(order), seed, err))
        return fail(LAUNCH_FAILED, where + err);
    return OK;
}
}  // extern "C"
