#include "runtime.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <algorithm>
#include <random>
#include <vector>

#include "fiber.h"

namespace cudasim {
thread_local BlockIndex idx;

namespace {
constexpr size_t kStackBytes = 64 * 1024;

struct Barrier {
    int arrived = 0, live = 0;
    unsigned gen = 0;
};

struct Fiber {
    void* sp = nullptr;
    uint3 tid{};
    int linear = 0;
    bool done = false;
};

struct BlockRun {
    const Kernel* kernel = nullptr;
    void** args = nullptr;
    std::vector<Fiber> fibers;
    std::vector<Barrier> warps;
    std::vector<unsigned long long> slots;  // 32 per warp, for shuffles
    Barrier block;
    void* schedSp = nullptr;
    int cur = 0;
    bool progress = false;
    std::vector<unsigned char> dyn;
};

thread_local BlockRun* run = nullptr;
thread_local std::vector<Stack> stacks;

void release(Barrier& b) {
    b.arrived = 0;
    b.gen++;
    run->progress = true;
}

void leave(Barrier& b) {
    b.live--;
    if (b.arrived > 0 && b.arrived == b.live) release(b);
}

void yield() {
    Fiber& f = run->fibers[run->cur];
    cudasim_swap(&f.sp, run->schedSp);
}

void wait(Barrier& b) {
    unsigned g = b.gen;
    if (++b.arrived == b.live) {
        release(b);
        return;
    }
    while (b.gen == g) yield();
}

void fiber_entry() {
    BlockRun* r = run;
    r->kernel->invoke(r->kernel->fn, r->args);
    r = run;
    Fiber& f = r->fibers[r->cur];
    f.done = true;
    r->progress = true;
    leave(r->block);
    leave(r->warps[f.linear / 32]);
    cudasim_swap(&f.sp, r->schedSp);
    abort();  // a finished fiber is never resumed
}
}  // namespace

void syncthreads() { wait(run->block); }

void syncwarp() { wait(run->warps[run->fibers[run->cur].linear / 32]); }

int lane() { return run->fibers[run->cur].linear % 32; }

void* dyn_smem() { return run->dyn.data(); }

unsigned long long exchange(unsigned long long bits, int src) {
    int linear = run->fibers[run->cur].linear, w = linear / 32;
    if (src < 0 || src > 31) src = linear % 32;
    run->slots[w * 32 + linear % 32] = bits;
    wait(run->warps[w]);
    unsigned long long got = run->slots[w * 32 + src];
    wait(run->warps[w]);
    return got;
}

bool launch(const Kernel& k, dim3 grid, dim3 block, unsigned dynamicShared, void** args, Order order,
            unsigned long long seed, std::string& error) {
    int n = (int)(block.x * block.y * block.z);
    while ((int)stacks.size() < n) stacks.push_back(stack_alloc(kStackBytes));
    BlockRun r;
    r.kernel = &k;
    r.args = args;
    r.fibers.resize(n);
    int nw = (n + 31) / 32;
    r.slots.assign((size_t)nw * 32, 0);
    r.dyn.resize(dynamicShared > 0 ? dynamicShared : 16);
    BlockRun* saved = run;
    run = &r;
    std::mt19937_64 rng(seed);
    std::vector<int> perm(n);
    long long nblocks = (long long)grid.x * grid.y * grid.z;
    bool ok = true;
    for (long long bi = 0; bi < nblocks && ok; bi++) {
        long long b = order == Order::Reverse ? nblocks - 1 - bi : bi;
        idx.bIdx = uint3{(unsigned)(b % grid.x), (unsigned)((b / grid.x) % grid.y), (unsigned)(b / ((long long)grid.x * grid.y))};
        idx.bDim = block;
        idx.gDim = grid;
        memset(r.dyn.data(), 0xFF, r.dyn.size());  // NaN in every float type: uninitialised reads show
        r.block = Barrier{0, n, 0};
        r.warps.assign(nw, Barrier{});
        for (int w = 0; w < nw; w++) r.warps[w].live = (w == nw - 1) ? n - w * 32 : 32;
        for (int t = 0; t < n; t++) {
            Fiber& f = r.fibers[t];
            f.linear = t;
            f.tid = uint3{(unsigned)(t % block.x), (unsigned)((t / block.x) % block.y), (unsigned)(t / (block.x * block.y))};
            f.done = false;
            f.sp = stack_prepare(stacks[t], &fiber_entry);
            perm[t] = t;
        }
        int alive = n;
        while (alive > 0) {
            if (order == Order::Reverse)
                for (int t = 0; t < n; t++) perm[t] = n - 1 - t;
            else if (order == Order::Shuffle)
                std::shuffle(perm.begin(), perm.end(), rng);
            r.progress = false;
            for (int t : perm) {
                Fiber& f = r.fibers[t];
                if (f.done) continue;
                r.cur = t;
                idx.tIdx = f.tid;
                cudasim_swap(&r.schedSp, f.sp);
                if (f.done) alive--;
            }
            if (!r.progress && alive > 0) {
                error = "kernel " + k.name + ": block (" + std::to_string(idx.bIdx.x) + "," + std::to_string(idx.bIdx.y) +
                        "," + std::to_string(idx.bIdx.z) + ") deadlocked: " + std::to_string(alive) +
                        " threads wait at a barrier that the others never reach (divergent __syncthreads or shuffle?)";
                ok = false;
                break;
            }
        }
    }
    run = saved;
    return ok;
}

namespace {
std::map<std::string, Kernel>& registry() {
    static std::map<std::string, Kernel> r;
    return r;
}
}  // namespace

void register_kernel(Kernel k) {
    auto& r = registry();
    if (r.count(k.name)) {
        fprintf(stderr, "cudasim: kernel %s is defined by two simulated .cu files\n", k.name.c_str());
        abort();
    }
    std::string name = k.name;
    r.emplace(name, std::move(k));
}

const Kernel* find_kernel(const char* name) {
    auto& r = registry();
    auto it = r.find(name);
    return it == r.end() ? nullptr : &it->second;
}
}  // namespace cudasim
