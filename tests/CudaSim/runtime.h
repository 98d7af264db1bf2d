// The simulator's launch engine: runs a registered kernel over a grid, one fiber per CUDA thread, one block at a time.
#pragma once
#include <string>

#include "registry.h"
#include "shim.h"

namespace cudasim {
enum class Order { Forward = 0, Reverse = 1, Shuffle = 2 };

// Runs the kernel; returns false with a message when the launch could not complete (deadlocked barrier).
bool launch(const Kernel& k, dim3 grid, dim3 block, unsigned dynamicShared, void** args, Order order,
            unsigned long long seed, std::string& error);
}  // namespace cudasim
