// Minimal fibers for the simulator: a hand-written x86-64 context switch (about 15x faster than swapcontext,
// which makes a system call per switch) and guarded stacks.
#pragma once
#include <cstddef>

namespace cudasim {
struct Stack {
    char* base = nullptr;  // lowest address (guard page)
    size_t size = 0;
};
Stack stack_alloc(size_t usable);
void stack_free(Stack& s);
// Prepares a stack so that the first switch into it calls entry() (which must never return).
void* stack_prepare(const Stack& s, void (*entry)());
}  // namespace cudasim

extern "C" void cudasim_swap(void** save_sp, void* load_sp);
