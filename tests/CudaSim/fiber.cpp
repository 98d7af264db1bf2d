#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// cudasim_swap(save, load): saves callee-saved registers, MXCSR and the x87 control word on the current stack,
// stores the stack pointer in *save, switches to load and restores the same from there.
asm(R"(
    .text
    .globl cudasim_swap
    .type cudasim_swap, @function
cudasim_swap:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size cudasim_swap, .-cudasim_swap
    .section .note.GNU-stack,"",@progbits
)");

namespace cudasim {
Stack stack_alloc(size_t usable) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = (usable + page - 1) / page * page + page;
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        perror("cudasim: fiber stack");
        abort();
    }
    mprotect(p, page, PROT_NONE);  // guard page below the stack
    return Stack{static_cast<char*>(p), size};
}

void stack_free(Stack& s) {
    if (s.base) munmap(s.base, s.size);
    s.base = nullptr;
}

void* stack_prepare(const Stack& s, void (*entry)()) {
    uintptr_t top = (reinterpret_cast<uintptr_t>(s.base) + s.size) & ~uintptr_t(15);
    // Layout from the new stack pointer up: [mxcsr|fpucw] r15 r14 r13 r12 rbx rbp ret=entry fake-return.
    // After `ret` the stack pointer is sp+64 and must be 8 mod 16 at a function's entry.
    uintptr_t sp = top - 128;
    sp = (sp & ~uintptr_t(15)) + 8;
    uint64_t* w = reinterpret_cast<uint64_t*>(sp);
    memset(w, 0, 9 * sizeof(uint64_t));
    uint32_t mx = 0x1F80;
    uint16_t cw = 0x037F;
    memcpy(reinterpret_cast<char*>(w), &mx, 4);
    memcpy(reinterpret_cast<char*>(w) + 4, &cw, 2);
    w[7] = reinterpret_cast<uint64_t>(entry);
    w[8] = 0;
    return w;
}
}  // namespace cudasim
